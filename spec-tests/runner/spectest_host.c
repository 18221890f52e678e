/*
 * spectest_host.c — the "spectest" module that the official scripts import:
 * print functions (which print nothing: stdout carries the runner's
 * results), four immutable globals of value 666 / 666.6, a funcref table of
 * 10..20 elements and a memory of 1..2 pages and a shared one (threads).
 *
 * The memory is made for the bounds-check mode the scripts' objects were
 * compiled with, since guard-mode code cannot import an explicit memory.
 */
#include <stddef.h>

#include "runner.h"

static void print_nothing(void *data, w2n_instance *caller, w2n_raw *slots) {
    (void)data;
    (void)caller;
    (void)slots;
}

static w2n_status define_funcs(w2n_linker *linker, w2n_store *store, w2n_error *err) {
    static w2n_valtype i32[] = {W2N_I32}, i64[] = {W2N_I64}, f32[] = {W2N_F32}, f64[] = {W2N_F64},
                       i32_f32[] = {W2N_I32, W2N_F32}, f64_f64[] = {W2N_F64, W2N_F64};
    static const struct {
        const char *name;
        uint32_t nparams;
        w2n_valtype *params;
    } funcs[] = {
        {"print", 0, NULL},
        {"print_i32", 1, i32},
        {"print_i64", 1, i64},
        {"print_f32", 1, f32},
        {"print_f64", 1, f64},
        {"print_i32_f32", 2, i32_f32},
        {"print_f64_f64", 2, f64_f64},
    };
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        w2n_functype type = {funcs[i].nparams, 0, funcs[i].params, NULL};
        w2n_extern ext = {.kind = W2N_EXTERN_FUNC};
        ext.of.func = w2n_host_func_new(store, &type, print_nothing, NULL);
        if (!ext.of.func)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "spectest.%s: out of memory",
                                 funcs[i].name);
        w2n_status st = w2n_linker_define(linker, "spectest", funcs[i].name, ext, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}

static w2n_status define_globals(w2n_linker *linker, w2n_store *store, w2n_error *err) {
    const struct {
        const char *name;
        w2n_value value;
    } globals[] = {
        {"global_i32", w2n_i32(666)},
        {"global_i64", w2n_i64(666)},
        {"global_f32", w2n_f32(666.6f)},
        {"global_f64", w2n_f64(666.6)},
    };
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        w2n_globaltype type = {globals[i].value.type, false};
        w2n_extern ext = {.kind = W2N_EXTERN_GLOBAL};
        ext.of.global = w2n_global_new(store, type, globals[i].value);
        if (!ext.of.global)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "spectest.%s: out of memory",
                                 globals[i].name);
        w2n_status st = w2n_linker_define(linker, "spectest", globals[i].name, ext, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}

w2n_status spec_define_spectest(w2n_linker *linker, w2n_store *store, w2n_bounds_mode mode,
                                w2n_error *err) {
    w2n_status st = define_funcs(linker, store, err);
    if (st != W2N_OK)
        return st;
    st = define_globals(linker, store, err);
    if (st != W2N_OK)
        return st;

    /* "table" and, for table64, "table64": funcref, 10 to 20 elements. */
    static const char *const table_names[] = {"table", "table64"};
    for (int is64 = 0; is64 < 2; is64++) {
        /* Preset the error: a runtime that returns NULL must not leave it unset. */
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "spectest.%s: cannot create",
                      table_names[is64]);
        w2n_tabletype table_type = {W2N_FUNCREF,
                                    {.min = 10, .max = 20, .has_max = true, .is64 = is64 == 1}};
        w2n_extern table = {.kind = W2N_EXTERN_TABLE};
        table.of.table = w2n_table_new(store, table_type, NULL, err);
        if (!table.of.table)
            return err->code;
        st = w2n_linker_define(linker, "spectest", table_names[is64], table, err);
        if (st != W2N_OK)
            return st;
    }

    /* "shared_memory" is the threads proposal's: the same limits, shared. */
    static const struct {
        const char *name;
        w2n_limits limits;
    } memories[] = {
        {"memory", {.min = 1, .max = 2, .has_max = true}},
        {"shared_memory", {.min = 1, .max = 2, .has_max = true, .shared = true}},
    };
    for (size_t i = 0; i < sizeof memories / sizeof memories[0]; i++) {
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "spectest.%s: cannot create",
                      memories[i].name);
        w2n_extern memory = {.kind = W2N_EXTERN_MEMORY};
        memory.of.memory = w2n_memory_new(store, memories[i].limits, mode, err);
        if (!memory.of.memory)
            return err->code;
        st = w2n_linker_define(linker, "spectest", memories[i].name, memory, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}
