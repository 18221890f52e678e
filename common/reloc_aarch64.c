/*
 * reloc_aarch64.c — AArch64 relocations (ELF for the Arm 64-bit
 * Architecture, "Relocation operations").
 *
 * Notation of the psABI: S symbol, A addend, P place, X the result;
 * Page(x) = x & ~0xfff; GDAT(S+A) a GOT slot holding S+A (our slots hold S,
 * so GOT relocations with A != 0 are refused).  Checked relocations use
 * the ranges the psABI lists; _NC forms are not checked.  LDSTn_ABS_LO12_NC
 * also require the low bits they drop to be zero, as a linker would: a
 * misaligned address would otherwise be silently truncated.
 * The call stub (veneer) is `ldr x16, #8; br x16; .quad target`: x16 (IP0)
 * is the register the AAPCS64 reserves for veneers.
 */
#include "reloc.h"

enum {
    R_AARCH64_NONE_OLD = 0,
    R_AARCH64_NONE = 256,
    R_AARCH64_ABS64 = 257,
    R_AARCH64_ABS32 = 258,
    R_AARCH64_ABS16 = 259,
    R_AARCH64_PREL64 = 260,
    R_AARCH64_PREL32 = 261,
    R_AARCH64_PREL16 = 262,
    R_AARCH64_MOVW_UABS_G0 = 263,
    R_AARCH64_MOVW_UABS_G0_NC = 264,
    R_AARCH64_MOVW_UABS_G1 = 265,
    R_AARCH64_MOVW_UABS_G1_NC = 266,
    R_AARCH64_MOVW_UABS_G2 = 267,
    R_AARCH64_MOVW_UABS_G2_NC = 268,
    R_AARCH64_MOVW_UABS_G3 = 269,
    R_AARCH64_LD_PREL_LO19 = 273,
    R_AARCH64_ADR_PREL_LO21 = 274,
    R_AARCH64_ADR_PREL_PG_HI21 = 275,
    R_AARCH64_ADR_PREL_PG_HI21_NC = 276,
    R_AARCH64_ADD_ABS_LO12_NC = 277,
    R_AARCH64_LDST8_ABS_LO12_NC = 278,
    R_AARCH64_TSTBR14 = 279,
    R_AARCH64_CONDBR19 = 280,
    R_AARCH64_JUMP26 = 282,
    R_AARCH64_CALL26 = 283,
    R_AARCH64_LDST16_ABS_LO12_NC = 284,
    R_AARCH64_LDST32_ABS_LO12_NC = 285,
    R_AARCH64_LDST64_ABS_LO12_NC = 286,
    R_AARCH64_LDST128_ABS_LO12_NC = 299,
    R_AARCH64_ADR_GOT_PAGE = 311,
    R_AARCH64_LD64_GOT_LO12_NC = 312
};

static uint64_t page(uint64_t x) { return x & ~(uint64_t)0xfff; }

static int64_t sa(const w2n_reloc_args *a) { return (int64_t)(a->S + (uint64_t)a->A); }
static int64_t sap(const w2n_reloc_args *a) { return (int64_t)(a->S + (uint64_t)a->A - a->P); }

/* ---- data ---------------------------------------------------------------- */

static w2n_reloc_result abs64(w2n_reloc_args *a) {
    a->value = sa(a);
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)a->value);
    return W2N_RELOC_OK;
}
static w2n_reloc_result abs32(w2n_reloc_args *a) {
    return w2n_reloc_data(a->loc, 4, a->value = sa(a));
}
static w2n_reloc_result abs16(w2n_reloc_args *a) {
    return w2n_reloc_data(a->loc, 2, a->value = sa(a));
}
static w2n_reloc_result prel64(w2n_reloc_args *a) {
    a->value = sap(a);
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)a->value);
    return W2N_RELOC_OK;
}
static w2n_reloc_result prel32(w2n_reloc_args *a) {
    return w2n_reloc_data(a->loc, 4, a->value = sap(a));
}
static w2n_reloc_result prel16(w2n_reloc_args *a) {
    return w2n_reloc_data(a->loc, 2, a->value = sap(a));
}

/* ---- MOVZ/MOVK: imm16 at bits [20:5] ---------------------------------------- */

static w2n_reloc_result movw(w2n_reloc_args *a, unsigned group, int check) {
    uint64_t x = (uint64_t)(a->value = sa(a));
    unsigned top = 16 * (group + 1);
    if (check && !w2n_reloc_fits_unsigned(x, top))
        return W2N_RELOC_OVERFLOW;
    uint32_t insn = w2n_reloc_rd32(a->loc);
    w2n_reloc_wr32(a->loc, w2n_reloc_insert(insn, 5, 16, (x >> (16 * group)) & 0xffff));
    return W2N_RELOC_OK;
}
static w2n_reloc_result movw_g0(w2n_reloc_args *a) { return movw(a, 0, 1); }
static w2n_reloc_result movw_g0_nc(w2n_reloc_args *a) { return movw(a, 0, 0); }
static w2n_reloc_result movw_g1(w2n_reloc_args *a) { return movw(a, 1, 1); }
static w2n_reloc_result movw_g1_nc(w2n_reloc_args *a) { return movw(a, 1, 0); }
static w2n_reloc_result movw_g2(w2n_reloc_args *a) { return movw(a, 2, 1); }
static w2n_reloc_result movw_g2_nc(w2n_reloc_args *a) { return movw(a, 2, 0); }
static w2n_reloc_result movw_g3(w2n_reloc_args *a) { return movw(a, 3, 0); }

/* ---- ADR/ADRP: immlo at [30:29], immhi at [23:5] ----------------------------- */

static w2n_reloc_result put_adr(uint8_t *loc, int64_t imm21, int check) {
    if (check && !w2n_reloc_fits_signed(imm21, 21))
        return W2N_RELOC_OVERFLOW;
    uint32_t insn = w2n_reloc_rd32(loc);
    insn = w2n_reloc_insert(insn, 29, 2, (uint64_t)imm21 & 3);
    insn = w2n_reloc_insert(insn, 5, 19, ((uint64_t)imm21 >> 2) & 0x7ffff);
    w2n_reloc_wr32(loc, insn);
    return W2N_RELOC_OK;
}

static w2n_reloc_result adr_lo21(w2n_reloc_args *a) {
    return put_adr(a->loc, a->value = sap(a), 1);
}

static w2n_reloc_result adrp_to(w2n_reloc_args *a, uint64_t target, int check) {
    a->value = (int64_t)(page(target) - page(a->P));
    return put_adr(a->loc, a->value >> 12, check);
}
static w2n_reloc_result adrp(w2n_reloc_args *a) { return adrp_to(a, (uint64_t)sa(a), 1); }
static w2n_reloc_result adrp_nc(w2n_reloc_args *a) { return adrp_to(a, (uint64_t)sa(a), 0); }

static w2n_reloc_result adr_got_page(w2n_reloc_args *a) {
    if (a->A != 0)
        return W2N_RELOC_BAD_ADDEND;
    return adrp_to(a, a->got, 1);
}

/* ---- ADD/LDR/STR: imm12 at [21:10], scaled by the access size ---------------- */

static w2n_reloc_result lo12(w2n_reloc_args *a, uint64_t x, unsigned scale) {
    x &= 0xfff;
    if (x & ((1u << scale) - 1))
        return W2N_RELOC_MISALIGNED;
    uint32_t insn = w2n_reloc_rd32(a->loc);
    w2n_reloc_wr32(a->loc, w2n_reloc_insert(insn, 10, 12, x >> scale));
    return W2N_RELOC_OK;
}
static w2n_reloc_result add_lo12(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 0);
}
static w2n_reloc_result ldst8(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 0);
}
static w2n_reloc_result ldst16(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 1);
}
static w2n_reloc_result ldst32(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 2);
}
static w2n_reloc_result ldst64(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 3);
}
static w2n_reloc_result ldst128(w2n_reloc_args *a) {
    return lo12(a, (uint64_t)(a->value = sa(a)), 4);
}

static w2n_reloc_result ld64_got_lo12(w2n_reloc_args *a) {
    if (a->A != 0)
        return W2N_RELOC_BAD_ADDEND;
    a->value = (int64_t)a->got;
    return lo12(a, a->got, 3);
}

/* ---- branches and literal loads ------------------------------------------ */

static w2n_reloc_result tstbr14(w2n_reloc_args *a) {
    return w2n_reloc_insn_signed(a->loc, a->value = sap(a), 2, 5, 14);
}
static w2n_reloc_result condbr19(w2n_reloc_args *a) {
    return w2n_reloc_insn_signed(a->loc, a->value = sap(a), 2, 5, 19);
}
static w2n_reloc_result call26(w2n_reloc_args *a) {
    return w2n_reloc_insn_signed(a->loc, a->value = sap(a), 2, 0, 26);
}

#define H(t, sz, fl, fn) \
    { R_AARCH64_##t, "R_AARCH64_" #t, sz, fl, fn }
static const w2n_reloc_howto howtos[] = {
    H(NONE_OLD, 0, W2N_RELOC_IGNORE, NULL),
    H(NONE, 0, W2N_RELOC_IGNORE, NULL),
    H(ABS64, 8, 0, abs64),
    H(ABS32, 4, W2N_RELOC_LOW, abs32),
    H(ABS16, 2, 0, abs16),
    H(PREL64, 8, 0, prel64),
    H(PREL32, 4, 0, prel32),
    H(PREL16, 2, 0, prel16),
    H(MOVW_UABS_G0, 4, 0, movw_g0),
    H(MOVW_UABS_G0_NC, 4, 0, movw_g0_nc),
    H(MOVW_UABS_G1, 4, W2N_RELOC_LOW, movw_g1),
    H(MOVW_UABS_G1_NC, 4, 0, movw_g1_nc),
    H(MOVW_UABS_G2, 4, 0, movw_g2),
    H(MOVW_UABS_G2_NC, 4, 0, movw_g2_nc),
    H(MOVW_UABS_G3, 4, 0, movw_g3),
    H(LD_PREL_LO19, 4, 0, condbr19),
    H(ADR_PREL_LO21, 4, 0, adr_lo21),
    H(ADR_PREL_PG_HI21, 4, 0, adrp),
    H(ADR_PREL_PG_HI21_NC, 4, 0, adrp_nc),
    H(ADD_ABS_LO12_NC, 4, 0, add_lo12),
    H(LDST8_ABS_LO12_NC, 4, 0, ldst8),
    H(TSTBR14, 4, 0, tstbr14),
    H(CONDBR19, 4, 0, condbr19),
    H(JUMP26, 4, W2N_RELOC_STUB_OK, call26),
    H(CALL26, 4, W2N_RELOC_STUB_OK, call26),
    H(LDST16_ABS_LO12_NC, 4, 0, ldst16),
    H(LDST32_ABS_LO12_NC, 4, 0, ldst32),
    H(LDST64_ABS_LO12_NC, 4, 0, ldst64),
    H(LDST128_ABS_LO12_NC, 4, 0, ldst128),
    H(ADR_GOT_PAGE, 4, W2N_RELOC_GOT, adr_got_page),
    H(LD64_GOT_LO12_NC, 4, W2N_RELOC_GOT, ld64_got_lo12),
};
#undef H

/* Known, refused: thread-local storage (w2n code has none) and the
 * types only a dynamic linker or a static linker's output carries. */
static const w2n_reloc_name unsupported[] = {
    {270, "R_AARCH64_MOVW_SABS_G0"},
    {271, "R_AARCH64_MOVW_SABS_G1"},
    {272, "R_AARCH64_MOVW_SABS_G2"},
    {287, "R_AARCH64_MOVW_PREL_G0"},
    {288, "R_AARCH64_MOVW_PREL_G0_NC"},
    {289, "R_AARCH64_MOVW_PREL_G1"},
    {290, "R_AARCH64_MOVW_PREL_G1_NC"},
    {291, "R_AARCH64_MOVW_PREL_G2"},
    {292, "R_AARCH64_MOVW_PREL_G2_NC"},
    {293, "R_AARCH64_MOVW_PREL_G3"},
    {309, "R_AARCH64_GOT_LD_PREL19"},
    {310, "R_AARCH64_LD64_GOTOFF_LO15"},
    {313, "R_AARCH64_LD64_GOTPAGE_LO15"},
    {541, "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21"},
    {542, "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC"},
    {549, "R_AARCH64_TLSLE_ADD_TPREL_HI12"},
    {550, "R_AARCH64_TLSLE_ADD_TPREL_LO12"},
    {551, "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC"},
    {562, "R_AARCH64_TLSDESC_ADR_PAGE21"},
    {563, "R_AARCH64_TLSDESC_LD64_LO12"},
    {564, "R_AARCH64_TLSDESC_ADD_LO12"},
    {569, "R_AARCH64_TLSDESC_CALL"},
    {1024, "R_AARCH64_COPY"},
    {1025, "R_AARCH64_GLOB_DAT"},
    {1026, "R_AARCH64_JUMP_SLOT"},
    {1027, "R_AARCH64_RELATIVE"},
    {1028, "R_AARCH64_TLS_DTPMOD64"},
    {1029, "R_AARCH64_TLS_DTPREL64"},
    {1030, "R_AARCH64_TLS_TPREL64"},
    {1031, "R_AARCH64_TLSDESC"},
    {1032, "R_AARCH64_IRELATIVE"},
};

/* ldr x16, #8; br x16; .quad target */
static void write_stub(uint8_t *loc, uint64_t stub_addr, uint64_t target) {
    w2n_reloc_wr32(loc, 0x58000050u);
    w2n_reloc_wr32(loc + 4, 0xd61f0200u);
    w2n_reloc_wr64(loc + 8, target);
}

const w2n_reloc_arch w2n_reloc_aarch64 = {
    .arch = W2N_ARCH_AARCH64,
    .name = "aarch64",
    .machine = 183, /* EM_AARCH64 */
    .howtos = howtos,
    .nhowtos = sizeof howtos / sizeof howtos[0],
    .unsupported = unsupported,
    .nunsupported = sizeof unsupported / sizeof unsupported[0],
    .stub_size = 16,
    .write_stub = write_stub,
};
