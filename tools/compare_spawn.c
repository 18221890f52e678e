/*
 * compare_spawn.c — run one engine's command and time it.
 *
 * stdout and stderr go to anonymous temporary files rather than pipes, so a
 * child that prints a lot never blocks on us and the wall time is the
 * child's alone; we read them after it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"

extern char **environ;

#define OUTPUT_LIMIT (64u << 20) /* more stdout than this is cut: outputs still compare */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_all(int fd, size_t *len) {
    struct stat st;
    size_t n = 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        n = (size_t)st.st_size < OUTPUT_LIMIT ? (size_t)st.st_size : OUTPUT_LIMIT;
    char *buf = malloc(n + 1);
    if (!buf)
        return NULL;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* The last non-empty line of what the child wrote on stderr. */
static void last_line(int fd, char *out, size_t size) {
    size_t len;
    char *all = read_all(fd, &len);
    out[0] = '\0';
    if (!all)
        return;
    while (len && (all[len - 1] == '\n' || all[len - 1] == '\r'))
        all[--len] = '\0';
    char *start = strrchr(all, '\n');
    snprintf(out, size, "%s", start ? start + 1 : all);
    free(all);
}

static bool wait_for(pid_t pid, double deadline, int *wstatus, bool *timed_out) {
    *timed_out = false;
    for (;;) {
        pid_t r = waitpid(pid, wstatus, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR)
            return false;
        if (now() > deadline && !*timed_out) {
            kill(pid, SIGKILL);
            *timed_out = true;
        }
        /* Short sleeps: a fast engine's time is still read to ~0.1 ms. */
        struct timespec pause = {0, 100000};
        nanosleep(&pause, NULL);
    }
}

bool cmp_spawn(const char *const *argv, double timeout, cmp_outcome *out) {
    memset(out, 0, sizeof *out);
    int out_fd = memfd_create("w2n-compare-out", MFD_CLOEXEC);
    int err_fd = memfd_create("w2n-compare-err", MFD_CLOEXEC);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    pid_t pid;
    double start = now();
    int rc = out_fd < 0 || err_fd < 0 || null_fd < 0
                 ? -1
                 : posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    bool ok = rc == 0;
    int ws = 0;
    if (ok)
        ok = wait_for(pid, start + timeout, &ws, &out->timed_out);
    out->seconds = now() - start;
    if (ok) {
        out->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        out->out = read_all(out_fd, &out->out_len);
        last_line(err_fd, out->err_tail, sizeof out->err_tail);
        ok = out->out != NULL;
    } else {
        snprintf(out->err_tail, sizeof out->err_tail, "cannot run %s: %s", argv[0],
                 strerror(rc > 0 ? rc : errno));
    }
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    if (null_fd >= 0)
        close(null_fd);
    return ok;
}

void cmp_outcome_free(cmp_outcome *o) {
    free(o->out);
    o->out = NULL;
}
