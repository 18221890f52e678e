/*
 * exit_status.h — the exit statuses of every w2n tool, in one place.
 *
 * Scripts and CI tell outcomes apart by these numbers, so each outcome has
 * its own: a module w2n cannot handle yet (3) is not a corrupt one (1), a
 * budget that ran out (4) is neither, and a run stopped from outside reads
 * like a process killed by that signal (timeout(1)'s 124, 128 + signal).
 * docs/cli.md lists them for users.
 */
#ifndef W2N_EXIT_STATUS_H
#define W2N_EXIT_STATUS_H

#include "w2n/error.h"

#define W2N_EXIT_OK 0
#define W2N_EXIT_ERROR 1 /* an input failed: malformed, invalid, unreadable, ... */
#define W2N_EXIT_USAGE 2 /* a bad command line */
#define W2N_EXIT_UNSUPPORTED \
    3                    /* valid input that uses what w2n does not support or was told to refuse */
#define W2N_EXIT_LIMIT 4 /* a documented limit or a budget given on the command line */
#define W2N_EXIT_TIMEOUT 124   /* --timeout ran out (as timeout(1) reports it) */
#define W2N_EXIT_TRAP 134      /* the guest trapped */
#define W2N_EXIT_EXCEPTION 135 /* a Wasm exception left the guest uncaught */
#define W2N_EXIT_SIGINT 130    /* stopped by SIGINT: 128 + 2 */
#define W2N_EXIT_SIGTERM 143   /* stopped by SIGTERM: 128 + 15 */

/* The exit status for a failed step: unsupported features and limits have
 * their own, every other error is W2N_EXIT_ERROR. */
static inline int w2n_exit_status_for(w2n_status status) {
    switch (status) {
    case W2N_OK: return W2N_EXIT_OK;
    case W2N_ERR_UNSUPPORTED: return W2N_EXIT_UNSUPPORTED;
    case W2N_ERR_LIMIT: return W2N_EXIT_LIMIT;
    case W2N_ERR_TRAP: return W2N_EXIT_TRAP;
    case W2N_ERR_EXCEPTION: return W2N_EXIT_EXCEPTION;
    default: return W2N_EXIT_ERROR;
    }
}

/* The status of a command over several inputs: any plain error wins, then
 * the first other failure (unsupported, limit), else 0. */
static inline int w2n_exit_status_merge(int so_far, int next) {
    if (next == W2N_EXIT_ERROR || (so_far == W2N_EXIT_OK))
        return next;
    return so_far;
}

#endif
