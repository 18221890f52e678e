/*
 * seal_cache.c — the cache of verified seals (seal_cache.h): one small file
 * per object file, named by its device and inode, replaced atomically.  The
 * directory is $W2N_SEAL_CACHE, else the host's default (w2n-run's:
 * ~/.cache/w2n/seals), which is created when the first entry is written.
 * Entries come from a load that hashed a settled file, or from
 * w2n_seal_cache_add_file (seal_cache_add.c) for a file just written.
 */
#include "seal_cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reloc.h"
#include "w2n/runtime.h" /* w2n_seal_cache_set_default is public API */

#define MAGIC "W2NSEALC"
#define ENTRY_SIZE (8 + 7 * 8 + W2N_SHA256_SIZE)

static char default_dir[4000]; /* w2n_seal_cache_set_default; "" for none */

void w2n_seal_cache_set_default(const char *dir) {
    size_t n = dir ? strlen(dir) : 0;
    if (n >= sizeof default_dir)
        n = 0; /* too long to name entries under: no cache */
    memcpy(default_dir, dir ? dir : "", n);
    default_dir[n] = 0;
}

/* The directory named, whether or not it exists; NULL for none. */
static const char *named_dir(void) {
    const char *dir = getenv("W2N_SEAL_CACHE");
    if (!dir)
        dir = default_dir;
    return *dir ? dir : NULL;
}

/* The default directory and its missing parents, mode 0700 (the parents
 * of ~/.cache/w2n/seals are the user's own). */
static void make_default_dir(void) {
    char path[sizeof default_dir];
    if (getenv("W2N_SEAL_CACHE") || !default_dir[0])
        return;
    memcpy(path, default_dir, sizeof path);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0700);
            *p = '/';
        }
    mkdir(path, 0700);
}

/* The directory, if it is one that only the running user can write. */
static const char *cache_dir(void) {
    const char *dir = named_dir();
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & (S_IWGRP | S_IWOTH)))
        return NULL;
    return dir;
}

static bool entry_path(const struct stat *file, char *out, size_t size) {
    const char *dir = cache_dir();
    if (!dir)
        return false;
    int n = snprintf(out, size, "%s/%llx-%llx", dir, (unsigned long long)file->st_dev,
                     (unsigned long long)file->st_ino);
    return n > 0 && (size_t)n < size;
}

static void encode(const struct stat *file, const uint8_t hash[W2N_SHA256_SIZE],
                   uint8_t out[ENTRY_SIZE]) {
    const uint64_t fields[7] = {(uint64_t)file->st_dev,          (uint64_t)file->st_ino,
                                (uint64_t)file->st_size,         (uint64_t)file->st_mtim.tv_sec,
                                (uint64_t)file->st_mtim.tv_nsec, (uint64_t)file->st_ctim.tv_sec,
                                (uint64_t)file->st_ctim.tv_nsec};
    memcpy(out, MAGIC, 8);
    for (int i = 0; i < 7; i++)
        w2n_reloc_wr64(out + 8 + 8 * i, fields[i]);
    memcpy(out + 8 + 7 * 8, hash, W2N_SHA256_SIZE);
}

bool w2n_seal_cache_vouches(const struct stat *file, const uint8_t hash[W2N_SHA256_SIZE]) {
    char path[4096];
    if (!entry_path(file, path, sizeof path))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    struct stat st;
    uint8_t want[ENTRY_SIZE], got[ENTRY_SIZE + 1];
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
              !(st.st_mode & (S_IWGRP | S_IWOTH)) && read(fd, got, sizeof got) == ENTRY_SIZE;
    close(fd);
    encode(file, hash, want);
    return ok && memcmp(want, got, ENTRY_SIZE) == 0;
}

void w2n_seal_cache_remember(const struct stat *file, const uint8_t hash[W2N_SHA256_SIZE]) {
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) == 0 &&
        now.tv_sec - file->st_ctim.tv_sec >= W2N_SEAL_CACHE_SETTLED)
        w2n_seal_cache_write(file, hash);
}

bool w2n_seal_cache_enabled(void) { return named_dir() != NULL; }

bool w2n_seal_cache_write(const struct stat *file, const uint8_t hash[W2N_SHA256_SIZE]) {
    char path[4096], tmp[4200];
    if (!named_dir())
        return false;
    make_default_dir();
    if (!entry_path(file, path, sizeof path))
        return false;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return false;
    uint8_t entry[ENTRY_SIZE];
    encode(file, hash, entry);
    bool ok = write(fd, entry, sizeof entry) == (ssize_t)sizeof entry;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return false;
    }
    return true;
}
