/*
 * float_identity.c — the one classifier of identity float constants
 * (float_identity.h): the lowering's fences and float_fences.c's ask it.
 *
 * A constant is read as the double it holds (an f32 converts exactly), so
 * -0 and +0 differ by their sign alone and a NaN is no identity.
 */
#include "float_identity.h"

#include <math.h>
#include <string.h>

double w2n_float_constant_double(LLVMValueRef c) {
    LLVMBool lossy = 0;
    return LLVMConstRealGetDouble(c, &lossy);
}

w2n_float_identity w2n_float_identity_of(double d) {
    if (d == 0.0)
        return signbit(d) ? W2N_FLOAT_MINUS_ZERO : W2N_FLOAT_PLUS_ZERO;
    return d == 1.0 || d == -1.0 ? W2N_FLOAT_ONE : W2N_FLOAT_NO_IDENTITY;
}

w2n_float_identity w2n_float_identity_of_constant(LLVMValueRef c) {
    return w2n_float_identity_of(w2n_float_constant_double(c));
}

w2n_float_identity w2n_float_identity_of_bits(uint64_t bits, unsigned width) {
    if (width == 8) {
        double d;
        memcpy(&d, &bits, sizeof d);
        return w2n_float_identity_of(d);
    }
    uint32_t low = (uint32_t)bits;
    float x;
    memcpy(&x, &low, sizeof x);
    return w2n_float_identity_of(x);
}

/* Whether a scalar constant is the identity that folds op. */
static bool scalar_folds(LLVMOpcode op, LLVMValueRef c) {
    w2n_float_identity id = w2n_float_identity_of_constant(c);
    if (op == LLVMFAdd || op == LLVMFSub)
        return id == W2N_FLOAT_PLUS_ZERO || id == W2N_FLOAT_MINUS_ZERO;
    return id == W2N_FLOAT_ONE;
}

bool w2n_float_identity_folds(LLVMOpcode op, LLVMValueRef c) {
    if (LLVMIsAConstantFP(c))
        return scalar_folds(op, c);
    if (LLVMGetTypeKind(LLVMTypeOf(c)) != LLVMVectorTypeKind)
        return true;
    unsigned n = LLVMGetVectorSize(LLVMTypeOf(c));
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef e = LLVMGetAggregateElement(c, i);
        if (e && LLVMIsAConstantFP(e) && !scalar_folds(op, e))
            return false;
    }
    return true;
}
