/*
 * cmd_run.c — `w2n run`: like w2n-run, but FILE may also be a .wasm module,
 * compiled in memory for this host first (same options as w2n compile's
 * defaults, with the --bounds-checks mode asked for).
 */
#include <string.h>
#include <sys/utsname.h>

#include "commands.h"
#include "run_cli.h"
#include "w2n/compiler.h"

/* The target triple of the machine we run on. */
static const char *host_target(void) {
    static const struct { const char *machine, *triple; } hosts[] = {
        {"x86_64", "x86_64-linux-gnu"},
        {"aarch64", "aarch64-linux-gnu"},
        {"arm64", "aarch64-linux-gnu"},
        {"riscv64", "riscv64-linux-gnu"},
    };
    struct utsname u;
    if (uname(&u) == 0)
        for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
            if (!strcmp(u.machine, hosts[i].machine))
                return hosts[i].triple;
    return NULL;   /* the compiler's default */
}

static w2n_status compile_for_host(const uint8_t *wasm, size_t size, const w2n_run_options *o,
                                   uint8_t **out_obj, size_t *out_size, w2n_error *err) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    const char *target = host_target();
    if (target)
        opts.target = target;
    opts.bounds = o->bounds;
    if (o->wasm_features) {
        w2n_error perr;
        if (w2n_features_parse(o->wasm_features, &opts.wasm_features, &perr) != W2N_OK)
            return w2n_error_set(err, perr.code, W2N_NO_OFFSET, "--wasm-features: %s", perr.message);
    }
    return w2n_compile(wasm, size, &opts, out_obj, out_size, err);
}

int w2n_cmd_run(int argc, char **argv) {
    return w2n_run_cli("w2n run", argc, argv, compile_for_host);
}
