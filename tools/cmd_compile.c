/*
 * cmd_compile.c — `w2n compile`: .wasm modules to native relocatable objects.
 *
 *   w2n compile [-O0..-O3] [--target=TRIPLE] [--cpu=NAME] [--features=+a,-b]
 *               [--bounds-checks=guard|explicit] [--interruptible] [--fuel] [--stats]
 *               [--sign KEYFILE] [--max-compile-memory=BYTES]
 *               [--max-compile-time=SECONDS] [--wasm-features=+tail-call,-simd]
 *               IN.wasm... [-o OUT]
 *
 * One input: -o names the object (default: the input's base name with .o in
 * the current directory).  Several inputs: -o names a directory (created if
 * missing) that receives one BASE.o per input.  Every output is written
 * atomically; a module that fails leaves no file and the others still build.
 * Every object carries a SHA-256 seal; --sign adds an Ed25519 signature
 * with the secret key of `w2n keygen` (common/seal.h).
 * Exit status (exit_status.h): 0 all compiled, 1 some input failed, 2 bad
 * usage, 3 an input uses a feature w2n does not support or --wasm-features
 * disables, 4 an input exceeds one of
 * w2n's limits (w2n/limits.h) or a budget; with several failures, the highest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "compile_budget.h"
#include "exit_status.h"
#include "w2n/file.h"
#include "output.h"
#include "run_keys.h"
#include "w2n/compiler.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: w2n compile [OPTIONS] IN.wasm... [-o OUT]\n"
            "  -o OUT                    output object (one input) or directory (several)\n"
            "  -O0 .. -O3                optimisation level (default -O2)\n"
            "  --target=TRIPLE           x86_64-linux-gnu (default), aarch64-linux-gnu,\n"
            "                            riscv64-linux-gnu\n"
            "  --cpu=NAME                CPU to tune and select instructions for\n"
            "                            (default: the target's portable baseline)\n"
            "  --features=LIST           extra LLVM features, e.g. +avx2,+bmi2 or +v\n"
            "  --bounds-checks=MODE      guard (default: guard pages) or explicit\n"
            "  --interruptible           check for host interruption in loops and calls\n"
            "  --fuel                    count executed instructions, so that a run can be\n"
            "                            given a budget (w2n-run --fuel=N)\n"
            "  --stats                   print what the optimiser did to each module\n"
            "  --wasm-features=LIST      Wasm proposals: +NAME enables, -NAME disables,\n"
            "                            e.g. -simd (default: all w2n implements)\n"
            "  --version                 print the version\n"
            "  --sign KEYFILE            sign each object with the Ed25519 secret key\n"
            "                            KEYFILE (made by 'w2n keygen')\n"
            "  --max-compile-memory=BYTES  refuse (exit 4) a module whose compile needs more\n"
            "                            memory than BYTES (K, M, G suffixes; default: none)\n"
            "  --max-compile-time=SECONDS  refuse (exit 4) a module whose compile takes more\n"
            "                            CPU time than SECONDS (default: none)\n"
            "Exit status: 0 all compiled, 1 an input failed, 2 a bad command line,\n"
            "3 an input uses a feature w2n does not support or LIST disables (or --sign\n"
            "in a build without signing support), 4 an input exceeds a limit of w2n's or\n"
            "a budget; with several inputs, 1 if any failed so, else the first failure's.\n");
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "dir/app.wasm" -> "app.o" (under `dir_out` when given). */
static char *object_name(const char *input, const char *dir_out) {
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".wasm"))
        len -= 5;
    size_t size = (dir_out ? strlen(dir_out) + 1 : 0) + len + 3;
    char *out = malloc(size);
    if (dir_out)
        snprintf(out, size, "%s/%.*s.o", dir_out, (int)len, base);
    else
        snprintf(out, size, "%.*s.o", (int)len, base);
    return out;
}

static int compile_one(const char *input, const char *output, const w2n_compile_options *opts,
                       const w2n_compile_budget *budget, const uint8_t *sign_key) {
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    w2n_error err;
    if (w2n_read_file(input, &wasm, &wasm_size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compile: %s: %s\n", input, err.message);
        return 1;
    }
    w2n_status s = w2n_compile_budgeted(wasm, wasm_size, opts, budget, &obj, &obj_size, &err);
    free(wasm);
    if (s != W2N_OK) {
        char text[W2N_ERROR_TEXT_SIZE];
        fprintf(stderr, "%s: %s\n", input, w2n_error_format(&err, text, sizeof text));
        return w2n_exit_status_for(s);
    }
    if (sign_key && (s = w2n_seal_sign(obj, obj_size, sign_key, &err)) != W2N_OK) {
        fprintf(stderr, "w2n compile: %s: --sign: %s\n", input, err.message);
        free(obj);
        return 1;
    }
    s = w2n_write_file_atomic(output, obj, obj_size, &err);
    free(obj);
    if (s != W2N_OK) {
        fprintf(stderr, "w2n compile: %s\n", err.message);
        return 1;
    }
    if (opts->stats)
        fprintf(stderr, "%s: %u loops with a fast version, %u of them behind a range check "
                        "covering %u memory accesses\n",
                input, opts->stats->loops_versioned, opts->stats->loops_checked,
                opts->stats->accesses_covered);
    if (opts->stats && opts->stats->tail_calls)
        fprintf(stderr, "%s: %u tail calls, %u of them not sure to be real tail calls\n", input,
                opts->stats->tail_calls, opts->stats->tail_calls_unsure);
    return 0;
}

/* `stats` receives the figures of --stats. */
static bool parse_option(const char *arg, w2n_compile_options *opts, w2n_compile_stats *stats) {
    if (arg[1] == 'O' && arg[2] >= '0' && arg[2] <= '3' && !arg[3]) {
        opts->opt_level = arg[2] - '0';
    } else if (!strncmp(arg, "--target=", 9)) {
        opts->target = arg + 9;
    } else if (!strncmp(arg, "--cpu=", 6)) {
        opts->cpu = arg + 6;
    } else if (!strncmp(arg, "--features=", 11)) {
        opts->features = arg + 11;
    } else if (!strncmp(arg, "--bounds-checks=", 16)) {
        return w2n_bounds_mode_parse(arg + 16, &opts->bounds);
    } else if (!strcmp(arg, "--interruptible")) {
        opts->interruptible = true;
    } else if (!strcmp(arg, "--fuel")) {
        opts->fuel = true;
    } else if (!strcmp(arg, "--stats")) {
        opts->stats = stats;
    } else if (!strncmp(arg, "--wasm-features=", 16)) {
        w2n_error err;
        if (w2n_features_parse(arg + 16, &opts->wasm_features, &err) != W2N_OK) {
            fprintf(stderr, "w2n compile: --wasm-features: %s\n", err.message);
            return false;
        }
    } else {
        return false;
    }
    return true;
}

int w2n_cmd_compile(int argc, char **argv) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_compile_stats stats;
    w2n_compile_budget budget = {0};
    char msg[160];
    const char *output = NULL, *sign_path = NULL;
    char **inputs = calloc((size_t)argc, sizeof *inputs);
    int ninputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("w2n compile %s\n", W2N_VERSION);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "-o")) {
            if (++i == argc) {
                fprintf(stderr, "w2n compile: -o needs a file or directory name\n");
                free(inputs);
                return 2;
            }
            output = argv[i];
        } else if (!strcmp(a, "--sign") || !strncmp(a, "--sign=", 7)) {
            sign_path = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : "";
            if (!*sign_path) {
                fprintf(stderr, "w2n compile: --sign needs a secret key file\n");
                free(inputs);
                return W2N_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1]) {
            int b = w2n_compile_budget_option(a, &budget, msg, sizeof msg);
            if (b < 0) {
                fprintf(stderr, "w2n compile: %s\n", msg);
                free(inputs);
                return 2;
            }
            if (!b && !parse_option(a, &opts, &stats)) {
                if (!strncmp(a, "--wasm-features=", 16))
                    ;   /* parse_option said why */
                else if (!strncmp(a, "--bounds-checks=", 16))
                    fprintf(stderr, "w2n compile: --bounds-checks must be guard or explicit, "
                                    "got '%s'\n", a + 16);
                else
                    fprintf(stderr, "w2n compile: unknown option '%s' (try 'w2n compile "
                                    "--help')\n", a);
                free(inputs);
                return 2;
            }
        } else {
            inputs[ninputs++] = argv[i];
        }
    }
    if (ninputs == 0) {
        fprintf(stderr, "w2n compile: no input files (try 'w2n compile --help')\n");
        free(inputs);
        return 2;
    }
    uint8_t sign_key[W2N_SIGN_SECRET_SIZE];
    w2n_error err;
    w2n_status ks = W2N_OK;
    if (sign_path && !w2n_sign_available())
        ks = w2n_sign_keygen(sign_key, sign_key, &err); /* fails, saying why */
    else if (sign_path)
        ks = w2n_keys_read_secret(sign_path, sign_key, &err);
    if (ks != W2N_OK) {
        fprintf(stderr, "w2n compile: --sign: %s\n", err.message);
        free(inputs);
        return w2n_exit_status_for(ks);
    }
    bool to_dir = ninputs > 1 || (output && is_dir(output));
    if (to_dir && output && !is_dir(output) && mkdir(output, 0777) != 0) {
        fprintf(stderr, "w2n compile: cannot create directory %s: %s\n", output, strerror(errno));
        free(inputs);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < ninputs; i++) {
        char *name = (to_dir || !output) ? object_name(inputs[i], to_dir ? output : NULL) : NULL;
        status = w2n_exit_status_merge(
            status, compile_one(inputs[i], name ? name : output, &opts, &budget,
                                sign_path ? sign_key : NULL));
        free(name);
    }
    memset(sign_key, 0, sizeof sign_key);
    free(inputs);
    return status;
}
