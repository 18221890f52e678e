/*
 * i32_offset.c — an i32 value as a linear form, c + sum(coef[i] * leaf[i])
 * mod 2^32, through add, sub, `or disjoint`, and shl and mul by a constant;
 * two values whose forms have the same leaves and coefficients differ by a
 * constant.  Everything else is a leaf, compared by identity; a form with
 * more leaves than it holds, or deeper than it looks, is unknown, so the
 * answer is "not known equal", never a wrong one.
 */
#include "i32_offset.h"

#include <stddef.h>

#define MAX_LEAVES 6
#define MAX_DEPTH 8

typedef struct linear {
    bool known;
    uint32_t c;
    unsigned n;
    LLVMValueRef leaf[MAX_LEAVES];
    uint32_t coef[MAX_LEAVES];
} linear;

/* out += scale * (form of v) */
static void add_form(linear *out, LLVMValueRef v, uint32_t scale, unsigned depth);

static void add_leaf(linear *out, LLVMValueRef v, uint32_t scale) {
    for (unsigned i = 0; i < out->n; i++)
        if (out->leaf[i] == v) {
            out->coef[i] += scale;
            return;
        }
    if (out->n == MAX_LEAVES) {
        out->known = false;
        return;
    }
    out->leaf[out->n] = v;
    out->coef[out->n++] = scale;
}

/* A constant i32 operand's value. */
static bool constant(LLVMValueRef v, uint32_t *out) {
    if (!LLVMIsAConstantInt(v))
        return false;
    *out = (uint32_t)LLVMConstIntGetZExtValue(v);
    return true;
}

static void add_form(linear *out, LLVMValueRef v, uint32_t scale, unsigned depth) {
    uint32_t k;
    if (!out->known)
        return;
    if (constant(v, &k)) {
        out->c += scale * k;
        return;
    }
    if (depth == MAX_DEPTH) {
        out->known = false;
        return;
    }
    if (!LLVMIsAInstruction(v)) {
        add_leaf(out, v, scale);
        return;
    }
    LLVMValueRef a = LLVMGetNumOperands(v) == 2 ? LLVMGetOperand(v, 0) : NULL;
    LLVMValueRef b = a ? LLVMGetOperand(v, 1) : NULL;
    switch (LLVMGetInstructionOpcode(v)) {
    case LLVMOr:
        if (!LLVMGetIsDisjoint(v)) /* only then is it a sum */
            break;
        /* fall through */
    case LLVMAdd:
        add_form(out, a, scale, depth + 1);
        add_form(out, b, scale, depth + 1);
        return;
    case LLVMSub:
        add_form(out, a, scale, depth + 1);
        add_form(out, b, 0u - scale, depth + 1);
        return;
    case LLVMShl:
        if (constant(b, &k) && k < 32) {
            add_form(out, a, scale << k, depth + 1);
            return;
        }
        break;
    case LLVMMul:
        if (constant(b, &k)) {
            add_form(out, a, scale * k, depth + 1);
            return;
        }
        break;
    default: break;
    }
    add_leaf(out, v, scale);
}

static bool is_i32(LLVMValueRef v) {
    LLVMTypeRef ty = LLVMTypeOf(v);
    return LLVMGetTypeKind(ty) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(ty) == 32;
}

bool w2n_i32_offset(LLVMValueRef x, LLVMValueRef y, uint32_t *out_d) {
    if (!is_i32(x) || !is_i32(y))
        return false;
    /* y - x as one form: the leaves must cancel */
    linear diff = {.known = true};
    add_form(&diff, y, 1, 0);
    add_form(&diff, x, 0u - 1u, 0);
    if (!diff.known)
        return false;
    for (unsigned i = 0; i < diff.n; i++)
        if (diff.coef[i] != 0)
            return false;
    *out_d = diff.c;
    return true;
}
