/* run_backtrace.h — print the Wasm frames a trap ended (w2n run, w2n-run). */
#ifndef W2N_RUN_BACKTRACE_H
#define W2N_RUN_BACKTRACE_H

#include <stdio.h>

#include "w2n/runtime.h"

/* One line per frame, innermost first; nothing when the trap has none. */
void w2n_run_print_backtrace(const w2n_trap *trap, FILE *out);

#endif
