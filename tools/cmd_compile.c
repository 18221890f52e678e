/*
 * cmd_compile.c — `w2n compile`: .wasm modules to native relocatable objects.
 *
 *   w2n compile [-O0..-O3] [--target=TRIPLE] [--cpu=NAME] [--features=+a,-b]
 *               [--bounds-checks=guard|explicit] [--interruptible] [--fuel] [--stats]
 *               [--sign KEYFILE] [--max-compile-memory=BYTES]
 *               [--max-compile-time=SECONDS] [--wasm-features=+tail-call,-simd]
 *               [-j N] [--cache-dir=DIR] [--no-progress] IN.wasm... [-o OUT]
 *
 * One input: -o names the object (default: the input's base name with .o in
 * the current directory).  Several inputs: -o names a directory (created if
 * missing) that receives one BASE.o per input.  Every output is written
 * atomically; a module that fails leaves no file and the others still build.
 * Several inputs run -j N at a time with progress on stderr (compile_batch.c);
 * one input's large module compiles its partitions on -j N threads
 * (compiler/emit/partition.c; default one per CPU, the same object whatever N);
 * --cache-dir reuses objects of identical compiles (compile_cache.c).
 * Every object carries a SHA-256 seal; --sign adds an Ed25519 signature
 * with the secret key of `w2n keygen` (common/seal.h).  Each object written
 * is entered in the seal cache of `w2n-run` (w2n_seal_cache_add_file), so
 * that its first start need not hash it either.
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
#include <unistd.h>

#include "commands.h"
#include "compile_batch.h"
#include "compile_budget.h"
#include "compile_cache.h"
#include "exe_link.h"
#include "header_gen.h"
#include "exit_status.h"
#include "w2n/file.h"
#include "output.h"
#include "run_cli.h"
#include "run_keys.h"
#include "w2n/compiler.h"
#include "w2n/limits.h"
#include "w2n/runtime.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out, "usage: w2n compile [OPTIONS] IN.wasm... [-o OUT]\n"
                 "  -o OUT                    output object (one input) or directory (several)\n"
                 "  -O0 .. -O3                optimisation level (default -O2)\n"
                 "  -g                        DWARF line tables from the module's own (C source\n"
                 "                            lines) or Wasm code offsets, for gdb and backtraces\n"
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
                 "  --partitions=N            split the module into N partitions, 1 to 8 (default\n"
                 "                            0: by its size; for tests of the split)\n"
                 "  --wasm-features=LIST      Wasm proposals: +NAME enables, -NAME disables,\n"
                 "                            e.g. -simd (default: all w2n implements)\n"
                 "  --version                 print the version\n"
                 "  --sign KEYFILE            sign each object with the Ed25519 secret key\n"
                 "                            KEYFILE (made by 'w2n keygen')\n"
                 "  --max-compile-memory=BYTES  refuse (exit 4) a module whose compile needs more\n"
                 "                            memory than BYTES (K, M, G suffixes; default: none)\n"
                 "  --max-compile-time=SECONDS  refuse (exit 4) a module whose compile takes more\n"
                 "                            CPU time than SECONDS (default: none)\n"
                 "  -j N, --jobs=N            N at a time (0: one per CPU): with several\n"
                 "                            inputs, N inputs (default 1); with one, a large\n"
                 "                            module's partitions on N threads (default: one per\n"
                 "                            CPU; the object is the same whatever N)\n"
                 "  --cache-dir=DIR           reuse the object of an earlier compile of the same\n"
                 "                            bytes with the same options and w2n version\n"
                 "  --no-progress             no progress on stderr for several inputs\n"
                 "  --exe                     link one executable that needs nothing installed\n"
                 "                            (static runtime and WASI; default name: the\n"
                 "                            input's without .wasm)\n"
                 "  --exe-run-options=OPTS    w2n-run options baked into it, e.g. '--dir .'\n"
                 "  --cc=CMD                  the C compiler driver that links --exe (default:\n"
                 "                            cc, or TRIPLE-gcc for another architecture)\n"
                 "  --runtime-dir=DIR         the target's libw2n-runtime.a and libw2n-exe.a\n"
                 "  --header[=FILE]           also write a C header binding the module's exports\n"
                 "                            and imports (default: the object's name with .h)\n"
                 "Exit status: 0 all compiled, 1 an input failed, 2 a bad command line,\n"
                 "3 an input uses a feature w2n does not support or LIST disables (or --sign\n"
                 "in a build without signing support), 4 an input exceeds a limit of w2n's or\n"
                 "a budget; with several inputs, 1 if any failed so, else the first failure's.\n");
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "dir/app.wasm" -> "app.o", or "app" for an executable (under `dir_out`
 * when given). */
static char *object_name(const char *input, const char *dir_out, bool exe) {
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".wasm"))
        len -= 5;
    size_t size = (dir_out ? strlen(dir_out) + 1 : 0) + len + 3;
    char *out = malloc(size);
    if (dir_out)
        snprintf(out, size, "%s/%.*s%s", dir_out, (int)len, base, exe ? "" : ".o");
    else
        snprintf(out, size, "%.*s%s", (int)len, base, exe ? "" : ".o");
    return out;
}

/* Everything compile_one needs besides the input and output names. */
typedef struct compile_job {
    char **inputs;
    char **outputs;
    const w2n_compile_options *opts;
    const w2n_compile_budget *budget;
    const uint8_t *sign_key;    /* NULL: unsigned */
    const char *cache_dir;      /* NULL: no cache */
    const w2n_exe_options *exe; /* NULL: write the object; else link an executable */
    bool header;                /* --header: also write the C binding */
    const char *header_path;    /* --header=FILE (one input), else beside the object */
} compile_job;

/* "objs/app.o" -> "objs/app.h"; the base name of "src/app.wasm" -> "app". */
static char *replace_suffix(const char *path, const char *from, const char *to) {
    size_t len = strlen(path), flen = strlen(from);
    if (len >= flen && !strcmp(path + len - flen, from))
        len -= flen;
    char *out = malloc(len + strlen(to) + 1);
    if (out)
        sprintf(out, "%.*s%s", (int)len, path, to);
    return out;
}

static int write_header(const compile_job *job, const char *input, const char *output) {
    const char *slash = strrchr(input, '/');
    char *prefix = replace_suffix(slash ? slash + 1 : input, ".wasm", "");
    char *path = job->header_path ? strdup(job->header_path) : replace_suffix(output, ".o", ".h");
    int rc = prefix && path ? w2n_header_write(output, input, prefix, path) : W2N_EXIT_ERROR;
    free(prefix);
    free(path);
    return rc;
}

static void print_stats(const char *input, const w2n_compile_stats *stats) {
    fprintf(stderr,
            "%s: %u loops with a fast version, %u of them behind a range check "
            "covering %u memory accesses\n",
            input, stats->loops_versioned, stats->loops_checked, stats->accesses_covered);
    if (stats->loops_separated)
        fprintf(stderr, "%s: %u fast versions with their groups of accesses proved apart\n", input,
                stats->loops_separated);
    if (stats->tail_calls)
        fprintf(stderr, "%s: %u tail calls, %u of them not sure to be real tail calls\n", input,
                stats->tail_calls, stats->tail_calls_unsure);
    if (stats->partitions > 1)
        fprintf(stderr, "%s: compiled in %u partitions\n", input, stats->partitions);
    if (stats->many_functions)
        fprintf(stderr,
                "%s: %u functions, past the budget of %u optimised in full: short pipeline, "
                "-O0 back end\n",
                input, stats->many_functions, W2N_OPT_MAX_MODULE_FUNCTIONS);
}

/* Compile input i: its exit status, or W2N_BATCH_CACHED for a cache hit.
 * --stats needs a real compile, so it looks nothing up in the cache. */
static int compile_one(int i, void *ctx) {
    const compile_job *job = ctx;
    const char *input = job->inputs[i], *output = job->outputs[i];
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    w2n_error err;
    if (w2n_read_file(input, &wasm, &wasm_size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compile: %s: %s\n", input, err.message);
        return 1;
    }
    char key[W2N_CACHE_KEY_SIZE];
    bool cached = false;
    if (job->cache_dir) {
        w2n_compile_cache_key(job->opts, job->sign_key, job->sign_key ? W2N_SIGN_SECRET_SIZE : 0,
                              wasm, wasm_size, key);
        cached = !job->opts->stats && w2n_compile_cache_get(job->cache_dir, key, &obj, &obj_size);
    }
    w2n_status s = W2N_OK;
    if (!cached)
        s = w2n_compile_budgeted(wasm, wasm_size, job->opts, job->budget, &obj, &obj_size, &err);
    free(wasm);
    if (s != W2N_OK) {
        char text[W2N_ERROR_TEXT_SIZE];
        fprintf(stderr, "%s: %s\n", input, w2n_error_format(&err, text, sizeof text));
        return w2n_exit_status_for(s);
    }
    if (!cached && job->sign_key &&
        (s = w2n_seal_sign(obj, obj_size, job->sign_key, &err)) != W2N_OK) {
        fprintf(stderr, "w2n compile: %s: --sign: %s\n", input, err.message);
        free(obj);
        return 1;
    }
    if (!cached && job->cache_dir && !w2n_compile_cache_put(job->cache_dir, key, obj, obj_size))
        fprintf(stderr, "w2n compile: warning: cannot write to the cache %s\n", job->cache_dir);
    if (job->exe) {
        int rc = w2n_exe_link(obj, obj_size, output, job->exe);
        free(obj);
        if (rc)
            return rc;
    } else {
        s = w2n_write_file_atomic(output, obj, obj_size, &err);
        free(obj);
        if (s != W2N_OK) {
            fprintf(stderr, "w2n compile: %s\n", err.message);
            return 1;
        }
        /* So that its first start skips the hash too (not an error when it
         * cannot: that start hashes). */
        w2n_seal_cache_add_file(output);
    }
    if (job->header) {
        int rc = write_header(job, input, output);
        if (rc)
            return rc;
    }
    if (job->opts->stats)
        print_stats(input, job->opts->stats);
    return cached ? W2N_BATCH_CACHED : 0;
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
    } else if (!strcmp(arg, "-g")) {
        opts->debug_info = true;
    } else if (!strcmp(arg, "--interruptible")) {
        opts->interruptible = true;
    } else if (!strcmp(arg, "--fuel")) {
        opts->fuel = true;
    } else if (!strcmp(arg, "--stats")) {
        opts->stats = stats;
    } else if (!strncmp(arg, "--partitions=", 13)) {
        char *end;
        unsigned long n = strtoul(arg + 13, &end, 10);
        if (!arg[13] || *end || n > 8)
            return false;
        opts->partitions = (unsigned)n;
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
    const char *output = NULL, *sign_path = NULL, *cache_dir = NULL;
    long jobs = -1; /* -1: not given */
    bool progress = true, exe = false, header = false;
    const char *header_path = NULL;
    w2n_exe_options exe_opts = {0};
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
        } else if (!strcmp(a, "-j") || !strncmp(a, "-j", 2) || !strncmp(a, "--jobs=", 7)) {
            const char *n = !strncmp(a, "--jobs=", 7) ? a + 7
                            : a[2]                    ? a + 2
                            : i + 1 < argc            ? argv[++i]
                                                      : "";
            char *end;
            jobs = strtol(n, &end, 10);
            if (!*n || *end || jobs < 0 || jobs > 1024) {
                fprintf(stderr, "w2n compile: -j takes a number of jobs, 0 to 1024\n");
                free(inputs);
                return W2N_EXIT_USAGE;
            }
            if (jobs == 0)
                jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
        } else if (!strcmp(a, "--cache-dir") || !strncmp(a, "--cache-dir=", 12)) {
            cache_dir = a[11] == '=' ? a + 12 : i + 1 < argc ? argv[++i] : "";
            if (!*cache_dir) {
                fprintf(stderr, "w2n compile: --cache-dir needs a directory\n");
                free(inputs);
                return W2N_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--no-progress")) {
            progress = false;
        } else if (!strcmp(a, "--exe")) {
            exe = true;
        } else if (!strcmp(a, "--header") || !strncmp(a, "--header=", 9)) {
            header = true;
            header_path = a[8] == '=' && a[9] ? a + 9 : NULL;
        } else if (!strncmp(a, "--exe-run-options=", 18)) {
            exe_opts.run_options = a + 18;
        } else if (!strncmp(a, "--cc=", 5) && a[5]) {
            exe_opts.cc = a + 5;
        } else if (!strncmp(a, "--runtime-dir=", 14) && a[14]) {
            exe_opts.runtime_dir = a + 14;
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
                    ; /* parse_option said why */
                else if (!strncmp(a, "--bounds-checks=", 16))
                    fprintf(stderr,
                            "w2n compile: --bounds-checks must be guard or explicit, "
                            "got '%s'\n",
                            a + 16);
                else
                    fprintf(stderr,
                            "w2n compile: unknown option '%s' (try 'w2n compile "
                            "--help')\n",
                            a);
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
    if (header && (exe || (header_path && ninputs > 1))) {
        fprintf(stderr, "w2n compile: --header%s\n",
                exe ? " binds an object, not an --exe executable"
                    : "=FILE names one header; several inputs get one each with --header");
        free(inputs);
        return W2N_EXIT_USAGE;
    }
    if (exe && ninputs > 1) {
        fprintf(stderr, "w2n compile: --exe links one input (got %d)\n", ninputs);
        free(inputs);
        return W2N_EXIT_USAGE;
    }
    exe_opts.target = opts.target;
    bool to_dir = ninputs > 1 || (output && is_dir(output));
    if (to_dir && output && !is_dir(output) && mkdir(output, 0777) != 0) {
        fprintf(stderr, "w2n compile: cannot create directory %s: %s\n", output, strerror(errno));
        free(inputs);
        return 1;
    }
    if (cache_dir && !is_dir(cache_dir) && mkdir(cache_dir, 0777) != 0) {
        fprintf(stderr, "w2n compile: cannot create cache directory %s: %s\n", cache_dir,
                strerror(errno));
        free(inputs);
        return 1;
    }
    w2n_run_set_seal_cache();
    char **outputs = calloc((size_t)ninputs, sizeof *outputs);
    for (int i = 0; i < ninputs; i++)
        outputs[i] = (to_dir || !output) ? object_name(inputs[i], to_dir ? output : NULL, exe)
                                         : strdup(output);
    compile_job job = {inputs,
                       outputs,
                       &opts,
                       &budget,
                       sign_path ? sign_key : NULL,
                       cache_dir,
                       exe ? &exe_opts : NULL,
                       header,
                       header_path};
    /* -j is parallelism across inputs when there are several, inside the
     * one module when there is one (emit/partition.c), never both. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    opts.threads = ninputs == 1 ? (unsigned)(jobs < 0 ? cpus : jobs) : 1;
    /* One input: the process ends after it, so LLVM's contexts need not be
     * freed first (several inputs: memory would grow with each). */
    opts.exiting = ninputs == 1;
    if (ninputs > 1 && jobs < 0)
        jobs = 1;
    int status = w2n_batch_run(ninputs, ninputs == 1 ? 1 : (int)jobs, compile_one, &job, inputs,
                               progress && ninputs > 1);
    for (int i = 0; i < ninputs; i++)
        free(outputs[i]);
    free(outputs);
    memset(sign_key, 0, sizeof sign_key);
    free(inputs);
    return status;
}
