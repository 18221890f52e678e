/*
 * compile_budget.c — w2n_compile under setrlimit in a forked child (see
 * compile_budget.h).  The child writes one message on the pipe: its
 * w2n_error, the object's size, then the object.  Anything short of a whole
 * message means the child died: by SIGXCPU/SIGKILL when its CPU budget ran
 * out, otherwise (LLVM aborts when an allocation fails) of its memory budget.
 */
#include "compile_budget.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grow.h"
#include "run_proc.h"
#include "w2n/compiler.h"

/* The address space the process has now: RLIMIT_AS counts all of it. */
static uint64_t address_space_now(void) {
    unsigned long long pages = 0; /* field 1 of statm: the total size in pages */
    if (!w2n_proc_number("/proc/self/statm", 1, &pages))
        pages = 0;
    return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

static bool write_all(int fd, const void *p, size_t n) {
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static void child(int fd, const uint8_t *wasm, size_t size, const w2n_compile_options *opts,
                  const w2n_compile_budget *budget) {
    /* LLVM reports a failed allocation on stderr before it aborts; the
     * parent says what happened in one line instead. */
    if (!getenv("W2N_DUMP_IR")) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
    }
    if (budget->max_memory) {
        uint64_t as = address_space_now() + budget->max_memory;
        struct rlimit r = {as, as};
        setrlimit(RLIMIT_AS, &r);
    }
    if (budget->max_seconds) {
        /* SIGXCPU at the soft limit, SIGKILL a second later if it is caught. */
        struct rlimit r = {budget->max_seconds, budget->max_seconds + 1};
        setrlimit(RLIMIT_CPU, &r);
    }
    w2n_error err = {0};
    uint8_t *obj = NULL;
    uint64_t obj_size = 0;
    size_t n = 0;
    /* --stats figures are filled in here, in the child: they go back too. */
    w2n_compile_stats stats = {0};
    w2n_compile_options with_stats = *opts;
    with_stats.stats = &stats;
    if (w2n_compile(wasm, size, &with_stats, &obj, &n, &err) == W2N_OK)
        obj_size = n;
    else
        obj_size = 0;
    bool ok = write_all(fd, &err, sizeof err) && write_all(fd, &stats, sizeof stats) &&
              write_all(fd, &obj_size, sizeof obj_size) && write_all(fd, obj, (size_t)obj_size);
    _exit(ok ? 0 : 1);
}

/* Read what the child sends until it closes the pipe. */
static uint8_t *read_all(int fd, size_t *out_size) {
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *p = w2n_grow(buf, &cap, n + 1, 1, 1);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    *out_size = n;
    return buf;
}

static w2n_status died(int status, const w2n_compile_budget *b, w2n_error *err) {
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (b->max_seconds && (sig == SIGXCPU || sig == SIGKILL))
        return w2n_error_set(
            err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
            "compiling exceeds the budget of %llu CPU seconds (--max-compile-time)",
            (unsigned long long)b->max_seconds);
    if (b->max_memory)
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "compiling exceeds the budget of %llu bytes of memory "
                             "(--max-compile-memory)%s",
                             (unsigned long long)b->max_memory,
                             sig && sig != SIGABRT ? " or the compiler crashed" : "");
    return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "the compiler process died (%s %d)",
                         sig ? "signal" : "exit status", sig ? sig : WEXITSTATUS(status));
}

w2n_status w2n_compile_budgeted(const uint8_t *wasm, size_t size, const w2n_compile_options *opts,
                                const w2n_compile_budget *budget, uint8_t **out_object,
                                size_t *out_size, w2n_error *err) {
    if (!budget || (!budget->max_memory && !budget->max_seconds))
        return w2n_compile(wasm, size, opts, out_object, out_size, err);
    *out_object = NULL;
    *out_size = 0;
    int fds[2];
    if (pipe(fds) != 0)
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], wasm, size, opts, budget);
    }
    close(fds[1]);
    size_t n = 0;
    uint8_t *msg = read_all(fds[0], &n);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    w2n_status s;
    uint64_t obj_size = 0;
    size_t stats_at = sizeof(w2n_error), size_at = stats_at + sizeof(w2n_compile_stats);
    size_t head = size_at + sizeof obj_size;
    if (!msg) {
        s = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    } else if (n < head ||
               (memcpy(&obj_size, msg + size_at, sizeof obj_size), n != head + obj_size) ||
               !WIFEXITED(status) || WEXITSTATUS(status)) {
        s = died(status, budget, err);
    } else if (obj_size == 0) {
        memcpy(err, msg, sizeof *err);
        s = err->code;
        /* w2n's own allocations failing under the budget are the budget too. */
        if (s == W2N_ERR_NOMEM && budget->max_memory)
            s = died(status, budget, err);
    } else {
        if (opts->stats)
            memcpy(opts->stats, msg + stats_at, sizeof *opts->stats);
        memmove(msg, msg + head, (size_t)obj_size);
        *out_object = msg;
        *out_size = (size_t)obj_size;
        return W2N_OK;
    }
    free(msg);
    return s;
}
