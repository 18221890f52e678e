/*
 * run_stop.c — the watchdog thread behind --timeout and clean SIGINT/SIGTERM
 * (run_stop.h).  It waits on a signalfd for the two signals, a pipe that
 * w2n_run_stop_finish writes, and the timeout; once it has a cause it keeps
 * interrupting the store every STOP_RETRY_MS until finish: one signal can be
 * missed (the thread was in a runtime helper, or about to block in a host
 * call), so it is repeated rather than trusted.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "run_proc.h"
#include "run_stop.h"

#define STOP_RETRY_MS 10
#define WATCHDOG_STACK ((size_t)64 * 1024)

struct w2n_run_stop {
    w2n_store *store;
    double timeout;
    int sigfd;
    int done[2]; /* pipe: finish writes, the watchdog wakes */
    sigset_t old_mask;
    pthread_t thread;
    _Atomic int cause; /* w2n_run_stop_cause */
};

double w2n_run_stop_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double w2n_run_stop_process_start(void) {
    double now = w2n_run_stop_now();
    /* Field 22 of /proc/self/stat: starttime, in clock ticks since boot. */
    unsigned long long ticks;
    long hz = sysconf(_SC_CLK_TCK);
    if (!w2n_proc_number("/proc/self/stat", 22, &ticks) || hz <= 0)
        return now;
    double start = (double)ticks / (double)hz;
    return start <= now ? start : now;
}

static void *watch(void *arg) {
    w2n_run_stop *w = arg;
    double end = w->timeout > 0 ? w2n_run_stop_now() + w->timeout : 0;
    for (;;) {
        int wait_ms = -1;
        if (atomic_load(&w->cause) != W2N_RUN_STOP_NONE)
            wait_ms = STOP_RETRY_MS;
        else if (end > 0) {
            double left = end - w2n_run_stop_now();
            wait_ms = left > 0 ? (int)(left * 1000) + 1 : 0;
        }
        struct pollfd p[2] = {{.fd = w->done[0], .events = POLLIN},
                              {.fd = w->sigfd, .events = POLLIN}};
        int r = poll(p, 2, wait_ms);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && p[0].revents)
            break;
        int cause = W2N_RUN_STOP_NONE;
        struct signalfd_siginfo si;
        if (r > 0 && p[1].revents && read(w->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
            cause = si.ssi_signo == SIGINT ? W2N_RUN_STOP_SIGINT : W2N_RUN_STOP_SIGTERM;
        else if (end > 0 && w2n_run_stop_now() >= end)
            cause = W2N_RUN_STOP_TIMEOUT;
        int none = W2N_RUN_STOP_NONE;
        if (cause != W2N_RUN_STOP_NONE) /* the first cause wins */
            atomic_compare_exchange_strong(&w->cause, &none, cause);
        if (atomic_load(&w->cause) != W2N_RUN_STOP_NONE)
            w2n_store_interrupt(w->store);
    }
    return NULL;
}

w2n_run_stop *w2n_run_stop_start(w2n_store *store, double timeout) {
    w2n_run_stop *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->store = store;
    w->timeout = timeout;
    w->done[0] = w->done[1] = -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    /* Blocked before the thread starts, so it inherits the mask too. */
    if (pthread_sigmask(SIG_BLOCK, &set, &w->old_mask) != 0)
        goto fail_mask;
    w->sigfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (w->sigfd < 0)
        goto fail;
    /* It polls and calls w2n_store_interrupt: a small stack, not the
     * default 8 MiB one, is less to map at each start. */
    pthread_attr_t attr;
    bool started = pthread_attr_init(&attr) == 0;
    if (started) {
        pthread_attr_setstacksize(&attr, WATCHDOG_STACK);
        started =
            pipe2(w->done, O_CLOEXEC) == 0 && pthread_create(&w->thread, &attr, watch, w) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        close(w->sigfd);
        goto fail;
    }
    return w;
fail:
    if (w->done[0] >= 0) {
        close(w->done[0]);
        close(w->done[1]);
    }
    pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
fail_mask:
    free(w);
    return NULL;
}

w2n_run_stop_cause w2n_run_stop_cause_now(const w2n_run_stop *w) {
    return w ? (w2n_run_stop_cause)atomic_load(&((w2n_run_stop *)w)->cause) : W2N_RUN_STOP_NONE;
}

w2n_run_stop_cause w2n_run_stop_finish(w2n_run_stop *w) {
    if (!w)
        return W2N_RUN_STOP_NONE;
    char c = 1;
    while (write(w->done[1], &c, 1) < 0 && errno == EINTR)
        ;
    pthread_join(w->thread, NULL);
    w2n_run_stop_cause cause = atomic_load(&w->cause);
    close(w->done[0]);
    close(w->done[1]);
    close(w->sigfd);
    /* A signal that came after the watch re-arrives here with its default
     * action, as it would have without w2n. */
    pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
    free(w);
    return cause;
}
