/*
 * exe_link.h — `w2n compile --exe`: one executable that needs nothing
 * installed: the object, the static runtime and WASI, linked by the
 * target's gcc (cc for the host, aarch64-linux-gnu-gcc, riscv64-linux-gnu-gcc).
 */
#ifndef W2N_EXE_LINK_H
#define W2N_EXE_LINK_H

#include <stddef.h>
#include <stdint.h>

typedef struct w2n_exe_options {
    const char *target;      /* the compile's --target (NULL: the host) */
    const char *run_options; /* --exe-run-options: w2n-run options baked in, or NULL */
    const char *cc;          /* --cc: the C compiler driver that links, or NULL */
    const char *runtime_dir; /* --runtime-dir: where libw2n-runtime.a is, or NULL */
} w2n_exe_options;

/* Link `object` into the executable `output` (written atomically); prints
 * one line on stderr and returns an exit status on failure, else 0. */
int w2n_exe_link(const uint8_t *object, size_t size, const char *output,
                 const w2n_exe_options *opts);

#endif
