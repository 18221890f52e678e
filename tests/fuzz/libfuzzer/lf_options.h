/*
 * lf_options.h — how the first byte of a "compile" input picks the compile
 * options, shared by the target (lf_compile.c) and the seed maker
 * (lf_seeds.c), which prepends such a byte to every seed module.
 *
 *   bit 0     -O0 (clear) or -O2 (set)
 *   bit 1     explicit bounds checks instead of guard pages
 *   bit 2     interruptible
 *   bits 3-5  target: 0-5 x86-64, 6 AArch64, 7 RISC-V 64 (so mostly x86-64)
 */
#ifndef W2N_LF_OPTIONS_H
#define W2N_LF_OPTIONS_H

#include <stdint.h>
#include <string.h>

#include "w2n/compiler.h"

static inline void lf_options_from_byte(uint8_t b, w2n_compile_options *o, uint16_t *out_machine) {
    w2n_compile_options_init(o);
    o->opt_level = b & 1 ? 2 : 0;
    o->bounds = b & 2 ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
    o->interruptible = (b & 4) != 0;
    switch ((b >> 3) & 7) {
    case 6:
        o->target = "aarch64-linux-gnu";
        *out_machine = 183; /* EM_AARCH64 */
        break;
    case 7:
        o->target = "riscv64-linux-gnu";
        *out_machine = 243; /* EM_RISCV */
        break;
    default: o->target = "x86_64-linux-gnu"; *out_machine = 62; /* EM_X86_64 */
    }
}

#endif
