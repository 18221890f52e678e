/*
 * host_cpu_riscv64.c — which extensions this RISC-V 64 machine has, by
 * LLVM's feature names: single letters from HWCAP (bit = letter - 'a'),
 * multi-letter ones from the riscv_hwprobe system call (Linux 6.4+; an older
 * kernel, or qemu-user 7.2, cannot confirm them, so they count as absent),
 * and the minimum vector length from the vlenb CSR.  The loader compares
 * them with what an object needs.  Compiles to nothing on other hosts.
 */
#if defined(__riscv) && __riscv_xlen == 64
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu.h"

/* From the kernel's Documentation/arch/riscv/hwprobe.rst. */
#define HWPROBE_SYSCALL 258
#define HWPROBE_KEY_IMA_EXT_0 4

struct hwprobe_pair {
    int64_t key;
    uint64_t value;
};

static const char *const ext0[] = {
    "fd",     "c",     "v",     "zba",    "zbb",         "zbs",       "zicboz", "zbc",
    "zbkb",   "zbkc",  "zbkx",  "zknd",   "zkne",        "zknh",      "zksed",  "zksh",
    "zkt",    "zvbb",  "zvbc",  "zvkb",   "zvkg",        "zvkned",    "zvknha", "zvknhb",
    "zvksed", "zvksh", "zvkt",  "zfh",    "zfhmin",      "zihintntl", "zvfh",   "zvfhmin",
    "zfa",    "ztso",  "zacas", "zicond", "zihintpause",
};

static int has_letter(char c) { return (getauxval(AT_HWCAP) >> (c - 'a')) & 1; }

static unsigned vlen_bits(void) {
    uint64_t vlenb;
    __asm__ volatile("csrr %0, 0xc22" : "=r"(vlenb)); /* vlenb */
    return (unsigned)(vlenb * 8);
}

int w2n_arch_cpu_has(const char *name, void *data) {
    (void)data;
    if (name[0] && !name[1] && name[0] >= 'a' && name[0] <= 'z')
        return has_letter(name[0]);
    if (!strncmp(name, "zve", 3) &&
        (!strcmp(name + 3, "32x") || !strcmp(name + 3, "32f") || !strcmp(name + 3, "64x") ||
         !strcmp(name + 3, "64f") || !strcmp(name + 3, "64d")))
        return has_letter('v');
    unsigned bits;
    char tail;
    if (sscanf(name, "zvl%ub%c", &bits, &tail) == 1)
        return has_letter('v') && vlen_bits() >= bits;
    for (size_t i = 0; i < sizeof ext0 / sizeof ext0[0]; i++) {
        if (strcmp(ext0[i], name))
            continue;
        struct hwprobe_pair p = {HWPROBE_KEY_IMA_EXT_0, 0};
        if (syscall(HWPROBE_SYSCALL, &p, 1, 0, NULL, 0) != 0 || p.key < 0)
            return 0; /* cannot confirm: refuse rather than SIGILL */
        return (p.value >> i) & 1;
    }
    return -1;
}
#endif
