/*
 * test_gc_lowering.c — GC references in compiled code (compiler/lower/
 * lower_gc.c): i31 arithmetic, ref.eq, the extern/any conversions, and
 * references held in the frames of compiled code while the collector moves
 * them (statepoints).  The collector runs thousands of times under a tiny
 * heap limit; a reference a frame failed to report would be left pointing
 * at the evacuated (zeroed) space and read back as the wrong value.
 * Modules are assembled by the spec's reference interpreter (wabt cannot
 * read GC); without it the tests skip.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "gc_call_kit.h"

static loaded load_gc_at(const char *wat, uint64_t max_gc_heap, int opt_level) {
    return load_gc_imports_at(wat, opt_level, max_gc_heap, NULL, 0, NULL);
}

static loaded load_gc(const char *wat, uint64_t max_gc_heap) {
    return load_gc_at(wat, max_gc_heap, 2);
}

static w2n_value call1(loaded *l, const char *name, w2n_value *args, uint32_t nargs) {
    w2n_value out;
    w2n_trap trap;
    w2n_error err;
    w2n_status s = w2n_func_call(l->store, export_func(l, name), args, nargs, &out, 1, &trap, &err);
    cr_assert_eq(s, W2N_OK, "%s: %s", name, err.message);
    return out;
}

static const char *i31_wat = "(module\n"
                             "  (func (export \"get_s\") (param i32) (result i32)\n"
                             "    (i31.get_s (ref.i31 (local.get 0))))\n"
                             "  (func (export \"get_u\") (param i32) (result i32)\n"
                             "    (i31.get_u (ref.i31 (local.get 0))))\n"
                             "  (func (export \"eq\") (param i32 i32) (result i32)\n"
                             "    (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))\n"
                             "  (func (export \"null_eq\") (result i32)\n"
                             "    (ref.eq (ref.null none) (ref.null eq)))\n"
                             "  (func (export \"null_get\") (result i32)\n"
                             "    (i31.get_u (ref.null i31))))\n";

Test(gc_lowering, i31_and_ref_eq) {
    loaded l = load_gc(i31_wat, 0);
    int32_t cases[][3] = {{5, 5, 5},
                          {-7, -7, 0x7FFFFFF9},
                          {0x40000000, -0x40000000, 0x40000000},
                          {0x7FFFFFFF, -1, 0x7FFFFFFF},
                          {(int32_t)0x80000000u, 0, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        w2n_value v = w2n_i32(cases[i][0]);
        cr_assert_eq(call1(&l, "get_s", &v, 1).of.i32, cases[i][1], "get_s %d", cases[i][0]);
        cr_assert_eq(call1(&l, "get_u", &v, 1).of.i32, cases[i][2], "get_u %d", cases[i][0]);
    }
    w2n_value same[2] = {w2n_i32(3), w2n_i32((int32_t)0x80000003u)}; /* equal in 31 bits */
    w2n_value other[2] = {w2n_i32(3), w2n_i32(4)};
    cr_assert_eq(call1(&l, "eq", same, 2).of.i32, 1);
    cr_assert_eq(call1(&l, "eq", other, 2).of.i32, 0);
    cr_assert_eq(call1(&l, "null_eq", NULL, 0).of.i32, 1);
    w2n_value out;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_func_call(l.store, export_func(&l, "null_get"), NULL, 0, &out, 1, &trap, &err),
                 W2N_ERR_TRAP);
    cr_assert_eq(trap.code, W2N_TRAP_NULL_I31);
    unload(&l);
}

/* Each frame of a recursion boxes the host value (any.convert_extern of a
 * pointer that is no object: a 16-byte box in the heap) and holds the box
 * in a local while the frames above it allocate; the deepest frame
 * allocates `churn` boxes and drops them.  On the way back each frame
 * unboxes its own box into the table at its depth: the host finds the
 * value it passed in every slot only if every frame's box was relocated. */
static const char *frames_wat =
    "(module\n"
    "  (table (export \"seen\") 64 externref)\n"
    "  (func $churn (param $e externref) (param $n i32)\n"
    "    (loop $l\n"
    "      (drop (any.convert_extern (local.get $e)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func $frame (export \"frame\") (param $e externref) (param $depth i32)"
    " (param $n i32)\n"
    "    (local $box anyref) (local $i31 i31ref)\n"
    "    (local.set $box (any.convert_extern (local.get $e)))\n"
    "    (local.set $i31 (ref.i31 (local.get $depth)))\n"
    "    (if (local.get $depth)\n"
    "      (then (call $frame (local.get $e) (i32.sub (local.get $depth) (i32.const 1))"
    " (local.get $n)))\n"
    "      (else (call $churn (local.get $e) (local.get $n))))\n"
    "    (call $churn (local.get $e) (i32.const 100))\n"
    "    (table.set (i31.get_u (local.get $i31))\n"
    "      (extern.convert_any (local.get $box)))))\n";

/* At -O0 too: the rewriter sees only SSA values, so locals must leave
 * memory first whatever the optimisation level. */
static void frames_at(int opt_level) {
    loaded l = load_gc_at(frames_wat, 64 * 1024, opt_level);
    void *host = (void *)(uintptr_t)0x5a5a0;
    w2n_value args[3] = {{W2N_EXTERNREF, {.ref = host}}, w2n_i32(40), w2n_i32(200000)};
    w2n_value out;
    w2n_trap trap;
    w2n_error err;
    w2n_status s = w2n_func_call(l.store, export_func(&l, "frame"), args, 3, &out, 0, &trap, &err);
    cr_assert_eq(s, W2N_OK, "%s", err.message);
    w2n_gc_stats stats;
    w2n_gc_get_stats(l.store, &stats);
    cr_assert_gt(stats.collections, 40, "only %llu collections",
                 (unsigned long long)stats.collections);
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(l.inst, "seen", &ext), W2N_OK);
    for (uint32_t d = 0; d <= 40; d++) {
        void *v;
        cr_assert_eq(w2n_table_get(ext.of.table, d, &v, &err), W2N_OK);
        cr_assert_eq(v, host, "frame %u lost its box: %p", d, v);
    }
    unload(&l);
}

Test(gc_lowering, references_in_frames_survive_collections) { frames_at(2); }
Test(gc_lowering, references_in_frames_survive_collections_at_O0) { frames_at(0); }

/* A reference in an exception's payload, and one held across the try,
 * while the thrower and the handler allocate enough to collect. */
static const char *eh_wat =
    "(module\n"
    "  (type $p (struct (field i32) (field (ref null $p))))\n"
    "  (tag $t (param (ref null $p)))\n"
    "  (func $mk (param $n i32) (result (ref null $p))\n"
    "    (local $l (ref null $p))\n"
    "    (block $d (loop $l1\n"
    "      (br_if $d (i32.eqz (local.get $n)))\n"
    "      (local.set $l (struct.new $p (local.get $n) (local.get $l)))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br $l1)))\n"
    "    (local.get $l))\n"
    "  (func $thrower (param $x (ref null $p))\n"
    "    (drop (call $mk (i32.const 100000)))\n"
    "    (throw $t (local.get $x)))\n"
    "  (func (export \"run\") (result i32)\n"
    "    (local $keep (ref null $p)) (local $got (ref null $p))\n"
    "    (local.set $keep (call $mk (i32.const 10)))\n"
    "    (local.set $got\n"
    "      (block $h (result (ref null $p))\n"
    "        (try_table (catch $t $h) (call $thrower (call $mk (i32.const 5))))\n"
    "        (ref.null $p)))\n"
    "    (drop (call $mk (i32.const 100000)))\n"
    "    (i32.add (struct.get $p 0 (local.get $keep))\n"
    "             (i32.mul (i32.const 100) (struct.get $p 0 (local.get $got))))))\n";

Test(gc_lowering, references_across_exceptions) {
    for (int opt = 0; opt <= 2; opt += 2) {
        loaded l = load_gc_at(eh_wat, 8 << 20, opt);
        cr_assert_eq(call1(&l, "run", NULL, 0).of.i32, 101, "-O%d", opt);
        w2n_gc_stats stats;
        w2n_gc_get_stats(l.store, &stats);
        cr_assert_gt(stats.collections, 0);
        unload(&l);
    }
}

Test(gc_lowering, conversions_keep_identity) {
    loaded l = load_gc("(module\n"
                       "  (func (export \"round\") (param externref) (result externref)\n"
                       "    (extern.convert_any (any.convert_extern (local.get 0)))))\n",
                       0);
    void *values[] = {NULL, (void *)(uintptr_t)0x1230, (void *)(uintptr_t)7};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        w2n_value v = {W2N_EXTERNREF, {.ref = values[i]}};
        cr_assert_eq(call1(&l, "round", &v, 1).of.ref, values[i], "%p", values[i]);
    }
    unload(&l);
}
