/*
 * cmd_run.c — `w2n run`: like w2n-run, but FILE may also be a .wasm module,
 * compiled in memory for this host first (same options as w2n compile's
 * defaults, with the --bounds-checks mode asked for).  The compile runs in a
 * child process under --max-compile-memory and --max-compile-time (defaults
 * in compile_budget.h), so a hostile module cannot take this process down.
 * A large module compiles its partitions on every CPU, as `w2n compile`
 * does by default (the object is the same whatever the number).
 */
#include <unistd.h>

#include "commands.h"
#include "compile_budget.h"
#include "run_cli.h"
#include "w2n/compiler.h"
#include "w2n/runtime.h"

static w2n_status compile_for_host(const uint8_t *wasm, size_t size, const w2n_run_options *o,
                                   uint8_t **out_obj, size_t *out_size, w2n_error *err) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    const char *target = w2n_host_target(); /* NULL: the compiler's default */
    if (target)
        opts.target = target;
    opts.bounds = o->bounds;
    if (o->wasm_features) {
        w2n_error perr;
        if (w2n_features_parse(o->wasm_features, &opts.wasm_features, &perr) != W2N_OK)
            return w2n_error_set(err, perr.code, W2N_NO_OFFSET, "--wasm-features: %s",
                                 perr.message);
    }
    opts.fuel = o->has_fuel;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    opts.threads = cpus > 0 ? (unsigned)cpus : 1;
    return w2n_compile_budgeted(wasm, size, &opts, &o->compile_budget, out_obj, out_size, err);
}

int w2n_cmd_run(int argc, char **argv) {
    return w2n_run_cli("w2n run", argc, argv, compile_for_host);
}
