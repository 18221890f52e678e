/* cmd_inspect.c: placeholder, replaced by its owner's first commit. */
#include <stdio.h>
#include "commands.h"
int w2n_cmd_inspect(int argc, char **argv) { fprintf(stderr, "w2n inspect: not built yet\n"); return 2; }
