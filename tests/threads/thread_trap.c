/* thread_trap.c — a spawned thread traps while the main thread waits
 * forever: the whole program must end with the trap (exit 134). */
#include "glue.h"

__attribute__((export_name("wasi_thread_start"))) void wasi_thread_start(int32_t tid, int32_t arg) {
    (void)tid, (void)arg;
    __builtin_trap();
}

__attribute__((export_name("_start"))) void _start(void) { spawn_one_and_sleep(); }
