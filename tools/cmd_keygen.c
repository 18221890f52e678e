/*
 * cmd_keygen.c — `w2n keygen KEYFILE`: make an Ed25519 key pair for signing
 * objects: KEYFILE (secret, mode 0600, never overwritten) and KEYFILE.pub
 * (what `--trust` takes).  Formats in run_keys.h.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exit_status.h"
#include "run_keys.h"

int w2n_cmd_keygen(int argc, char **argv) {
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: w2n keygen KEYFILE\n"
               "Write a new Ed25519 key pair: KEYFILE (secret, for 'w2n compile --sign')\n"
               "and KEYFILE.pub (public, for 'w2n run --trust' and 'w2n-run --trust').\n"
               "Neither file may exist yet.\n"
               "Exit status: 0 written, 1 error, 2 bad usage, 3 built without signing.\n");
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "w2n keygen: usage: w2n keygen KEYFILE (try 'w2n keygen --help')\n");
        return W2N_EXIT_USAGE;
    }
    w2n_error err;
    w2n_status st = w2n_keys_generate(argv[1], &err);
    if (st != W2N_OK) {
        fprintf(stderr, "w2n keygen: %s\n", err.message);
        return w2n_exit_status_for(st);
    }
    printf("wrote %s and %s.pub\n", argv[1], argv[1]);
    return 0;
}
