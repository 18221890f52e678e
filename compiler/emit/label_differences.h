/*
 * label_differences.h — symbol differences written as one PC-relative
 * relocation instead of an additive pair (label_differences.c).
 */
#ifndef W2N_LABEL_DIFFERENCES_H
#define W2N_LABEL_DIFFERENCES_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

/* In the emitted object: each pair that adds symbol a and subtracts symbol
 * b at one place of a loaded section, with b in that section, becomes the
 * target's PC-relative relocation against a (and a no-op), which
 * object_layout.c can apply in the file.  Returns the number folded (0 on
 * targets without such pairs), or -1 with *err set for an object it
 * cannot read. */
int64_t w2n_label_differences_fold(uint8_t *object, size_t size, w2n_error *err);

#endif
