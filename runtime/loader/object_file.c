/*
 * object_file.c — load an object from its file (w2n_object_load_file).
 *
 * The file is mapped, not read: its seal is checked on the mapping (or
 * vouched for by the seal cache, seal_cache.h), and an object laid out for
 * mapping (common/image_layout.h) gets its code and read-only data as
 * private pages of the file (image.c), so a start touches only the pages
 * it runs.  A private file mapping still shows later writes into the file's
 * pages that the process has not copied, so the file is mapped only when
 * nobody but the running user (or root) can write it, people who could
 * change the process anyway; any other file, a pipe or a device is read
 * into memory and copied as before.  `w2n compile -o` replaces its output
 * by renaming a new file over it, which leaves a running image's pages as
 * they were.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_phases.h"
#include "object_source.h"
#include "seal.h"
#include "seal_cache.h"
#include "w2n/file.h"

bool w2n_file_only_trusted_writers(const struct stat *st) {
    return (st->st_uid == geteuid() || st->st_uid == 0) && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* The copying path: pipes, devices, files others may write. */
static w2n_status load_read(const char *path, const uint8_t *trusted_key, w2n_object **out,
                            w2n_error *err) {
    uint8_t *bytes;
    size_t size;
    w2n_error read_err;
    if (w2n_read_file(path, &bytes, &size, &read_err) != W2N_OK)
        return w2n_error_set(err, read_err.code, W2N_NO_OFFSET, "%s: %s", path, read_err.message);
    w2n_load_mark("read");
    w2n_object_source src = {.bytes = bytes, .size = size, .fd = -1};
    w2n_status st = w2n_object_load_source(&src, trusted_key, 0, out, err);
    free(bytes);
    return st;
}

/* False when the file cannot be mapped (the caller reads it instead). */
static bool load_mapped(int fd, const struct stat *file, const uint8_t *trusted_key,
                        w2n_object **out, w2n_status *out_st, w2n_error *err) {
    size_t size = (size_t)file->st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return false;
    const uint8_t *bytes = map;
    const uint8_t *hash = bytes + size - W2N_SEAL_SIZE + W2N_SEAL_HASH_AT;
    w2n_load_mark("open");
    w2n_object_source src = {.bytes = bytes, .size = size, .fd = fd};
    src.seal_verified = !trusted_key && w2n_seal_cache_vouches(file, hash);
    w2n_status st = w2n_object_load_source(&src, trusted_key, 0, out, err);
    if (st == W2N_OK && !src.seal_verified && !trusted_key)
        w2n_seal_cache_remember(file, hash);
    munmap(map, size);
    *out_st = st;
    return true;
}

w2n_status w2n_object_load_file(const char *path, w2n_object **out, w2n_error *err) {
    return w2n_object_load_file_trusted(path, NULL, out, err);
}

w2n_status w2n_object_load_file_trusted(const char *path, const uint8_t *trusted_key,
                                        w2n_object **out, w2n_error *err) {
    *out = NULL;
    w2n_load_record rec;
    w2n_load_record_begin(&rec);
    struct stat file;
    w2n_status st = W2N_OK;
    bool mapped = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &file) == 0 && S_ISREG(file.st_mode) &&
        file.st_size >= (off_t)W2N_SEAL_SIZE && w2n_file_only_trusted_writers(&file))
        mapped = load_mapped(fd, &file, trusted_key, out, &st, err);
    if (fd >= 0)
        close(fd);
    if (!mapped)
        st = load_read(path, trusted_key, out, err);
    w2n_load_record_begin(NULL);
    return st;
}
