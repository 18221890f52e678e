/*
 * arch_x86_64.c — x86-64 specifics of the runtime: the pc of a fault and
 * the stack pointer's DWARF number (the CPU feature probe is
 * common/host_cpu_x86_64.c).  Compiles to nothing on other hosts.
 */
#if defined(__x86_64__)
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

uintptr_t w2n_arch_fault_pc(void *ucontext);
uint16_t w2n_arch_dwarf_sp(void);

/* The stack pointer's DWARF register number (rsp): stack maps name it. */
uint16_t w2n_arch_dwarf_sp(void) { return 7; }

uintptr_t w2n_arch_fault_pc(void *ucontext) {
    return (uintptr_t)((ucontext_t *)ucontext)->uc_mcontext.gregs[REG_RIP];
}

uint64_t w2n_arch_vector_bytes(void);

uint64_t w2n_arch_vector_bytes(void) { return 0; /* frames are probed, never measured (frame.h) */ }
#endif
