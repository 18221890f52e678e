/*
 * compile_batch.h — many inputs for `w2n compile`: at most N at a time,
 * each in a child process of its own, with progress on stderr.
 *
 * A child per input (fork) keeps compiles independent: LLVM state, memory
 * and the compile budgets of one never touch another's, and a crash fails
 * one input only.  Progress is a bar redrawn in place when stderr is a
 * terminal, else one plain line per finished input (CI logs).
 */
#ifndef W2N_COMPILE_BATCH_H
#define W2N_COMPILE_BATCH_H

#include <stdbool.h>

/* What one input came to: an exit status (exit_status.h), or this for an
 * object taken from the cache. */
#define W2N_BATCH_CACHED 200

/* Compile input `index`; returns its exit status or W2N_BATCH_CACHED. */
typedef int w2n_batch_fn(int index, void *ctx);

/* Run fn for 0..count-1, `jobs` at a time (1: in this process, one after
 * another).  `labels[i]` names input i in the progress; `progress` turns it
 * on.  Returns the merged exit status (w2n_exit_status_merge). */
int w2n_batch_run(int count, int jobs, w2n_batch_fn *fn, void *ctx, char *const *labels,
                  bool progress);

#endif
