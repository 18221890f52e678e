/*
 * i32_offset.h — is one i32 value another plus a constant, mod 2^32
 * (i32_offset.c)?  For bounds_merge.c: an interpreter's stack slots
 * `frame + 8 + sp * 4` and `frame + 16 + (sp - 1) * 4` are one address
 * and the next word, though LLVM computes them apart.
 */
#ifndef W2N_I32_OFFSET_H
#define W2N_I32_OFFSET_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stdint.h>

/* True, with *out_d, when y == x + *out_d (mod 2^32): both i32 values
 * are sums of the same values times the same constants, and differ only
 * in their constant parts. */
bool w2n_i32_offset(LLVMValueRef x, LLVMValueRef y, uint32_t *out_d);

#endif
