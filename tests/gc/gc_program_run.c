/*
 * gc_program_run.c — w2n-gc-run: call one export of a compiled GC program
 * in a store with a GC heap limit, print its results as the reference
 * interpreter does (integers in decimal, several on one line), and the
 * collector's figures on stderr, which run_gc_program.sh sums to check
 * that the collector really ran (a tiny heap must collect thousands of
 * times) and benchmarks/gc/run reports.
 *
 *   w2n-gc-run [--max-gc-heap=BYTES] OBJECT EXPORT [ARG...]
 *
 * Arguments are i32 or i64 in decimal, as the export's type says; no
 * results print "(none)", as run_gc_program.sh's expected files say.  A trap
 * prints "trap: MESSAGE" on stdout (exit 0: a trap is an answer the
 * expected file states); any other failure exits 2 with a message.
 * stderr's last line:
 *   gc: collections N, allocated B, peak P, longest pause T ns, total pause U ns,
 *       max live L, peak resident R
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2n/runtime.h"

#define MAX_VALUES 16

static int fail(const char *what, const char *detail) {
    fprintf(stderr, "w2n-gc-run: %s: %s\n", what, detail);
    return 2;
}

/* One decimal argument of the parameter's type into *out. */
static bool parse_arg(const char *text, w2n_valtype type, w2n_value *out) {
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || end == text)
        return false;
    if (type == W2N_I32)
        *out = w2n_i32((int32_t)v);
    else if (type == W2N_I64)
        *out = w2n_i64(v);
    else
        return false;
    return true;
}

static void print_results(const w2n_value *results, uint32_t n) {
    if (n == 0)
        printf("(none)");
    for (uint32_t i = 0; i < n; i++) {
        const char *sep = i ? " " : "";
        if (results[i].type == W2N_I32)
            printf("%s%" PRId32, sep, results[i].of.i32);
        else if (results[i].type == W2N_I64)
            printf("%s%" PRId64, sep, results[i].of.i64);
        else
            printf("%s%s", sep, w2n_valtype_name(results[i].type));
    }
    printf("\n");
}

int main(int argc, char **argv) {
    w2n_store_options opts = {0};
    int a = 1;
    if (a < argc && !strncmp(argv[a], "--max-gc-heap=", 14))
        opts.limits.max_gc_heap = strtoull(argv[a++] + 14, NULL, 10);
    if (argc - a < 2) {
        fprintf(stderr, "usage: w2n-gc-run [--max-gc-heap=BYTES] OBJECT EXPORT [ARG...]\n");
        return 2;
    }
    const char *path = argv[a], *name = argv[a + 1];
    w2n_error err;
    w2n_object *obj = NULL;
    if (w2n_object_load_file(path, &obj, &err) != W2N_OK)
        return fail(path, err.message);
    w2n_store *store = w2n_store_new(&opts);
    w2n_linker *linker = store ? w2n_linker_new(store) : NULL;
    if (!linker)
        return fail("store", "out of memory");
    w2n_instance *inst;
    w2n_trap trap;
    w2n_status st = w2n_linker_instantiate(linker, obj, &inst, &trap, &err);
    if (st != W2N_OK)
        return fail("instantiate", st == W2N_ERR_TRAP ? trap.message : err.message);
    w2n_extern ext;
    if (w2n_instance_export(inst, name, &ext) != W2N_OK || ext.kind != W2N_EXTERN_FUNC)
        return fail(name, "no such function export");
    w2n_functype type = w2n_func_type(store, ext.of.func);
    uint32_t nargs = (uint32_t)(argc - a - 2);
    if (nargs != type.nparams || nargs > MAX_VALUES || type.nresults > MAX_VALUES)
        return fail(name, "wrong number of arguments");
    w2n_value args[MAX_VALUES], results[MAX_VALUES];
    for (uint32_t i = 0; i < nargs; i++)
        if (!parse_arg(argv[a + 2 + i], type.params[i], &args[i]))
            return fail(argv[a + 2 + i], "not an i32 or i64 argument of the right type");
    st = w2n_func_call(store, ext.of.func, args, nargs, results, type.nresults, &trap, &err);
    if (st == W2N_OK)
        print_results(results, type.nresults);
    else if (st == W2N_ERR_TRAP)
        printf("trap: %s\n", trap.message);
    else
        return fail(name, err.message);
    w2n_gc_stats stats;
    w2n_gc_get_stats(store, &stats);
    fprintf(stderr,
            "gc: collections %" PRIu64 ", allocated %" PRIu64 ", peak %" PRIu64
            ", longest pause %" PRIu64 " ns, total pause %" PRIu64 " ns, max live %" PRIu64
            ", peak resident %" PRIu64 "\n",
            stats.collections, stats.bytes_allocated, stats.peak_bytes, stats.longest_pause_ns,
            stats.total_pause_ns, stats.max_live_bytes, stats.peak_resident_bytes);
    w2n_linker_free(linker);
    w2n_store_free(store);
    w2n_object_free(obj);
    return 0;
}
