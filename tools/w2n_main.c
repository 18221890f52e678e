/*
 * w2n_main.c — the w2n tool: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "w2n/version.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"compile", w2n_cmd_compile, "compile .wasm modules to native objects"},
    {"run", w2n_cmd_run, "run a .wasm module or a compiled object"},
    {"validate", w2n_cmd_validate, "check that modules are valid Wasm"},
    {"inspect", w2n_cmd_inspect, "describe a compiled object"},
    {"keygen", w2n_cmd_keygen, "make an Ed25519 key pair for signing objects"},
    {"compare", w2n_cmd_compare, "run a module under w2n and other engines, compare"},
};

static void usage(FILE *out) {
    fprintf(out, "usage: w2n COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'w2n COMMAND --help' describes each command; 'w2n --version' "
                 "prints the version.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("w2n %s\n", W2N_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "w2n: unknown command '%s' (try 'w2n --help')\n", argv[1]);
    return 2;
}
