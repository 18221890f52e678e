/*
 * w2n/compiler_flags.h — compile modes that both the compiler and the runtime name.
 */
#ifndef W2N_COMPILER_FLAGS_H
#define W2N_COMPILER_FLAGS_H

#include "w2n/api.h"

#include <stdbool.h>

typedef enum w2n_bounds_mode {
    W2N_BOUNDS_GUARD = 0,   /* 8 GiB reservation per memory, no checks in code */
    W2N_BOUNDS_EXPLICIT = 1 /* compare-and-trap before each access */
} w2n_bounds_mode;

/* "guard" or "explicit": the word of --bounds-checks=MODE and `w2n inspect`. */
W2N_API const char *w2n_bounds_mode_name(w2n_bounds_mode mode);
/* The one parser of --bounds-checks=MODE: false (and *out untouched) unless
 * `name` is "guard" or "explicit". */
W2N_API bool w2n_bounds_mode_parse(const char *name, w2n_bounds_mode *out);

#endif
