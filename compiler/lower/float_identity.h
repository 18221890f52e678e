/*
 * float_identity.h — which float constants LLVM's folds treat as an
 * identity (float_identity.c).  Without fast-math flags LLVM still folds
 * x + -0, x - 0, x * 1, x / -1 ... into x (or -x), which hands back a
 * signalling NaN x where Wasm wants a quiet one.  The lowering fences such
 * constants (lower_core.c, lower_numeric.c, lower_simd.c) and the step
 * before LLVM's pipeline fences operands that optimisation may turn into
 * one (emit/float_fences.c): both ask this one classifier, so that they
 * cannot disagree on what an identity is.
 */
#ifndef W2N_FLOAT_IDENTITY_H
#define W2N_FLOAT_IDENTITY_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum w2n_float_identity {
    W2N_FLOAT_NO_IDENTITY,
    W2N_FLOAT_PLUS_ZERO,
    W2N_FLOAT_MINUS_ZERO,
    W2N_FLOAT_ONE, /* +1 or -1 */
} w2n_float_identity;

/* The value of a scalar f32 or f64 constant (an LLVM ConstantFP), exact. */
double w2n_float_constant_double(LLVMValueRef c);
/* The identity d is. */
w2n_float_identity w2n_float_identity_of(double d);
/* The identity a scalar f32 or f64 constant is. */
w2n_float_identity w2n_float_identity_of_constant(LLVMValueRef c);
/* The identity a v128 lane of `width` bytes (4: f32, 8: f64) holding
 * `bits` is. */
w2n_float_identity w2n_float_identity_of_bits(uint64_t bits, unsigned width);
/* Whether a constant folds the fadd, fsub, fmul or fdiv `op` into its other
 * operand on some side: +-0 for fadd and fsub, +-1 for fmul and fdiv; a
 * vector when every lane does.  A constant or lane that is not a plain
 * float (an expression, poison) counts as one: at worst a fence too many. */
bool w2n_float_identity_folds(LLVMOpcode op, LLVMValueRef c);

#endif
