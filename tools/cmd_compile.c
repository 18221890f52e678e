/* cmd_compile.c: placeholder, replaced by its owner's first commit. */
#include <stdio.h>
#include "commands.h"
int w2n_cmd_compile(int argc, char **argv) { fprintf(stderr, "w2n compile: not built yet\n"); return 2; }
