/*
 * lower_simd.h — what lower_simd.c lends the other v128 lowering files
 * (lower_simd_relaxed.c): lane shapes, and v128 values on and off the
 * operand stack in a given shape.
 */
#ifndef W2N_LOWER_SIMD_H
#define W2N_LOWER_SIMD_H

#include "lower.h"

/* Lane shapes of a v128. */
typedef enum shape {
    I8X16,
    I16X8,
    I32X4,
    I64X2,
    F32X4,
    F64X2
} shape;

/* The LLVM vector type of a shape (<4 x float> for F32X4 ...). */
LLVMTypeRef w2n_simd_vec_type(w2n_lower_module *lm, shape s);
/* Pop a v128 and see it as shape s. */
LLVMValueRef w2n_simd_pop_as(w2n_lower_func *f, shape s);
/* Push a vector of any shape as a v128. */
void w2n_simd_push(w2n_lower_func *f, LLVMValueRef v);
/* shufflevector of a (and b, or poison) with mask first, first+step, ... */
LLVMValueRef w2n_simd_shuffle_seq(w2n_lower_func *f, LLVMValueRef a, LLVMValueRef b, unsigned first,
                                  unsigned step, unsigned count);
/* A vector of n lanes, all the scalar constant c. */
LLVMValueRef w2n_simd_splat_const(LLVMValueRef c, unsigned n);
/* Every NaN lane of r made the canonical quiet NaN. */
LLVMValueRef w2n_simd_quiet_nan(w2n_lower_func *f, LLVMValueRef r);

#endif
