/* thread_exit.c — a spawned thread calls proc_exit(7) while the main
 * thread waits forever: the whole program must exit with status 7. */
#include "glue.h"

__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid, int32_t arg) {
    (void)tid, (void)arg;
    print("worker exits\n", 13);
    proc_exit(7);
}

__attribute__((export_name("_start"))) void _start(void) { spawn_one_and_sleep(); }
