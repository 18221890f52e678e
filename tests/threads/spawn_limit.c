/* spawn_limit.c — a guest that spawns threads without end: thread-spawn
 * must start failing (a negative result) at the host's limit, not exhaust
 * the host.  Prints how many spawns succeeded and the first failure. */
#include "glue.h"

static int32_t never;

__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid, int32_t arg) {
    (void)tid, (void)arg;
    for (;;)
        wait_while(&never, 0);
}

__attribute__((export_name("_start"))) void _start(void) {
    uint32_t ok = 0;
    int32_t r;
    while ((r = thread_spawn(0)) > 0 && ok < 100000)
        ok++;
    print_u64("spawned ", 8, ok);
    print_u64("then -", 6, (uint64_t) - (int64_t)r);
    proc_exit(0);
}
