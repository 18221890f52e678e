/*
 * main.c — w2n-spectest: run one converted spec script, or its self-test.
 *
 *     w2n-spectest [--bounds-checks=guard|explicit] [--stack-size=BYTES] COMMANDS|-
 *     w2n-spectest --self-test
 *
 * COMMANDS holds one command per line, "ID VERB ..." (see exec.c); for each
 * the runner prints exactly one line on stdout and flushes it:
 *     ID pass
 *     ID pass-message DETAIL     passed, but an error message differs
 *     ID fail DETAIL
 * and finally "end".  Traps are results, not crashes: the runtime catches
 * them.  If a runtime bug kills the process anyway, the driver sees which
 * command got no answer.  Exit status: 0 all passed, 1 some failed,
 * 2 usage or setup error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out, "usage: w2n-spectest [--bounds-checks=guard|explicit] [--stack-size=BYTES] "
                 "COMMANDS|-\n       w2n-spectest --self-test\n       w2n-spectest --version\n");
}

/* Keep a result on one line whatever the runtime put in its messages. */
static void print_detail(const char *s) {
    for (; *s; s++)
        putchar((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static int run_script(FILE *in, w2n_bounds_mode mode, size_t stack_size) {
    spec_runner r;
    w2n_error err;
    memset(&err, 0, sizeof err);
    if (spec_runner_init(&r, mode, stack_size, &err) != W2N_OK) {
        fprintf(stderr, "w2n-spectest: %s\n", err.message);
        spec_runner_fini(&r);
        return 2;
    }
    char *line = NULL, msg[1024];
    size_t cap = 0;
    int failed = 0;
    while (getline(&line, &cap, in) >= 0) {
        spec_cursor cur = {line};
        const char *id = spec_token(&cur);
        if (!id || id[0] == '#')
            continue;
        spec_outcome out = spec_runner_exec(&r, cur.next, msg, sizeof msg);
        static const char *words[] = {"pass", "pass-message", "fail"};
        printf("%s %s", id, words[out]);
        if (out != SPEC_PASS) {
            putchar(' ');
            print_detail(msg);
        }
        putchar('\n');
        fflush(stdout);
        failed += out == SPEC_FAIL;
    }
    free(line);
    spec_runner_fini(&r);
    printf("end\n");
    fflush(stdout);
    return failed ? 1 : 0;
}

int main(int argc, char **argv) {
    w2n_bounds_mode mode = W2N_BOUNDS_GUARD;
    size_t stack_size = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--self-test")) {
            int failures = spec_self_test();
            printf("self-test: %s\n", failures ? "FAILED" : "ok");
            return failures ? 1 : 0;
        } else if (!strncmp(a, "--bounds-checks=", 16) && w2n_bounds_mode_parse(a + 16, &mode)) {
            continue;
        } else if (!strncmp(a, "--stack-size=", 13)) {
            stack_size = strtoull(a + 13, NULL, 0);
        } else if (!strcmp(a, "--version")) {
            printf("w2n-spectest %s\n", W2N_VERSION);
            return 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "w2n-spectest: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (path) {
            usage(stderr);
            return 2;
        } else {
            path = a;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        perror(path);
        return 2;
    }
    int status = run_script(in, mode, stack_size);
    if (in != stdin)
        fclose(in);
    return status;
}
