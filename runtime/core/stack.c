/*
 * stack.c — where this thread's stack ends, and where its guard lies.
 *
 * Wasm runs on the calling thread's own stack.  The runtime learns the
 * stack's lowest usable address once per thread (pthread_getattr_np, which
 * excludes the guard page of a pthread stack and for the main thread follows
 * the stack rlimit) and keeps it in thread-local storage, so the fault handler
 * can read it without locks or calls.
 *
 * The guard region is the range just below that address: a thread's own
 * guard page (pthread stacks), or the unmapped gap the kernel keeps below a
 * main-thread stack that reached its rlimit.  Compiled code probes every
 * frame page by page (W2N_STACK_PROBE_SIZE), or where it cannot (RISC-V) the
 * runtime reserves the largest frame above the end (call.c, frame.h), so the
 * first fault a deep or large frame takes past the stack lies within one
 * probe step of the end; the
 * region spans at least GUARD_SPAN so that the main thread's last, partly
 * reported page is covered too.  The runtime's own reserve above the end
 * (W2N_STACK_RESERVE) belongs to the region as well: a fault there from Wasm
 * code means the stack could not grow, which is stack exhaustion too.
 * A thread whose stack could not be found has no region (nothing is claimed).
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "internal.h"

#define GUARD_SPAN ((uintptr_t)64 * 1024)

static _Thread_local uintptr_t stack_low; /* 0 = not looked up yet, 1 = unknown */
static _Thread_local uintptr_t guard_low; /* lowest address of the guard region */

uintptr_t w2n_stack_low(void) {
    if (stack_low)
        return stack_low;
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0, guard = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0)
            addr = NULL;
        if (pthread_attr_getguardsize(&attr, &guard) != 0)
            guard = 0;
        pthread_attr_destroy(&attr);
    }
    uintptr_t low = (uintptr_t)addr;
    uintptr_t span = guard > GUARD_SPAN ? guard : GUARD_SPAN;
    if (low > span) {
        guard_low = low - span;
        stack_low = low;
    } else {
        stack_low = 1;
    }
    return stack_low;
}

bool w2n_stack_in_guard(uintptr_t addr) {
    uintptr_t low = stack_low;
    return low > 1 && addr >= guard_low && addr < low + W2N_STACK_RESERVE;
}
