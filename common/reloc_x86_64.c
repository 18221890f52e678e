/*
 * reloc_x86_64.c — x86-64 relocations (System V psABI, "Relocation Types").
 *
 * Notation of the psABI: S symbol value, A addend, P place, G+GOT address
 * of the symbol's GOT slot, GOT address of the GOT, Z symbol size.  Our
 * objects use the static relocation model and the small code model, so
 * code refers to data with PC32 or 32S and calls with PLT32; GOTPCREL and
 * its relaxable forms get a real GOT slot (we never relax the instruction).
 * The call stub is `jmp *0(%rip)` followed by the 64-bit target.
 */
#include "reloc.h"

enum {
    R_X86_64_NONE = 0,
    R_X86_64_64 = 1,
    R_X86_64_PC32 = 2,
    R_X86_64_PLT32 = 4,
    R_X86_64_GOTPCREL = 9,
    R_X86_64_32 = 10,
    R_X86_64_32S = 11,
    R_X86_64_16 = 12,
    R_X86_64_PC16 = 13,
    R_X86_64_8 = 14,
    R_X86_64_PC8 = 15,
    R_X86_64_PC64 = 24,
    R_X86_64_GOTOFF64 = 25,
    R_X86_64_GOTPC32 = 26,
    R_X86_64_SIZE32 = 32,
    R_X86_64_SIZE64 = 33,
    R_X86_64_GOTPCRELX = 41,
    R_X86_64_REX_GOTPCRELX = 42
};

static w2n_reloc_result abs64(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A);
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

/* R_X86_64_32 zero-extends: 0 <= X < 2^32. */
static w2n_reloc_result abs32(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A);
    if (!w2n_reloc_fits_unsigned((uint64_t)a->value, 32))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_data_nc(a->loc, 4, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

/* R_X86_64_32S sign-extends: -2^31 <= X < 2^31. */
static w2n_reloc_result abs32s(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A);
    if (!w2n_reloc_fits_signed(a->value, 32))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_data_nc(a->loc, 4, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

static w2n_reloc_result abs16(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A);
    return w2n_reloc_data(a->loc, 2, a->value);
}

static w2n_reloc_result abs8(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A);
    return w2n_reloc_data(a->loc, 1, a->value);
}

static w2n_reloc_result pcrel_signed(w2n_reloc_args *a, uint64_t target, unsigned bytes) {
    a->value = (int64_t)(target + (uint64_t)a->A - a->P);
    if (!w2n_reloc_fits_signed(a->value, 8 * bytes))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_data_nc(a->loc, bytes, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

static w2n_reloc_result pc32(w2n_reloc_args *a) { return pcrel_signed(a, a->S, 4); }
static w2n_reloc_result pc16(w2n_reloc_args *a) { return pcrel_signed(a, a->S, 2); }
static w2n_reloc_result pc8(w2n_reloc_args *a) { return pcrel_signed(a, a->S, 1); }
static w2n_reloc_result pc64(w2n_reloc_args *a) { return pcrel_signed(a, a->S, 8); }

/* GOTPCREL(X): G + GOT + A - P, the slot holding S. */
static w2n_reloc_result gotpcrel(w2n_reloc_args *a) { return pcrel_signed(a, a->got, 4); }

/* GOTPC32: GOT + A - P. */
static w2n_reloc_result gotpc32(w2n_reloc_args *a) { return pcrel_signed(a, a->got_base, 4); }

/* GOTOFF64: S + A - GOT. */
static w2n_reloc_result gotoff64(w2n_reloc_args *a) {
    a->value = (int64_t)(a->S + (uint64_t)a->A - a->got_base);
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

static w2n_reloc_result size32(w2n_reloc_args *a) {
    a->value = (int64_t)(a->Z + (uint64_t)a->A);
    return w2n_reloc_data(a->loc, 4, a->value);
}

static w2n_reloc_result size64(w2n_reloc_args *a) {
    a->value = (int64_t)(a->Z + (uint64_t)a->A);
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

#define H(t, sz, fl, fn) \
    { R_X86_64_##t, "R_X86_64_" #t, sz, fl, fn }
static const w2n_reloc_howto howtos[] = {
    H(NONE, 0, W2N_RELOC_IGNORE, NULL),
    H(64, 8, 0, abs64),
    H(PC32, 4, W2N_RELOC_STUB_OK, pc32),
    H(PLT32, 4, W2N_RELOC_STUB_OK, pc32),
    H(GOTPCREL, 4, W2N_RELOC_GOT, gotpcrel),
    H(32, 4, W2N_RELOC_LOW | W2N_RELOC_STUB_OK, abs32),
    H(32S, 4, W2N_RELOC_LOW | W2N_RELOC_STUB_OK, abs32s),
    H(16, 2, 0, abs16),
    H(PC16, 2, 0, pc16),
    H(8, 1, 0, abs8),
    H(PC8, 1, 0, pc8),
    H(PC64, 8, 0, pc64),
    H(GOTOFF64, 8, W2N_RELOC_GOT_BASE, gotoff64),
    H(GOTPC32, 4, W2N_RELOC_GOT_BASE, gotpc32),
    H(SIZE32, 4, 0, size32),
    H(SIZE64, 8, 0, size64),
    H(GOTPCRELX, 4, W2N_RELOC_GOT, gotpcrel),
    H(REX_GOTPCRELX, 4, W2N_RELOC_GOT, gotpcrel),
};
#undef H

/* Known, refused: thread-local storage (w2n code has none) and the
 * types only a dynamic linker or a static linker's output carries. */
static const w2n_reloc_name unsupported[] = {
    {3, "R_X86_64_GOT32"},
    {5, "R_X86_64_COPY"},
    {6, "R_X86_64_GLOB_DAT"},
    {7, "R_X86_64_JUMP_SLOT"},
    {8, "R_X86_64_RELATIVE"},
    {16, "R_X86_64_DTPMOD64"},
    {17, "R_X86_64_DTPOFF64"},
    {18, "R_X86_64_TPOFF64"},
    {19, "R_X86_64_TLSGD"},
    {20, "R_X86_64_TLSLD"},
    {21, "R_X86_64_DTPOFF32"},
    {22, "R_X86_64_GOTTPOFF"},
    {23, "R_X86_64_TPOFF32"},
    {27, "R_X86_64_GOT64"},
    {28, "R_X86_64_GOTPCREL64"},
    {29, "R_X86_64_GOTPC64"},
    {30, "R_X86_64_GOTPLT64"},
    {31, "R_X86_64_PLTOFF64"},
    {34, "R_X86_64_GOTPC32_TLSDESC"},
    {35, "R_X86_64_TLSDESC_CALL"},
    {36, "R_X86_64_TLSDESC"},
    {37, "R_X86_64_IRELATIVE"},
    {38, "R_X86_64_RELATIVE64"},
};

/* jmp *0(%rip); .quad target; two bytes of int3 padding. */
static void write_stub(uint8_t *loc, uint64_t stub_addr, uint64_t target) {
    static const uint8_t jmp[6] = {0xff, 0x25, 0x00, 0x00, 0x00, 0x00};
    for (int i = 0; i < 6; i++)
        loc[i] = jmp[i];
    w2n_reloc_wr64(loc + 6, target);
    loc[14] = 0xcc;
    loc[15] = 0xcc;
}

const w2n_reloc_arch w2n_reloc_x86_64 = {
    .arch = W2N_ARCH_X86_64,
    .name = "x86_64",
    .machine = 62, /* EM_X86_64 */
    .howtos = howtos,
    .nhowtos = sizeof howtos / sizeof howtos[0],
    .unsupported = unsupported,
    .nunsupported = sizeof unsupported / sizeof unsupported[0],
    .stub_size = 16,
    .write_stub = write_stub,
};
