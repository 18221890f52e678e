/*
 * widen_phis.c — 32-bit phis that are used as addresses become 64-bit phis
 * of zero-extended values, after LLVM's optimisation (x86-64, AArch64).
 *
 * A Wasm pointer is an i32 that every access zero-extends to 64 bits before
 * adding it to the memory's base.  On x86-64 and AArch64 an instruction that
 * writes a 32-bit register clears the upper half, so the back end makes the
 * extension of a value computed in the same block for free.  Not that of a
 * phi: a loop's pointer or induction variable reaches the block from a
 * register whose upper half the selector cannot see, and the extension
 * becomes a move (`mov %ebx,%r12d`).  Worse, the i32 and its extension are
 * two values to the register allocator, both live across the loop and its
 * calls: one register more, or a spill.  In sqlbench such moves were
 * 48.6 M of w2n's 519 M instructions against 8.2 M register moves of 32 bits
 * in the native build's 382 M (callgrind, 20,000 rows).
 *
 * So an i32 phi with a zext-to-i64 user becomes an i64 phi whose incoming
 * values are extended at the end of each predecessor, where the value is
 * usually computed (free) or a constant.  Its extensions are replaced by the
 * new phi, its other uses by one trunc after the block's phis, which is free
 * (the low half of the register).  Meaning is unchanged: every use sees the
 * same bits.  An undefined incoming value becomes 0, so that an address
 * made from it stays inside the memory's reservation, as zext(undef) would.
 *
 * Not on RISC-V 64: there a 32-bit result is sign-extended, and its zero
 * extension costs two instructions wherever it is made.
 */
#include "widen_phis.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Bounds on the work per phi, so that no module makes it quadratic: a
 * loop's pointer has two or three incoming values, not hundreds. */
#define MAX_INCOMING 64 /* a phi with more edges is a merge point: left as it is */
#define MAX_USES_SEARCHED 64

typedef struct widened {
    LLVMValueRef phi, wide;
    LLVMValueRef after; /* the block's first instruction after its phis, as found */
} widened;

static int by_phi(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const widened *)a)->phi, y = (uintptr_t)((const widened *)b)->phi;
    return x < y ? -1 : x > y;
}

static LLVMValueRef wide_of(const widened *w, size_t n, LLVMValueRef phi) {
    widened key = {phi, NULL, NULL};
    const widened *hit = bsearch(&key, w, n, sizeof *w, by_phi);
    return hit ? hit->wide : NULL;
}

static bool is_zext_to_i64(LLVMValueRef user, LLVMTypeRef i64) {
    return LLVMIsAZExtInst(user) && LLVMTypeOf(user) == i64;
}

static LLVMValueRef first_extension(LLVMValueRef v, LLVMTypeRef i64) {
    for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u))
        if (is_zext_to_i64(LLVMGetUser(u), i64))
            return LLVMGetUser(u);
    return NULL;
}

/* The block's first instruction after its phis, or NULL when the block
 * begins with an exception pad, before which nothing may go. */
static LLVMValueRef after_phis(LLVMBasicBlockRef block) {
    LLVMValueRef i = LLVMGetFirstInstruction(block);
    while (i && LLVMIsAPHINode(i))
        i = LLVMGetNextInstruction(i);
    if (!i || LLVMIsALandingPadInst(i) || LLVMIsACatchPadInst(i) || LLVMIsACleanupPadInst(i) ||
        LLVMIsACatchSwitchInst(i))
        return NULL;
    return i;
}

/* Can the phi, in a block where a trunc can follow the phis, be widened:
 * an i32 with a zext-to-i64 user and a few edges, each incoming value
 * available at its predecessor's end (not the result of that block's
 * invoke)? */
static bool candidate(LLVMValueRef phi, LLVMTypeRef i32, LLVMTypeRef i64) {
    if (LLVMTypeOf(phi) != i32 || LLVMCountIncoming(phi) > MAX_INCOMING)
        return false;
    if (!first_extension(phi, i64))
        return false;
    for (unsigned k = 0; k < LLVMCountIncoming(phi); k++) {
        LLVMValueRef v = LLVMGetIncomingValue(phi, k);
        if (LLVMIsAInstruction(v) && LLVMIsATerminatorInst(v))
            return false;
    }
    return true;
}

/* The incoming value of `phi` from its k-th predecessor, extended; `wide`
 * has the extended values of the predecessors before it. */
static LLVMValueRef wide_incoming(LLVMBuilderRef b, const widened *w, size_t n, LLVMValueRef phi,
                                  LLVMValueRef wide, unsigned k, LLVMTypeRef i64) {
    LLVMValueRef v = LLVMGetIncomingValue(phi, k);
    LLVMBasicBlockRef pred = LLVMGetIncomingBlock(phi, k);
    /* A predecessor that reaches the phi by several edges gives one value. */
    for (unsigned j = 0; j < k; j++)
        if (LLVMGetIncomingBlock(phi, j) == pred)
            return LLVMGetIncomingValue(wide, j);
    if (LLVMIsUndef(v) || LLVMIsPoison(v))
        return LLVMConstInt(i64, 0, 0);
    if (LLVMIsAConstantInt(v))
        return LLVMConstInt(i64, LLVMConstIntGetZExtValue(v), 0);
    LLVMValueRef widened_phi = LLVMIsAPHINode(v) ? wide_of(w, n, v) : NULL;
    if (widened_phi)
        return widened_phi;
    /* An extension the predecessor makes anyway (LLVM's passes have run). */
    unsigned searched = 0;
    for (LLVMUseRef u = LLVMGetFirstUse(v); u && searched < MAX_USES_SEARCHED;
         u = LLVMGetNextUse(u), searched++) {
        LLVMValueRef user = LLVMGetUser(u);
        if (is_zext_to_i64(user, i64) && LLVMGetInstructionParent(user) == pred)
            return user;
    }
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(pred));
    return LLVMBuildZExt(b, v, i64, "");
}

static unsigned widen_function(LLVMValueRef fn, LLVMBuilderRef b, LLVMTypeRef i32,
                               LLVMTypeRef i64) {
    size_t n = 0, cap = 0;
    widened *w = NULL;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
        LLVMValueRef first = LLVMGetFirstInstruction(bb), after = after_phis(bb);
        if (!first || !LLVMIsAPHINode(first) || !after)
            continue;
        for (LLVMValueRef i = first; i && LLVMIsAPHINode(i); i = LLVMGetNextInstruction(i))
            if (candidate(i, i32, i64)) {
                if (n == cap)
                    w = w2n_xrealloc(w, cap = cap ? 2 * cap : 16, sizeof *w);
                LLVMPositionBuilderBefore(b, i);
                w[n++] = (widened){i, LLVMBuildPhi(b, i64, ""), after};
            }
    }
    if (!n)
        return 0;
    /* Looked up by address, but changed in the function's order, so that
     * the output does not depend on where the allocator put the phis. */
    widened *sorted = w2n_xcalloc(n + 1, sizeof *sorted);
    memcpy(sorted, w, n * sizeof *w);
    qsort(sorted, n, sizeof *sorted, by_phi);

    for (size_t k = 0; k < n; k++)
        for (unsigned e = 0; e < LLVMCountIncoming(w[k].phi); e++) {
            LLVMValueRef v = wide_incoming(b, sorted, n, w[k].phi, w[k].wide, e, i64);
            LLVMBasicBlockRef pred = LLVMGetIncomingBlock(w[k].phi, e);
            LLVMAddIncoming(w[k].wide, &v, &pred, 1);
        }

    /* The low halves for the other uses, widened phis among them (their
     * incoming values are in place already), made before any extension
     * goes: one may be the instruction they are placed before. */
    LLVMValueRef *narrow = w2n_xcalloc(n, sizeof *narrow);
    for (size_t k = 0; k < n; k++)
        for (LLVMUseRef u = LLVMGetFirstUse(w[k].phi); u; u = LLVMGetNextUse(u))
            if (!is_zext_to_i64(LLVMGetUser(u), i64)) {
                LLVMPositionBuilderBefore(b, w[k].after);
                narrow[k] = LLVMBuildTrunc(b, w[k].wide, i32, "");
                break;
            }
    for (size_t k = 0; k < n; k++) {
        LLVMValueRef phi = w[k].phi;
        /* Its extensions, gathered first: erasing one changes the uses. */
        size_t nexts = 0, exts_cap = 0;
        LLVMValueRef *exts = NULL;
        for (LLVMUseRef u = LLVMGetFirstUse(phi); u; u = LLVMGetNextUse(u))
            if (is_zext_to_i64(LLVMGetUser(u), i64)) {
                if (nexts == exts_cap)
                    exts = w2n_xrealloc(exts, exts_cap = exts_cap ? 2 * exts_cap : 8, sizeof *exts);
                exts[nexts++] = LLVMGetUser(u);
            }
        for (size_t e = 0; e < nexts; e++) {
            LLVMReplaceAllUsesWith(exts[e], w[k].wide);
            LLVMInstructionEraseFromParent(exts[e]);
        }
        free(exts);
        if (narrow[k])
            LLVMReplaceAllUsesWith(phi, narrow[k]);
    }
    free(narrow);
    for (size_t k = 0; k < n; k++)
        LLVMInstructionEraseFromParent(w[k].phi);
    free(sorted);
    free(w);
    return (unsigned)n;
}

unsigned w2n_widen_address_phis(LLVMModuleRef mod) {
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    unsigned total = 0;
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        if (!LLVMIsDeclaration(fn))
            total += widen_function(fn, b, i32, i64);
    LLVMDisposeBuilder(b);
    return total;
}
