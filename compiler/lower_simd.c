/* lower_simd.c: placeholder, replaced by its owner's first commit. */
#include "lower.h"
bool w2n_lower_simd(w2n_lower_func *f, const w2n_instr *in) { (void)f; (void)in; return false; }
