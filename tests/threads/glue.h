/*
 * glue.h — what a freestanding wasi-threads test program needs: Debian's
 * wasi-libc has no threads sysroot, so these programs are built with
 * -nostdlib and declare their few imports here.  Workers use no shadow
 * stack (no address-taken locals): each thread's instance starts with the
 * same __stack_pointer.
 */
#ifndef W2N_THREADS_GLUE_H
#define W2N_THREADS_GLUE_H

#include <stdint.h>

__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t
thread_spawn(int32_t start_arg);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) int32_t
fd_write(int32_t fd, const void *iovs, int32_t n, int32_t *written);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) _Noreturn void
proc_exit(int32_t status);

static inline void print(const char *s, uint32_t n) {
    struct {
        const char *p;
        uint32_t n;
    } iov = {s, n};
    int32_t written;
    fd_write(1, &iov, 1, &written);
}

/* "LABEL VALUE\n" on stdout. */
static inline void print_u64(const char *label, uint32_t label_len, uint64_t v) {
    char line[24];
    uint32_t at = sizeof line;
    line[--at] = '\n';
    do
        line[--at] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    print(label, label_len);
    print(line + at, sizeof line - at);
}

/* Sleep until *p != seen (memory.atomic.wait32, no timeout). */
static inline void wait_while(int32_t *p, int32_t seen) {
    __builtin_wasm_memory_atomic_wait32((int *)p, seen, -1);
}

/* The main thread of a program whose worker ends it: spawn one worker, then
 * sleep for good. */
static inline _Noreturn void spawn_one_and_sleep(void) {
    static int32_t never;
    if (thread_spawn(0) <= 0)
        proc_exit(2);
    for (;;)
        wait_while(&never, 0);
}

#endif
