/*
 * mandel_wasm.c — the kernel on THREADS wasi-threads workers (a build-time
 * constant: the program has no arguments), freestanding as tests/threads'
 * programs are (glue.h).  Prints the iteration total.
 */
#include "../../tests/threads/glue.h"
#include "mandel.h"

#ifndef THREADS
#define THREADS 2
#endif

static uint64_t total;
static int32_t finished;

__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid,
                                                                         int32_t worker) {
    (void)tid;
    __atomic_fetch_add(&total, mandel_rows((uint32_t)worker, THREADS), __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify((int *)&finished, 1);
}

__attribute__((export_name("_start"))) void _start(void) {
    for (int32_t w = 0; w < THREADS; w++)
        if (thread_spawn(w) <= 0)
            proc_exit(2);
    for (int32_t seen; (seen = __atomic_load_n(&finished, __ATOMIC_SEQ_CST)) < THREADS;)
        wait_while(&finished, seen);
    print_u64("iterations ", 11, __atomic_load_n(&total, __ATOMIC_SEQ_CST));
}
