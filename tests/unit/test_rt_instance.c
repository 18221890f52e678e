/*
 * test_rt_instance.c — instantiation: imports and their checks, function
 * records, shared globals and tables, segments in spec order with partial
 * effects on trap, start functions, bulk-memory and table helpers.
 */
#include <criterion/criterion.h>

#include "rt_testkit.h"

typedef int32_t (*fn_ii_i)(w2n_vmctx *, int32_t, int32_t);
typedef int32_t (*fn_i_i)(w2n_vmctx *, int32_t);

/* ---- module "lib": add, get_g, load8; table, memory, mutable global ----------- */

TEST_CODE static int32_t lib_add(w2n_vmctx *vm, int32_t a, int32_t b) { return a + b; }
TEST_CODE static void lib_add_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = lib_add(vm, s[0].i32, s[1].i32);
}
TEST_CODE static int32_t lib_get_g(w2n_vmctx *vm) { return *(int32_t *)vm->globals[0]; }
TEST_CODE static void lib_get_g_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = lib_get_g(vm); }
TEST_CODE static int32_t lib_load8(w2n_vmctx *vm, int32_t a) {
    return vm->memory->base[(uint32_t)a];
}
TEST_CODE static void lib_load8_t(w2n_vmctx *vm, w2n_raw *s) { s[0].i32 = lib_load8(vm, s[0].i32); }

static void *lib_code[] = {(void *)lib_add, (void *)lib_get_g, (void *)lib_load8};
static w2n_tramp_fn lib_tramps[] = {lib_add_t, lib_get_g_t, lib_load8_t};

static w2n_object *lib_object(void) {
    static uint32_t ftypes[] = {T_II_I, T_V_I, T_I_I};
    static w2n_tabletype tabs[] = {{W2N_FUNCREF, {.min = 4, .max = 10, .has_max = true}}};
    static w2n_limits mems[] = {{.min = 1, .max = 2, .has_max = true}};
    static w2n_meta_global globs[] = {{{W2N_I32, true}, {W2N_CONST_I32, 0, {7, 0}}}};
    static w2n_meta_export exps[] = {
        {"add", 3, W2N_EXTERN_FUNC, 0},   {"get_g", 5, W2N_EXTERN_FUNC, 1},
        {"load8", 5, W2N_EXTERN_FUNC, 2}, {"g", 1, W2N_EXTERN_GLOBAL, 0},
        {"tab", 3, W2N_EXTERN_TABLE, 0},  {"mem", 3, W2N_EXTERN_MEMORY, 0},
    };
    static w2n_const_expr items[] = {{W2N_CONST_REF_FUNC, 0, {0, 0}},
                                     {W2N_CONST_REF_FUNC, 1, {0, 0}}};
    static w2n_meta_elem elems[] = {
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {1, 0}}, 2, items}};
    static uint8_t hello[] = "hello";
    static w2n_meta_data datas[] = {{W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {8, 0}}, 5, hello}};
    w2n_meta m = kit_meta();
    m.nfuncs = 3;
    m.func_types = ftypes;
    m.ntables = 1;
    m.tables = tabs;
    m.nmemories = 1;
    m.memories = mems;
    m.nglobals = 1;
    m.globals = globs;
    m.nexports = 6;
    m.exports = exps;
    m.nelems = 1;
    m.elems = elems;
    m.ndatas = 1;
    m.datas = datas;
    return kit_object(&m, lib_code, lib_tramps, NULL);
}

/* ---- module "user": imports lib's things and a host function ------------------- */

TEST_CODE static int32_t user_adapter0(w2n_vmctx *vm, int32_t a, int32_t b) {
    w2n_raw s[2] = {{.i32 = a}, {.i32 = b}};
    vm->helpers->call_host(vm, 0, s);
    return s[0].i32;
}
TEST_CODE static int32_t user_adapter1(w2n_vmctx *vm, int32_t a) {
    w2n_raw s[1] = {{.i32 = a}};
    vm->helpers->call_host(vm, 1, s);
    return s[0].i32;
}
TEST_CODE static int32_t user_call_add(w2n_vmctx *vm, int32_t a, int32_t b) {
    w2n_func *f = vm->funcs[0];
    return ((fn_ii_i)f->code)(f->vmctx, a, b);
}
TEST_CODE static void user_call_add_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = user_call_add(vm, s[0].i32, s[1].i32);
}
TEST_CODE static int32_t user_call_double(w2n_vmctx *vm, int32_t a) {
    w2n_func *f = vm->funcs[1];
    return ((fn_i_i)f->code)(f->vmctx, a);
}
TEST_CODE static void user_call_double_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = user_call_double(vm, s[0].i32);
}
TEST_CODE static int32_t user_set_g(w2n_vmctx *vm, int32_t v) {
    *(int32_t *)vm->globals[0] = v;
    return v;
}
TEST_CODE static void user_set_g_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = user_set_g(vm, s[0].i32);
}
TEST_CODE static int32_t user_call_ind(w2n_vmctx *vm, int32_t i, int32_t a, int32_t b) {
    w2n_table_abi *t = vm->tables[0];
    if ((uint32_t)i >= t->size)
        vm->helpers->trap(vm, W2N_TRAP_UNDEFINED_ELEMENT);
    w2n_func *f = t->elems[i];
    if (!f)
        vm->helpers->trap(vm, W2N_TRAP_UNINITIALIZED);
    if (f->type_id != vm->type_ids[T_II_I])
        vm->helpers->trap(vm, W2N_TRAP_INDIRECT_TYPE);
    return ((fn_ii_i)f->code)(f->vmctx, a, b);
}
TEST_CODE static void user_call_ind_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = user_call_ind(vm, s[0].i32, s[1].i32, s[2].i32);
}
TEST_CODE static void user_start(w2n_vmctx *vm) { *(int32_t *)vm->globals[0] += 100; }
TEST_CODE static void user_start_t(w2n_vmctx *vm, w2n_raw *s) { user_start(vm); }

static void *user_code[] = {(void *)user_call_add, (void *)user_call_double, (void *)user_set_g,
                            (void *)user_call_ind, (void *)user_start};
static w2n_tramp_fn user_tramps[] = {user_call_add_t, user_call_double_t, user_set_g_t,
                                     user_call_ind_t, user_start_t};
static void *user_adapters[] = {(void *)user_adapter0, (void *)user_adapter1};

static w2n_meta_import user_imports[] = {
    {.module = "lib", .name = "add", .kind = W2N_EXTERN_FUNC, .func_type = T_II_I},
    {.module = "host", .name = "double", .kind = W2N_EXTERN_FUNC, .func_type = T_I_I},
    {.module = "lib", .name = "g", .kind = W2N_EXTERN_GLOBAL, .global = {W2N_I32, true}},
    {.module = "lib",
     .name = "tab",
     .kind = W2N_EXTERN_TABLE,
     .table = {W2N_FUNCREF, {.min = 4, .max = 0, .has_max = false}}},
    {.module = "lib",
     .name = "mem",
     .kind = W2N_EXTERN_MEMORY,
     .memory = {.min = 1, .max = 0, .has_max = false}},
};

static w2n_meta user_meta(void) {
    static uint32_t ftypes[] = {T_II_I, T_I_I, T_I_I, T_III_I, T_V_V};
    static w2n_meta_export exps[] = {
        {"call_add", 8, W2N_EXTERN_FUNC, 2}, {"call_double", 11, W2N_EXTERN_FUNC, 3},
        {"set_g", 5, W2N_EXTERN_FUNC, 4},    {"call_ind", 8, W2N_EXTERN_FUNC, 5},
        {"double", 6, W2N_EXTERN_FUNC, 1},   {"add_again", 9, W2N_EXTERN_FUNC, 0},
    };
    static w2n_const_expr items[] = {{W2N_CONST_REF_FUNC, 4, {0, 0}}}; /* set_g: wrong type */
    static w2n_meta_elem elems[] = {
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {0, 0}}, 1, items}};
    static uint8_t xyz[] = "xyz";
    static w2n_meta_data datas[] = {{W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {100, 0}}, 3, xyz}};
    w2n_meta m = kit_meta();
    m.nimports = 5;
    m.imports = user_imports;
    m.nfuncs = 5;
    m.func_types = ftypes;
    m.nexports = 6;
    m.exports = exps;
    m.nelems = 1;
    m.elems = elems;
    m.ndatas = 1;
    m.datas = datas;
    m.start = 6;
    return m;
}

static w2n_instance *last_caller;
static void host_double(void *data, w2n_instance *caller, w2n_raw *s) {
    last_caller = caller;
    s[0].i32 *= 2 * (data ? *(int *)data : 1);
}

typedef struct fixture {
    w2n_store *store;
    w2n_linker *linker;
    w2n_object *lib_obj, *user_obj;
    w2n_instance *lib, *user;
} fixture;

static int32_t call_i32(w2n_store *store, w2n_instance *inst, const char *name, int n, int32_t a,
                        int32_t b, int32_t c, w2n_trap *trap, w2n_status *st_out) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(inst, name, &ext), W2N_OK, "export %s", name);
    cr_assert_eq(ext.kind, W2N_EXTERN_FUNC);
    w2n_value args[3] = {w2n_i32(a), w2n_i32(b), w2n_i32(c)}, r = w2n_i32(-1);
    w2n_error err;
    w2n_status st = w2n_func_call(store, ext.of.func, args, (uint32_t)n, &r, 1, trap, &err);
    if (st_out)
        *st_out = st;
    else
        cr_assert_eq(st, W2N_OK, "%s: %s", name, err.message);
    return r.of.i32;
}

static void setup(fixture *f, bool with_user) {
    w2n_error err;
    w2n_trap trap;
    kit_register_code();
    f->store = w2n_store_new(NULL);
    f->linker = w2n_linker_new(f->store);
    f->lib_obj = lib_object();
    cr_assert_not_null(f->lib_obj);
    cr_assert_eq(w2n_linker_instantiate(f->linker, f->lib_obj, &f->lib, &trap, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(w2n_linker_define_instance(f->linker, "lib", f->lib, &err), W2N_OK);
    w2n_functype t = kit_types[T_I_I];
    w2n_extern dbl = {W2N_EXTERN_FUNC,
                      {.func = w2n_host_func_new(f->store, &t, host_double, NULL)}};
    cr_assert_eq(w2n_linker_define(f->linker, "host", "double", dbl, &err), W2N_OK);
    if (!with_user)
        return;
    w2n_meta m = user_meta();
    f->user_obj = kit_object(&m, user_code, user_tramps, user_adapters);
    cr_assert_eq(w2n_linker_instantiate(f->linker, f->user_obj, &f->user, &trap, &err), W2N_OK,
                 "%s", err.message);
}

static void teardown(fixture *f) {
    w2n_linker_free(f->linker);
    w2n_store_free(f->store);
    w2n_object_free(f->lib_obj);
    w2n_object_free(f->user_obj);
}

Test(rt_instance, lib_alone) {
    fixture f = {0};
    setup(&f, false);
    cr_assert_eq(call_i32(f.store, f.lib, "add", 2, 2, 3, 0, NULL, NULL), 5);
    cr_assert_eq(call_i32(f.store, f.lib, "get_g", 0, 0, 0, 0, NULL, NULL), 7);
    cr_assert_eq(call_i32(f.store, f.lib, "load8", 1, 8, 0, 0, NULL, NULL), 'h');
    cr_assert_eq(call_i32(f.store, f.lib, "load8", 1, 12, 0, 0, NULL, NULL), 'o');
    w2n_extern tab, g, add;
    w2n_instance_export(f.lib, "tab", &tab);
    w2n_instance_export(f.lib, "g", &g);
    w2n_instance_export(f.lib, "add", &add);
    cr_assert_eq(w2n_table_size(tab.of.table), 4);
    cr_assert_eq(tab.of.table->abi.elems[1], add.of.func, "ref.func gives the export's record");
    cr_assert_null(tab.of.table->abi.elems[0]);
    cr_assert_eq(w2n_global_get(g.of.global).of.i32, 7);
    cr_assert_eq(w2n_instance_export(f.lib, "nope", &g), W2N_ERR_ARGUMENT);
    w2n_memory *mem = w2n_instance_memory(f.lib);
    cr_assert_eq(memcmp(w2n_memory_data(mem) + 8, "hello", 5), 0);
    /* vmctx invariants */
    w2n_vmctx *vm = &f.lib->vmctx;
    cr_assert_eq(vm->memory, &mem->abi);
    cr_assert_eq(vm->helpers, &w2n_runtime_helpers);
    cr_assert_eq(vm->instance, f.lib);
    cr_assert_eq(vm->funcs[0], add.of.func);
    cr_assert_eq(add.of.func->vmctx, vm);
    cr_assert_eq(add.of.func->code, (void *)lib_add);
    teardown(&f);
}

Test(rt_instance, imports_of_every_kind) {
    fixture f = {0};
    setup(&f, true);
    /* The start function added 100 to lib's global through the import. */
    cr_assert_eq(call_i32(f.store, f.lib, "get_g", 0, 0, 0, 0, NULL, NULL), 107);
    cr_assert_eq(call_i32(f.store, f.user, "call_add", 2, 4, 5, 0, NULL, NULL), 9);
    last_caller = NULL;
    cr_assert_eq(call_i32(f.store, f.user, "call_double", 1, 21, 0, 0, NULL, NULL), 42);
    cr_assert_eq(last_caller, f.user, "host sees the calling instance");
    cr_assert_eq(call_i32(f.store, f.user, "set_g", 1, 55, 0, 0, NULL, NULL), 55);
    cr_assert_eq(call_i32(f.store, f.lib, "get_g", 0, 0, 0, 0, NULL, NULL), 55, "global shared");
    cr_assert_eq(memcmp(w2n_memory_data(w2n_instance_memory(f.lib)) + 100, "xyz", 3), 0);
    cr_assert_eq(w2n_instance_memory(f.user), w2n_instance_memory(f.lib));
    /* An imported Wasm function is the exporter's record itself. */
    w2n_extern a1, a2;
    w2n_instance_export(f.lib, "add", &a1);
    w2n_instance_export(f.user, "add_again", &a2);
    cr_assert_eq(a1.of.func, a2.of.func);
    cr_assert_eq(f.user->vmctx.type_ids[T_II_I], a1.of.func->type_id);
    teardown(&f);
}

Test(rt_instance, call_indirect_through_shared_table) {
    fixture f = {0};
    setup(&f, true);
    w2n_trap trap;
    w2n_status st;
    cr_assert_eq(call_i32(f.store, f.user, "call_ind", 3, 1, 2, 3, NULL, NULL), 5);
    call_i32(f.store, f.user, "call_ind", 3, 0, 2, 3, &trap, &st);
    cr_assert_eq(st, W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "indirect call type mismatch");
    call_i32(f.store, f.user, "call_ind", 3, 3, 2, 3, &trap, &st);
    cr_assert_eq(trap.code, W2N_TRAP_UNINITIALIZED);
    cr_assert_str_eq(trap.message, "uninitialized element");
    call_i32(f.store, f.user, "call_ind", 3, 4, 2, 3, &trap, &st);
    cr_assert_str_eq(trap.message, "undefined element");
    cr_assert_eq(call_i32(f.store, f.user, "call_ind", 3, 1, 20, 3, NULL, NULL), 23);
    teardown(&f);
}

Test(rt_instance, reexported_host_function) {
    fixture f = {0};
    setup(&f, true);
    w2n_extern dbl;
    cr_assert_eq(w2n_instance_export(f.user, "double", &dbl), W2N_OK);
    w2n_value arg = w2n_i32(8), r;
    last_caller = NULL;
    cr_assert_eq(w2n_func_call(f.store, dbl.of.func, &arg, 1, &r, 1, NULL, NULL), W2N_OK);
    cr_assert_eq(r.of.i32, 16);
    cr_assert_eq(last_caller, f.user);
    w2n_functype t = w2n_func_type(f.store, dbl.of.func);
    cr_assert_eq(t.nparams, 1);
    cr_assert_eq(t.nresults, 1);
    cr_assert_eq(t.params[0], W2N_I32);
    teardown(&f);
}

static w2n_status instantiate_user_with(fixture *f, int which, w2n_extern replacement,
                                        w2n_error *err) {
    w2n_extern imps[5];
    w2n_instance_export(f->lib, "add", &imps[0]);
    w2n_functype t = kit_types[T_I_I];
    imps[1].kind = W2N_EXTERN_FUNC;
    imps[1].of.func = w2n_host_func_new(f->store, &t, host_double, NULL);
    w2n_instance_export(f->lib, "g", &imps[2]);
    w2n_instance_export(f->lib, "tab", &imps[3]);
    w2n_instance_export(f->lib, "mem", &imps[4]);
    imps[which] = replacement;
    w2n_meta m = user_meta();
    if (!f->user_obj)
        f->user_obj = kit_object(&m, user_code, user_tramps, user_adapters);
    w2n_instance *inst = NULL;
    w2n_trap trap;
    w2n_status st = w2n_instantiate(f->store, f->user_obj, imps, 5, &inst, &trap, err);
    if (st != W2N_OK)
        cr_assert_null(inst);
    return st;
}

Test(rt_instance, import_checks) {
    fixture f = {0};
    setup(&f, false);
    w2n_error err;
    w2n_extern e;
    /* Baseline: everything right. */
    w2n_instance_export(f.lib, "add", &e);
    cr_assert_eq(instantiate_user_with(&f, 0, e, &err), W2N_OK, "%s", err.message);
    /* A global where a function is expected. */
    w2n_instance_export(f.lib, "g", &e);
    cr_assert_eq(instantiate_user_with(&f, 0, e, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "incompatible import type"), "%s", err.message);
    /* A function of another signature. */
    w2n_instance_export(f.lib, "get_g", &e);
    cr_assert_eq(instantiate_user_with(&f, 0, e, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "incompatible import type"), "%s", err.message);
    /* An immutable global where a mutable one is expected. */
    e.kind = W2N_EXTERN_GLOBAL;
    e.of.global = w2n_global_new(f.store, (w2n_globaltype){W2N_I32, false}, w2n_i32(1));
    cr_assert_eq(instantiate_user_with(&f, 2, e, &err), W2N_ERR_LINK);
    /* A global of another type. */
    e.of.global = w2n_global_new(f.store, (w2n_globaltype){W2N_I64, true}, w2n_i64(1));
    cr_assert_eq(instantiate_user_with(&f, 2, e, &err), W2N_ERR_LINK);
    /* A table too small, or of externrefs. */
    e.kind = W2N_EXTERN_TABLE;
    e.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 3, .max = 0, .has_max = false}}, NULL, &err);
    cr_assert_eq(instantiate_user_with(&f, 3, e, &err), W2N_ERR_LINK);
    e.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_EXTERNREF, {.min = 4, .max = 0, .has_max = false}}, NULL,
        &err);
    cr_assert_eq(instantiate_user_with(&f, 3, e, &err), W2N_ERR_LINK);
    /* A memory of zero pages. */
    e.kind = W2N_EXTERN_MEMORY;
    e.of.memory = w2n_memory_new(f.store, kit_limits(0, -1), W2N_BOUNDS_GUARD, &err);
    cr_assert_eq(instantiate_user_with(&f, 4, e, &err), W2N_ERR_LINK);
    /* Guard-page code cannot use an explicit-bounds memory. */
    e.of.memory = w2n_memory_new(f.store, kit_limits(1, -1), W2N_BOUNDS_EXPLICIT, &err);
    cr_assert_eq(instantiate_user_with(&f, 4, e, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "explicit"), "%s", err.message);
    /* Wrong import count. */
    w2n_instance *inst;
    cr_assert_eq(w2n_instantiate(f.store, f.user_obj, NULL, 0, &inst, NULL, &err), W2N_ERR_LINK);
    teardown(&f);
}

Test(rt_instance, limits_subtyping) {
    fixture f = {0};
    setup(&f, false);
    w2n_error err;
    w2n_extern e = {W2N_EXTERN_MEMORY, {0}};
    /* Bigger and bounded is fine for "min 1, no max". */
    e.of.memory = w2n_memory_new(f.store, kit_limits(3, 5), W2N_BOUNDS_GUARD, &err);
    cr_assert_eq(instantiate_user_with(&f, 4, e, &err), W2N_OK, "%s", err.message);
    /* A table import with a maximum requires the actual maximum to be within. */
    static w2n_meta_import imps[] = {
        {.module = "a",
         .name = "t",
         .kind = W2N_EXTERN_TABLE,
         .table = {W2N_FUNCREF, {.min = 1, .max = 5, .has_max = true}}}};
    w2n_meta m = kit_meta();
    m.nimports = 1;
    m.imports = imps;
    w2n_object *obj = kit_object(&m, NULL, NULL, NULL);
    w2n_instance *inst;
    w2n_extern t = {W2N_EXTERN_TABLE, {0}};
    t.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 2, .max = 5, .has_max = true}}, NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, &t, 1, &inst, NULL, &err), W2N_OK);
    t.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 2, .max = 6, .has_max = true}}, NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, &t, 1, &inst, NULL, &err), W2N_ERR_LINK);
    t.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 2, .max = 0, .has_max = false}}, NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, &t, 1, &inst, NULL, &err), W2N_ERR_LINK);
    /* A 64-bit table never satisfies a 32-bit import. */
    t.of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 2, .max = 5, .has_max = true, .is64 = true}},
        NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, &t, 1, &inst, NULL, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "index types differ"), "%s", err.message);
    teardown(&f);
    w2n_object_free(obj);
}

/* table64 and memory64 imports: same index type, and a table's declared
 * maximum, not the runtime's 2^32 - 1 cap, is what an import's maximum sees. */
Test(rt_instance, imports_of_64bit_tables_and_memories) {
    fixture f = {0};
    f.store = w2n_store_new(NULL);
    w2n_error err;
    static w2n_meta_import imps[] = {
        {.module = "a",
         .name = "t",
         .kind = W2N_EXTERN_TABLE,
         .table = {W2N_FUNCREF,
                   {.min = 1, .max = UINT64_C(1) << 33, .has_max = true, .is64 = true}}},
        {.module = "a",
         .name = "m",
         .kind = W2N_EXTERN_MEMORY,
         .memory = {.min = 1, .max = 0, .has_max = false, .is64 = true}}};
    w2n_meta m = kit_meta();
    m.nimports = 2;
    m.imports = imps;
    w2n_object *obj = kit_object(&m, NULL, NULL, NULL);
    w2n_instance *inst;
    w2n_extern ext[2] = {{W2N_EXTERN_TABLE, {0}}, {W2N_EXTERN_MEMORY, {0}}};
    ext[1].of.memory =
        w2n_memory_new(f.store, (w2n_limits){.min = 1, .is64 = true}, W2N_BOUNDS_GUARD, &err);
    cr_assert_not_null(ext[1].of.memory, "%s", err.message);
    ext[0].of.table = w2n_table_new(
        f.store,
        (w2n_tabletype){W2N_FUNCREF,
                        {.min = 1, .max = UINT64_C(1) << 33, .has_max = true, .is64 = true}},
        NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, ext, 2, &inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    ext[0].of.table = w2n_table_new(
        f.store,
        (w2n_tabletype){W2N_FUNCREF,
                        {.min = 1, .max = UINT64_C(1) << 40, .has_max = true, .is64 = true}},
        NULL, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, ext, 2, &inst, NULL, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "table limits do not match"), "%s", err.message);
    ext[0].of.table = w2n_table_new(
        f.store, (w2n_tabletype){W2N_FUNCREF, {.min = 1, .max = 5, .has_max = true, .is64 = true}},
        NULL, &err);
    ext[1].of.memory = w2n_memory_new(f.store, kit_limits(1, -1), W2N_BOUNDS_GUARD, &err);
    cr_assert_eq(w2n_instantiate(f.store, obj, ext, 2, &inst, NULL, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "memory index types differ"), "%s", err.message);
    teardown(&f);
    w2n_object_free(obj);
}

Test(rt_instance, unknown_import) {
    fixture f = {0};
    w2n_error err;
    w2n_trap trap;
    kit_register_code();
    f.store = w2n_store_new(NULL);
    f.linker = w2n_linker_new(f.store);
    w2n_meta m = user_meta();
    f.user_obj = kit_object(&m, user_code, user_tramps, user_adapters);
    cr_assert_eq(w2n_linker_instantiate(f.linker, f.user_obj, &f.user, &trap, &err), W2N_ERR_LINK);
    cr_assert(strstr(err.message, "unknown import"), "%s", err.message);
    cr_assert(strstr(err.message, "lib"), "%s", err.message);
    cr_assert_null(f.user);
    teardown(&f);
}

/* ---- segments: spec order, earlier effects stay when a later one traps -------- */

TEST_CODE static int32_t bad_plus100(w2n_vmctx *vm, int32_t a, int32_t b) { return a + b + 100; }
TEST_CODE static void bad_plus100_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = bad_plus100(vm, s[0].i32, s[1].i32);
}

static w2n_meta_import bad_imports[] = {
    {.module = "lib",
     .name = "tab",
     .kind = W2N_EXTERN_TABLE,
     .table = {W2N_FUNCREF, {.min = 4, .max = 0, .has_max = false}}},
    {.module = "lib",
     .name = "mem",
     .kind = W2N_EXTERN_MEMORY,
     .memory = {.min = 1, .max = 0, .has_max = false}},
};
static void *bad_code[] = {(void *)bad_plus100};
static w2n_tramp_fn bad_tramps[] = {bad_plus100_t};

Test(rt_instance, elem_segment_trap_keeps_earlier_effects) {
    fixture f = {0};
    setup(&f, true);
    static uint32_t ftypes[] = {T_II_I};
    static w2n_const_expr items[] = {{W2N_CONST_REF_FUNC, 0, {0, 0}},
                                     {W2N_CONST_REF_FUNC, 0, {0, 0}}};
    static w2n_meta_elem elems[] = {
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {2, 0}}, 1, items},
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {3, 0}}, 2, items},
    };
    static uint8_t ab[] = "AB";
    static w2n_meta_data datas[] = {{W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {0, 0}}, 2, ab}};
    w2n_meta m = kit_meta();
    m.nimports = 2;
    m.imports = bad_imports;
    m.nfuncs = 1;
    m.func_types = ftypes;
    m.nelems = 2;
    m.elems = elems;
    m.ndatas = 1;
    m.datas = datas;
    w2n_object *obj = kit_object(&m, bad_code, bad_tramps, NULL);
    w2n_instance *inst = (w2n_instance *)1;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_linker_instantiate(f.linker, obj, &inst, &trap, &err), W2N_ERR_TRAP);
    cr_assert_null(inst);
    cr_assert_str_eq(trap.message, "out of bounds table access");
    /* The first segment took effect; the data segment after it did not. */
    cr_assert_eq(call_i32(f.store, f.user, "call_ind", 3, 2, 1, 1, NULL, NULL), 102);
    cr_assert_neq(w2n_memory_data(w2n_instance_memory(f.lib))[0], 'A');
    teardown(&f);
    w2n_object_free(obj);
}

Test(rt_instance, data_segment_trap_keeps_earlier_effects) {
    fixture f = {0};
    setup(&f, true);
    static uint8_t ab[] = "AB", cd[] = "CD";
    static w2n_meta_data datas[] = {
        {W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {0, 0}}, 2, ab},
        {W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {65535, 0}}, 2, cd},
    };
    w2n_meta m = kit_meta();
    m.nimports = 2;
    m.imports = bad_imports;
    m.ndatas = 2;
    m.datas = datas;
    w2n_object *obj = kit_object(&m, NULL, NULL, NULL);
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    cr_assert_eq(w2n_linker_instantiate(f.linker, obj, &inst, &trap, &err), W2N_ERR_TRAP);
    cr_assert_str_eq(trap.message, "out of bounds memory access");
    uint8_t *mem = w2n_memory_data(w2n_instance_memory(f.lib));
    cr_assert_eq(memcmp(mem, "AB", 2), 0);
    cr_assert_eq(mem[65535], 0, "nothing of the failing segment is written");
    teardown(&f);
    w2n_object_free(obj);
}

/* ---- start functions ------------------------------------------------------------- */

TEST_CODE static void start_traps(w2n_vmctx *vm) { vm->helpers->trap(vm, W2N_TRAP_UNREACHABLE); }
TEST_CODE static void start_traps_t(w2n_vmctx *vm, w2n_raw *s) { start_traps(vm); }

Test(rt_instance, trapping_start_function) {
    kit_register_code();
    static uint32_t ftypes[] = {T_V_V};
    static void *code[] = {(void *)start_traps};
    static w2n_tramp_fn tramps[] = {start_traps_t};
    w2n_meta m = kit_meta();
    m.nfuncs = 1;
    m.func_types = ftypes;
    m.start = 0;
    w2n_object *obj = kit_object(&m, code, tramps, NULL);
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    w2n_trap trap;
    w2n_error err;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err), W2N_ERR_TRAP);
        cr_assert_null(inst);
        cr_assert_eq(trap.code, W2N_TRAP_UNREACHABLE);
        cr_assert_str_eq(trap.message, "unreachable");
    }
    w2n_store_free(store);
    w2n_object_free(obj);
}

static int start_host_calls;
static void host_start(void *data, w2n_instance *caller, w2n_raw *s) { start_host_calls++; }
TEST_CODE static void adapter_v_v(w2n_vmctx *vm) { vm->helpers->call_host(vm, 0, NULL); }

Test(rt_instance, start_function_is_an_imported_host_function) {
    static w2n_meta_import imps[] = {
        {.module = "h", .name = "s", .kind = W2N_EXTERN_FUNC, .func_type = T_V_V}};
    static void *adapters[] = {(void *)adapter_v_v};
    w2n_meta m = kit_meta();
    m.nimports = 1;
    m.imports = imps;
    m.start = 0;
    w2n_object *obj = kit_object(&m, NULL, NULL, adapters);
    w2n_store *store = w2n_store_new(NULL);
    w2n_functype t = kit_types[T_V_V];
    w2n_extern e = {W2N_EXTERN_FUNC, {.func = w2n_host_func_new(store, &t, host_start, NULL)}};
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, &e, 1, &inst, NULL, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(start_host_calls, 1);
    w2n_store_free(store);
    w2n_object_free(obj);
}

/* ---- bulk memory and table helpers -------------------------------------------------- */

TEST_CODE static int32_t bulk(w2n_vmctx *vm, int32_t op, int32_t sx, int32_t sy, int32_t sz) {
    const w2n_helpers *h = vm->helpers;
    /* i32 operands reach the helpers zero-extended, as compiled code passes them. */
    uint32_t x = (uint32_t)sx, y = (uint32_t)sy, z = (uint32_t)sz;
    switch (op) {
    case 0: h->memory_init(vm, 0, 1, x, y, z); break;
    case 1: h->data_drop(vm, 1); break;
    case 2: h->memory_copy(vm, 0, 0, x, y, z); break;
    case 3: h->memory_fill(vm, 0, x, y, z); break;
    case 4: h->table_init(vm, 0, 1, x, y, z); break;
    case 5: h->elem_drop(vm, 1); break;
    case 6: h->table_copy(vm, 0, 0, x, y, z); break;
    case 7: h->table_fill(vm, 0, x, NULL, y); break;
    case 8: return (int32_t)h->memory_grow(vm, 0, x);
    case 9: return (int32_t)h->table_grow(vm, 0, vm->funcs[0], x);
    case 10: h->table_init(vm, 0, 0, x, y, z); break; /* an active (dropped) segment */
    }
    return 0;
}
TEST_CODE static void bulk_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = bulk(vm, s[0].i32, s[1].i32, s[2].i32, s[3].i32);
}

typedef struct bulk_fx {
    w2n_store *store;
    w2n_object *obj;
    w2n_instance *inst;
    w2n_func *fn;
    uint8_t *mem;
    w2n_table *tab;
} bulk_fx;

static void bulk_setup(bulk_fx *b) {
    kit_register_code();
    static uint32_t ftypes[] = {T_IIII_I};
    static void *code[] = {(void *)bulk};
    static w2n_tramp_fn tramps[] = {bulk_t};
    static w2n_tabletype tabs[] = {{W2N_FUNCREF, {.min = 4, .max = 6, .has_max = true}}};
    static w2n_limits mems[] = {{.min = 1, .max = 2, .has_max = true}};
    static w2n_const_expr items[] = {{W2N_CONST_REF_FUNC, 0, {0, 0}},
                                     {W2N_CONST_REF_NULL, W2N_FUNCREF, {0, 0}},
                                     {W2N_CONST_REF_FUNC, 0, {0, 0}}};
    static w2n_meta_elem elems[] = {
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {0, 0}}, 1, items},
        {W2N_SEGMENT_PASSIVE, W2N_FUNCREF, 0, {0, 0, {0, 0}}, 3, items},
    };
    static uint8_t d0[] = "ab", d1[] = "0123456789";
    static w2n_meta_data datas[] = {
        {W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {0, 0}}, 2, d0},
        {W2N_SEGMENT_PASSIVE, 0, {0, 0, {0, 0}}, 10, d1},
    };
    static w2n_meta_export exps[] = {{"bulk", 4, W2N_EXTERN_FUNC, 0},
                                     {"t", 1, W2N_EXTERN_TABLE, 0}};
    w2n_meta m = kit_meta();
    m.nfuncs = 1;
    m.func_types = ftypes;
    m.ntables = 1;
    m.tables = tabs;
    m.nmemories = 1;
    m.memories = mems;
    m.nelems = 2;
    m.elems = elems;
    m.ndatas = 2;
    m.datas = datas;
    m.nexports = 2;
    m.exports = exps;
    b->obj = kit_object(&m, code, tramps, NULL);
    b->store = w2n_store_new(NULL);
    w2n_error err;
    cr_assert_eq(w2n_instantiate(b->store, b->obj, NULL, 0, &b->inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_extern e;
    w2n_instance_export(b->inst, "bulk", &e);
    b->fn = e.of.func;
    w2n_instance_export(b->inst, "t", &e);
    b->tab = e.of.table;
    b->mem = w2n_memory_data(w2n_instance_memory(b->inst));
}

static void bulk_teardown(bulk_fx *b) {
    w2n_store_free(b->store);
    w2n_object_free(b->obj);
}

/* W2N_TRAP_NONE, or the trap of the call. */
static w2n_trap_code op(bulk_fx *b, int o, int32_t x, int32_t y, int32_t z, int32_t *result) {
    w2n_value args[4] = {w2n_i32(o), w2n_i32(x), w2n_i32(y), w2n_i32(z)}, r;
    w2n_trap trap;
    w2n_status st = w2n_func_call(b->store, b->fn, args, 4, &r, 1, &trap, NULL);
    if (st == W2N_ERR_TRAP)
        return trap.code;
    cr_assert_eq(st, W2N_OK);
    if (result)
        *result = r.of.i32;
    return W2N_TRAP_NONE;
}

Test(rt_instance, memory_init_and_drop) {
    bulk_fx b;
    bulk_setup(&b);
    cr_assert_eq(memcmp(b.mem, "ab", 2), 0);
    cr_assert_eq(op(&b, 0, 100, 2, 5, NULL), W2N_TRAP_NONE);
    cr_assert_eq(memcmp(b.mem + 100, "23456", 5), 0);
    cr_assert_eq(op(&b, 0, 65530, 0, 7, NULL), W2N_TRAP_MEMORY_OOB, "past the memory");
    cr_assert_eq(b.mem[65530], 0, "a trapping init writes nothing");
    cr_assert_eq(op(&b, 0, 0, 5, 6, NULL), W2N_TRAP_MEMORY_OOB, "past the segment");
    cr_assert_eq(op(&b, 0, 65536, 10, 0, NULL), W2N_TRAP_NONE, "n = 0 at both ends");
    cr_assert_eq(op(&b, 0, 65537, 0, 0, NULL), W2N_TRAP_MEMORY_OOB);
    cr_assert_eq(op(&b, 1, 0, 0, 0, NULL), W2N_TRAP_NONE);
    cr_assert_eq(op(&b, 0, 0, 0, 1, NULL), W2N_TRAP_MEMORY_OOB, "dropped: length 0");
    cr_assert_eq(op(&b, 0, 0, 0, 0, NULL), W2N_TRAP_NONE);
    bulk_teardown(&b);
}

Test(rt_instance, memory_copy_fill_grow) {
    bulk_fx b;
    bulk_setup(&b);
    memcpy(b.mem + 10, "abcdef", 6);
    cr_assert_eq(op(&b, 2, 12, 10, 6, NULL), W2N_TRAP_NONE, "overlapping forward");
    cr_assert_eq(memcmp(b.mem + 10, "ababcdef", 8), 0);
    cr_assert_eq(op(&b, 2, 10, 12, 6, NULL), W2N_TRAP_NONE, "overlapping backward");
    cr_assert_eq(memcmp(b.mem + 10, "abcdefef", 8), 0);
    cr_assert_eq(op(&b, 2, 65535, 0, 2, NULL), W2N_TRAP_MEMORY_OOB);
    cr_assert_eq(op(&b, 2, 0, -1, 1, NULL), W2N_TRAP_MEMORY_OOB);
    cr_assert_eq(op(&b, 2, 65536, 65536, 0, NULL), W2N_TRAP_NONE);
    cr_assert_eq(op(&b, 3, 200, 0x1FF, 3, NULL), W2N_TRAP_NONE);
    cr_assert_eq(b.mem[200], 0xFF);
    cr_assert_eq(b.mem[202], 0xFF);
    cr_assert_eq(b.mem[203], 0);
    cr_assert_eq(op(&b, 3, 65000, 1, 1000, NULL), W2N_TRAP_MEMORY_OOB);
    cr_assert_eq(b.mem[65000], 0);
    int32_t r;
    cr_assert_eq(op(&b, 8, 1, 0, 0, &r), W2N_TRAP_NONE);
    cr_assert_eq(r, 1);
    cr_assert_eq(op(&b, 8, 1, 0, 0, &r), W2N_TRAP_NONE);
    cr_assert_eq(r, -1, "max is 2 pages");
    cr_assert_eq(op(&b, 3, 65536, 7, 65536, NULL), W2N_TRAP_NONE, "fill the new page");
    cr_assert_eq(b.mem[131071], 7);
    bulk_teardown(&b);
}

Test(rt_instance, table_helpers) {
    bulk_fx b;
    bulk_setup(&b);
    void **el = b.tab->abi.elems;
    w2n_func *f0 = b.inst->funcs[0];
    cr_assert_eq(el[0], f0, "active segment applied");
    cr_assert_eq(op(&b, 10, 0, 0, 1, NULL), W2N_TRAP_TABLE_OOB, "active segments are dropped");
    cr_assert_eq(op(&b, 4, 1, 0, 3, NULL), W2N_TRAP_NONE);
    el = b.tab->abi.elems;
    cr_assert_eq(el[1], f0);
    cr_assert_null(el[2]);
    cr_assert_eq(el[3], f0);
    cr_assert_eq(op(&b, 4, 2, 1, 3, NULL), W2N_TRAP_TABLE_OOB);
    cr_assert_eq(op(&b, 4, 4, 3, 0, NULL), W2N_TRAP_NONE);
    cr_assert_eq(op(&b, 7, 0, 2, 0, NULL), W2N_TRAP_NONE);
    cr_assert_null(b.tab->abi.elems[0]);
    cr_assert_null(b.tab->abi.elems[1]);
    cr_assert_eq(op(&b, 7, 3, 2, 0, NULL), W2N_TRAP_TABLE_OOB);
    cr_assert_eq(b.tab->abi.elems[3], f0, "a trapping fill writes nothing");
    cr_assert_eq(op(&b, 6, 0, 3, 1, NULL), W2N_TRAP_NONE);
    cr_assert_eq(b.tab->abi.elems[0], f0);
    cr_assert_eq(op(&b, 6, 3, 0, 2, NULL), W2N_TRAP_TABLE_OOB);
    int32_t r;
    cr_assert_eq(op(&b, 9, 2, 0, 0, &r), W2N_TRAP_NONE);
    cr_assert_eq(r, 4);
    cr_assert_eq(w2n_table_size(b.tab), 6);
    cr_assert_eq(b.tab->abi.elems[5], f0, "grow fills with the init value");
    cr_assert_eq(op(&b, 9, 1, 0, 0, &r), W2N_TRAP_NONE);
    cr_assert_eq(r, -1, "max is 6");
    cr_assert_eq(op(&b, 5, 0, 0, 0, NULL), W2N_TRAP_NONE);
    cr_assert_eq(op(&b, 4, 0, 0, 1, NULL), W2N_TRAP_TABLE_OOB, "dropped: length 0");
    bulk_teardown(&b);
}
