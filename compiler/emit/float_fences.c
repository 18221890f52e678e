/*
 * float_fences.c — fences on float operands that optimisation may turn into
 * an identity, a step between mem2reg and LLVM's pipeline.
 *
 * Wasm wants x * 1, x - 0, x / -1 ... of a signalling NaN x to come back
 * quiet, but LLVM folds them into x (or -x) without fast-math flags.  The
 * lowering fences the identity constants it pushes (lower_core.c) and +0
 * where an op sees it (lower_numeric.c); what it cannot see is a value that
 * becomes an identity only as optimisation runs: +0 through a local or a
 * zero-initialised one, an argument after inlining, a phi or select of
 * constants, an integer converted or reinterpreted once unrolling or
 * inlining makes it a constant, 0.5 and 2 that meet in one product.
 *
 * The lowering keeps each Wasm local in an alloca, so a value read from a
 * local is followed to every value stored into it: what mem2reg would make
 * a phi of (a superset, as no control flow is followed: at worst a fence
 * more).  Through that, the definitions are visible: a constant stored, an
 * argument, a phi, a conversion, a product of such.  Deciding on the IR as
 * it is, rather than on a copy in SSA form, costs no clone of the module
 * (it doubled a large module's peak memory).  Each is fenced, at the op,
 * when both hold:
 *   - the op would fold with an identity in its place (x + c, c + x, x - c,
 *     -0 - x, x * c, c * x, x / c), and the operand may become one
 *     (may_become_constant);
 *   - the other operand may be a signalling NaN: it is not the result of an
 *     op that quiets (may_be_snan), since folding c + (a * b) into a * b
 *     loses nothing.
 * An accumulator (phi of 0 and a sum of products) then stays unfenced; a
 * fence on a loop-invariant operand is hoisted with it, and the fence is no
 * instruction on any target.  Left out: a value stored to linear memory and
 * loaded back (docs/architecture.md, "Known limits").
 */
#include "float_fences.h"

#include "float_identity.h"
#include "lower.h"

#include <math.h>
#include <stdbool.h>

enum {
    MAX_DEPTH = 12 /* how far a definition is followed (a local's read and
                    * its stores are a step each); beyond: assume the worst */
};

static bool is_float_type(LLVMTypeRef t) {
    if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
        t = LLVMGetElementType(t);
    LLVMTypeKind k = LLVMGetTypeKind(t);
    return k == LLVMFloatTypeKind || k == LLVMDoubleTypeKind;
}

/* Whether phi (or a local's alloca) is on the path of definitions followed
 * so far: a cycle, which brings no value that its entries do not. */
static bool on_path(LLVMValueRef phi, LLVMValueRef *path, unsigned depth) {
    for (unsigned i = 0; i < depth; i++)
        if (path[i] == phi)
            return true;
    return false;
}

/* A property of a value, following its definition; `path` holds the
 * definitions followed to reach it (depth of them). */
typedef bool value_test(LLVMValueRef v, LLVMValueRef *path, unsigned depth);

/* The alloca of a Wasm local that the load v reads, or NULL: an alloca used
 * only by loads and by stores into it, as mem2reg would promote. */
static LLVMValueRef local_read(LLVMValueRef v) {
    if (!LLVMIsALoadInst(v))
        return NULL;
    LLVMValueRef slot = LLVMGetOperand(v, 0);
    if (!LLVMIsAAllocaInst(slot))
        return NULL;
    for (LLVMUseRef u = LLVMGetFirstUse(slot); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsALoadInst(user) && !(LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == slot))
            return NULL;
    }
    return slot;
}

/* Whether `test` holds for some value stored into the local `slot` (all
 * of them when `every`).  A local met again on the path adds nothing. */
static bool stored_values(LLVMValueRef slot, value_test *test, bool every, LLVMValueRef *path,
                          unsigned depth) {
    if (on_path(slot, path, depth))
        return every;
    path[depth] = slot;
    for (LLVMUseRef u = LLVMGetFirstUse(slot); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (LLVMIsAStoreInst(user) && test(LLVMGetOperand(user, 0), path, depth + 1) != every)
            return !every;
    }
    return every;
}

/* Whether `test` holds for some value the phi or select v may take (all of
 * them when `every`).  A phi met again on the path (a loop's back edge) adds
 * no value its entries lack. */
static bool arms_hold(LLVMValueRef v, value_test *test, bool every, LLVMValueRef *path,
                      unsigned depth) {
    if (LLVMGetInstructionOpcode(v) == LLVMSelect) {
        if (test(LLVMGetOperand(v, 1), path, depth + 1) != every)
            return !every;
        return test(LLVMGetOperand(v, 2), path, depth + 1);
    }
    if (on_path(v, path, depth))
        return every;
    for (unsigned i = 0, n = LLVMCountIncoming(v); i < n; i++)
        if (test(LLVMGetIncomingValue(v, i), path, depth + 1) != every)
            return !every;
    return every;
}

/* The first step of every test: a value that is no instruction, or one
 * followed too deep, is `unknown`; a read of a local is decided by the
 * values stored into it (some, or every one).  Returns whether v was so
 * decided (the answer in *answer); else v goes on the path, for the test
 * to look at its definition. */
static bool decided_first(LLVMValueRef v, value_test *test, bool every, bool unknown,
                          LLVMValueRef *path, unsigned depth, bool *answer) {
    if (!LLVMIsAInstruction(v) || depth >= MAX_DEPTH) {
        *answer = unknown;
        return true;
    }
    LLVMValueRef slot = local_read(v);
    if (slot) {
        *answer = stored_values(slot, test, every, path, depth);
        return true;
    }
    path[depth] = v;
    return false;
}

/* Whether v may be a constant once optimisation has run: a constant, an
 * argument (inlining), a phi or select that may be one, a conversion of an
 * integer not loaded from memory, or an op whose operands all may be.  A
 * load from memory may not (its store is the documented limit), nor a
 * fence. */
static bool may_become_constant(LLVMValueRef v, LLVMValueRef *path, unsigned depth) {
    if (LLVMIsConstant(v) || LLVMIsAArgument(v))
        return true;
    if (!LLVMIsAInstruction(v))
        return false;
    bool answer;
    if (decided_first(v, may_become_constant, false, true, path, depth, &answer))
        return answer;
    if (LLVMIsALoadInst(v) || w2n_lower_calls_intrinsic(v, "llvm.arithmetic.fence"))
        return false;
    LLVMOpcode op = LLVMGetInstructionOpcode(v);
    if (op == LLVMPHI || op == LLVMSelect)
        return arms_hold(v, may_become_constant, false, path, depth);
    if (op == LLVMCall && !w2n_lower_calls_intrinsic(v, "llvm."))
        return true; /* a callee that returns a constant, inlined */
    if (op != LLVMCall && op != LLVMFAdd && op != LLVMFSub && op != LLVMFMul && op != LLVMFDiv &&
        op != LLVMFNeg && op != LLVMSIToFP && op != LLVMUIToFP && op != LLVMBitCast &&
        op != LLVMFPExt && op != LLVMFPTrunc && op != LLVMExtractElement &&
        op != LLVMInsertElement && op != LLVMShuffleVector && op != LLVMAdd && op != LLVMSub &&
        op != LLVMMul && op != LLVMAnd && op != LLVMOr && op != LLVMXor && op != LLVMShl &&
        op != LLVMLShr && op != LLVMAShr && op != LLVMTrunc && op != LLVMZExt && op != LLVMSExt)
        return false;
    /* An intrinsic call's arguments, the callee last. */
    unsigned n = (unsigned)LLVMGetNumOperands(v) - (op == LLVMCall);
    for (unsigned i = 0; i < n; i++)
        if (!may_become_constant(LLVMGetOperand(v, i), path, depth + 1))
            return false;
    return true;
}

/* Whether v may be a signalling NaN: anything but the result of an op that
 * quiets a NaN (or makes none), a constant that is no sNaN, or a phi or
 * select of such. */
static bool may_be_snan(LLVMValueRef v, LLVMValueRef *path, unsigned depth) {
    if (LLVMIsAConstantFP(v)) /* a NaN's quiet bit is not worth decoding here */
        return isnan(w2n_float_constant_double(v));
    bool answer;
    if (decided_first(v, may_be_snan, false, true, path, depth, &answer))
        return answer;
    switch (LLVMGetInstructionOpcode(v)) {
    case LLVMFAdd:
    case LLVMFSub:
    case LLVMFMul:
    case LLVMFDiv:
    case LLVMFRem:
    case LLVMSIToFP:
    case LLVMUIToFP: return false;
    case LLVMFNeg: return may_be_snan(LLVMGetOperand(v, 0), path, depth + 1);
    case LLVMSelect:
    case LLVMPHI: return arms_hold(v, may_be_snan, false, path, depth);
    case LLVMCall:
        if (w2n_lower_calls_intrinsic(v, "llvm.sqrt."))
            return false;
        if (w2n_lower_calls_intrinsic(v, "llvm.fabs.") ||
            w2n_lower_calls_intrinsic(v, "llvm.arithmetic.fence."))
            return may_be_snan(LLVMGetOperand(v, 0), path, depth + 1);
        return true;
    default: return true;
    }
}

/* Whether the op folds into its other operand with an identity on `side`
 * (0: left, 1: right): x + c, c + x, x - c, -0 - x, x * c, c * x, x / c. */
static bool folds_on(LLVMOpcode op, unsigned side) {
    return op == LLVMFAdd || op == LLVMFMul || op == LLVMFSub || side == 1;
}

/* Whether v is sure not to become -0: a constant that is not, a conversion
 * of an integer, or a phi or select of such.  With +0, x + c folds only
 * for an x LLVM knows is not -0, and c - x not at all. */
static bool never_negative_zero(LLVMValueRef v, LLVMValueRef *path, unsigned depth) {
    if (LLVMIsAConstantFP(v))
        return w2n_float_identity_of_constant(v) != W2N_FLOAT_MINUS_ZERO;
    bool answer;
    if (decided_first(v, never_negative_zero, true, false, path, depth, &answer))
        return answer;
    switch (LLVMGetInstructionOpcode(v)) {
    case LLVMSIToFP:
    case LLVMUIToFP: return true;
    case LLVMSelect:
    case LLVMPHI: return arms_hold(v, never_negative_zero, true, path, depth);
    default: return false;
    }
}

/* Whether LLVM may know that x is never a zero of the sign asked (-0 when
 * `negative`), so that x + 0 folds when x is never -0: a constant (a NaN
 * too) that is not that zero, fabs or copysign, the negation of a value
 * never the other zero, or a phi or select with such an arm (some arm: at
 * worst a fence more). */
static bool known_not_zero(LLVMValueRef x, bool negative, LLVMValueRef *path, unsigned depth);

static bool known_not_negative_zero(LLVMValueRef x, LLVMValueRef *path, unsigned depth) {
    return known_not_zero(x, true, path, depth);
}

static bool known_not_positive_zero(LLVMValueRef x, LLVMValueRef *path, unsigned depth) {
    return known_not_zero(x, false, path, depth);
}

static bool known_not_zero(LLVMValueRef x, bool negative, LLVMValueRef *path, unsigned depth) {
    if (LLVMIsAConstantFP(x))
        return w2n_float_identity_of_constant(x) !=
               (negative ? W2N_FLOAT_MINUS_ZERO : W2N_FLOAT_PLUS_ZERO);
    value_test *same = negative ? known_not_negative_zero : known_not_positive_zero;
    value_test *other = negative ? known_not_positive_zero : known_not_negative_zero;
    bool answer;
    if (decided_first(x, same, false, false, path, depth, &answer))
        return answer;
    LLVMOpcode op = LLVMGetInstructionOpcode(x);
    if (op == LLVMPHI || op == LLVMSelect)
        return arms_hold(x, same, false, path, depth);
    if (op == LLVMFNeg)
        return other(LLVMGetOperand(x, 0), path, depth + 1);
    return w2n_lower_calls_intrinsic(x, "llvm.fabs.") ||
           w2n_lower_calls_intrinsic(x, "llvm.copysign.");
}

static bool needs_fence(LLVMValueRef inst, LLVMOpcode op, unsigned side) {
    LLVMValueRef v = LLVMGetOperand(inst, side), x = LLVMGetOperand(inst, 1 - side);
    LLVMValueRef path[MAX_DEPTH];
    if (!folds_on(op, side) || (LLVMIsConstant(v) && !w2n_float_identity_folds(op, v)))
        return false;
    if (!may_become_constant(v, path, 0) || !may_be_snan(x, path, 0))
        return false;
    /* Only -0 folds x + c when x may be -0, and -0 - x: a +0 there is
     * harmless (an accumulator's start, `s = 0; s + x`). */
    bool plus_zero_folds = op == LLVMFAdd && known_not_negative_zero(x, path, 0);
    bool only_minus_zero = (op == LLVMFAdd && !plus_zero_folds) || (op == LLVMFSub && side == 0);
    return !(only_minus_zero && never_negative_zero(v, path, 0));
}

static bool is_float_arith(LLVMValueRef i) {
    LLVMOpcode op = LLVMGetInstructionOpcode(i);
    return (op == LLVMFAdd || op == LLVMFSub || op == LLVMFMul || op == LLVMFDiv) &&
           is_float_type(LLVMTypeOf(i));
}

static LLVMValueRef next_float_arith(LLVMValueRef i) {
    for (;;) {
        LLVMValueRef next = LLVMGetNextInstruction(i);
        if (!next) {
            LLVMBasicBlockRef bb = LLVMGetNextBasicBlock(LLVMGetInstructionParent(i));
            while (bb && !LLVMGetFirstInstruction(bb))
                bb = LLVMGetNextBasicBlock(bb);
            if (!bb)
                return NULL;
            next = LLVMGetFirstInstruction(bb);
        }
        if (is_float_arith(next))
            return next;
        i = next;
    }
}

static LLVMValueRef first_float_arith(LLVMValueRef fn) {
    LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn);
    while (bb && !LLVMGetFirstInstruction(bb))
        bb = LLVMGetNextBasicBlock(bb);
    if (!bb)
        return NULL;
    LLVMValueRef i = LLVMGetFirstInstruction(bb);
    return is_float_arith(i) ? i : next_float_arith(i);
}

static void fence_operand(LLVMModuleRef mod, LLVMBuilderRef b, LLVMValueRef inst, unsigned side) {
    static const char fence_name[] = "llvm.arithmetic.fence";
    unsigned id = LLVMLookupIntrinsicID(fence_name, sizeof fence_name - 1);
    LLVMValueRef v = LLVMGetOperand(inst, side);
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMValueRef decl = LLVMGetIntrinsicDeclaration(mod, id, &t, 1);
    LLVMPositionBuilderBefore(b, inst);
    LLVMSetOperand(inst, side, LLVMBuildCall2(b, LLVMGlobalGetValueType(decl), decl, &v, 1, ""));
}

static unsigned fence_function(LLVMModuleRef mod, LLVMBuilderRef b, LLVMValueRef fn) {
    unsigned added = 0;
    for (LLVMValueRef i = first_float_arith(fn); i; i = next_float_arith(i)) {
        LLVMOpcode op = LLVMGetInstructionOpcode(i);
        bool fence[2];
        for (unsigned side = 0; side < 2; side++) /* both decided before either is fenced */
            fence[side] = needs_fence(i, op, side);
        for (unsigned side = 0; side < 2; side++)
            if (fence[side]) {
                fence_operand(mod, b, i, side);
                added++;
            }
    }
    return added;
}

unsigned w2n_float_fences_add(LLVMModuleRef mod) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    unsigned added = 0;
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        if (LLVMCountBasicBlocks(fn))
            added += fence_function(mod, b, fn);
    LLVMDisposeBuilder(b);
    return added;
}
