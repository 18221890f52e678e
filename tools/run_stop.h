/*
 * run_stop.h — ending a `run` from outside the guest: --timeout, SIGINT and
 * SIGTERM.
 *
 * While a watch is active, SIGINT and SIGTERM are blocked in the running
 * thread and read by a watchdog thread (signalfd), so a Ctrl-C never kills
 * the process mid-write: the watchdog asks the store to stop
 * (w2n_store_interrupt, repeated every 10 ms until the call returns), the
 * call traps with "interrupted", and the command exits with the status of
 * the cause (124, 130 or 143) after flushing its output.
 */
#ifndef W2N_RUN_STOP_H
#define W2N_RUN_STOP_H

#include "w2n/runtime.h"

typedef enum w2n_run_stop_cause {
    W2N_RUN_STOP_NONE = 0,
    W2N_RUN_STOP_TIMEOUT,
    W2N_RUN_STOP_SIGINT,
    W2N_RUN_STOP_SIGTERM
} w2n_run_stop_cause;

typedef struct w2n_run_stop w2n_run_stop;

/* Seconds on the boot-time clock (monotonic, counts suspend). */
double w2n_run_stop_now(void);
/* When this process started on that clock (from /proc/self/stat, 10 ms
 * resolution), or now when that cannot be read: --timeout covers the whole
 * command, loading LLVM and compiling a .wasm included. */
double w2n_run_stop_process_start(void);
/* Watch calls into `store`; timeout in seconds, 0 for none.  NULL (with
 * errno) when the watchdog cannot start. */
w2n_run_stop *w2n_run_stop_start(w2n_store *store, double timeout);
/* Why the store was stopped so far (NONE: it was not); NULL gives NONE. */
w2n_run_stop_cause w2n_run_stop_cause_now(const w2n_run_stop *watch);
/* End the watch (joins the watchdog, unblocks the signals); returns why the
 * store was stopped, if it was.  NULL is allowed and gives NONE. */
w2n_run_stop_cause w2n_run_stop_finish(w2n_run_stop *watch);

#endif
