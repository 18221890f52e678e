/*
 * read_file.c — the one whole-file reader of the tools and the runtime
 * (w2n/file.h): regular files by their size, pipes and devices (`/dev/stdin`,
 * `<(...)`) until end of file, short reads and EINTR handled, and a message
 * a person can act on for every failure (it never mentions errno numbers).
 */
#include "w2n/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"

static w2n_status io_fail(w2n_error *err, int e) {
    const char *why;
    switch (e) {
    case ENOENT: why = "no such file"; break;
    case EISDIR: why = "is a directory"; break;
    case EACCES:
    case EPERM: why = "permission denied"; break;
    case ENOTDIR: why = "a path component is not a directory"; break;
    case ELOOP: why = "too many symbolic links"; break;
    case ENAMETOOLONG: why = "file name too long"; break;
    default: return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "cannot read: %s", strerror(e));
    }
    return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s", why);
}

static w2n_status read_stream(int fd, uint8_t **out, size_t *size, w2n_error *err) {
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            uint8_t *p = w2n_grow(buf, &cap, n + 1, 1, 65536);
            if (!p) {
                free(buf);
                return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                                     "out of memory reading the file");
            }
            buf = p;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return io_fail(err, errno);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = buf;
    *size = n;
    return W2N_OK;
}

w2n_status w2n_read_file(const char *path, uint8_t **out, size_t *size, w2n_error *err) {
    *out = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(err, errno);
    w2n_status st = W2N_OK;
    uint8_t *buf = NULL;
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        st = io_fail(err, errno);
        goto fail;
    }
    if (S_ISDIR(sb.st_mode)) {
        st = io_fail(err, EISDIR);
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* A pipe or device (e.g. `<(cat x.wasm)`): read until end of file. */
        st = read_stream(fd, &buf, size, err);
        if (st == W2N_OK && !*size) {
            free(buf);
            buf = NULL;
            st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "empty file");
        }
        if (st != W2N_OK)
            goto fail;
        close(fd);
        *out = buf;
        return W2N_OK;
    }
    if (sb.st_size == 0) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "empty file");
        goto fail;
    }
    if ((uint64_t)sb.st_size > SIZE_MAX) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "file too large");
        goto fail;
    }
    size_t n = (size_t)sb.st_size, got = 0;
    if (!(buf = malloc(n))) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory reading the file");
        goto fail;
    }
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st = io_fail(err, errno);
            goto fail;
        }
        if (r == 0) /* the file shrank under us: keep what is there */
            break;
        got += (size_t)r;
    }
    if (got == 0) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "empty file");
        goto fail;
    }
    close(fd);
    *out = buf;
    *size = got;
    return W2N_OK;
fail:
    free(buf);
    close(fd);
    return st;
}
