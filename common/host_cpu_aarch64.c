/*
 * host_cpu_aarch64.c — which CPU features this AArch64 machine has (the
 * kernel's HWCAP/HWCAP2 bits, which qemu-user fills from the emulated CPU),
 * by LLVM's feature names.  The loader compares them with what an object
 * needs; SHA-256 picks its instructions by them.  Compiles to nothing on
 * other hosts.
 */
#if defined(__aarch64__)
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>

#include "cpu.h"

/* LLVM feature -> the HWCAP (word 0) or HWCAP2 (word 1) bits that must all
 * be set (Linux uapi asm/hwcap.h numbering). */
static const struct {
    const char *name;
    uint8_t word;
    uint64_t mask;
} caps[] = {
    {"fp-armv8", 0, 1ull << 0},
    {"neon", 0, 1ull << 1},
    {"aes", 0, (1ull << 3) | (1ull << 4)},  /* AES, PMULL */
    {"sha2", 0, (1ull << 5) | (1ull << 6)}, /* SHA1, SHA2 */
    {"crc", 0, 1ull << 7},
    {"lse", 0, 1ull << 8},
    {"fullfp16", 0, (1ull << 9) | (1ull << 10)}, /* FPHP, ASIMDHP */
    {"rdm", 0, 1ull << 12},
    {"jsconv", 0, 1ull << 13},
    {"complxnum", 0, 1ull << 14},
    {"rcpc", 0, 1ull << 15},
    {"sha3", 0, (1ull << 17) | (1ull << 21)}, /* SHA3, SHA512 */
    {"sm4", 0, (1ull << 18) | (1ull << 19)},  /* SM3, SM4 */
    {"dotprod", 0, 1ull << 20},
    {"sve", 0, 1ull << 22},
    {"fp16fml", 0, 1ull << 23},
    {"rcpc-immo", 0, 1ull << 26},
    {"flagm", 0, 1ull << 27},
    {"pauth", 0, (1ull << 30) | (1ull << 31)}, /* PACA, PACG */
    {"sve2", 1, 1ull << 1},
    {"altnzcv", 1, 1ull << 7},
    {"frintts", 1, 1ull << 8},
    {"i8mm", 1, 1ull << 13},
    {"bf16", 1, 1ull << 14},
    {"rand", 1, 1ull << 16},
    {"bti", 1, 1ull << 17},
    {"mte", 1, 1ull << 18},
};

int w2n_arch_cpu_has(const char *name, void *data) {
    (void)data;
    if (!strcmp(name, "crypto"))
        return w2n_arch_cpu_has("aes", NULL) && w2n_arch_cpu_has("sha2", NULL);
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        if (strcmp(caps[i].name, name))
            continue;
        uint64_t have = getauxval(caps[i].word ? AT_HWCAP2 : AT_HWCAP);
        return (have & caps[i].mask) == caps[i].mask;
    }
    return -1;
}
#endif
