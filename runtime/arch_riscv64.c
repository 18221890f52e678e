/*
 * arch_riscv64.c — RISC-V 64 specifics of the runtime: the pc of a fault
 * (glibc keeps it in general register slot REG_PC, i.e. 0).
 * Compiles to nothing on other hosts.
 */
#if defined(__riscv) && __riscv_xlen == 64
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

uintptr_t w2n_arch_fault_pc(void *ucontext);

uintptr_t w2n_arch_fault_pc(void *ucontext) {
    return (uintptr_t)((ucontext_t *)ucontext)->uc_mcontext.__gregs[REG_PC];
}
#endif
