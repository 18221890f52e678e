/* main.c — the w2pack entry point: run the command named by the arguments,
 * print its error on stderr, exit with its status (see cli.c). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    pk_err e = {0, ""};
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(pk_cli_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? PK_EUSAGE : PK_OK;
    }
    int st = pk_cli_run(argc, argv, 0, &e);
    if (fflush(stdout) != 0 && !st)
        st = pk_fail(&e, PK_EIO, "cannot write standard output");
    if (st) {
        fprintf(stderr, "w2pack: %s\n", e.msg);
        if (st == PK_EUSAGE)
            fputs(pk_cli_usage, stderr);
    }
    return st;
}
