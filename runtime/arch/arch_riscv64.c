/*
 * arch_riscv64.c — RISC-V 64 specifics of the runtime: the pc of a fault
 * (glibc keeps it in general register slot REG_PC, i.e. 0), the stack
 * pointer's DWARF number and the vector length (the CPU feature probe is
 * common/host_cpu_riscv64.c).  Compiles to nothing on other hosts.
 */
#if defined(__riscv) && __riscv_xlen == 64
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

#include "cpu.h"

uintptr_t w2n_arch_fault_pc(void *ucontext);
uint16_t w2n_arch_dwarf_sp(void);

/* The stack pointer's DWARF register number (sp (x2)): stack maps name it. */
uint16_t w2n_arch_dwarf_sp(void) { return 2; }

uintptr_t w2n_arch_fault_pc(void *ucontext) {
    return (uintptr_t)((ucontext_t *)ucontext)->uc_mcontext.__gregs[REG_PC];
}

uint64_t w2n_arch_vector_bytes(void);

/* Scales the vector part of a measured frame (frame.h); without V no code
 * can have one. */
uint64_t w2n_arch_vector_bytes(void) {
    if (w2n_arch_cpu_has("v", NULL) != 1)
        return 0;
    uint64_t vlenb;
    __asm__ volatile("csrr %0, 0xc22" : "=r"(vlenb)); /* vlenb */
    return vlenb;
}
#endif
