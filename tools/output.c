/*
 * output.c — atomic file output: temp file in the same directory + rename.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

w2n_status w2n_write_file_atomic(const char *path, const uint8_t *bytes, size_t size,
                                 w2n_error *err) {
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "cannot create %s: %s", path,
                      strerror(errno));
        free(tmp);
        return W2N_ERR_IO;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        done += (size_t)n;
    }
    /* mkstemp creates 0600; objects are ordinary files. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return W2N_OK;
fail:
    w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return W2N_ERR_IO;
}
