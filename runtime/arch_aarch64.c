/*
 * arch_aarch64.c — AArch64 specifics of the runtime: the pc of a fault.
 * Compiles to nothing on other hosts.
 */
#if defined(__aarch64__)
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

uintptr_t w2n_arch_fault_pc(void *ucontext);

uintptr_t w2n_arch_fault_pc(void *ucontext) {
    return (uintptr_t)((ucontext_t *)ucontext)->uc_mcontext.pc;
}
#endif
