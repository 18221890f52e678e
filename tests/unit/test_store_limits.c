/*
 * test_limits.c — the store's resource limits (w2n_store_limits): grows
 * from compiled code, in both bounds modes, return -1 exactly at a limit;
 * instantiation and host creation past one are refused with W2N_ERR_LIMIT;
 * the host's callbacks see each request; no limits means the old behaviour.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"
#include "wat_kit.h"

#define PAGE 65536

static const char *memory_wat =
    "(module (memory (export \"mem\") 1)\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"size\") (param i32) (result i32) (memory.size)))\n";

static const char *table_wat =
    "(module (table $t (export \"t\") 1 funcref)\n"
    "  (func (export \"grow\") (param i32) (result i32)\n"
    "    (table.grow $t (ref.null func) (local.get 0)))\n"
    "  (func (export \"size\") (param i32) (result i32) (table.size $t)))\n";

static const char *no_memory_wat = "(module (func (export \"f\")))\n";

static w2n_object *compile(const char *wat, w2n_bounds_mode mode) {
    uint8_t *wasm, *bytes;
    size_t wasm_size, size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.bounds = mode;
    w2n_error err;
    w2n_status s = w2n_compile(wasm, wasm_size, &opts, &bytes, &size, &err);
    free(wasm);
    cr_assert_eq(s, W2N_OK, "compile: %s", err.message);
    w2n_object *obj;
    s = w2n_object_load(bytes, size, &obj, &err);
    free(bytes);
    cr_assert_eq(s, W2N_OK, "load: %s", err.message);
    return obj;
}

static w2n_store *store_with(w2n_store_limits limits) {
    w2n_store_options o = {.limits = limits};
    w2n_store *s = w2n_store_new(&o);
    cr_assert_not_null(s);
    return s;
}

static w2n_status instantiate(w2n_store *s, const w2n_object *obj, w2n_instance **inst,
                              w2n_error *err) {
    w2n_trap trap;
    return w2n_instantiate(s, obj, NULL, 0, inst, &trap, err);
}

static w2n_instance *must_instantiate(w2n_store *s, const w2n_object *obj) {
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(instantiate(s, obj, &inst, &err), W2N_OK, "instantiate: %s", err.message);
    return inst;
}

/* Call an i32 -> i32 export. */
static int32_t call(w2n_store *s, w2n_instance *inst, const char *name, int32_t arg) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(inst, name, &ext), W2N_OK);
    w2n_value a = w2n_i32(arg), r;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_func_call(s, ext.of.func, &a, 1, &r, 1, &trap, &err), W2N_OK, "%s",
                 err.message);
    return r.of.i32;
}

static w2n_memory *memory_of(w2n_instance *inst) {
    w2n_memory *m = w2n_instance_memory(inst);
    cr_assert_not_null(m);
    return m;
}

static void memory_grow_at_limit(w2n_bounds_mode mode) {
    w2n_object *obj = compile(memory_wat, mode);
    w2n_store *s = store_with((w2n_store_limits){.max_memory = 4 * PAGE});
    w2n_instance *inst = must_instantiate(s, obj);
    cr_assert_eq(call(s, inst, "grow", 2), 1);
    cr_assert_eq(call(s, inst, "grow", 4), -1, "1 + 2 + 4 pages is past the limit");
    cr_assert_eq(call(s, inst, "grow", 1), 3, "exactly at the limit is allowed");
    cr_assert_eq(call(s, inst, "grow", 1), -1, "one page past it is not");
    cr_assert_eq(call(s, inst, "grow", 0), 4);
    cr_assert_eq(call(s, inst, "size", 0), 4);
    cr_assert_eq(w2n_memory_size(memory_of(inst)), 4 * PAGE);
    /* The host's w2n_memory_grow obeys the same limit. */
    cr_assert_eq(w2n_memory_grow(memory_of(inst), 1), -1);
    memset(w2n_memory_data(memory_of(inst)), 1, 4 * PAGE); /* all of it usable */
    w2n_store_free(s);
    w2n_object_free(obj);
}

Test(limits, memory_grow_stops_at_the_limit_guard) { memory_grow_at_limit(W2N_BOUNDS_GUARD); }
Test(limits, memory_grow_stops_at_the_limit_explicit) { memory_grow_at_limit(W2N_BOUNDS_EXPLICIT); }

static void table_grow_at_limit(w2n_bounds_mode mode) {
    w2n_object *obj = compile(table_wat, mode);
    w2n_store *s = store_with((w2n_store_limits){.max_table_elements = 10});
    w2n_instance *inst = must_instantiate(s, obj);
    cr_assert_eq(call(s, inst, "grow", 10), -1);
    cr_assert_eq(call(s, inst, "grow", 9), 1, "exactly at the limit is allowed");
    cr_assert_eq(call(s, inst, "grow", 1), -1);
    cr_assert_eq(call(s, inst, "grow", 0), 10);
    cr_assert_eq(call(s, inst, "size", 0), 10);
    w2n_store_free(s);
    w2n_object_free(obj);
}

Test(limits, table_grow_stops_at_the_limit_guard) { table_grow_at_limit(W2N_BOUNDS_GUARD); }
Test(limits, table_grow_stops_at_the_limit_explicit) { table_grow_at_limit(W2N_BOUNDS_EXPLICIT); }

Test(limits, no_limits_by_default) {
    w2n_object *mem = compile(memory_wat, W2N_BOUNDS_GUARD);
    w2n_object *tab = compile(table_wat, W2N_BOUNDS_EXPLICIT);
    w2n_store *s = w2n_store_new(NULL);
    w2n_instance *a = must_instantiate(s, mem), *b = must_instantiate(s, tab);
    cr_assert_eq(call(s, a, "grow", 1000), 1);
    cr_assert_eq(call(s, b, "grow", 100000), 1);
    for (int i = 0; i < 20; i++)
        must_instantiate(s, mem);
    w2n_store_free(s);
    /* Zeroed limits are the same as none. */
    s = store_with((w2n_store_limits){0});
    a = must_instantiate(s, mem);
    cr_assert_eq(call(s, a, "grow", 1000), 1);
    w2n_store_free(s);
    w2n_object_free(mem);
    w2n_object_free(tab);
}

static const char *five_pages_wat = "(module (memory 5) (table 3 funcref))\n";

Test(limits, instantiation_past_the_memory_limit_is_refused) {
    w2n_object *obj = compile(five_pages_wat, W2N_BOUNDS_GUARD);
    w2n_store *s = store_with((w2n_store_limits){.max_memory = 5 * PAGE - 1});
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(instantiate(s, obj, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_null(inst);
    cr_assert_str_eq(err.message, "the module's memory of 327680 bytes exceeds the memory "
                                  "limit of 327679 bytes");
    w2n_store_free(s);
    s = store_with((w2n_store_limits){.max_memory = 5 * PAGE});
    must_instantiate(s, obj); /* exactly at the limit */
    w2n_store_free(s);
    s = store_with((w2n_store_limits){.max_table_elements = 2});
    cr_assert_eq(instantiate(s, obj, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "table of 3 elements exceeds the limit of 2 elements");
    w2n_store_free(s);
    w2n_object_free(obj);
}

/* The memory limit is for all the store's memories together. */
Test(limits, memory_limit_counts_every_memory_of_the_store) {
    w2n_object *obj = compile(memory_wat, W2N_BOUNDS_EXPLICIT);
    w2n_store *s = store_with((w2n_store_limits){.max_memory = 3 * PAGE});
    w2n_instance *a = must_instantiate(s, obj), *b = must_instantiate(s, obj);
    cr_assert_eq(call(s, a, "grow", 1), 1);
    cr_assert_eq(call(s, b, "grow", 1), -1, "a's growth counts against b");
    w2n_instance *c;
    w2n_error err;
    cr_assert_eq(instantiate(s, obj, &c, &err), W2N_ERR_LIMIT);
    /* A host-made memory counts too. */
    w2n_limits one = {.min = 1};
    cr_assert_null(w2n_memory_new(s, one, W2N_BOUNDS_GUARD, &err));
    cr_assert_eq(err.code, W2N_ERR_LIMIT);
    cr_assert(strstr(err.message, "exceeds the memory limit of 196608 bytes"), "%s", err.message);
    w2n_store_free(s);
    w2n_object_free(obj);
}

Test(limits, instance_memory_and_table_counts) {
    w2n_object *mem = compile(memory_wat, W2N_BOUNDS_GUARD);
    w2n_object *tab = compile(table_wat, W2N_BOUNDS_GUARD);
    w2n_object *none = compile(no_memory_wat, W2N_BOUNDS_GUARD);
    w2n_instance *inst;
    w2n_error err;
    w2n_store *s = store_with((w2n_store_limits){.max_instances = 2});
    must_instantiate(s, none);
    must_instantiate(s, mem);
    cr_assert_eq(instantiate(s, none, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "too many instances: the store's limit is 2");
    w2n_store_free(s);

    s = store_with((w2n_store_limits){.max_memories = 1});
    must_instantiate(s, mem);
    must_instantiate(s, none); /* no memory: still fine */
    cr_assert_eq(instantiate(s, mem, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "too many memories: the store's limit is 1");
    w2n_limits one = {.min = 1};
    cr_assert_null(w2n_memory_new(s, one, W2N_BOUNDS_GUARD, &err));
    cr_assert_eq(err.code, W2N_ERR_LIMIT);
    w2n_store_free(s);

    s = store_with((w2n_store_limits){.max_tables = 1});
    w2n_tabletype tt = {.elem = W2N_FUNCREF, .limits = {.min = 1}};
    cr_assert_not_null(w2n_table_new(s, tt, NULL, &err)); /* the host's counts */
    cr_assert_eq(instantiate(s, tab, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "too many tables: the store's limit is 1");
    cr_assert_null(w2n_table_new(s, tt, NULL, &err));
    w2n_store_free(s);
    w2n_object_free(mem);
    w2n_object_free(tab);
    w2n_object_free(none);
}

/* Every memory of a multi-memory module counts, against the memory count and
 * the byte limit alike; growing memory 1 is bounded by what memory 0 holds. */
static const char *two_memories_wat =
    "(module (memory $a 1) (memory $b 1)\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow $b (local.get 0)))\n"
    "  (func (export \"size\") (param i32) (result i32) (memory.size $b)))\n";

Test(limits, every_memory_of_a_module_counts) {
    w2n_object *two = compile(two_memories_wat, W2N_BOUNDS_GUARD);
    w2n_instance *inst;
    w2n_error err;
    w2n_store *s = store_with((w2n_store_limits){.max_memories = 1});
    cr_assert_eq(instantiate(s, two, &inst, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "too many memories: the store's limit is 1");
    w2n_store_free(s);

    s = store_with((w2n_store_limits){.max_memory = PAGE});
    cr_assert_eq(instantiate(s, two, &inst, &err), W2N_ERR_LIMIT);
    w2n_store_free(s);

    s = store_with((w2n_store_limits){.max_memories = 2, .max_memory = 3 * PAGE});
    inst = must_instantiate(s, two);
    cr_assert_eq(call(s, inst, "grow", 2), -1, "1 + 1 + 2 pages is past the limit");
    cr_assert_eq(call(s, inst, "grow", 1), 1);
    cr_assert_eq(call(s, inst, "size", 0), 2);
    w2n_store_free(s);
    w2n_object_free(two);
}

/* A host limiter: records what it was asked, refuses past its own bound. */
typedef struct asked {
    int calls;
    uint64_t current, desired, maximum;
    uint64_t allow;
} asked;

static bool growing(void *data, uint64_t current, uint64_t desired, uint64_t maximum) {
    asked *a = data;
    a->calls++;
    a->current = current;
    a->desired = desired;
    a->maximum = maximum;
    return desired <= a->allow;
}

Test(limits, host_callbacks_see_every_request_and_may_refuse) {
    w2n_object *obj = compile(memory_wat, W2N_BOUNDS_GUARD);
    asked a = {.allow = 3 * PAGE};
    w2n_store *s = store_with((w2n_store_limits){.memory_growing = growing, .data = &a});
    w2n_instance *inst = must_instantiate(s, obj);
    cr_assert_eq(a.calls, 1, "asked at creation");
    cr_assert_eq(a.current, 0);
    cr_assert_eq(a.desired, PAGE);
    cr_assert_eq(a.maximum, 65536ull * PAGE, "no declared maximum: the spec's");
    cr_assert_eq(call(s, inst, "grow", 2), 1);
    cr_assert_eq(a.calls, 2);
    cr_assert_eq(a.current, PAGE);
    cr_assert_eq(a.desired, 3 * PAGE);
    cr_assert_eq(call(s, inst, "grow", 1), -1);
    cr_assert_eq(call(s, inst, "grow", 0), 3, "a grow by 0 asks nothing");
    cr_assert_eq(a.calls, 3);
    /* Refused at creation: W2N_ERR_LIMIT. */
    a.allow = 0;
    w2n_instance *again;
    w2n_error err;
    cr_assert_eq(instantiate(s, obj, &again, &err), W2N_ERR_LIMIT);
    cr_assert_str_eq(err.message, "the host's limiter refused a linear memory of 65536 bytes");
    w2n_store_free(s);
    w2n_object_free(obj);

    obj = compile(table_wat, W2N_BOUNDS_EXPLICIT);
    asked t = {.allow = 5};
    s = store_with(
        (w2n_store_limits){.table_growing = growing, .data = &t, .max_table_elements = 4});
    inst = must_instantiate(s, obj);
    cr_assert_eq(t.calls, 1);
    cr_assert_eq(call(s, inst, "grow", 4), -1, "the numbers refuse first");
    cr_assert_eq(t.calls, 1, "so the callback is not asked");
    cr_assert_eq(call(s, inst, "grow", 3), 1);
    cr_assert_eq(t.calls, 2);
    cr_assert_eq(t.current, 1);
    cr_assert_eq(t.desired, 4);
    cr_assert_eq(t.maximum, UINT32_MAX);
    w2n_store_free(s);
    w2n_object_free(obj);
}
