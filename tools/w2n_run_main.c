/*
 * w2n_run_main.c — w2n-run: the runtime alone.  Runs compiled objects (no
 * compiler, no LLVM): `w2n-run [OPTIONS] app.o [ARGS...]`, see run_cli.h.
 */
#include "run_cli.h"

int main(int argc, char **argv) { return w2n_run_cli("w2n-run", argc, argv, NULL); }
