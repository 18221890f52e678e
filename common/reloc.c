/*
 * reloc.c — the arithmetic shared by the per-architecture relocation tables
 * (the little-endian loads and stores are inline, in reloc.h): data fields,
 * range checks, bit-field insertion, and the
 * lookup from (architecture, type) to a howto.  Everything here works on
 * plain numbers and byte buffers, never on host addresses, so it behaves the
 * same on every host.  Helpers check first and write last: a failed call
 * leaves the buffer as it was.
 */
#include "reloc.h"

int w2n_reloc_fits_signed(int64_t v, unsigned bits) {
    if (bits >= 64)
        return 1;
    int64_t lim = (int64_t)1 << (bits - 1);
    return v >= -lim && v < lim;
}

int w2n_reloc_fits_unsigned(uint64_t v, unsigned bits) {
    return bits >= 64 || v < ((uint64_t)1 << bits);
}

uint32_t w2n_reloc_insert(uint32_t word, unsigned lo, unsigned width, uint64_t v) {
    uint32_t mask = (width >= 32 ? 0xffffffffu : ((1u << width) - 1u)) << lo;
    return (word & ~mask) | (((uint32_t)v << lo) & mask);
}

void w2n_reloc_data_nc(uint8_t *loc, unsigned bytes, uint64_t v) {
    switch (bytes) { /* the common widths in one store */
    case 8: w2n_reloc_wr64(loc, v); return;
    case 4: w2n_reloc_wr32(loc, (uint32_t)v); return;
    default:
        for (unsigned i = 0; i < bytes; i++)
            loc[i] = (uint8_t)(v >> (8 * i));
    }
}

w2n_reloc_result w2n_reloc_data(uint8_t *loc, unsigned bytes, int64_t v) {
    unsigned bits = 8 * bytes;
    /* Either reading of the field must give back v: signed or unsigned. */
    if (bits < 64 && !w2n_reloc_fits_signed(v, bits) &&
        !(v >= 0 && w2n_reloc_fits_unsigned((uint64_t)v, bits)))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_data_nc(loc, bytes, (uint64_t)v);
    return W2N_RELOC_OK;
}

w2n_reloc_result w2n_reloc_insn_signed(uint8_t *loc, int64_t v, unsigned shift, unsigned lo,
                                       unsigned width) {
    if (v & (((int64_t)1 << shift) - 1))
        return W2N_RELOC_MISALIGNED;
    int64_t field = v >> shift; /* arithmetic shift: GCC and Clang define it */
    if (!w2n_reloc_fits_signed(field, width))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_wr32(loc, w2n_reloc_insert(w2n_reloc_rd32(loc), lo, width, (uint64_t)field));
    return W2N_RELOC_OK;
}

w2n_reloc_result w2n_reloc_insn_unsigned(uint8_t *loc, uint64_t v, unsigned shift, unsigned lo,
                                         unsigned width) {
    if (v & (((uint64_t)1 << shift) - 1))
        return W2N_RELOC_MISALIGNED;
    uint64_t field = v >> shift;
    if (!w2n_reloc_fits_unsigned(field, width))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_wr32(loc, w2n_reloc_insert(w2n_reloc_rd32(loc), lo, width, field));
    return W2N_RELOC_OK;
}

const w2n_reloc_arch *w2n_reloc_arch_get(w2n_arch arch) {
    switch (arch) {
    case W2N_ARCH_X86_64: return &w2n_reloc_x86_64;
    case W2N_ARCH_AARCH64: return &w2n_reloc_aarch64;
    case W2N_ARCH_RISCV64: return &w2n_reloc_riscv64;
    }
    return NULL;
}

const w2n_reloc_arch *w2n_reloc_arch_for_machine(uint16_t machine) {
    const w2n_reloc_arch *all[] = {&w2n_reloc_x86_64, &w2n_reloc_aarch64, &w2n_reloc_riscv64};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]->machine == machine)
            return all[i];
    return NULL;
}

const w2n_reloc_howto *w2n_reloc_lookup(const w2n_reloc_arch *arch, uint32_t type) {
    for (size_t i = 0; i < arch->nhowtos; i++)
        if (arch->howtos[i].type == type)
            return &arch->howtos[i];
    return NULL;
}

const char *w2n_reloc_type_name(const w2n_reloc_arch *arch, uint32_t type) {
    const w2n_reloc_howto *h = w2n_reloc_lookup(arch, type);
    if (h)
        return h->name;
    for (size_t i = 0; i < arch->nunsupported; i++)
        if (arch->unsupported[i].type == type)
            return arch->unsupported[i].name;
    return NULL;
}

const char *w2n_reloc_result_name(w2n_reloc_result r) {
    switch (r) {
    case W2N_RELOC_OK: return "ok";
    case W2N_RELOC_OVERFLOW: return "value out of range";
    case W2N_RELOC_MISALIGNED: return "value misaligned for the field";
    case W2N_RELOC_BAD_ADDEND: return "addend not allowed for this type";
    case W2N_RELOC_BAD_INSN: return "unexpected instruction at the place";
    }
    return "unknown relocation failure";
}
