/*
 * spawn_sum.c — the main thread spawns workers with thread-spawn; each sums
 * its slice of 1..N into a shared total with atomic adds and counts itself
 * done; the main thread waits on the count with memory.atomic.wait32 and
 * prints the total.  spawn_sum_native.c does the same with pthreads, and
 * the test compares the two outputs.
 */
#include "glue.h"

#define WORKERS 4
#define N 20000000u

static uint64_t total;
static int32_t finished;

__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid,
                                                                         int32_t slice) {
    (void)tid;
    uint64_t sum = 0;
    for (uint32_t i = (uint32_t)slice + 1; i <= N; i += WORKERS)
        sum += i;
    __atomic_fetch_add(&total, sum, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify((int *)&finished, 1);
}

__attribute__((export_name("_start"))) void _start(void) {
    for (int32_t w = 0; w < WORKERS; w++)
        if (thread_spawn(w) <= 0)
            proc_exit(2);
    for (int32_t seen; (seen = __atomic_load_n(&finished, __ATOMIC_SEQ_CST)) < WORKERS;)
        wait_while(&finished, seen);
    print_u64("sum ", 4, __atomic_load_n(&total, __ATOMIC_SEQ_CST));
}
