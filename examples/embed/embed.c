/*
 * A C program that embeds the w2n runtime: load a compiled module, give it a
 * host function, call its exports.
 *
 *     embed [GUEST.o]
 *
 * Without an argument it loads the object built into the program by
 * w2n_add_wasm_module(... EMBED) (CMakeLists.txt); with one, that file, as
 * compiled by `w2n compile guest.wasm -o guest.o`.
 */
#include <inttypes.h>
#include <stdio.h>

#include <w2n/runtime.h>
#include <w2n/version.h>

#ifdef EMBED_GUEST
#include "guest_object.h"
#endif

/* host.report(i32 index, i64 value): the guest's arguments are in slots 0, 1. */
static void report(void *data, w2n_instance *caller, w2n_raw *args) {
    const char *label = data;
    printf("%s(%" PRId32 ") = %" PRId64 "\n", label, args[0].i32, args[1].i64);
}

static int fail(const char *what, const w2n_error *err) {
    fprintf(stderr, "embed: %s: %s\n", what, err->message);
    return 1;
}

/* A trap is not an error: its words are in the w2n_trap. */
static int call(w2n_store *store, const char *name, w2n_func *func, w2n_value *arg,
                w2n_value *result) {
    w2n_error err;
    w2n_trap trap;
    w2n_status st = w2n_func_call(store, func, arg, 1, result, result ? 1 : 0, &trap, &err);
    if (st == W2N_ERR_TRAP)
        fprintf(stderr, "embed: %s trapped: %s\n", name, trap.message);
    else if (st != W2N_OK)
        fail(name, &err);
    return st == W2N_OK ? 0 : 1;
}

static w2n_status load(int argc, char **argv, w2n_object **obj, w2n_error *err) {
    if (argc > 1)
        return w2n_object_load_file(argv[1], obj, err);
#ifdef EMBED_GUEST
    return w2n_object_load(guest_object, guest_object_size, obj, err);
#else
    return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "usage: embed GUEST.o");
#endif
}

/* Instantiate with host.report defined, call fib(90), then report_fibs(8). */
static int run(w2n_store *store, w2n_linker *linker, const w2n_object *obj) {
    w2n_error err;
    w2n_trap trap;
    w2n_valtype params[] = {W2N_I32, W2N_I64};
    w2n_functype report_type = {.nparams = 2, .params = params};
    w2n_extern host_report = {W2N_EXTERN_FUNC,
                              {.func = w2n_host_func_new(store, &report_type, report, "fib")}};
    if (w2n_linker_define(linker, "host", "report", host_report, &err) != W2N_OK)
        return fail("define host.report", &err);
    w2n_instance *inst;
    if (w2n_linker_instantiate(linker, obj, &inst, &trap, &err) != W2N_OK)
        return fail("instantiate", &err);

    w2n_extern fib, report_fibs;
    if (w2n_instance_export(inst, "fib", &fib) != W2N_OK ||
        w2n_instance_export(inst, "report_fibs", &report_fibs) != W2N_OK) {
        fprintf(stderr, "embed: the guest lacks the export fib or report_fibs\n");
        return 1;
    }
    w2n_value arg = w2n_i32(90), result;
    if (call(store, "fib", fib.of.func, &arg, &result) != 0)
        return 1;
    printf("fib(90) = %" PRId64 "\n", result.of.i64);
    arg = w2n_i32(8);
    return call(store, "report_fibs", report_fibs.of.func, &arg, NULL);
}

int main(int argc, char **argv) {
    w2n_error err;
    w2n_object *obj;
    if (load(argc, argv, &obj, &err) != W2N_OK)
        return fail("load", &err);
    printf("w2n %s runtime on %s\n", W2N_VERSION, w2n_host_target());
    w2n_store *store = w2n_store_new(NULL);
    w2n_linker *linker = w2n_linker_new(store);
    int status = run(store, linker, obj);
    w2n_linker_free(linker);
    w2n_store_free(store);
    w2n_object_free(obj);
    return status;
}
