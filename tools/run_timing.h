/*
 * run_timing.h — `--time-instantiate`: how long loading and instantiating
 * an object take, as the benchmarks report them.
 */
#ifndef W2N_RUN_TIMING_H
#define W2N_RUN_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "run_args.h"
#include "w2n/runtime.h"
#include "w2n/wasi.h"

/* Load the object from bytes repeatedly; print "load_us=MEDIAN". */
void w2n_run_time_load(const uint8_t *bytes, size_t size);
/* Instantiate repeatedly in fresh stores with WASI defined; print
 * "instantiate_us=MEDIAN".  Returns the process exit code. */
int w2n_run_time_instantiate(const char *prog, const w2n_run_options *o, const w2n_object *obj,
                             w2n_wasi *wasi);

#endif
