/* cmd_validate.c: placeholder, replaced by its owner's first commit. */
#include <stdio.h>
#include "commands.h"
int w2n_cmd_validate(int argc, char **argv) { fprintf(stderr, "w2n validate: not built yet\n"); return 2; }
