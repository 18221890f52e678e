/*
 * arch_x86_64.c — x86-64 specifics of the runtime: the pc of a fault.
 * Compiles to nothing on other hosts.
 */
#if defined(__x86_64__)
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

uintptr_t w2n_arch_fault_pc(void *ucontext);

uintptr_t w2n_arch_fault_pc(void *ucontext) {
    return (uintptr_t)((ucontext_t *)ucontext)->uc_mcontext.gregs[REG_RIP];
}
#endif
