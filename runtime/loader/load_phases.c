/*
 * load_phases.c — the per-thread record of load_phases.h.  A name marked
 * twice in one load (a step run in two parts) adds up in one entry.
 */
#include "load_phases.h"

#include <string.h>
#include <time.h>

static _Thread_local w2n_load_record *current;

/* Off unless a host asks (w2n_load_phases_record): the thread's CPU clock
 * is a system call, about 0.6 us here, and a load marks 16 steps. */
static volatile bool wanted;

void w2n_load_phases_record(bool on) { wanted = on; }

/* The thread's CPU time (user and system, page faults included): on a
 * shared machine wall time mostly measures the neighbours. */
static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void w2n_load_record_begin(w2n_load_record *rec) {
    if (!wanted)
        rec = NULL;
    current = rec;
    if (rec) {
        rec->n = 0;
        rec->last_us = now_us();
    }
}

void w2n_load_mark(const char *name) {
    w2n_load_record *rec = current;
    if (!rec)
        return;
    double t = now_us();
    uint32_t i = 0;
    while (i < rec->n && strcmp(rec->phase[i].name, name))
        i++;
    if (i == rec->n && rec->n < W2N_LOAD_PHASES_MAX)
        rec->phase[rec->n++] = (w2n_load_phase){name, 0};
    if (i < rec->n)
        rec->phase[i].us += t - rec->last_us;
    rec->last_us = t;
}

void w2n_load_record_copy(w2n_load_phase out[W2N_LOAD_PHASES_MAX], uint32_t *out_n) {
    *out_n = current ? current->n : 0;
    if (current)
        memcpy(out, current->phase, current->n * sizeof *out);
}
