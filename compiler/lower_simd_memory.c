#include "lower.h"
bool w2n_lower_simd_memory(w2n_lower_func *f, const w2n_instr *in) { return false; }
