/*
 * cpu_x86_64.c — x86-64 CPU names and the features they imply (LLVM names),
 * for the loader's feature check (cpu.h).  Data only: builds on every host.
 *
 * The psABI levels are exact.  Named CPUs list the features LLVM enables for
 * them that can change the instructions it selects for Wasm code; a feature
 * that only tunes or that Wasm code cannot reach (prfchw, xsaveopt, rdrnd,
 * ...) is left out so that a machine is not refused for it.
 */
#include "cpu.h"

#define V2 "cx16,sahf,popcnt,sse3,sse4.1,sse4.2,ssse3"
#define V3 V2 ",avx,avx2,bmi,bmi2,f16c,fma,lzcnt,movbe,xsave"
#define V4 V3 ",avx512f,avx512bw,avx512cd,avx512dq,avx512vl"

static const w2n_cpu_model models[] = {
    {"x86-64", ""},
    {"generic", ""},
    {"x86-64-v2", V2},
    {"x86-64-v3", V3},
    {"x86-64-v4", V4},
    {"nehalem", V2},
    {"haswell", V3 ",pclmul"},
    {"broadwell", V3 ",pclmul,adx"},
    {"skylake", V3 ",pclmul,adx,aes"},
    {"skylake-avx512", V4 ",pclmul,adx,aes"},
    {"znver1", V3 ",pclmul,adx,aes,sha,sse4a"},
    {"znver2", V3 ",pclmul,adx,aes,sha,sse4a"},
    {"znver3", V3 ",pclmul,adx,aes,sha,sse4a,vaes,vpclmulqdq"},
};

const w2n_cpu_arch w2n_cpu_x86_64 = {
    .arch = W2N_ARCH_X86_64,
    .models = models,
    .nmodels = sizeof models / sizeof models[0],
    /* slow-3ops-lea: the baseline's tuning (compiler/emit/target.c), which
     * --features=+slow-3ops-lea undoes */
    .no_requirement = "64bit,cmov,cx8,fxsr,mmx,sse,sse2,x87,prfchw,xsaveopt,xsavec,xsaves,"
                      "rdrnd,rdseed,fsgsbase,invpcid,clflushopt,clwb,slow-3ops-lea",
};
