/*
 * cmd_compile.c — `w2n compile`: .wasm modules to native relocatable objects.
 *
 *   w2n compile [-O0..-O3] [--target=TRIPLE] [--cpu=NAME] [--features=+a,-b]
 *               [--bounds-checks=guard|explicit] [--interruptible] [--stats]
 *               [--wasm-features=+tail-call,-simd]
 *               IN.wasm... [-o OUT]
 *
 * One input: -o names the object (default: the input's base name with .o in
 * the current directory).  Several inputs: -o names a directory (created if
 * missing) that receives one BASE.o per input.  Every output is written
 * atomically; a module that fails leaves no file and the others still build.
 * Exit status: 0 all compiled, 1 some input failed, 2 bad usage, 3 an input
 * uses a feature w2n does not support or --wasm-features disables.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "exit_status.h"
#include "file_util.h"
#include "output.h"
#include "w2n/compiler.h"

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
            "  --stats                   print what the optimiser did to each module\n"
            "  --wasm-features=LIST      Wasm proposals: +NAME enables, -NAME disables,\n"
            "                            e.g. -simd (default: all w2n implements)\n"
            "\n"
            "Exit status: 0 all compiled, 1 some input failed, 2 bad usage, 3 an input\n"
            "uses a feature w2n does not support or LIST disables.\n");
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

static int compile_one(const char *input, const char *output, const w2n_compile_options *opts) {
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    w2n_error err;
    if (w2n_read_file(input, &wasm, &wasm_size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compile: %s: %s\n", input, err.message);
        return 1;
    }
    w2n_status s = w2n_compile(wasm, wasm_size, opts, &obj, &obj_size, &err);
    free(wasm);
    if (s != W2N_OK) {
        if (err.offset != W2N_NO_OFFSET)
            fprintf(stderr, "%s: offset 0x%llx: %s\n", input, (unsigned long long)err.offset, err.message);
        else
            fprintf(stderr, "%s: %s\n", input, err.message);
        return w2n_exit_status_for(s);
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
    } else if (!strcmp(arg, "--bounds-checks=guard")) {
        opts->bounds = W2N_BOUNDS_GUARD;
    } else if (!strcmp(arg, "--bounds-checks=explicit")) {
        opts->bounds = W2N_BOUNDS_EXPLICIT;
    } else if (!strcmp(arg, "--interruptible")) {
        opts->interruptible = true;
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
    const char *output = NULL;
    char **inputs = calloc((size_t)argc, sizeof *inputs);
    int ninputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "-o")) {
            if (++i == argc) {
                fprintf(stderr, "w2n compile: -o needs a file or directory name\n");
                free(inputs);
                return 2;
            }
            output = argv[i];
        } else if (a[0] == '-' && a[1]) {
            if (!parse_option(a, &opts, &stats)) {
                if (strncmp(a, "--wasm-features=", 16))
                    fprintf(stderr, "w2n compile: unknown option '%s' (try 'w2n compile --help')\n", a);
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
    bool to_dir = ninputs > 1 || (output && is_dir(output));
    if (to_dir && output && !is_dir(output) && mkdir(output, 0777) != 0) {
        fprintf(stderr, "w2n compile: cannot create directory %s: %s\n", output, strerror(errno));
        free(inputs);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < ninputs; i++) {
        char *name = (to_dir || !output) ? object_name(inputs[i], to_dir ? output : NULL) : NULL;
        status = w2n_exit_status_merge(status, compile_one(inputs[i], name ? name : output, &opts));
        free(name);
    }
    free(inputs);
    return status;
}
