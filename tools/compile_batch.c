/*
 * compile_batch.c — running the inputs of `w2n compile` N at a time
 * (compile_batch.h says why a child per input, and what progress looks like).
 */
#include "compile_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exit_status.h"

typedef struct progress {
    bool on, tty;
    int done, total, cached, failed;
    struct timespec start;
} progress;

static double since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void report(progress *p, const char *label, int result) {
    p->done++;
    p->cached += result == W2N_BATCH_CACHED;
    p->failed += result != W2N_BATCH_CACHED && result != W2N_EXIT_OK;
    if (!p->on)
        return;
    const char *what = result == W2N_BATCH_CACHED ? "cached"
                       : result == W2N_EXIT_OK    ? "ok"
                                                  : "FAILED";
    if (!p->tty) {
        fprintf(stderr, "w2n compile: [%d/%d] %s: %s\n", p->done, p->total, label, what);
        return;
    }
    enum {
        WIDTH = 30
    };
    int filled = p->total ? p->done * WIDTH / p->total : WIDTH;
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    /* \r and erase-line: the bar is redrawn in place. */
    fprintf(stderr, "\r\033[K[%s] %d/%d %s", bar, p->done, p->total, label);
    if (p->done == p->total)
        fputc('\n', stderr);
}

static void summary(const progress *p) {
    if (p->on)
        fprintf(stderr,
                "w2n compile: %d inputs in %.1f s: %d compiled, %d from the cache, "
                "%d failed\n",
                p->total, since(&p->start), p->total - p->cached - p->failed, p->cached, p->failed);
}

static int as_status(int result) { return result == W2N_BATCH_CACHED ? W2N_EXIT_OK : result; }

int w2n_batch_run(int count, int jobs, w2n_batch_fn *fn, void *ctx, char *const *labels,
                  bool progress_on) {
    progress p = {.on = progress_on, .tty = isatty(2), .total = count};
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    int status = W2N_EXIT_OK;
    if (jobs <= 1) {
        for (int i = 0; i < count; i++) {
            int r = fn(i, ctx);
            report(&p, labels[i], r);
            status = w2n_exit_status_merge(status, as_status(r));
        }
        summary(&p);
        return status;
    }
    pid_t *pids = calloc((size_t)count, sizeof *pids);
    int next = 0, running = 0;
    fflush(NULL); /* children must not write our buffered output again */
    while (next < count || running > 0) {
        while (next < count && running < jobs) {
            pid_t pid = fork();
            if (pid == 0)
                _exit(fn(next, ctx));
            if (pid < 0) { /* no process to spare: this one here */
                int r = fn(next, ctx);
                report(&p, labels[next], r);
                status = w2n_exit_status_merge(status, as_status(r));
            } else {
                pids[next] = pid;
                running++;
            }
            next++;
        }
        int ws;
        pid_t pid = wait(&ws);
        if (pid < 0)
            break;
        for (int i = 0; i < next; i++) {
            if (pids[i] != pid)
                continue;
            int r = WIFEXITED(ws) ? WEXITSTATUS(ws) : W2N_EXIT_ERROR;
            if (!WIFEXITED(ws))
                fprintf(stderr, "w2n compile: %s: the compiler died of signal %d\n", labels[i],
                        WTERMSIG(ws));
            report(&p, labels[i], r);
            status = w2n_exit_status_merge(status, as_status(r));
            pids[i] = 0;
            running--;
        }
    }
    free(pids);
    summary(&p);
    return status;
}
