/*
 * cpu_aarch64.c — AArch64 CPU names and the features they imply (LLVM
 * names), for the loader's feature check (cpu.h).  Data only: builds on
 * every host.
 *
 * LLVM gives cortex-a53/a72 the crypto extensions (aes, sha2), which some
 * boards lack (the Raspberry Pi 4's BCM2711): such code is refused there
 * unless compiled with --features=-aes,-sha2 (see docs/cross-compiling.md).
 */
#include "cpu.h"

#define V80 "crc,aes,sha2"
#define V82 V80 ",lse,rdm,fullfp16,dotprod,rcpc"

static const w2n_cpu_model models[] = {
    {"generic", ""},     {"cortex-a35", V80}, {"cortex-a53", V80}, {"cortex-a57", V80},
    {"cortex-a72", V80}, {"cortex-a73", V80}, {"cortex-a55", V82}, {"cortex-a75", V82},
    {"cortex-a76", V82}, {"cortex-a77", V82}, {"cortex-a78", V82}, {"neoverse-n1", V82},
};

const w2n_cpu_arch w2n_cpu_aarch64 = {
    .arch = W2N_ARCH_AARCH64,
    .models = models,
    .nmodels = sizeof models / sizeof models[0],
    /* fp-armv8 and neon are the baseline every AArch64 Linux machine has. */
    .no_requirement = "fp-armv8,neon,v8a,perfmon,ras,ccpp,ssbs,predres,sb,specrestrict,"
                      "el2vmsa,el3,vh,pan,lor,uaops,spe",
};
