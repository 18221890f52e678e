/*
 * test_stack_safety.c — frames larger than the runtime's stack reserve, on
 * the main thread and on threads with small stacks, end in "call stack
 * exhausted" and write nothing outside the thread's stack.
 *
 * Each worker thread runs on a stack this test maps itself: a canary region,
 * then one PROT_NONE guard page, then the stack.  Before compiled frames were
 * probed, an -O0 frame of 16,384 v128 locals (256 KiB + the rest) zero-filled
 * its locals below the guard page, into the canary, before its stack check.
 */
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>

#include "wat_kit.h"

enum {
    BIG_LOCALS = 17000,
    SPILLS = 1500,
    PAGE = 4096,
    CANARY = 1024 * 1024
};

/* A growing text buffer for the generated modules. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        cr_assert_not_null(t->s);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* Recursion through a function whose -O0 frame holds BIG_LOCALS v128s. */
static char *big_locals_wat(void) {
    text t = {0};
    put(&t, "(module (func $big (export \"run\") (param i32) (result i32)\n  (local");
    for (int i = 0; i < BIG_LOCALS; i++)
        put(&t, " v128");
    put(&t,
        ")\n  (local.set 1 (v128.const i32x4 1 2 3 4))\n"
        "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n"
        "    (else (i32.add (i32x4.extract_lane 0 (local.get %d))\n"
        "      (call $big (i32.sub (local.get 0) (i32.const 1))))))))\n",
        BIG_LOCALS);
    return t.s;
}

/* Recursion whose -O2 frame holds SPILLS v128 values live across the call
 * (f32 adds: LLVM may not reassociate them to before the call).  `private`:
 * $s is not exported but called by an export, so it recurses in the private
 * convention (compiler/lower/lower_convention.c). */
static char *spills_wat(bool private) {
    text t = {0};
    put(&t, "(module (memory 1)\n");
    if (private)
        put(&t, "(func (export \"run\") (param i32) (result i32) (call $s (local.get 0)))\n");
    put(&t,
        "(func $s %s (param i32) (result i32)\n"
        "  (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))\n",
        private ? "" : "(export \"run\")");
    for (int i = 0; i < SPILLS; i++)
        put(&t, " (v128.load offset=%d (i32.const 0))", (i * 16) % 60000);
    put(&t,
        "\n  (f32x4.splat (f32.convert_i32_s (call $s (i32.sub (local.get 0) (i32.const 1)))))\n");
    for (int i = 0; i < SPILLS; i++)
        put(&t, " f32x4.add");
    put(&t, "\n  i32x4.extract_lane 0))\n");
    return t.s;
}

static loaded load_wat(char *wat, int opt, const char *bounds) {
    w2n_compile_options o;
    w2n_compile_options_init(&o);
    o.opt_level = opt;
    o.bounds = !strcmp(bounds, "explicit") ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
    /* A budget far beyond any thread's stack: the runtime's floor above the
     * end of the stack, and the guard below it, must decide. */
    w2n_store_options so = {.stack_size = (size_t)1 << 30};
    loaded l = load_in_store(wat, &o, &so);
    free(wat);
    return l;
}

typedef struct run {
    loaded *l;
    int32_t depth;
    w2n_status status;
    w2n_trap trap;
} run;

static void *call_run(void *arg) {
    run *r = arg;
    w2n_value in = {.type = W2N_I32, .of.i32 = r->depth}, out;
    w2n_error err;
    r->status =
        w2n_func_call(r->l->store, export_func(r->l, "run"), &in, 1, &out, 1, &r->trap, &err);
    return NULL;
}

static void expect_exhausted(const run *r, const char *where) {
    cr_assert_eq(r->status, W2N_ERR_TRAP, "%s: no trap", where);
    cr_assert_str_eq(r->trap.message, "call stack exhausted", "%s: %s", where, r->trap.message);
}

/* Run on a thread whose stack (stack_size bytes) sits above a guard page and
 * a canary region this test fills; the canary must be intact afterwards. */
static void on_small_stack(loaded *l, size_t stack_size, const char *what) {
    size_t total = CANARY + PAGE + stack_size;
    uint8_t *map = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(map, MAP_FAILED);
    memset(map, 0xa5, CANARY);
    cr_assert_eq(mprotect(map + CANARY, PAGE, PROT_NONE), 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    cr_assert_eq(pthread_attr_setstack(&attr, map + CANARY + PAGE, stack_size), 0);
    run r = {.l = l, .depth = 1000};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, &attr, call_run, &r), 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    char where[96];
    snprintf(where, sizeof where, "%s, %zu KiB thread stack", what, stack_size / 1024);
    expect_exhausted(&r, where);
    for (size_t i = 0; i < CANARY; i++)
        cr_assert_eq(map[i], 0xa5, "%s: canary byte at -%zu from the guard was overwritten", where,
                     CANARY - i);
    munmap(map, total);
}

static void on_every_stack(loaded *l, const char *what) {
    /* The main thread. */
    run r = {.l = l, .depth = 100000};
    call_run(&r);
    expect_exhausted(&r, what);
    static const size_t sizes[] = {256 * 1024, 300 * 1024, 1024 * 1024, 2 * 1024 * 1024 + 3 * PAGE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        on_small_stack(l, sizes[i], what);
    /* And it still runs where the stack suffices. */
    r = (run){.l = l, .depth = 2};
    call_run(&r);
    cr_assert_eq(r.status, W2N_OK, "%s: a shallow call failed", what);
}

static void big_locals_case(const char *bounds) {
    loaded l = load_wat(big_locals_wat(), 0, bounds);
    on_every_stack(&l, "-O0 v128 locals");
    unload(&l);
}

Test(stack_safety, big_locals_O0_guard, .timeout = 60) { big_locals_case("guard"); }
Test(stack_safety, big_locals_O0_explicit, .timeout = 60) { big_locals_case("explicit"); }

Test(stack_safety, spills_O2, .timeout = 60) {
    loaded l = load_wat(spills_wat(false), 2, "guard");
    on_every_stack(&l, "-O2 spills");
    unload(&l);
}

Test(stack_safety, spills_O2_private_convention, .timeout = 60) {
    loaded l = load_wat(spills_wat(true), 2, "explicit");
    on_every_stack(&l, "-O2 spills, private convention");
    unload(&l);
}

/* Mutual recursion between an export (C convention) and a function only the
 * module calls (private convention), each with a small frame: it runs as deep
 * as the stack allows, and one call deeper than that traps. */
Test(stack_safety, mutual_recursion_across_conventions, .timeout = 60) {
    char *wat = strdup("(module\n"
                       "  (func $a (export \"run\") (param i32) (result i32)\n"
                       "    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n"
                       "      (else (i32.add (i32.const 1)\n"
                       "        (call $b (i32.sub (local.get 0) (i32.const 1)))))))\n"
                       "  (func $b (param i32) (result i32)\n"
                       "    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n"
                       "      (else (i32.add (i32.const 2)\n"
                       "        (call $a (i32.sub (local.get 0) (i32.const 1))))))))\n");
    loaded l = load_wat(wat, 2, "guard");
    run r = {.l = &l, .depth = 100 * 1000 * 1000}; /* at least 1.6 GB of frames */
    call_run(&r);
    expect_exhausted(&r, "-O2 mutual recursion");
    r = (run){.l = &l, .depth = 20000}; /* 20,000 small frames fit in 8 MiB */
    call_run(&r);
    cr_assert_eq(r.status, W2N_OK, "-O2 mutual recursion: 20,000 calls deep failed");
    unload(&l);
}

Test(stack_safety, spills_O0, .timeout = 60) {
    loaded l = load_wat(spills_wat(false), 0, "explicit");
    on_every_stack(&l, "-O0 spills");
    unload(&l);
}
