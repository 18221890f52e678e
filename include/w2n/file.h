/*
 * w2n/file.h — reading a whole input file (a .wasm module or a compiled
 * object), for the tools and w2n_object_load_file.
 *
 *     uint8_t *bytes; size_t size; w2n_error err;
 *     if (w2n_read_file(path, &bytes, &size, &err) != W2N_OK) {
 *         fprintf(stderr, "%s: %s\n", path, err.message);
 *         return 1;
 *     }
 *     ...
 *     free(bytes);
 */
#ifndef W2N_FILE_H
#define W2N_FILE_H

#include "w2n/api.h"

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

/* Read all of `path` into a malloc'd buffer: a regular file, or a pipe or
 * device read until end of file.  W2N_ERR_IO with a one-line
 * message (no such file, is a directory, permission denied, empty file, ...);
 * W2N_ERR_NOMEM if the buffer cannot be had.  *out is NULL on failure. */
W2N_API w2n_status w2n_read_file(const char *path, uint8_t **out, size_t *size, w2n_error *err);

#endif
