/*
 * test_stop.c — stopping guests through the runtime API: deadlines reached
 * by w2n_engine_increment_epoch from another thread, on code built with and
 * without --interruptible; interrupts from another thread; an interrupt
 * while idle not touching the next call; a host function blocked in a
 * system call; fuel (deterministic counts, the trap, refusing unmetered
 * code).
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "wat_kit.h"

static const char *SPIN_WAT = "(module"
                              "  (func (export \"spin\") (loop $l (br $l)))"
                              "  (func (export \"seven\") (result i32) (i32.const 7))"
                              "  (func (export \"count\") (param i32) (result i32) (local i32)"
                              "    (block $done (loop $l"
                              "      (br_if $done (i32.ge_u (local.get 1) (local.get 0)))"
                              "      (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
                              "      (br $l)))"
                              "    (local.get 1)))";

static loaded load_spin(bool interruptible, bool fuel) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.interruptible = interruptible;
    opts.fuel = fuel;
    return load_with(SPIN_WAT, &opts);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static w2n_status call0(loaded *l, const char *name, w2n_trap *trap) {
    w2n_error err;
    return w2n_func_call(l->store, export_func(l, name), NULL, 0, NULL, 0, trap, &err);
}

static int32_t call_i32(loaded *l, const char *name, const w2n_value *args, uint32_t nargs,
                        w2n_status *st, w2n_trap *trap) {
    w2n_error err;
    w2n_value r = w2n_i32(-1);
    *st = w2n_func_call(l->store, export_func(l, name), args, nargs, &r, 1, trap, &err);
    return r.of.i32;
}

/* ---- a timer thread ------------------------------------------------------------- */

typedef struct ticker {
    pthread_t thread;
    _Atomic bool done;
    w2n_store *interrupt; /* NULL: tick the epoch; else interrupt this store once */
    unsigned delay_ms;
} ticker;

static void *tick(void *arg) {
    ticker *t = arg;
    if (t->interrupt) {
        usleep(t->delay_ms * 1000u);
        w2n_store_interrupt(t->interrupt);
        return NULL;
    }
    while (!atomic_load(&t->done)) {
        usleep(10000);
        w2n_engine_increment_epoch();
    }
    return NULL;
}

static void ticker_start(ticker *t, w2n_store *interrupt, unsigned delay_ms) {
    atomic_store(&t->done, false);
    t->interrupt = interrupt;
    t->delay_ms = delay_ms;
    cr_assert_eq(pthread_create(&t->thread, NULL, tick, t), 0);
}

static void ticker_stop(ticker *t) {
    atomic_store(&t->done, true);
    pthread_join(t->thread, NULL);
}

/* ---- deadlines ---------------------------------------------------------------------- */

static void deadline_stops_spin(bool interruptible) {
    loaded l = load_spin(interruptible, false);
    ticker t;
    w2n_store_set_deadline(l.store, 10); /* about 100 ms */
    ticker_start(&t, NULL, 0);
    double t0 = now();
    w2n_trap trap;
    w2n_status st = call0(&l, "spin", &trap);
    double took = now() - t0;
    ticker_stop(&t);
    cr_assert_eq(st, W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED, "%s", trap.message);
    cr_assert_str_eq(trap.message, "interrupted");
    cr_assert_lt(took, 2.0, "took %.3f s", took);
    /* Past the deadline, every call traps at once, even one that cannot loop. */
    w2n_value none[1];
    cr_assert_eq(call_i32(&l, "seven", none, 0, &st, &trap), -1);
    cr_assert_eq(st, W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED);
    /* A new deadline lets calls run again. */
    w2n_store_set_deadline(l.store, 1000);
    cr_assert_eq(call_i32(&l, "seven", none, 0, &st, &trap), 7);
    cr_assert_eq(st, W2N_OK);
    w2n_store_clear_deadline(l.store);
    unload(&l);
}

Test(stop, deadline_interruptible_code) { deadline_stops_spin(true); }
Test(stop, deadline_code_without_checks) { deadline_stops_spin(false); }

Test(stop, deadline_not_reached_changes_nothing) {
    loaded l = load_spin(true, false);
    w2n_store_set_deadline(l.store, 5);
    uint64_t before = w2n_engine_epoch();
    cr_assert_eq(w2n_engine_increment_epoch(), before + 1);
    w2n_status st;
    w2n_trap trap;
    w2n_value n = w2n_i32(100000);
    cr_assert_eq(call_i32(&l, "count", &n, 1, &st, &trap), 100000);
    cr_assert_eq(st, W2N_OK);
    unload(&l);
}

/* ---- interrupts -------------------------------------------------------------------- */

static void interrupt_from_thread(bool interruptible) {
    loaded l = load_spin(interruptible, false);
    ticker t;
    ticker_start(&t, l.store, 50);
    w2n_trap trap;
    w2n_status st = call0(&l, "spin", &trap);
    ticker_stop(&t);
    cr_assert_eq(st, W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED, "%s", trap.message);
    /* The store stays usable. */
    w2n_value n = w2n_i32(1000);
    cr_assert_eq(call_i32(&l, "count", &n, 1, &st, &trap), 1000);
    cr_assert_eq(st, W2N_OK);
    unload(&l);
}

Test(stop, interrupt_interruptible_code_from_thread) { interrupt_from_thread(true); }
Test(stop, interrupt_code_without_checks_from_thread) { interrupt_from_thread(false); }

/* The documented semantics: an interrupt with no call running does nothing,
 * so the next call, which loops through its checks, completes. */
Test(stop, idle_interrupt_does_not_kill_the_next_call) {
    loaded l = load_spin(true, false);
    w2n_store_interrupt(l.store);
    w2n_instance_interrupt(l.inst);
    w2n_status st;
    w2n_trap trap;
    w2n_value n = w2n_i32(50000);
    cr_assert_eq(call_i32(&l, "count", &n, 1, &st, &trap), 50000);
    cr_assert_eq(st, W2N_OK, "%s", trap.message);
    unload(&l);
}

/* A host function blocked in poll(2) returns once the call is being stopped. */
static void host_block(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)caller;
    (void)slots;
    int fd = *(int *)data;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (poll(&p, 1, -1) < 0 && !w2n_host_should_stop())
        ;
}

Test(stop, interrupt_ends_a_blocking_host_call) {
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    assemble("(module (import \"h\" \"block\" (func $b))"
             "  (func (export \"wait\") (call $b) (loop $l (br $l))))",
             &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err), W2N_OK);
    free(wasm);
    loaded l = {0};
    cr_assert_eq(w2n_object_load(obj, obj_size, &l.obj, &err), W2N_OK, "%s", err.message);
    free(obj);
    l.store = w2n_store_new(NULL);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    w2n_functype none = {0, 0, NULL, NULL};
    w2n_extern imp = {.kind = W2N_EXTERN_FUNC};
    imp.of.func = w2n_host_func_new(l.store, &none, host_block, &fds[0]);
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(l.store, l.obj, &imp, 1, &l.inst, &trap, &err), W2N_OK);
    ticker t;
    ticker_start(&t, l.store, 50);
    w2n_status st = call0(&l, "wait", &trap);
    ticker_stop(&t);
    cr_assert_eq(st, W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED, "%s", trap.message);
    close(fds[0]);
    close(fds[1]);
    unload(&l);
}

/* ---- fuel ------------------------------------------------------------------------------ */

static uint64_t fuel_used_by_count(int32_t n, w2n_status *st) {
    loaded l = load_spin(false, true);
    w2n_error err;
    cr_assert_eq(w2n_store_set_fuel(l.store, 1000000, &err), W2N_OK, "%s", err.message);
    w2n_trap trap;
    w2n_value arg = w2n_i32(n);
    call_i32(&l, "count", &arg, 1, st, &trap);
    uint64_t used = 1000000 - w2n_store_fuel(l.store);
    unload(&l);
    return used;
}

Test(stop, fuel_counts_the_same_every_run_and_grows_with_work) {
    w2n_status st;
    uint64_t a = fuel_used_by_count(100, &st);
    cr_assert_eq(st, W2N_OK);
    uint64_t b = fuel_used_by_count(100, &st);
    uint64_t c = fuel_used_by_count(200, &st);
    cr_assert_eq(a, b);
    cr_assert_gt(a, 100);
    /* Each extra iteration costs the same: a linear count. */
    uint64_t d = fuel_used_by_count(300, &st);
    cr_assert_eq(d - c, c - a, "100 iterations: %lu then %lu", (unsigned long)(c - a),
                 (unsigned long)(d - c));
}

Test(stop, fuel_runs_out_with_a_trap) {
    loaded l = load_spin(false, true);
    w2n_error err;
    cr_assert_eq(w2n_store_set_fuel(l.store, 10000, &err), W2N_OK);
    w2n_trap trap;
    cr_assert_eq(call0(&l, "spin", &trap), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_OUT_OF_FUEL);
    cr_assert_str_eq(trap.message, "all fuel consumed");
    cr_assert_eq(w2n_store_fuel(l.store), 0);
    unload(&l);
}

Test(stop, fuel_refused_for_code_that_does_not_count) {
    loaded l = load_spin(false, false);
    cr_assert_not(w2n_object_counts_fuel(l.obj));
    w2n_error err;
    cr_assert_eq(w2n_store_set_fuel(l.store, 100, &err), W2N_ERR_ARGUMENT);
    /* A store with a budget refuses to instantiate it. */
    w2n_store *metered = w2n_store_new(NULL);
    loaded m = load_spin(false, true);
    cr_assert(w2n_object_counts_fuel(m.obj));
    cr_assert_eq(w2n_store_set_fuel(metered, 100, &err), W2N_OK);
    w2n_instance *inst;
    w2n_trap trap;
    cr_assert_eq(w2n_instantiate(metered, l.obj, NULL, 0, &inst, &trap, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "--fuel"), "%s", err.message);
    w2n_store_free(metered);
    unload(&m);
    unload(&l);
}

/* ---- every shape of endless work stops ------------------------------------------- */

/* Each export runs forever (or, for "recursion", for years): a loop with
 * nothing in it, one with local work only, exponential recursion with no
 * loop at all, a loop through br_table, an endless loop around a short
 * counted memory loop (whose fast version has no check), and one around a
 * memory loop counted to 2^32 (too long to run unchecked). */
static const char *SHAPES_WAT =
    "(module (memory 1)"
    "  (func (export \"empty\") (loop $l (br $l)))"
    "  (func (export \"locals\") (local i32 i64)"
    "    (loop $l"
    "      (local.set 0 (i32.add (local.get 0) (i32.const 3)))"
    "      (local.set 1 (i64.xor (local.get 1) (i64.extend_i32_u (local.get 0))))"
    "      (br $l)))"
    "  (func $fib (param i32) (result i32)"
    "    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))"
    "      (then (local.get 0))"
    "      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))"
    "                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))"
    "  (func (export \"recursion\") (drop (call $fib (i32.const 90))))"
    "  (func (export \"br_table\") (local i32)"
    "    (loop $l"
    "      (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
    "      (block $a (br_table $a $l (i32.and (local.get 0) (i32.const 1))))"
    "      (br $l)))"
    "  (func (export \"counted_inner\") (local i32)"
    "    (loop $outer"
    "      (local.set 0 (i32.const 0))"
    "      (loop $inner"
    "        (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 0))"
    "        (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
    "        (br_if $inner (i32.lt_u (local.get 0) (i32.const 1000))))"
    "      (br $outer)))"
    "  (func (export \"long_counted\") (local i32)"
    "    (loop $outer"
    "      (local.set 0 (i32.const 0))"
    "      (loop $inner"
    "        (i32.store (i32.const 16)"
    "          (i32.add (i32.mul (i32.load (i32.const 16)) (i32.const 3)) (local.get 0)))"
    "        (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
    "        (br_if $inner (i32.lt_u (local.get 0) (i32.const -1))))"
    "      (br $outer))))";

static const char *const SHAPES[] = {"empty",    "locals",        "recursion",
                                     "br_table", "counted_inner", "long_counted"};

/* Interrupts each shape 50 ms in; with `block_signal` the thread that runs
 * it blocks the preemption signal, so only the checks in the code can stop it. */
static void interrupt_every_shape(bool interruptible, bool block_signal) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.interruptible = interruptible;
    loaded l = load_with(SHAPES_WAT, &opts);
    sigset_t urg, old;
    sigemptyset(&urg);
    sigaddset(&urg, SIGURG);
    for (size_t i = 0; i < sizeof SHAPES / sizeof *SHAPES; i++) {
        if (block_signal)
            cr_assert_eq(pthread_sigmask(SIG_BLOCK, &urg, &old), 0);
        ticker t;
        ticker_start(&t, l.store, 50);
        double t0 = now();
        w2n_trap trap;
        w2n_status st = call0(&l, SHAPES[i], &trap);
        double took = now() - t0;
        ticker_stop(&t);
        if (block_signal)
            cr_assert_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
        cr_assert_eq(st, W2N_ERR_TRAP, "%s: status %d", SHAPES[i], st);
        cr_assert_eq(trap.code, W2N_TRAP_INTERRUPTED, "%s: %s", SHAPES[i], trap.message);
        cr_assert_lt(took, 2.0, "%s took %.3f s", SHAPES[i], took);
    }
    unload(&l);
}

Test(stop, every_shape_stops_without_checks) { interrupt_every_shape(false, false); }
Test(stop, every_shape_stops_with_checks) { interrupt_every_shape(true, false); }
Test(stop, every_shape_stops_by_the_checks_alone) { interrupt_every_shape(true, true); }

Test(stop, every_shape_runs_out_of_fuel) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.fuel = true;
    loaded l = load_with(SHAPES_WAT, &opts);
    w2n_error err;
    for (size_t i = 0; i < sizeof SHAPES / sizeof *SHAPES; i++) {
        cr_assert_eq(w2n_store_set_fuel(l.store, 10000000, &err), W2N_OK, "%s", err.message);
        w2n_trap trap;
        cr_assert_eq(call0(&l, SHAPES[i], &trap), W2N_ERR_TRAP, "%s", SHAPES[i]);
        cr_assert_eq(trap.code, W2N_TRAP_OUT_OF_FUEL, "%s: %s", SHAPES[i], trap.message);
        cr_assert_eq(w2n_store_fuel(l.store), 0, "%s", SHAPES[i]);
    }
    unload(&l);
}

/* A counted memory loop has a fast version that runs without fuel checks
 * only when the fuel left covers all of it; otherwise the checked version
 * runs.  Both charge the same: a budget of exactly what the loop uses runs
 * it to the end (checked version), one less traps, and plenty (fast
 * version) leaves the same count used. */
Test(stop, fuel_counts_the_same_in_both_loop_versions) {
    static const char *wat = "(module (memory 1)"
                             "  (func (export \"fill\") (param i32) (local i32)"
                             "    (loop $l"
                             "      (i32.store (i32.shl (local.get 1) (i32.const 2)) (local.get 1))"
                             "      (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
                             "      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))))";
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.fuel = true;
    loaded l = load_with(wat, &opts);
    w2n_error err;
    w2n_trap trap;
    w2n_value n = w2n_i32(1000);
    w2n_func *fill = export_func(&l, "fill");
    uint64_t plenty = 1000000000;
    cr_assert_eq(w2n_store_set_fuel(l.store, plenty, &err), W2N_OK);
    cr_assert_eq(w2n_func_call(l.store, fill, &n, 1, NULL, 0, &trap, &err), W2N_OK, "%s",
                 err.message);
    uint64_t used = plenty - w2n_store_fuel(l.store);
    cr_assert_gt(used, 1000 * 5);
    cr_assert_eq(w2n_store_set_fuel(l.store, used, &err), W2N_OK);
    cr_assert_eq(w2n_func_call(l.store, fill, &n, 1, NULL, 0, &trap, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(w2n_store_fuel(l.store), 0);
    cr_assert_eq(w2n_store_set_fuel(l.store, used - 1, &err), W2N_OK);
    cr_assert_eq(w2n_func_call(l.store, fill, &n, 1, NULL, 0, &trap, &err), W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_OUT_OF_FUEL);
    unload(&l);
}

/* In explicit mode a loop's fast version may call.  The callee's fuel is
 * not bounded by the loop body's length, so such a fast version keeps the
 * test at its header: whatever the budget, -O2 (with a fast version) stops
 * after exactly the stores -O0 (without one) does. */
static const char *CALLING_LOOP_WAT =
    "(module (memory 1)"
    "  (func $burn (local i32)"
    "    (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
    "      (br_if $l (i32.lt_u (local.get 0) (i32.const 3)))))"
    "  (func (export \"run\") (param i32) (local i32)"
    "    (loop $l"
    "      (i32.store (i32.shl (local.get 1) (i32.const 2)) (i32.const 1))"
    "      (call $burn)"
    "      (i32.store offset=4096 (i32.shl (local.get 1) (i32.const 2)) (i32.const 1))"
    "      (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
    "      (br_if $l (i32.lt_u (local.get 1) (local.get 0)))))"
    "  (func (export \"stores\") (result i32) (local i32 i32)"
    "    (loop $l"
    "      (local.set 1 (i32.add (local.get 1) (i32.load (local.get 0))))"
    "      (local.set 1 (i32.add (local.get 1) (i32.load offset=4096 (local.get 0))))"
    "      (local.set 0 (i32.add (local.get 0) (i32.const 4)))"
    "      (br_if $l (i32.lt_u (local.get 0) (i32.const 4096))))"
    "    (local.get 1)))";

/* Stores done by run(20) under `budget`, or -1 when it ran to the end. */
static int32_t stores_under_budget(int opt_level, uint64_t budget) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.fuel = true;
    opts.opt_level = opt_level;
    opts.bounds = W2N_BOUNDS_EXPLICIT;
    loaded l = load_with(CALLING_LOOP_WAT, &opts);
    w2n_error err;
    w2n_trap trap;
    cr_assert_eq(w2n_store_set_fuel(l.store, budget, &err), W2N_OK);
    w2n_value n = w2n_i32(20);
    w2n_status st = w2n_func_call(l.store, export_func(&l, "run"), &n, 1, NULL, 0, &trap, &err);
    cr_assert(st == W2N_OK || trap.code == W2N_TRAP_OUT_OF_FUEL, "%s", trap.message);
    cr_assert_eq(w2n_store_set_fuel(l.store, 1000000, &err), W2N_OK);
    w2n_value none[1];
    int32_t stores = call_i32(&l, "stores", none, 0, &st, &trap);
    cr_assert_eq(st, W2N_OK);
    unload(&l);
    return st == W2N_OK && stores == 40 ? -1 : stores;
}

Test(stop, fuel_traps_at_the_same_store_when_a_fast_loop_calls) {
    for (uint64_t budget = 20; budget < 700; budget += 13) {
        int32_t unoptimised = stores_under_budget(0, budget);
        int32_t optimised = stores_under_budget(2, budget);
        cr_assert_eq(optimised, unoptimised, "budget %lu: %d stores at -O2, %d at -O0",
                     (unsigned long)budget, optimised, unoptimised);
    }
}
