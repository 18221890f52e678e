/*
 * The compiler library next to the runtime: compile a module in memory for
 * this machine, load the object without touching the disk, call an export.
 *
 *     compile_and_run GUEST.wasm N      # prints fib(N)
 *
 * The guest imports host.report; this program only calls fib, so it defines
 * the import as a host function that does nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <w2n/compiler.h>
#include <w2n/file.h>
#include <w2n/runtime.h>

static void ignore(void *data, w2n_instance *caller, w2n_raw *args) {}

static int fail(const char *what, const w2n_error *err) {
    fprintf(stderr, "compile_and_run: %s: %s\n", what, err->message);
    return 1;
}

/* The object in memory, loaded: fib(n) into *out. */
static int run(const uint8_t *object, size_t size, int32_t n, int64_t *out) {
    w2n_error err;
    w2n_trap trap;
    w2n_object *obj;
    if (w2n_object_load(object, size, &obj, &err) != W2N_OK)
        return fail("load", &err);
    w2n_store *store = w2n_store_new(NULL);
    w2n_linker *linker = w2n_linker_new(store);
    w2n_valtype params[] = {W2N_I32, W2N_I64};
    w2n_functype type = {.nparams = 2, .params = params};
    w2n_extern report = {W2N_EXTERN_FUNC, {.func = w2n_host_func_new(store, &type, ignore, NULL)}};
    w2n_instance *inst;
    w2n_extern fib;
    w2n_value arg = w2n_i32(n), result;
    w2n_status st;
    int status = 1;
    if (w2n_linker_define(linker, "host", "report", report, &err) != W2N_OK ||
        w2n_linker_instantiate(linker, obj, &inst, &trap, &err) != W2N_OK)
        fail("instantiate", &err);
    else if (w2n_instance_export(inst, "fib", &fib) != W2N_OK)
        fprintf(stderr, "compile_and_run: no export fib\n");
    else if ((st = w2n_func_call(store, fib.of.func, &arg, 1, &result, 1, &trap, &err)) ==
             W2N_ERR_TRAP)
        fprintf(stderr, "compile_and_run: fib trapped: %s\n", trap.message);
    else if (st != W2N_OK)
        fail("fib", &err);
    else {
        *out = result.of.i64;
        status = 0;
    }
    w2n_linker_free(linker);
    w2n_store_free(store);
    w2n_object_free(obj);
    return status;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: compile_and_run GUEST.wasm N\n");
        return 2;
    }
    w2n_error err;
    uint8_t *wasm;
    size_t wasm_size;
    if (w2n_read_file(argv[1], &wasm, &wasm_size, &err) != W2N_OK)
        return fail(argv[1], &err);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.target = w2n_host_target();
    uint8_t *object;
    size_t object_size;
    w2n_status st = w2n_compile(wasm, wasm_size, &opts, &object, &object_size, &err);
    free(wasm);
    if (st != W2N_OK)
        return fail("compile", &err);
    int64_t value;
    int status = run(object, object_size, atoi(argv[2]), &value);
    free(object);
    if (status == 0)
        printf("fib(%s) = %" PRId64 "\n", argv[2], value);
    return status;
}
