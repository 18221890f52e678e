/*
 * output.h — writing tool outputs so that a failure never leaves a partial file.
 */
#ifndef W2N_OUTPUT_H
#define W2N_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

/* Write bytes to a temporary file beside `path`, then rename it over `path`.
 * On any failure the temporary file is removed and `path` is untouched. */
w2n_status w2n_write_file_atomic(const char *path, const uint8_t *bytes, size_t size,
                                 w2n_error *err);

#endif
