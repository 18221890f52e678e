#include "lower.h"
bool w2n_lower_simd(w2n_lower_func *f, const w2n_instr *in) { return false; }
