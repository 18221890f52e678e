/*
 * test_rt_trap.c — traps: helper traps, guard-page faults, chaining of
 * foreign faults, nested calls, host traps, stack limit, interruption.
 * Tests that must crash rely on Criterion's process per test.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>

#include "rt_testkit.h"

/* ---- the module: memory + a few functions ------------------------------------------ */

enum {
    F_LOAD,
    F_TRAP_IF,
    F_FOREIGN_LOAD,
    F_NULL_DEREF,
    F_NEST,
    F_RECURSE,
    F_SPIN,
    F_COUNT
};

/* Not TEST_CODE: the fault handler must not recognise this pc as Wasm code. */
__attribute__((noinline)) static int32_t foreign_load(w2n_vmctx *vm, int32_t a) {
    return *(volatile int32_t *)(vm->memory->base + (uint32_t)a);
}

TEST_CODE static int32_t m_load(w2n_vmctx *vm, int32_t a) {
    int32_t v; /* Wasm loads may be unaligned */
    memcpy(&v, vm->memory->base + (uint32_t)a, 4);
    __asm__ volatile("" : : "r"(v));
    return v;
}
TEST_CODE static void m_load_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = m_load(vm, s[0].i32); }
TEST_CODE static int32_t m_trap_if(w2n_vmctx *vm, int32_t code) {
    if (code)
        vm->helpers->trap(vm, (uint32_t)code);
    return 17;
}
TEST_CODE static void m_trap_if_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = m_trap_if(vm, s[0].i32); }
TEST_CODE static void m_foreign_load_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = foreign_load(vm, s[0].i32);
}
TEST_CODE static int32_t m_null_deref(w2n_vmctx *vm, int32_t a) {
    return *(volatile int32_t *)(uintptr_t)(uint32_t)a;
}
TEST_CODE static void m_null_deref_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = m_null_deref(vm, s[0].i32);
}
/* Calls import 0 (a host function (i32)->i32) and adds 1000. */
TEST_CODE static int32_t m_nest(w2n_vmctx *vm, int32_t a) {
    w2n_raw s[1] = {{.i32 = a}};
    vm->helpers->call_host(vm, 0, s);
    return s[0].i32 + 1000;
}
TEST_CODE static void m_nest_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = m_nest(vm, s[0].i32); }
/* Recursion with the prologue check compiled code would have. */
TEST_CODE static int32_t m_recurse(w2n_vmctx *vm, int32_t depth);
/* Called through a volatile pointer so that an optimising C compiler cannot
 * turn the recursion into a loop, as Wasm code must not be either. */
static int32_t (*volatile recurse_ptr)(w2n_vmctx *, int32_t) = m_recurse;
TEST_CODE static int32_t m_recurse(w2n_vmctx *vm, int32_t depth) {
    volatile char pad[64];
    pad[0] = (char)depth;
    if ((uintptr_t)__builtin_frame_address(0) < vm->stack_limit)
        vm->helpers->trap(vm, W2N_TRAP_STACK_EXHAUSTED);
    if (depth == INT32_MAX)
        return 0;
    return 1 + recurse_ptr(vm, depth + 1) + pad[0] * 0;
}
TEST_CODE static void m_recurse_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = m_recurse(vm, s[0].i32); }
/* Loops n times calling the host; checks the interrupt flag at each back edge. */
TEST_CODE static int32_t m_spin(w2n_vmctx *vm, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        if (vm->interrupt)
            vm->helpers->trap(vm, W2N_TRAP_INTERRUPTED);
        w2n_raw s[1] = {{.i32 = i}};
        vm->helpers->call_host(vm, 0, s);
    }
    return n;
}
TEST_CODE static void m_spin_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = m_spin(vm, s[0].i32); }
TEST_CODE static int32_t m_adapter0(w2n_vmctx *vm, int32_t a) {
    w2n_raw s[1] = {{.i32 = a}};
    vm->helpers->call_host(vm, 0, s);
    return s[0].i32;
}

static void *m_code[F_COUNT] = {(void *)m_load,       (void *)m_trap_if, (void *)foreign_load,
                                (void *)m_null_deref, (void *)m_nest,    (void *)m_recurse,
                                (void *)m_spin};
static w2n_tramp_fn m_tramps[F_COUNT] = {m_load_t, m_trap_if_t, m_foreign_load_t, m_null_deref_t,
                                         m_nest_t, m_recurse_t, m_spin_t};
static void *m_adapters[] = {(void *)m_adapter0};

typedef struct fx {
    w2n_store *store;
    w2n_object *obj;
    w2n_instance *inst;
    w2n_func *f[F_COUNT];
} fx;

typedef void (*host_cb)(fx *, w2n_instance *, w2n_raw *);
static host_cb current_host;
static fx *current_fx;
static void host_entry(void *data, w2n_instance *caller, w2n_raw *s) {
    current_host((fx *)data, caller, s);
}

static void setup(fx *x, host_cb host, size_t stack_size) {
    kit_register_code();
    static uint32_t ftypes[F_COUNT] = {T_I_I, T_I_I, T_I_I, T_I_I, T_I_I, T_I_I, T_I_I};
    static w2n_limits mems[] = {{.min = 1, .max = 1, .has_max = true}};
    static w2n_meta_import imps[] = {
        {.module = "h", .name = "f", .kind = W2N_EXTERN_FUNC, .func_type = T_I_I}};
    w2n_meta m = kit_meta();
    m.nimports = 1;
    m.imports = imps;
    m.nfuncs = F_COUNT;
    m.func_types = ftypes;
    m.nmemories = 1;
    m.memories = mems;
    x->obj = kit_object(&m, m_code, m_tramps, m_adapters);
    w2n_store_options opts = {.stack_size = stack_size};
    x->store = w2n_store_new(&opts);
    current_host = host;
    current_fx = x;
    w2n_functype t = kit_types[T_I_I];
    w2n_extern e = {W2N_EXTERN_FUNC, {.func = w2n_host_func_new(x->store, &t, host_entry, x)}};
    w2n_error err;
    cr_assert_eq(w2n_instantiate(x->store, x->obj, &e, 1, &x->inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    for (int i = 0; i < F_COUNT; i++)
        x->f[i] = x->inst->funcs[1 + i];
}

static void teardown(fx *x) {
    w2n_store_free(x->store);
    w2n_object_free(x->obj);
}

static w2n_status call(fx *x, int fn, int32_t arg, int32_t *result, w2n_trap *trap) {
    w2n_value a = w2n_i32(arg), r = w2n_i32(0);
    w2n_status st = w2n_func_call(x->store, x->f[fn], &a, 1, &r, 1, trap, NULL);
    if (result)
        *result = r.of.i32;
    return st;
}

static void host_noop(fx *x, w2n_instance *caller, w2n_raw *s) {}

/* ---- tests ---------------------------------------------------------------------------- */

Test(rt_trap, messages_are_the_specs_words) {
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_MEMORY_OOB), "out of bounds memory access");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_TABLE_OOB), "out of bounds table access");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_INT_DIV_ZERO), "integer divide by zero");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_INT_OVERFLOW), "integer overflow");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_INVALID_CONVERSION),
                     "invalid conversion to integer");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_STACK_EXHAUSTED), "call stack exhausted");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_INDIRECT_TYPE), "indirect call type mismatch");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_UNREACHABLE), "unreachable");
}

/* The words of the 3.0 suite's assert_trap for GC (struct.wast, array*.wast,
 * i31.wast, ref_cast.wast), which the spec runner matches as prefixes. */
Test(rt_trap, gc_traps_are_the_specs_words) {
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_NULL_STRUCT), "null structure reference");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_NULL_ARRAY), "null array reference");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_NULL_I31), "null i31 reference");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_ARRAY_OOB), "out of bounds array access");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_CAST_FAILURE), "cast failure");
    cr_assert_str_eq(w2n_trap_message(W2N_TRAP_GC_OUT_OF_MEMORY), "out of memory");
}

/* Compiled code raises them through the trap helper like any other code. */
Test(rt_trap, helper_raises_gc_traps) {
    fx x;
    setup(&x, host_noop, 0);
    w2n_trap trap;
    w2n_trap_code codes[] = {W2N_TRAP_NULL_STRUCT, W2N_TRAP_NULL_ARRAY, W2N_TRAP_NULL_I31,
                             W2N_TRAP_ARRAY_OOB, W2N_TRAP_CAST_FAILURE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        cr_assert_eq(call(&x, F_TRAP_IF, codes[i], NULL, &trap), W2N_ERR_TRAP);
        cr_assert_eq(trap.code, codes[i]);
        cr_assert_str_eq(trap.message, w2n_trap_message(codes[i]));
    }
    teardown(&x);
}

Test(rt_trap, helper_trap_many_times) {
    fx x;
    setup(&x, host_noop, 0);
    w2n_trap trap;
    int32_t r;
    for (int i = 0; i < 10000; i++) {
        cr_assert_eq(call(&x, F_TRAP_IF, W2N_TRAP_INT_DIV_ZERO, NULL, &trap), W2N_ERR_TRAP);
        cr_assert_eq(trap.code, W2N_TRAP_INT_DIV_ZERO);
        if (i % 1000 == 0) {
            cr_assert_str_eq(trap.message, "integer divide by zero");
            cr_assert_eq(call(&x, F_TRAP_IF, 0, &r, NULL), W2N_OK);
            cr_assert_eq(r, 17);
        }
    }
    cr_assert_eq(x.store->depth, 0);
    teardown(&x);
}

Test(rt_trap, guard_page_fault_becomes_trap) {
    fx x;
    setup(&x, host_noop, 0);
    w2n_trap trap;
    int32_t r;
    uint8_t *mem = w2n_memory_data(w2n_instance_memory(x.inst));
    memcpy(mem + 65532, "\x01\x02\x03\x04", 4);
    cr_assert_eq(call(&x, F_LOAD, 65532, &r, NULL), W2N_OK);
    cr_assert_eq(r, 0x04030201);
    for (int i = 0; i < 1000; i++) {
        cr_assert_eq(call(&x, F_LOAD, 65533, &r, &trap), W2N_ERR_TRAP, "straddles the end");
        cr_assert_eq(trap.code, W2N_TRAP_MEMORY_OOB);
        cr_assert_str_eq(trap.message, "out of bounds memory access");
        cr_assert_eq(call(&x, F_LOAD, -1, &r, &trap), W2N_ERR_TRAP, "4 GiB - 1");
    }
    cr_assert_eq(call(&x, F_LOAD, 0, &r, NULL), W2N_OK);
    teardown(&x);
}

Test(rt_trap, fault_outside_wasm_code_is_not_ours, .signal = SIGSEGV) {
    DEFAULT_SEGV_ACTION();
    fx x;
    setup(&x, host_noop, 0);
    call(&x, F_FOREIGN_LOAD, 65536, NULL, NULL);
}

Test(rt_trap, fault_outside_memory_is_not_ours, .signal = SIGSEGV) {
    DEFAULT_SEGV_ACTION();
    fx x;
    setup(&x, host_noop, 0);
    call(&x, F_NULL_DEREF, 16, NULL, NULL);
}

static void host_calls_trapping_wasm(fx *x, w2n_instance *caller, w2n_raw *s) {
    w2n_trap trap;
    int32_t r;
    w2n_status st = call(x, F_TRAP_IF, s[0].i32, &r, &trap);
    s[0].i32 = st == W2N_ERR_TRAP ? -(int32_t)trap.code : r;
}

Test(rt_trap, nested_trap_unwinds_to_innermost_entry) {
    fx x;
    setup(&x, host_calls_trapping_wasm, 0);
    int32_t r;
    cr_assert_eq(call(&x, F_NEST, 0, &r, NULL), W2N_OK);
    cr_assert_eq(r, 1017);
    cr_assert_eq(call(&x, F_NEST, W2N_TRAP_UNREACHABLE, &r, NULL), W2N_OK,
                 "inner trap stays inner");
    cr_assert_eq(r, 1000 - W2N_TRAP_UNREACHABLE);
    cr_assert_eq(x.store->depth, 0);
    teardown(&x);
}

static void host_faults_in_wasm(fx *x, w2n_instance *caller, w2n_raw *s) {
    w2n_trap trap;
    w2n_status st = call(x, F_LOAD, 70000, NULL, &trap);
    s[0].i32 = st == W2N_ERR_TRAP ? (int32_t)trap.code : 0;
}

Test(rt_trap, nested_fault_unwinds_to_innermost_entry) {
    fx x;
    setup(&x, host_faults_in_wasm, 0);
    int32_t r;
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(call(&x, F_NEST, 0, &r, NULL), W2N_OK);
        cr_assert_eq(r, 1000 + W2N_TRAP_MEMORY_OOB);
    }
    teardown(&x);
}

static void host_propagates(fx *x, w2n_instance *caller, w2n_raw *s) {
    w2n_trap trap;
    if (call(x, F_TRAP_IF, W2N_TRAP_INT_OVERFLOW, NULL, &trap) == W2N_ERR_TRAP)
        w2n_host_trap(caller, W2N_TRAP_HOST, 0, "inner call failed: integer overflow");
}

Test(rt_trap, host_trap_after_nested_trap) {
    fx x;
    setup(&x, host_propagates, 0);
    w2n_trap trap;
    cr_assert_eq(call(&x, F_NEST, 0, NULL, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_HOST);
    cr_assert_str_eq(trap.message, "inner call failed: integer overflow");
    teardown(&x);
}

static void host_exits(fx *x, w2n_instance *caller, w2n_raw *s) {
    cr_assert_eq(caller, x->inst);
    w2n_host_trap(caller, W2N_TRAP_EXIT, s[0].i32, NULL);
}

Test(rt_trap, proc_exit_carries_status) {
    fx x;
    setup(&x, host_exits, 0);
    w2n_trap trap;
    cr_assert_eq(call(&x, F_NEST, 3, NULL, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_EXIT);
    cr_assert_eq(trap.exit_status, 3);
    /* Calling the host function directly from the host traps the same way. */
    w2n_value a = w2n_i32(4), r;
    w2n_extern e;
    (void)e;
    w2n_func *host = x.inst->funcs[0];
    cr_assert_eq(w2n_func_call(x.store, host, &a, 1, &r, 1, &trap, NULL), W2N_ERR_TRAP);
    cr_assert_eq(trap.exit_status, 4);
    /* and nothing stays pending. */
    cr_assert_eq(call(&x, F_TRAP_IF, 0, NULL, NULL), W2N_OK);
    teardown(&x);
}

Test(rt_trap, stack_exhaustion_traps_and_recovers) {
    fx x;
    setup(&x, host_noop, 64 * 1024);
    w2n_trap trap;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    for (int i = 0; i < 50; i++) {
        cr_assert_eq(call(&x, F_RECURSE, 0, NULL, &trap), W2N_ERR_TRAP);
        cr_assert_eq(trap.code, W2N_TRAP_STACK_EXHAUSTED);
        cr_assert_str_eq(trap.message, "call stack exhausted");
    }
    uintptr_t limit = x.inst->vmctx.stack_limit;
    cr_assert_lt(limit, here);
    cr_assert_gt(limit, here - 64 * 1024 - 16 * 1024, "limit is about stack_size below the entry");
    teardown(&x);
}

Test(rt_trap, default_stack_allows_deep_recursion) {
    fx x;
    setup(&x, host_noop, 0);
    w2n_trap trap;
    cr_assert_eq(call(&x, F_RECURSE, 0, NULL, &trap), W2N_ERR_TRAP);
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    cr_assert_lt(x.inst->vmctx.stack_limit, here - 1000 * 1000);
    teardown(&x);
}

static void host_interrupts(fx *x, w2n_instance *caller, w2n_raw *s) {
    if (s[0].i32 == 5)
        w2n_instance_interrupt(caller);
}

Test(rt_trap, interruption) {
    fx x;
    setup(&x, host_interrupts, 0);
    w2n_trap trap;
    int32_t r;
    cr_assert_eq(call(&x, F_SPIN, 100, NULL, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED);
    cr_assert_str_eq(trap.message, "interrupted");
    cr_assert_eq(x.inst->vmctx.interrupt, 0, "the flag is cleared once delivered");
    cr_assert_eq(call(&x, F_SPIN, 5, &r, NULL), W2N_OK);
    cr_assert_eq(r, 5);
    teardown(&x);
}

static void *thread_body(void *arg) {
    fx *x = arg;
    w2n_trap trap;
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        ok &=
            call(x, F_LOAD, 65536, NULL, &trap) == W2N_ERR_TRAP && trap.code == W2N_TRAP_MEMORY_OOB;
        ok &= call(x, F_TRAP_IF, W2N_TRAP_UNREACHABLE, NULL, &trap) == W2N_ERR_TRAP;
    }
    return (void *)(intptr_t)ok;
}

Test(rt_trap, traps_on_another_thread) {
    fx x;
    setup(&x, host_noop, 0);
    pthread_t t;
    void *ok;
    cr_assert_eq(pthread_create(&t, NULL, thread_body, &x), 0);
    pthread_join(t, &ok);
    cr_assert_eq((intptr_t)ok, 1);
    teardown(&x);
}

static int nest_depth;
static void host_traps_then_nests(fx *x, w2n_instance *caller, w2n_raw *s) {
    if (nest_depth++ == 0) {
        w2n_host_trap(caller, W2N_TRAP_HOST, 0, "recorded first");
        int32_t r;
        /* A nested call through another host invocation succeeds ... */
        cr_assert_eq(call(x, F_NEST, 5, &r, NULL), W2N_OK);
        cr_assert_eq(r, 1005);
    }
    nest_depth--;
}

Test(rt_trap, host_trap_survives_nested_host_calls) {
    fx x;
    setup(&x, host_traps_then_nests, 0);
    w2n_trap trap;
    /* ... and the trap the outer host function recorded still ends its call. */
    cr_assert_eq(call(&x, F_NEST, 0, NULL, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_HOST);
    cr_assert_str_eq(trap.message, "recorded first");
    cr_assert_eq(call(&x, F_TRAP_IF, 0, NULL, NULL), W2N_OK);
    teardown(&x);
}

/* ---- traps raised with no Wasm code innermost ----------------------------------------- */

static w2n_vmctx *vmctx_of(fx *x) { return &x->inst->vmctx; }

Test(rt_trap, helper_trap_outside_any_call_changes_nothing) {
    fx x;
    setup(&x, host_noop, 0);
    w2n_vmctx *vm = vmctx_of(&x);
    uint8_t *mem = vm->memory->base;
    mem[65535] = 7;
    /* Used to abort: no call to unwind to.  Now the helper returns, and the
     * out-of-bounds fill writes nothing. */
    vm->helpers->memory_fill(vm, 0, 65500, 0xAB, 100);
    cr_assert_eq(mem[65500], 0);
    cr_assert_eq(mem[65535], 7);
    vm->helpers->trap(vm, W2N_TRAP_UNREACHABLE);
    int32_t r;
    cr_assert_eq(call(&x, F_TRAP_IF, 0, &r, NULL), W2N_OK, "the store still works");
    cr_assert_eq(r, 17);
    teardown(&x);
}

static bool host_finished;

/* A host function that calls a helper itself, out of bounds. */
static void host_calls_helper(fx *x, w2n_instance *caller, w2n_raw *s) {
    w2n_vmctx *vm = vmctx_of(x);
    vm->helpers->memory_copy(vm, 0, 0, 0, 65530, 10);
    host_finished = true; /* the trap did not unwind this frame */
    s[0].i32 = 5;
}

Test(rt_trap, helper_trap_in_host_function_is_its_trap) {
    fx x;
    setup(&x, host_calls_helper, 0);
    w2n_trap trap;
    /* Called by the host directly: no Wasm call is active at all. */
    w2n_value a = w2n_i32(0), r = w2n_i32(0);
    host_finished = false;
    cr_assert_eq(w2n_func_call(x.store, x.inst->funcs[0], &a, 1, &r, 1, &trap, NULL), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_MEMORY_OOB);
    cr_assert(host_finished);
    /* Called from Wasm: the trap ends the Wasm call after the host returns. */
    host_finished = false;
    cr_assert_eq(call(&x, F_NEST, 0, NULL, &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_MEMORY_OOB);
    cr_assert(host_finished);
    cr_assert_eq(call(&x, F_NEST, 0, NULL, &trap), W2N_ERR_TRAP, "and again: nothing left over");
    int32_t v;
    cr_assert_eq(call(&x, F_TRAP_IF, 0, &v, NULL), W2N_OK);
    cr_assert_eq(x.store->depth, 0);
    teardown(&x);
}

static w2n_instance *second;
static int32_t callee_result;

/* A host function that calls a helper itself: import 0 of `second`, which is
 * F_TRAP_IF of the first instance, a Wasm function that traps. */
static void host_calls_wasm_import(fx *x, w2n_instance *caller, w2n_raw *s) {
    w2n_vmctx *vm = &second->vmctx;
    w2n_raw slots[1] = {{.i32 = W2N_TRAP_INT_DIV_ZERO}};
    vm->helpers->call_host(vm, 0, slots);
    callee_result = slots[0].i32;
}

Test(rt_trap, helper_call_from_host_function_gets_a_boundary) {
    fx x;
    setup(&x, host_calls_wasm_import, 0);
    w2n_extern imp = {W2N_EXTERN_FUNC, {.func = x.f[F_TRAP_IF]}};
    w2n_error err;
    cr_assert_eq(w2n_instantiate(x.store, x.obj, &imp, 1, &second, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_trap trap;
    w2n_value a = w2n_i32(0), r = w2n_i32(0);
    callee_result = 0;
    cr_assert_eq(w2n_func_call(x.store, x.inst->funcs[0], &a, 1, &r, 1, &trap, NULL), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INT_DIV_ZERO);
    cr_assert_eq(callee_result, W2N_TRAP_INT_DIV_ZERO, "the callee stopped at its trap");
    cr_assert_eq(x.store->depth, 0);
    teardown(&x);
}
