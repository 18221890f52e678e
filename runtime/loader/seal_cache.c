/*
 * seal_cache.c — the cache of verified seals (seal_cache.h): one small file
 * per object file, named by its device and inode, replaced atomically.
 */
#include "seal_cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reloc.h"

#define MAGIC "W2NSEALC"
#define ENTRY_SIZE (8 + 7 * 8 + W2N_SHA256_SIZE)

/* The directory, if it is one that only the running user can write. */
static const char *cache_dir(void) {
    const char *dir = getenv("W2N_SEAL_CACHE");
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
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
    char path[4096], tmp[4200];
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0 ||
        now.tv_sec - file->st_ctim.tv_sec < W2N_SEAL_CACHE_SETTLED ||
        !entry_path(file, path, sizeof path))
        return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    uint8_t entry[ENTRY_SIZE];
    encode(file, hash, entry);
    bool ok = write(fd, entry, sizeof entry) == (ssize_t)sizeof entry;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
}
