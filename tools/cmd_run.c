/* cmd_run.c: placeholder, replaced by its owner's first commit. */
#include <stdio.h>
#include "commands.h"
int w2n_cmd_run(int argc, char **argv) { fprintf(stderr, "w2n run: not built yet\n"); return 2; }
