/*
 * cpu.h — the CPU features an object needs, and whether this machine has them.
 *
 * The compiler records the --cpu and --features it was given in the metadata
 * (meta.h: cpu, features; "" means the target's portable baseline).  Before
 * anything runs, the loader expands them into LLVM feature names (a CPU name
 * implies a list, "+x" adds x, "-x" removes it) and asks the machine about
 * each; it refuses, naming every missing feature, if one is absent, unknown
 * to this runtime, or cannot be confirmed (e.g. a RISC-V extension on a
 * kernel without riscv_hwprobe).  Refusing is the safe side: the alternative
 * is SIGILL in the middle of a program.
 *
 * The tables (cpu_<arch>.c) are data and build on every host, so their tests
 * run anywhere; the probe of the running machine is per architecture and
 * host-only (arch_<arch>.c).
 */
#ifndef W2N_CPU_H
#define W2N_CPU_H

#include <stddef.h>

#include "w2n/abi.h"
#include "w2n/error.h"

/* A CPU name LLVM knows and the features it implies that matter for
 * running code (comma-separated LLVM names; "" for a baseline CPU). */
typedef struct w2n_cpu_model {
    const char *name;
    const char *features;
} w2n_cpu_model;

typedef struct w2n_cpu_arch {
    w2n_arch arch;
    const w2n_cpu_model *models;
    size_t nmodels;
    /* Features that change tuning or linking, never the instructions a
     * machine must have (comma-separated); they are not checked. */
    const char *no_requirement;
} w2n_cpu_arch;

extern const w2n_cpu_arch w2n_cpu_x86_64;
extern const w2n_cpu_arch w2n_cpu_aarch64;
extern const w2n_cpu_arch w2n_cpu_riscv64;

/* Does the machine have LLVM feature `name`?  1 yes; 0 no, or it cannot be
 * confirmed; -1 the name is unknown to the probe. */
typedef int (*w2n_cpu_probe_fn)(const char *name, void *data);

/* The probe of the machine this runtime runs on (arch_<arch>.c); `data` is
 * unused.  Under qemu-user it sees the emulated CPU. */
int w2n_arch_cpu_has(const char *name, void *data);

/* The table of an architecture, or NULL. */
const w2n_cpu_arch *w2n_cpu_arch_get(w2n_arch arch);

/* The model called `name` on `arch`, or NULL.  The compiler uses this to
 * refuse a --cpu the loader could not check (and that LLVM may not know). */
const w2n_cpu_model *w2n_cpu_model_find(w2n_arch arch, const char *name);

/* Write the comma-separated model names of `arch` into buf (truncated). */
void w2n_cpu_model_names(w2n_arch arch, char *buf, size_t size);

/* Check that `probe` has every feature that `cpu` (NULL or "" = baseline)
 * and `features` ("+a,-b,...", NULL or "" = none) require on `arch`.
 * W2N_ERR_UNSUPPORTED names the missing, unknown or unconfirmed features
 * and the compile flags; an unknown CPU name is refused the same way. */
w2n_status w2n_cpu_check(w2n_arch arch, const char *cpu, const char *features,
                         w2n_cpu_probe_fn probe, void *data, w2n_error *err);

#endif
