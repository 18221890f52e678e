/*
 * test_i32_offset.c — w2n_i32_offset (compiler/loops/loop_affine.c, its
 * affine forms without a loop): two i32 sums a constant apart, mod 2^32,
 * whatever LLVM made of them (an interpreter's stack slots), and no answer
 * for sums that differ in anything but a constant.
 */
#include <criterion/criterion.h>

#include "loop_affine.h"

static LLVMContextRef ctx;
static LLVMModuleRef mod;
static LLVMBuilderRef b;
static LLVMValueRef fp, sp, other;
static LLVMTypeRef i32;

static void setup(void) {
    ctx = LLVMContextCreate();
    mod = LLVMModuleCreateWithNameInContext("t", ctx);
    i32 = LLVMInt32TypeInContext(ctx);
    LLVMTypeRef params[] = {i32, i32, i32};
    LLVMValueRef fn = LLVMAddFunction(mod, "f", LLVMFunctionType(i32, params, 3, 0));
    b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, fn, "entry"));
    fp = LLVMGetParam(fn, 0), sp = LLVMGetParam(fn, 1), other = LLVMGetParam(fn, 2);
}

static void teardown(void) {
    LLVMDisposeBuilder(b);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
}

static LLVMValueRef k(uint32_t v) { return LLVMConstInt(i32, v, 0); }
static LLVMValueRef add(LLVMValueRef x, LLVMValueRef y) { return LLVMBuildAdd(b, x, y, ""); }
static LLVMValueRef shl(LLVMValueRef x, uint32_t n) { return LLVMBuildShl(b, x, k(n), ""); }

TestSuite(i32_offset, .init = setup, .fini = teardown);

Test(i32_offset, stack_slots) {
    LLVMValueRef below = add(add(fp, k(8)), shl(sp, 2)); /* stack[sp - 2] */
    LLVMValueRef top =
        add(add(fp, k(16)), shl(LLVMBuildSub(b, sp, k(1), ""), 2)); /* stack[sp - 1] */
    uint32_t d = 0;
    cr_assert(w2n_i32_offset(below, top, &d));
    cr_assert_eq(d, 4);
    cr_assert(w2n_i32_offset(top, below, &d));
    cr_assert_eq(d, 0u - 4u);
    cr_assert(w2n_i32_offset(below, below, &d));
    cr_assert_eq(d, 0);
}

Test(i32_offset, products_and_disjoint_or) {
    LLVMValueRef scaled = LLVMBuildMul(b, add(sp, k(3)), k(12), ""); /* 12 sp + 36 */
    LLVMValueRef shifted = add(shl(sp, 3), LLVMBuildMul(b, sp, k(4), ""));
    uint32_t d = 0;
    cr_assert(w2n_i32_offset(shifted, scaled, &d));
    cr_assert_eq(d, 36);
    LLVMValueRef aligned = shl(sp, 3);
    LLVMValueRef disjoint = LLVMBuildOr(b, aligned, k(4), "");
    LLVMSetIsDisjoint(disjoint, 1);
    cr_assert(w2n_i32_offset(aligned, disjoint, &d));
    cr_assert_eq(d, 4);
    LLVMValueRef plain_or = LLVMBuildOr(b, aligned, k(4), ""); /* not known a sum */
    cr_assert_not(w2n_i32_offset(aligned, plain_or, &d));
}

Test(i32_offset, different_sums) {
    uint32_t d = 0;
    cr_assert_not(w2n_i32_offset(add(fp, shl(sp, 2)), add(fp, shl(sp, 3)), &d));
    cr_assert_not(w2n_i32_offset(add(fp, sp), add(other, sp), &d));
    cr_assert_not(w2n_i32_offset(fp, LLVMBuildXor(b, fp, k(4), ""), &d));
    LLVMValueRef wide = LLVMBuildZExt(b, fp, LLVMInt64TypeInContext(ctx), "");
    cr_assert_not(w2n_i32_offset(wide, wide, &d)); /* i32 values only */
}

Test(i32_offset, too_deep_is_unknown) {
    LLVMValueRef v = fp;
    for (int i = 0; i < 12; i++)
        v = add(v, sp);
    uint32_t d = 0;
    cr_assert_not(w2n_i32_offset(v, add(v, k(4)), &d));
}
