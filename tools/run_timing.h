/*
 * run_timing.h — `--time-instantiate`: how long loading and instantiating
 * an object take, as the benchmarks report them.
 */
#ifndef W2N_RUN_TIMING_H
#define W2N_RUN_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run_args.h"
#include "w2n/runtime.h"
#include "w2n/wasi.h"

/* Load the object from bytes repeatedly; print "load_us=MEDIAN" and the
 * median of each loader step ("load_phases_us: seal=... elf=..."). */
void w2n_run_time_load(const uint8_t *bytes, size_t size);
/* The same from the object's file, as w2n-run loads it (mapped). */
void w2n_run_time_load_file(const char *path, const uint8_t *trusted_key);
/* Is `path` a regular file that starts as an ELF object does? */
bool w2n_run_is_object_file(const char *path);
/* Instantiate repeatedly in fresh stores with WASI defined; print
 * "instantiate_us=MEDIAN".  Returns the process exit code. */
int w2n_run_time_instantiate(const char *prog, const w2n_run_options *o, const w2n_object *obj,
                             w2n_wasi *wasi);

#endif
