/* cli.h — running one w2pack command line (see cli.c) and scripts of
 * them (see script.c). */
#ifndef W2PACK_CLI_H
#define W2PACK_CLI_H

#include "pk.h"

extern const char pk_cli_usage[];

/* ARGV[1] is the command, ARGV[0] is ignored.  NESTED: called from a
 * script, which may not start another. */
int pk_cli_run(int argc, char **argv, int nested, pk_err *e);

/* Run each line of the file PATH as a command line; see script.c. */
int pk_script_run(const char *path, pk_err *e);

#endif
