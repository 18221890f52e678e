/*
 * test_rt_api.c — the public API around instances: object loading and its
 * refusals (through the fake loader), introspection, typed calls and their
 * argument checks, host functions, canonical type ids, globals, tables and
 * the linker.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "rt_testkit.h"

TEST_CODE static int32_t api_add(w2n_vmctx *vm, int32_t a, int32_t b) { return a + b; }
TEST_CODE static void api_add_t(w2n_vmctx *vm, w2n_raw *s) {
    s[0].i32 = api_add(vm, s[0].i32, s[1].i32);
}
TEST_CODE static int32_t api_get(w2n_vmctx *vm) { return 1; }
TEST_CODE static int32_t api_adapter(w2n_vmctx *vm, int32_t a) { return a; }
static int32_t not_code(w2n_vmctx *vm) { return 2; }

static void *api_code[] = {(void *)api_add, (void *)api_get};
static w2n_tramp_fn api_tramps[] = {api_add_t, NULL}; /* api_get has no array-call entry */

static w2n_meta api_meta(void) {
    static uint32_t ftypes[] = {T_II_I, T_V_I};
    static w2n_meta_import imps[] = {
        {.module = "env", .name = "g", .kind = W2N_EXTERN_GLOBAL, .global = {W2N_I32, false}},
        {.module = "env",
         .name = "m",
         .kind = W2N_EXTERN_MEMORY,
         .memory = {.min = 0, .max = 0, .has_max = false}},
    };
    static w2n_meta_export exps[] = {{"add", 3, W2N_EXTERN_FUNC, 0},
                                     {"get", 3, W2N_EXTERN_FUNC, 1},
                                     {"mem", 3, W2N_EXTERN_MEMORY, 0}};
    w2n_meta m = kit_meta();
    m.nimports = 2;
    m.imports = imps;
    m.nfuncs = 2;
    m.func_types = ftypes;
    m.nexports = 3;
    m.exports = exps;
    return m;
}

/* The arrays of api_meta: two defined functions, and one adapter for the
 * tests that add an imported function. */
static void set_symbols(void *functions, void *tramps, void *adapters) {
    memset(fake_symbols, 0, sizeof fake_symbols);
    fake_symbols[0] = (fake_symbol){W2N_SYM_FUNCTIONS, functions, 2 * sizeof(void *)};
    fake_symbols[1] = (fake_symbol){W2N_SYM_TRAMPOLINES, tramps, 2 * sizeof(void *)};
    fake_symbols[2] =
        (fake_symbol){W2N_SYM_IMPORT_ADAPTERS, adapters, adapters ? sizeof(void *) : 0};
}

static w2n_status load(const w2n_meta *m, w2n_object **obj, w2n_error *err) {
    uint8_t *bytes;
    size_t size;
    fake_object_bytes(m, &bytes, &size);
    cr_assert_not_null(bytes);
    w2n_status st = w2n_object_load(bytes, size, obj, err);
    free(bytes);
    return st;
}

Test(rt_api, object_load_and_introspection) {
    kit_register_code();
    set_symbols(api_code, api_tramps, NULL);
    w2n_meta m = api_meta();
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(load(&m, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_object_import_count(obj), 2);
    const char *mod, *name;
    w2n_extern_kind kind;
    w2n_object_import(obj, 1, &mod, &name, &kind);
    cr_assert_str_eq(mod, "env");
    cr_assert_str_eq(name, "m");
    cr_assert_eq(kind, W2N_EXTERN_MEMORY);
    cr_assert_eq(w2n_object_export_count(obj), 3);
    w2n_object_export(obj, 2, &name, &kind);
    cr_assert_str_eq(name, "mem");
    cr_assert_eq(kind, W2N_EXTERN_MEMORY);
    w2n_object_export(obj, 3, &name, &kind);
    cr_assert_null(name);
    w2n_object_free(obj);
    cr_assert_eq(fake_images_live, 0);
}

Test(rt_api, object_refusals_name_both_sides) {
    kit_register_code();
    set_symbols(api_code, api_tramps, NULL);
    w2n_object *obj = (w2n_object *)1;
    w2n_error err;
    w2n_meta m = api_meta();
    m.abi_version = W2N_ABI_VERSION + 1;
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_null(obj);
    cr_assert(strstr(err.message, "recompile the module with w2n"), "%s", err.message);
    m = api_meta();
    m.arch = W2N_ARCH_AARCH64;
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_str_eq(err.message, "object is for aarch64, this runtime runs on x86_64");
    m.arch = 99;
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "unknown architecture"), "%s", err.message);
    m = api_meta();
    m.flags = 0x80;
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "0x80"), "%s", err.message);
    cr_assert_eq(fake_images_live, 0, "refused images are freed");
}

Test(rt_api, object_symbols_checked) {
    kit_register_code();
    w2n_object *obj;
    w2n_error err;
    w2n_meta m = api_meta();
    set_symbols(api_code, NULL, NULL);
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, W2N_SYM_TRAMPOLINES), "%s", err.message);
    static void *outside[] = {(void *)api_add, (void *)not_code};
    set_symbols(outside, api_tramps, NULL);
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "w2n_functions[1] does not point into"), "%s", err.message);
    /* Imported functions need adapters. */
    static w2n_meta_import imps[] = {
        {.module = "a", .name = "f", .kind = W2N_EXTERN_FUNC, .func_type = T_I_I}};
    m.nimports = 1;
    m.imports = imps;
    m.nexports = 0;
    set_symbols(api_code, api_tramps, NULL);
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, W2N_SYM_IMPORT_ADAPTERS), "%s", err.message);
    static void *adapters[] = {(void *)api_adapter};
    set_symbols(api_code, api_tramps, adapters);
    cr_assert_eq(load(&m, &obj, &err), W2N_OK, "%s", err.message);
    w2n_object_free(obj);
}

/* Code arrays as ABI 6.5 writes them: int32 offsets from the array's own
 * start, 0 for none. */
static int32_t offset_from(const void *array, void *code) {
    return code ? (int32_t)((const uint8_t *)code - (const uint8_t *)array) : 0;
}

Test(rt_api, object_code_offsets) {
    kit_register_code();
    static int32_t functions[2], tramps[2];
    for (int i = 0; i < 2; i++) {
        functions[i] = offset_from(functions, api_code[i]);
        tramps[i] = offset_from(tramps, (void *)api_tramps[i]);
    }
    w2n_meta m = api_meta();
    m.abi_minor = W2N_ABI_MINOR_CODE_OFFSETS;
    w2n_object *obj;
    w2n_error err;
    /* Pointers where offsets belong are refused by their size. */
    set_symbols(api_code, api_tramps, NULL);
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_str_eq(err.message, "symbol w2n_functions has 16 bytes, but the metadata declares 2 "
                                  "entries (8 bytes)");
    memset(fake_symbols, 0, sizeof fake_symbols);
    fake_symbols[0] = (fake_symbol){W2N_SYM_FUNCTIONS, functions, sizeof functions};
    fake_symbols[1] = (fake_symbol){W2N_SYM_TRAMPOLINES, tramps, sizeof tramps};
    cr_assert_eq(load(&m, &obj, &err), W2N_OK, "%s", err.message);
    w2n_store *store = w2n_store_new(NULL);
    w2n_global *g = w2n_global_new(store, (w2n_globaltype){W2N_I32, false}, w2n_i32(5));
    w2n_extern imps[2] = {{W2N_EXTERN_GLOBAL, {.global = g}}, {W2N_EXTERN_MEMORY, {0}}};
    imps[1].of.memory = w2n_memory_new(store, kit_limits(0, -1), W2N_BOUNDS_GUARD, &err);
    w2n_instance *inst;
    cr_assert_eq(w2n_instantiate(store, obj, imps, 2, &inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_extern e;
    w2n_instance_export(inst, "add", &e);
    w2n_value args[2] = {w2n_i32(40), w2n_i32(2)}, r;
    cr_assert_eq(w2n_func_call(store, e.of.func, args, 2, &r, 1, NULL, &err), W2N_OK, "%s",
                 err.message);
    cr_assert_eq(r.of.i32, 42);
    /* Offset 0: no array-call entry. */
    w2n_instance_export(inst, "get", &e);
    cr_assert_eq(w2n_func_call(store, e.of.func, NULL, 0, &r, 1, NULL, &err), W2N_ERR_UNSUPPORTED);
    w2n_store_free(store);
    w2n_object_free(obj);
    /* An offset that leads out of the code. */
    functions[1] = offset_from(functions, (void *)not_code);
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "w2n_functions[1] does not point into"), "%s", err.message);
    functions[1] = 0;
    cr_assert_eq(load(&m, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "w2n_functions[1] does not point into"), "%s", err.message);
    cr_assert_eq(fake_images_live, 0);
}

Test(rt_api, object_corrupt_input) {
    kit_register_code();
    set_symbols(api_code, api_tramps, NULL);
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(w2n_object_load((const uint8_t *)"\x7f"
                                                  "ELF garbage",
                                 12, &obj, &err),
                 W2N_ERR_BAD_OBJECT);
    w2n_meta m = api_meta();
    uint8_t *bytes;
    size_t size;
    fake_object_bytes(&m, &bytes, &size);
    cr_assert_eq(w2n_object_load(bytes, size - 3, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "no seal"), "%s", err.message);
    /* Truncated metadata under a valid seal: the decoder refuses it. */
    size_t meta_size = size - W2N_SEAL_SIZE - 3;
    memmove(bytes + meta_size, bytes + size - W2N_SEAL_SIZE, W2N_SEAL_SIZE);
    cr_assert_eq(w2n_seal_update(bytes, meta_size + W2N_SEAL_SIZE, &err), W2N_OK);
    cr_assert_eq(w2n_object_load(bytes, meta_size + W2N_SEAL_SIZE, &obj, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "corrupt"), "%s", err.message);
    free(bytes);
    cr_assert_eq(fake_images_live, 0);
}

Test(rt_api, object_load_file) {
    kit_register_code();
    set_symbols(api_code, api_tramps, NULL);
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(w2n_object_load_file("/nonexistent/x.o", &obj, &err), W2N_ERR_IO);
    cr_assert(strstr(err.message, "/nonexistent/x.o"), "%s", err.message);
    char path[] = "/tmp/w2n_rt_api_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    w2n_meta m = api_meta();
    uint8_t *bytes;
    size_t size;
    fake_object_bytes(&m, &bytes, &size);
    cr_assert_eq(write(fd, bytes, size), (ssize_t)size);
    close(fd);
    /* A pipe has no size to seek to: the reader must read it to its end
     * (as `w2n-run /dev/stdin < app.o` does). */
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_lt(size, 4096, "the object must fit in the pipe's buffer");
    cr_assert_eq(write(fds[1], bytes, size), (ssize_t)size);
    close(fds[1]);
    free(bytes);
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    unlink(path);
    w2n_object_free(obj);
    char pipe_path[32];
    snprintf(pipe_path, sizeof pipe_path, "/dev/fd/%d", fds[0]);
    cr_assert_eq(w2n_object_load_file(pipe_path, &obj, &err), W2N_OK, "%s", err.message);
    close(fds[0]);
    cr_assert_eq(w2n_object_export_count(obj), m.nexports);
    w2n_object_free(obj);
}

/* ---- calls ------------------------------------------------------------------------ */

typedef struct api_fx {
    w2n_store *store;
    w2n_object *obj;
    w2n_instance *inst;
    w2n_func *add, *get;
    w2n_global *g;
} api_fx;

static void api_setup(api_fx *x) {
    kit_register_code();
    w2n_meta m = api_meta();
    x->obj = kit_object(&m, api_code, api_tramps, NULL);
    x->store = w2n_store_new(NULL);
    w2n_error err;
    x->g = w2n_global_new(x->store, (w2n_globaltype){W2N_I32, false}, w2n_i32(5));
    w2n_extern imps[2] = {{W2N_EXTERN_GLOBAL, {.global = x->g}}, {W2N_EXTERN_MEMORY, {0}}};
    imps[1].of.memory = w2n_memory_new(x->store, kit_limits(0, -1), W2N_BOUNDS_GUARD, &err);
    cr_assert_eq(w2n_instantiate(x->store, x->obj, imps, 2, &x->inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_extern e;
    w2n_instance_export(x->inst, "add", &e);
    x->add = e.of.func;
    w2n_instance_export(x->inst, "get", &e);
    x->get = e.of.func;
}

static void api_teardown(api_fx *x) {
    w2n_store_free(x->store);
    w2n_object_free(x->obj);
}

Test(rt_api, call_argument_checks) {
    api_fx x;
    api_setup(&x);
    w2n_value args[2] = {w2n_i32(40), w2n_i32(2)}, r;
    w2n_error err;
    cr_assert_eq(w2n_func_call(x.store, x.add, args, 2, &r, 1, NULL, &err), W2N_OK);
    cr_assert_eq(r.type, W2N_I32);
    cr_assert_eq(r.of.i32, 42);
    cr_assert_eq(w2n_func_call(x.store, x.add, args, 1, &r, 1, NULL, &err), W2N_ERR_ARGUMENT);
    cr_assert(strstr(err.message, "2 arguments"), "%s", err.message);
    args[1] = w2n_i64(2);
    cr_assert_eq(w2n_func_call(x.store, x.add, args, 2, &r, 1, NULL, &err), W2N_ERR_ARGUMENT);
    args[1] = w2n_i32(2);
    cr_assert_eq(w2n_func_call(x.store, x.add, args, 2, &r, 0, NULL, &err), W2N_ERR_ARGUMENT);
    cr_assert_eq(w2n_func_call(x.store, NULL, args, 2, &r, 1, NULL, &err), W2N_ERR_ARGUMENT);
    cr_assert_eq(w2n_func_call(x.store, x.get, NULL, 0, &r, 1, NULL, &err), W2N_ERR_UNSUPPORTED);
    api_teardown(&x);
}

/* (f64, i64, f32, externref) -> (externref, f32, i64, f64): slots both ways. */
static w2n_valtype mixed_p[] = {W2N_F64, W2N_I64, W2N_F32, W2N_EXTERNREF};
static w2n_valtype mixed_r[] = {W2N_EXTERNREF, W2N_F32, W2N_I64, W2N_F64};
TEST_CODE static void mixed_t(w2n_vmctx *vm, w2n_raw *s) {
    w2n_raw in[4];
    memcpy(in, s, sizeof in);
    s[0].ref = in[3].ref;
    s[1].f32 = in[2].f32 * 2;
    s[2].i64 = in[1].i64 + 1;
    s[3].f64 = in[0].f64 / 2;
}
/* 20 x i64 -> i64: more slots than the inline buffer. */
static w2n_valtype many_p[20] = {W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64,
                                 W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64,
                                 W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64, W2N_I64};
TEST_CODE static void many_t(w2n_vmctx *vm, w2n_raw *s) {
    int64_t sum = 0;
    for (int i = 0; i < 20; i++)
        sum += s[i].i64;
    s[0].i64 = sum;
}

Test(rt_api, all_value_types_and_many_slots) {
    kit_register_code();
    static w2n_functype types[] = {{4, 4, mixed_p, mixed_r}, {20, 1, many_p, many_p}};
    static uint32_t ftypes[] = {0, 1};
    static void *code[] = {(void *)mixed_t, (void *)many_t}; /* native entries unused here */
    static w2n_tramp_fn tramps[] = {mixed_t, many_t};
    static w2n_meta_export exps[] = {{"mixed", 5, W2N_EXTERN_FUNC, 0},
                                     {"many", 4, W2N_EXTERN_FUNC, 1}};
    w2n_meta m = kit_meta();
    m.ntypes = 2;
    m.types = types;
    m.nfuncs = 2;
    m.func_types = ftypes;
    m.nexports = 2;
    m.exports = exps;
    w2n_object *obj = kit_object(&m, code, tramps, NULL);
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, NULL, NULL), W2N_OK);
    w2n_extern e;
    w2n_instance_export(inst, "mixed", &e);
    int token;
    w2n_value args[4] = {
        w2n_f64(3.0), w2n_i64(INT64_C(1) << 40), w2n_f32(1.5f), {W2N_EXTERNREF, {.ref = &token}}};
    w2n_value r[4];
    cr_assert_eq(w2n_func_call(store, e.of.func, args, 4, r, 4, NULL, NULL), W2N_OK);
    cr_assert_eq(r[0].type, W2N_EXTERNREF);
    cr_assert_eq(r[0].of.ref, &token);
    cr_assert_eq(r[1].type, W2N_F32);
    cr_assert_float_eq(r[1].of.f32, 3.0f, 0);
    cr_assert_eq(r[2].of.i64, (INT64_C(1) << 40) + 1);
    cr_assert_float_eq(r[3].of.f64, 1.5, 0);
    w2n_instance_export(inst, "many", &e);
    w2n_value many[20], sum;
    for (int i = 0; i < 20; i++)
        many[i] = w2n_i64(i + 1);
    cr_assert_eq(w2n_func_call(store, e.of.func, many, 20, &sum, 1, NULL, NULL), W2N_OK);
    cr_assert_eq(sum.of.i64, 210);
    w2n_functype t = w2n_func_type(store, e.of.func);
    cr_assert_eq(t.nparams, 20);
    w2n_store_free(store);
    w2n_object_free(obj);
}

/* ---- host functions, type ids, globals, tables, linker ------------------------------- */

static void host_sub(void *data, w2n_instance *caller, w2n_raw *s) {
    cr_assert_null(caller, "called by the host: no caller instance");
    s[0].i32 = s[0].i32 - s[1].i32 + *(int *)data;
}

Test(rt_api, host_function_called_directly) {
    w2n_store *store = w2n_store_new(NULL);
    int bias = 100;
    w2n_functype t = kit_types[T_II_I];
    w2n_func *f = w2n_host_func_new(store, &t, host_sub, &bias);
    cr_assert_not_null(f);
    w2n_value args[2] = {w2n_i32(10), w2n_i32(3)}, r;
    cr_assert_eq(w2n_func_call(store, f, args, 2, &r, 1, NULL, NULL), W2N_OK);
    cr_assert_eq(r.of.i32, 107);
    w2n_functype back = w2n_func_type(store, f);
    cr_assert_eq(back.nparams, 2);
    cr_assert_eq(back.nresults, 1);
    cr_assert_null(w2n_host_func_new(store, &t, NULL, NULL));
    w2n_store_free(store);
}

Test(rt_api, canonical_type_ids) {
    w2n_valtype a[] = {W2N_I32, W2N_F64}, b[] = {W2N_I32, W2N_F64}, c[] = {W2N_F64, W2N_I32};
    w2n_functype ta = {2, 0, a, NULL}, tb = {2, 0, b, NULL}, tc = {2, 0, c, NULL},
                 td = {0, 2, NULL, a}, te = {1, 1, a, a + 1};
    uint32_t ia = w2n_functype_intern(&ta);
    cr_assert_neq(ia, 0);
    cr_assert_eq(w2n_functype_intern(&tb), ia, "structurally equal types share an id");
    cr_assert_neq(w2n_functype_intern(&tc), ia);
    cr_assert_neq(w2n_functype_intern(&td), ia, "params vs results differ");
    cr_assert_neq(w2n_functype_intern(&te), ia);
    cr_assert_neq(w2n_functype_intern(&te), w2n_functype_intern(&td));
    /* Many distinct types (rehashing) keep their ids. */
    static w2n_valtype many[300];
    uint32_t ids[300];
    for (int i = 0; i < 300; i++) {
        many[i] = W2N_I64;
        w2n_functype t = {(uint32_t)i, 0, many, NULL};
        ids[i] = w2n_functype_intern(&t);
    }
    for (int i = 0; i < 300; i++) {
        w2n_functype t = {(uint32_t)i, 0, many, NULL};
        cr_assert_eq(w2n_functype_intern(&t), ids[i]);
        cr_assert_eq(w2n_functype_lookup(ids[i])->nparams, (uint32_t)i);
    }
    cr_assert_null(w2n_functype_lookup(0));
}

Test(rt_api, globals_and_tables) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_global *g = w2n_global_new(store, (w2n_globaltype){W2N_F64, true}, w2n_f64(2.5));
    cr_assert_eq(w2n_global_get(g).type, W2N_F64);
    cr_assert_float_eq(w2n_global_get(g).of.f64, 2.5, 0);
    cr_assert_null(w2n_global_new(store, (w2n_globaltype){W2N_I32, true}, w2n_i64(1)),
                   "value of another type");
    int token;
    w2n_error err;
    w2n_table *t = w2n_table_new(
        store, (w2n_tabletype){W2N_EXTERNREF, {.min = 3, .max = 4, .has_max = true}}, &token, &err);
    cr_assert_not_null(t);
    cr_assert_eq(w2n_table_size(t), 3);
    cr_assert_eq(t->abi.elems[2], &token);
    cr_assert_eq(t->abi.max, 4);
    cr_assert_eq(w2n_table_grow_by(t, 1, NULL), 3);
    cr_assert_eq(w2n_table_grow_by(t, 1, NULL), -1);
    cr_assert_null(w2n_table_new(
        store, (w2n_tabletype){W2N_I32, {.min = 1, .max = 0, .has_max = false}}, NULL, &err));
    w2n_table *u = w2n_table_new(
        store, (w2n_tabletype){W2N_FUNCREF, {.min = 0, .max = 0, .has_max = false}}, NULL, &err);
    cr_assert_eq(u->abi.max, UINT32_MAX);
    cr_assert_eq(w2n_table_grow_by(u, UINT32_MAX, NULL), -1, "a huge grow fails cleanly");
    cr_assert_eq(w2n_table_grow_by(u, 10, NULL), 0);
    w2n_store_free(store);
}

Test(rt_api, linker_later_definition_wins) {
    api_fx x;
    kit_register_code();
    w2n_meta m = api_meta();
    x.obj = kit_object(&m, api_code, api_tramps, NULL);
    x.store = w2n_store_new(NULL);
    w2n_linker *l = w2n_linker_new(x.store);
    w2n_error err;
    w2n_extern g1 = {
        W2N_EXTERN_GLOBAL,
        {.global = w2n_global_new(x.store, (w2n_globaltype){W2N_I32, false}, w2n_i32(1))}};
    w2n_extern g2 = {
        W2N_EXTERN_GLOBAL,
        {.global = w2n_global_new(x.store, (w2n_globaltype){W2N_I32, false}, w2n_i32(2))}};
    w2n_extern mem = {
        W2N_EXTERN_MEMORY,
        {.memory = w2n_memory_new(x.store, kit_limits(1, -1), W2N_BOUNDS_GUARD, &err)}};
    cr_assert_eq(w2n_linker_define(l, "env", "g", g1, &err), W2N_OK);
    cr_assert_eq(w2n_linker_define(l, "env", "m", mem, &err), W2N_OK);
    cr_assert_eq(w2n_linker_define(l, "env", "g", g2, &err), W2N_OK);
    w2n_trap trap;
    cr_assert_eq(w2n_linker_instantiate(l, x.obj, &x.inst, &trap, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(x.inst->globals[0], g2.of.global);
    /* register the instance and re-import its memory elsewhere */
    cr_assert_eq(w2n_linker_define_instance(l, "inst", x.inst, &err), W2N_OK);
    w2n_instance_set_host_data(x.inst, &err);
    cr_assert_eq(w2n_instance_host_data(x.inst), &err);
    static w2n_meta_import imps[] = {{.module = "inst",
                                      .name = "mem",
                                      .kind = W2N_EXTERN_MEMORY,
                                      .memory = {.min = 1, .max = 0, .has_max = false}}};
    w2n_meta m2 = kit_meta();
    m2.nimports = 1;
    m2.imports = imps;
    w2n_object *o2 = kit_object(&m2, NULL, NULL, NULL);
    w2n_instance *i2;
    cr_assert_eq(w2n_linker_instantiate(l, o2, &i2, &trap, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_instance_memory(i2), mem.of.memory);
    w2n_linker_free(l);
    w2n_store_free(x.store);
    w2n_object_free(x.obj);
    w2n_object_free(o2);
}

Test(rt_api, export_names_with_nul_bytes) {
    kit_register_code();
    static uint32_t ftypes[] = {T_II_I, T_V_I};
    /* Registered by prefix, "a\0b" would replace "a" with a function of
     * another type and the import below would not link. */
    static w2n_meta_export exps[] = {{"a", 1, W2N_EXTERN_FUNC, 0}, {"a\0b", 3, W2N_EXTERN_FUNC, 1}};
    static void *code[] = {(void *)api_add, (void *)api_get};
    static w2n_tramp_fn tramps[] = {api_add_t, NULL};
    w2n_meta m = kit_meta();
    m.nfuncs = 2;
    m.func_types = ftypes;
    m.nexports = 2;
    m.exports = exps;
    w2n_object *obj = kit_object(&m, code, tramps, NULL);
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, NULL, NULL), W2N_OK);
    w2n_extern e;
    cr_assert_eq(w2n_instance_export_n(inst, "a\0b", 3, &e), W2N_OK);
    cr_assert_eq(e.of.func, inst->funcs[1]);
    cr_assert_eq(w2n_instance_export_n(inst, "a\0c", 3, &e), W2N_ERR_ARGUMENT);
    cr_assert_eq(w2n_instance_export(inst, "a", &e), W2N_OK);
    /* The linker registers "a" only; "a\0b" has no C-string name. */
    w2n_linker *l = w2n_linker_new(store);
    w2n_error err;
    cr_assert_eq(w2n_linker_define_instance(l, "m", inst, &err), W2N_OK);
    static w2n_meta_import imps[] = {
        {.module = "m", .name = "a", .kind = W2N_EXTERN_FUNC, .func_type = T_II_I}};
    static void *adapters[] = {(void *)api_adapter};
    w2n_meta m2 = kit_meta();
    m2.nimports = 1;
    m2.imports = imps;
    w2n_object *o2 = kit_object(&m2, NULL, NULL, adapters);
    w2n_instance *i2;
    cr_assert_eq(w2n_linker_instantiate(l, o2, &i2, NULL, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(i2->funcs[0], inst->funcs[0]);
    w2n_linker_free(l);
    w2n_store_free(store);
    w2n_object_free(obj);
    w2n_object_free(o2);
}
