/*
 * host_cpu_x86_64.c — which CPU features this x86-64 machine has (cpuid;
 * AVX and AVX-512 count only when the kernel also saves their registers,
 * XCR0 via xgetbv), by LLVM's feature names.  The loader compares them with
 * what an object needs; SHA-256 picks its instructions by them.  Compiles to
 * nothing on other hosts.
 */
#if defined(__x86_64__)
#include <cpuid.h>
#include <stdint.h>
#include <string.h>

#include "cpu.h"

enum {
    L1_ECX,
    L1_EDX,
    L7_EBX,
    L7_ECX,
    L7_EDX,
    E1_ECX,
    NREGS
};
enum {
    OS_NONE,
    OS_YMM,
    OS_ZMM
};

static const struct {
    const char *name;
    uint8_t reg, bit, os;
} bits[] = {
    {"sse3", L1_ECX, 0, 0},
    {"pclmul", L1_ECX, 1, 0},
    {"ssse3", L1_ECX, 9, 0},
    {"fma", L1_ECX, 12, OS_YMM},
    {"cx16", L1_ECX, 13, 0},
    {"sse4.1", L1_ECX, 19, 0},
    {"sse4.2", L1_ECX, 20, 0},
    {"movbe", L1_ECX, 22, 0},
    {"popcnt", L1_ECX, 23, 0},
    {"aes", L1_ECX, 25, 0},
    {"xsave", L1_ECX, 26, 0},
    {"avx", L1_ECX, 28, OS_YMM},
    {"f16c", L1_ECX, 29, OS_YMM},
    {"rdrnd", L1_ECX, 30, 0},
    {"cx8", L1_EDX, 8, 0},
    {"cmov", L1_EDX, 15, 0},
    {"mmx", L1_EDX, 23, 0},
    {"fxsr", L1_EDX, 24, 0},
    {"sse", L1_EDX, 25, 0},
    {"sse2", L1_EDX, 26, 0},
    {"bmi", L7_EBX, 3, 0},
    {"avx2", L7_EBX, 5, OS_YMM},
    {"bmi2", L7_EBX, 8, 0},
    {"avx512f", L7_EBX, 16, OS_ZMM},
    {"avx512dq", L7_EBX, 17, OS_ZMM},
    {"rdseed", L7_EBX, 18, 0},
    {"adx", L7_EBX, 19, 0},
    {"avx512ifma", L7_EBX, 21, OS_ZMM},
    {"avx512cd", L7_EBX, 28, OS_ZMM},
    {"sha", L7_EBX, 29, 0},
    {"avx512bw", L7_EBX, 30, OS_ZMM},
    {"avx512vl", L7_EBX, 31, OS_ZMM},
    {"avx512vbmi", L7_ECX, 1, OS_ZMM},
    {"avx512vbmi2", L7_ECX, 6, OS_ZMM},
    {"gfni", L7_ECX, 8, 0},
    {"vaes", L7_ECX, 9, OS_YMM},
    {"vpclmulqdq", L7_ECX, 10, OS_YMM},
    {"avx512vnni", L7_ECX, 11, OS_ZMM},
    {"avx512bitalg", L7_ECX, 12, OS_ZMM},
    {"avx512vpopcntdq", L7_ECX, 14, OS_ZMM},
    {"sahf", E1_ECX, 0, 0},
    {"lzcnt", E1_ECX, 5, 0},
    {"sse4a", E1_ECX, 6, 0},
    {"prfchw", E1_ECX, 8, 0},
};

/* Which register state the kernel saves (XCR0), if it enabled XSAVE. */
static int os_state(uint32_t l1_ecx) {
    if (!(l1_ecx & (1u << 27))) /* OSXSAVE */
        return OS_NONE;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6) != 0x6) /* XMM and YMM */
        return OS_NONE;
    return (lo & 0xe0) == 0xe0 ? OS_ZMM : OS_YMM; /* opmask, ZMM_Hi256, Hi16_ZMM */
}

int w2n_arch_cpu_has(const char *name, void *data) {
    (void)data;
    if (!strcmp(name, "64bit") || !strcmp(name, "x87"))
        return 1;
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        if (strcmp(bits[i].name, name))
            continue;
        uint32_t r[NREGS] = {0}, a, b, c, d;
        if (__get_cpuid(1, &a, &b, &c, &d))
            r[L1_ECX] = c, r[L1_EDX] = d;
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
            r[L7_EBX] = b, r[L7_ECX] = c, r[L7_EDX] = d;
        if (__get_cpuid(0x80000001, &a, &b, &c, &d))
            r[E1_ECX] = c;
        if (!(r[bits[i].reg] & (1u << bits[i].bit)))
            return 0;
        return bits[i].os <= os_state(r[L1_ECX]);
    }
    return -1;
}
#endif
