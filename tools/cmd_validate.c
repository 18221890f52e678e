/*
 * cmd_validate.c — `w2n validate FILE...`: decode and validate each module.
 *
 * Silent on success (exit 0).  Each bad file gets one line on stderr,
 * "FILE: offset 0x1a3: reason" in the spec's words ("FILE: function 3,
 * offset 0x1a3: i32.add: reason" for an instruction; w2n_error_format), and
 * the exit code is 1;
 * files that cannot be read get "FILE: reason" and also make the exit code 1.
 * A valid module that needs a feature w2n lacks or --wasm-features turned off
 * exits 3 (unless another file gave 1).  Bad usage exits 2.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "w2n/file.h"
#include "exit_status.h"
#include "w2n/compiler.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out, "usage: w2n validate [--wasm-features=LIST] [--] FILE...\n"
                 "       w2n validate --version\n"
                 "\n"
                 "Decode and validate WebAssembly binary modules.  Prints nothing and\n"
                 "exits 0 if every FILE is valid; otherwise prints one line per bad file,\n"
                 "'FILE: offset 0xN: reason' (for an instruction of a function body\n"
                 "'FILE: function N, offset 0xN: INSTRUCTION: reason'), on stderr and\n"
                 "exits 1 (malformed, invalid, unreadable) or 3 (valid, but uses a\n"
                 "feature w2n does not support or that LIST disables).\n"
                 "\n"
                 "  --wasm-features=LIST  +NAME enables, -NAME disables a proposal, e.g.\n"
                 "                        -simd,-bulk-memory (default: all w2n implements)\n"
                 "\n"
                 "Exit status: 0 all valid, 1 some file bad, 2 bad usage, 3 unsupported.\n");
}

static int validate_one(const char *path, w2n_features features) {
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    if (w2n_read_file(path, &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return 1;
    }
    w2n_status st = w2n_validate_features(bytes, size, features, &err);
    free(bytes);
    if (st == W2N_OK)
        return 0;
    char text[W2N_ERROR_TEXT_SIZE];
    fprintf(stderr, "%s: %s\n", path, w2n_error_format(&err, text, sizeof text));
    return w2n_exit_status_for(st);
}

int w2n_cmd_validate(int argc, char **argv) {
    int first = 1;
    bool options_done = false;
    int nfiles = 0, status = 0;
    w2n_features features = w2n_features_validation_default();
    w2n_error err;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && !strcmp(a, "--")) {
            options_done = true;
            continue;
        }
        if (!options_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            usage(stdout);
            return 0;
        }
        if (!options_done && !strcmp(a, "--version")) {
            printf("w2n validate %s\n", W2N_VERSION);
            return 0;
        }
        if (!options_done && !strncmp(a, "--wasm-features=", 16)) {
            if (w2n_features_parse(a + 16, &features, &err) != W2N_OK) {
                fprintf(stderr, "w2n validate: --wasm-features: %s\n", err.message);
                return W2N_EXIT_USAGE;
            }
            continue;
        }
        if (!options_done && a[0] == '-' && a[1]) {
            fprintf(stderr, "w2n validate: unknown option '%s' (try 'w2n validate --help')\n", a);
            return 2;
        }
    }
    options_done = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && !strcmp(a, "--")) {
            options_done = true;
            continue;
        }
        if (!options_done && !strncmp(a, "--wasm-features=", 16))
            continue;
        nfiles++;
        status = w2n_exit_status_merge(status, validate_one(a, features));
    }
    if (!nfiles) {
        usage(stderr);
        return 2;
    }
    return status;
}
