/*
 * cpu_riscv64.c — RISC-V 64 CPU names and the extensions they imply (LLVM
 * names), for the loader's feature check (cpu.h).  Data only: builds on
 * every host.
 *
 * The baseline is rv64gc (i, m, a, f, d, c, zicsr, zifencei), which the
 * runtime itself needs.  Vector CPUs imply a minimum VLEN (zvlNb): code
 * compiled for it is wrong on a machine with shorter vectors, so it counts.
 */
#include "cpu.h"

static const w2n_cpu_model models[] = {
    {"generic", ""},
    {"generic-rv64", ""},
    {"sifive-u54", ""},
    {"sifive-u74", ""},
    {"sifive-x280", "v,zba,zbb,zfh,zfhmin,zvfh,zvfhmin,zvl512b"},
    {"sifive-p670", "v,zba,zbb,zbs,zfhmin,zvbb,zvbc,zvkg,zvkned,zvknhb,zvksed,zvksh,zvkt,"
                    "zvl128b"},
    {"spacemit-x60", "v,zba,zbb,zbc,zbs,zfh,zfhmin,zicond,zvfh,zvfhmin,zvkt,zvl256b"},
};

const w2n_cpu_arch w2n_cpu_riscv64 = {
    .arch = W2N_ARCH_RISCV64,
    .models = models,
    .nmodels = sizeof models / sizeof models[0],
    .no_requirement = "64bit,i,m,a,f,d,c,zicsr,zifencei,zmmul,relax,save-restore,"
                      "unaligned-scalar-mem,unaligned-vector-mem,zicntr,zihpm,zihintpause,"
                      "zkt,zvkt,zicbop,zicbom,ziccamoa,ziccif,zicclsm,ziccrse,za64rs,zic64b",
};
