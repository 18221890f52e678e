/*
 * seal_cache_add.c — remember the seal of an object file just written
 * (w2n_seal_cache_add_file, `w2n compile`), so that its first start skips
 * the hash too.
 *
 * A load remembers a file only when its change time is two seconds old: a
 * write in the same clock tick as the one that set it would keep it, and
 * the cache would vouch for content it never saw.  A file just written is
 * younger than that, so here the condition is checked directly: a nameless
 * probe file in the same directory (same file system, same clock and
 * timestamp granularity) is touched until its change time is later than
 * the object's; from then on any write to the object gets a later change
 * time too.  Only then is the file read back and hashed, and its status
 * taken again: the entry is written if the seal holds and nothing changed.
 * The same files as a load's qualify: regular, writable only by the
 * running user or root.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "object_source.h"
#include "seal.h"
#include "seal_cache.h"
#include "w2n/runtime.h" /* w2n_seal_cache_add_file is public API */

/* How long to wait for the clock to pass a change time: a few ticks of a
 * kernel timer; a coarser file system (seconds) gets no entry. */
#define SETTLE_WAIT_NS (50 * 1000 * 1000L)

static bool later(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

static long elapsed_ns(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

/* A file in the directory of `path`, with no name once open: O_TMPFILE,
 * or where the file system lacks it (overlayfs before Linux 6.6) a named
 * one removed at once.  -1 when neither can be made. */
static int open_probe(const char *path) {
    size_t n = strlen(path);
    char *dir = malloc(n + 32);
    if (!dir)
        return -1;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else
        slash[slash == dir] = 0; /* "/x" is in "/" */
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        strcat(dir, "/.w2n-probe.XXXXXX");
        fd = mkostemp(dir, O_CLOEXEC);
        if (fd >= 0)
            unlink(dir);
    }
    free(dir);
    return fd;
}

/* Has the clock of the file system holding `file` (at `path`) passed its
 * change time?  The probe must be on the same device: `path` may be a
 * symbolic link to another file system. */
static bool clock_passed(const char *path, const struct stat *file) {
    int probe = open_probe(path);
    if (probe < 0)
        return false;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct stat st;
    bool passed = false;
    for (int tries = 0; fstat(probe, &st) == 0 && st.st_dev == file->st_dev; tries++) {
        passed = later(&st.st_ctim, &file->st_ctim);
        if (passed || elapsed_ns(&start) > SETTLE_WAIT_NS)
            break;
        /* Touched at once first: where timestamps are fine-grained once
         * looked at (Linux 6.13's multigrain ones), that is enough. */
        if (tries > 0)
            nanosleep(&(struct timespec){.tv_nsec = 200 * 1000}, NULL);
        if (futimens(probe, NULL) != 0) /* sets the change time to now */
            break;
    }
    close(probe);
    return passed;
}

static bool same_file(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mode == b->st_mode && a->st_uid == b->st_uid &&
           !memcmp(&a->st_mtim, &b->st_mtim, sizeof a->st_mtim) &&
           !memcmp(&a->st_ctim, &b->st_ctim, sizeof a->st_ctim);
}

/* Hash the file's content now and check its seal; fill `hash`. */
static bool seal_holds(int fd, size_t size, uint8_t hash[W2N_SHA256_SIZE]) {
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return false;
    w2n_seal_info seal;
    w2n_error err;
    bool ok = w2n_seal_check(map, size, NULL, &seal, &err) == W2N_OK;
    if (ok)
        memcpy(hash, seal.hash, W2N_SHA256_SIZE);
    munmap(map, size);
    return ok;
}

bool w2n_seal_cache_add_file(const char *path) {
    if (!w2n_seal_cache_enabled())
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat before, after;
    uint8_t hash[W2N_SHA256_SIZE];
    bool ok = fstat(fd, &before) == 0 && S_ISREG(before.st_mode) &&
              before.st_size >= (off_t)W2N_SEAL_SIZE && w2n_file_only_trusted_writers(&before) &&
              clock_passed(path, &before) && seal_holds(fd, (size_t)before.st_size, hash) &&
              fstat(fd, &after) == 0 && same_file(&before, &after) &&
              w2n_seal_cache_write(&after, hash);
    close(fd);
    return ok;
}
