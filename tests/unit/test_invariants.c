/*
 * test_invariants.c — W2N_ASSERT fires: a lowering or metadata bug stops the
 * compiler with SIGABRT instead of producing wrong code.  Each death test
 * breaks one invariant on purpose (an operand-stack underflow, a popped value
 * of the wrong type, a block closed at the wrong height, metadata counts that
 * disagree with the module); a control test shows the same calls pass when
 * the invariant holds, so the deaths are not from the set-up.  Without
 * W2N_ASSERTIONS the checks compile to nothing and those tests are skipped;
 * the allocation tests (compiler/lower/xalloc.h) run in every build.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "lower.h"
#include "meta_build.h"

/* The lowering's allocations abort with one line rather than return NULL
 * (compiler/lower/xalloc.h), also when n * size overflows; in every build. */
Test(invariants, allocation_overflow_aborts, .signal = SIGABRT) {
    w2n_xrealloc(NULL, SIZE_MAX / 2, 3);
}

Test(invariants, allocations_of_nothing_are_blocks) {
    void *p = w2n_xmalloc(0), *q = w2n_xcalloc(0, 8), *r = w2n_xrealloc(NULL, 0, 8);
    cr_assert(p && q && r);
    free(p);
    free(q);
    free(r);
}

#ifdef W2N_ASSERTIONS

/* Just enough module state for the stack and control-stack functions. */
typedef struct fixture {
    w2n_compile_options opts; /* all off: no fuel, no interrupt checks */
    w2n_lower_module lm;
    w2n_lower_func f;
    w2n_functype type;
    w2n_valtype result;
} fixture;

static void fixture_init(fixture *x) {
    memset(x, 0, sizeof *x);
    x->lm.opts = &x->opts;
    x->lm.ctx = LLVMContextCreate();
    x->lm.mod = LLVMModuleCreateWithNameInContext("t", x->lm.ctx);
    x->lm.t_i32 = LLVMInt32TypeInContext(x->lm.ctx);
    x->lm.t_i64 = LLVMInt64TypeInContext(x->lm.ctx);
    x->result = W2N_I32;
    x->type.nresults = 1;
    x->type.results = &x->result;
    LLVMTypeRef fty = LLVMFunctionType(x->lm.t_i32, NULL, 0, 0);
    x->f.lm = &x->lm;
    x->f.type = &x->type;
    x->f.fn = LLVMAddFunction(x->lm.mod, "f", fty);
    x->f.b = LLVMCreateBuilderInContext(x->lm.ctx);
    LLVMPositionBuilderAtEnd(x->f.b, LLVMAppendBasicBlockInContext(x->lm.ctx, x->f.fn, "entry"));
    w2n_lower_control_begin(&x->f);
}

static bool lower_end(fixture *x) {
    w2n_instr end = {.op = W2N_OP_END};
    return w2n_lower_control(&x->f, &end);
}

Test(invariants, pop_of_an_empty_operand_stack_aborts, .signal = SIGABRT) {
    w2n_lower_func f = {0};
    w2n_lower_pop(&f);
}

Test(invariants, pop_of_the_wrong_type_aborts, .signal = SIGABRT) {
    fixture x;
    fixture_init(&x);
    w2n_lower_push(&x.f, LLVMConstInt(x.lm.t_i64, 1, 0));
    w2n_lower_pop_as(&x.f, x.lm.t_i32);
}

Test(invariants, end_below_the_block_results_aborts, .signal = SIGABRT) {
    fixture x;
    fixture_init(&x);
    lower_end(&x); /* the function's one i32 result was never pushed */
}

Test(invariants, end_above_the_block_results_aborts, .signal = SIGABRT) {
    fixture x;
    fixture_init(&x);
    w2n_lower_push(&x.f, LLVMConstInt(x.lm.t_i32, 1, 0));
    w2n_lower_push(&x.f, LLVMConstInt(x.lm.t_i32, 2, 0));
    lower_end(&x);
}

Test(invariants, the_same_calls_pass_when_the_invariants_hold) {
    fixture x;
    fixture_init(&x);
    w2n_lower_push(&x.f, LLVMConstInt(x.lm.t_i64, 1, 0));
    cr_assert(w2n_lower_pop_as(&x.f, x.lm.t_i64) != NULL);
    w2n_lower_push(&x.f, LLVMConstInt(x.lm.t_i32, 7, 0));
    cr_assert(lower_end(&x));
    cr_assert_eq(x.f.nblocks, 0);
    LLVMDisposeBuilder(x.f.b);
    LLVMDisposeBuilder(x.f.phi_b);
    free(x.f.stack);
    free(x.f.blocks[0].phis);
    free(x.f.blocks);
    LLVMContextDispose(x.lm.ctx);
}

Test(invariants, metadata_of_a_module_with_more_imports_than_functions_aborts, .signal = SIGABRT) {
    w2n_module m = {.nfuncs = 1, .nimported_funcs = 2, .start = -1};
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    const w2n_target *t = w2n_target_find("x86_64");
    w2n_meta meta;
    w2n_error err;
    w2n_meta_build(&m, t, &opts, &meta, &err);
}

#else

Test(invariants, skipped_without_assertions) {
    cr_skip_test("built without W2N_ASSERTIONS: W2N_ASSERT checks nothing");
}

#endif
