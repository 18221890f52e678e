/*
 * test_gc_host_frames.c — the collector's stack walk across host frames
 * (runtime/gc/stack_walk.c): a host import that calls back into Wasm which
 * allocates under a tiny heap while the outer Wasm frame holds references.
 * The walk passes the host's frames (they have unwind tables) and
 * relocates the outer frame's references.  When a frame without unwind
 * tables lies between (an assembly trampoline here), a collection would
 * miss the outer frame's roots: the inner call traps instead, before
 * anything moves, and the outer frame's references stay intact.
 *
 * Modules are assembled by the spec's reference interpreter (wabt cannot
 * read GC); without it the tests skip.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "gc_call_kit.h"

/* The outer export builds a list of `keep` nodes, holds it in a local while
 * it calls the host import, and sums it afterwards; `churn` allocates and
 * drops n nodes (under a 64 KiB heap, many collections). */
static const char *callback_wat =
    "(module\n"
    "  (type $node (struct (field i32) (field (ref null $node))))\n"
    "  (import \"host\" \"callback\" (func $callback (param i32)))\n"
    "  (func (export \"churn\") (param $n i32)\n"
    "    (loop $l\n"
    "      (drop (struct.new $node (local.get $n) (ref.null $node)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func (export \"outer\") (param $keep i32) (param $n i32) (result i32)\n"
    "    (local $list (ref null $node)) (local $sum i32)\n"
    "    (loop $build\n"
    "      (local.set $list (struct.new $node (local.get $keep) (local.get $list)))\n"
    "      (br_if $build (local.tee $keep (i32.sub (local.get $keep) (i32.const 1)))))\n"
    "    (call $callback (local.get $n))\n"
    "    (block $done\n"
    "      (loop $walk\n"
    "        (br_if $done (ref.is_null (local.get $list)))\n"
    "        (local.set $sum (i32.add (local.get $sum) (struct.get $node 0 (local.get $list))))\n"
    "        (local.set $list (struct.get $node 1 (local.get $list)))\n"
    "        (br $walk)))\n"
    "    (local.get $sum)))\n";

typedef struct callback_ctx {
    loaded *l;
    bool through_barrier; /* call back through a frame without unwind tables */
    w2n_status status;    /* of the inner call */
    w2n_trap trap;
    w2n_error err;
} callback_ctx;

/* Calls fn(arg) from a frame that has no unwind tables (no CFI): the
 * unwinder cannot get past it. */
void w2n_test_call_without_unwind_info(void (*fn)(void *), void *arg);
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl w2n_test_call_without_unwind_info\n"
        ".type w2n_test_call_without_unwind_info, @function\n"
        "w2n_test_call_without_unwind_info:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  mov %rdi, %rax\n"
        "  mov %rsi, %rdi\n"
        "  call *%rax\n"
        "  pop %rbp\n"
        "  ret\n");
#define HAVE_BARRIER_FRAME 1
#elif defined(__aarch64__)
__asm__(".text\n"
        ".globl w2n_test_call_without_unwind_info\n"
        ".type w2n_test_call_without_unwind_info, %function\n"
        "w2n_test_call_without_unwind_info:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  mov x29, sp\n"
        "  mov x2, x0\n"
        "  mov x0, x1\n"
        "  blr x2\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n");
#define HAVE_BARRIER_FRAME 1
#elif defined(__riscv) && __riscv_xlen == 64
__asm__(".text\n"
        ".globl w2n_test_call_without_unwind_info\n"
        ".type w2n_test_call_without_unwind_info, @function\n"
        "w2n_test_call_without_unwind_info:\n"
        "  addi sp, sp, -16\n"
        "  sd ra, 8(sp)\n"
        "  mv t0, a0\n"
        "  mv a0, a1\n"
        "  jalr t0\n"
        "  ld ra, 8(sp)\n"
        "  addi sp, sp, 16\n"
        "  ret\n");
#define HAVE_BARRIER_FRAME 1
#else
#define HAVE_BARRIER_FRAME 0
#endif

typedef struct churn_call {
    callback_ctx *c;
    int32_t n;
} churn_call;

static void run_churn(void *arg) {
    churn_call *cc = arg;
    callback_ctx *c = cc->c;
    w2n_value n = w2n_i32(cc->n);
    c->status =
        w2n_func_call(c->l->store, export_func(c->l, "churn"), &n, 1, NULL, 0, &c->trap, &c->err);
}

static void host_callback(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)caller;
    callback_ctx *c = data;
    churn_call cc = {c, slots[0].i32};
#if HAVE_BARRIER_FRAME
    if (c->through_barrier) {
        w2n_test_call_without_unwind_info(run_churn, &cc);
        return;
    }
#endif
    run_churn(&cc);
}

static loaded load_callback(callback_ctx *c, w2n_store *store) {
    w2n_valtype i32 = W2N_I32;
    w2n_functype type = {1, 0, &i32, NULL};
    w2n_extern import = {.kind = W2N_EXTERN_FUNC};
    import.of.func = w2n_host_func_new(store, &type, host_callback, c);
    cr_assert_not_null(import.of.func);
    return load_gc_imports(callback_wat, 0, &import, 1, store);
}

static w2n_store *tiny_heap_store(void) {
    w2n_store_options so = {0};
    so.limits.max_gc_heap = 64 * 1024;
    return w2n_store_new(&so);
}

Test(gc_host_frames, host_callback_allocating_relocates_the_outer_frame) {
    callback_ctx c = {0};
    loaded l = load_callback(&c, tiny_heap_store());
    c.l = &l;
    w2n_value args[2] = {w2n_i32(100), w2n_i32(200000)};
    cr_assert_eq(call_i32(&l, "outer", args, 2), 5050);
    cr_assert_eq(c.status, W2N_OK, "inner call: %s", c.err.message);
    w2n_gc_stats stats;
    w2n_gc_get_stats(l.store, &stats);
    cr_assert_geq(stats.collections, 20, "only %llu collections",
                  (unsigned long long)stats.collections);
    unload(&l);
}

Test(gc_host_frames, frame_without_unwind_tables_traps_instead_of_missing_roots) {
#if !HAVE_BARRIER_FRAME
    cr_skip_test("no assembly frame for this architecture");
#endif
    callback_ctx c = {.through_barrier = true};
    loaded l = load_callback(&c, tiny_heap_store());
    c.l = &l;
    w2n_value args[2] = {w2n_i32(100), w2n_i32(200000)};
    w2n_gc_stats before;
    w2n_gc_get_stats(l.store, &before);
    cr_assert_eq(call_i32(&l, "outer", args, 2), 5050, "the outer frame's list was damaged");
    cr_assert_eq(c.status, W2N_ERR_TRAP, "inner call: %d", c.status);
    cr_assert_eq(c.trap.code, W2N_TRAP_UNWIND_BARRIER);
    cr_assert(strstr(c.trap.message, "without unwind tables"), "'%s'", c.trap.message);
    w2n_gc_stats after;
    w2n_gc_get_stats(l.store, &after);
    cr_assert_eq(after.collections, before.collections, "a collection ran past the barrier");
    /* Without the barrier frame the same calls collect and succeed. */
    c.through_barrier = false;
    cr_assert_eq(call_i32(&l, "outer", args, 2), 5050);
    cr_assert_eq(c.status, W2N_OK, "inner call: %s", c.err.message);
    unload(&l);
}
