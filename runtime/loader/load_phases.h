/*
 * load_phases.h — where the time of one object load goes.
 *
 * object.c opens a record for the load it runs; each step of the loader
 * (object.c, image.c) marks its end with a name, and the record keeps the
 * time since the previous mark.  The record is reached through a
 * thread-local pointer, so image.c's entry points keep their signatures and
 * a load without a record (w2n_image_load called alone) marks nothing.
 * `w2n-run --time-instantiate` prints the medians (w2n_object_load_phases).
 */
#ifndef W2N_LOAD_PHASES_H
#define W2N_LOAD_PHASES_H

#include "w2n/runtime.h"

typedef struct w2n_load_record {
    uint32_t n;
    w2n_load_phase phase[W2N_LOAD_PHASES_MAX];
    double last_us;
} w2n_load_record;

/* Start timing this thread's load into `rec` (NULL: stop); nothing is
 * timed unless w2n_load_phases_record(true) was called. */
void w2n_load_record_begin(w2n_load_record *rec);
/* The time since the previous mark belongs to `name` (a string literal). */
void w2n_load_mark(const char *name);
/* Copy the current record's phases out (*out_n = 0 without a record). */
void w2n_load_record_copy(w2n_load_phase out[W2N_LOAD_PHASES_MAX], uint32_t *out_n);

#endif
