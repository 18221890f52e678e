/*
 * reloc_riscv64.c — RISC-V relocations (RISC-V ELF psABI, "Relocations").
 *
 * Notation of the psABI: S symbol, A addend, P place, G+GOT the address of
 * the symbol's GOT slot, V the value already at the place (ADD/SUB/SET).
 *
 * PCREL_LO12_I/_S do not carry the value they need: their symbol labels the
 * AUIPC that carries the matching PCREL_HI20 (or GOT_HI20).  The loader
 * finds that HI20 relocation by the label's address (never by adjacency,
 * an AUIPC may be far from its users) and hands us its X in args->pair.
 *
 * We do not relax: R_RISCV_RELAX is ignored, and R_RISCV_ALIGN is ignored
 * too, because the assembler has already filled the worst-case padding with
 * NOPs; leaving them in place keeps the code correct, only the alignment of
 * what follows may be less than asked (a performance hint, not semantics).
 *
 * The call stub is `auipc t1,0; ld t1,16(t1); jr t1; nop; .quad target`:
 * t1 is one of the registers the psABI lets PLT entries clobber, and `jr t1`
 * is not mistaken for a return by return-address predictors (t0 would be).
 */
#include "reloc.h"

enum {
    R_RISCV_NONE = 0,
    R_RISCV_32 = 1,
    R_RISCV_64 = 2,
    R_RISCV_BRANCH = 16,
    R_RISCV_JAL = 17,
    R_RISCV_CALL = 18,
    R_RISCV_CALL_PLT = 19,
    R_RISCV_GOT_HI20 = 20,
    R_RISCV_PCREL_HI20 = 23,
    R_RISCV_PCREL_LO12_I = 24,
    R_RISCV_PCREL_LO12_S = 25,
    R_RISCV_HI20 = 26,
    R_RISCV_LO12_I = 27,
    R_RISCV_LO12_S = 28,
    R_RISCV_ADD8 = 33,
    R_RISCV_ADD16 = 34,
    R_RISCV_ADD32 = 35,
    R_RISCV_ADD64 = 36,
    R_RISCV_SUB8 = 37,
    R_RISCV_SUB16 = 38,
    R_RISCV_SUB32 = 39,
    R_RISCV_SUB64 = 40,
    R_RISCV_ALIGN = 43,
    R_RISCV_RVC_BRANCH = 44,
    R_RISCV_RVC_JUMP = 45,
    R_RISCV_RELAX = 51,
    R_RISCV_SUB6 = 52,
    R_RISCV_SET6 = 53,
    R_RISCV_SET8 = 54,
    R_RISCV_SET16 = 55,
    R_RISCV_SET32 = 56,
    R_RISCV_32_PCREL = 57,
    R_RISCV_PLT32 = 59
};

static int64_t sa(const w2n_reloc_args *a) { return (int64_t)(a->S + (uint64_t)a->A); }
static int64_t sap(const w2n_reloc_args *a) { return (int64_t)(a->S + (uint64_t)a->A - a->P); }

/* ---- instruction fields ---------------------------------------------------- */

/* The HI20 part of x, rounded so that hi20 << 12 plus the sign-extended
 * low 12 bits gives back x; x must lie in [-2^31 - 2^11, 2^31 - 2^11). */
static int hi20(int64_t x, uint32_t *out) {
    int64_t hi = (x + 0x800) >> 12;
    if (!w2n_reloc_fits_signed(hi, 20))
        return 0;
    *out = (uint32_t)hi & 0xfffff;
    return 1;
}

static uint32_t put_u(uint32_t insn, uint32_t hi) { return w2n_reloc_insert(insn, 12, 20, hi); }

static uint32_t put_i(uint32_t insn, int64_t x) {
    return w2n_reloc_insert(insn, 20, 12, (uint64_t)x & 0xfff);
}

static uint32_t put_s(uint32_t insn, int64_t x) {
    uint64_t v = (uint64_t)x & 0xfff;
    insn = w2n_reloc_insert(insn, 7, 5, v & 0x1f);
    return w2n_reloc_insert(insn, 25, 7, v >> 5);
}

static w2n_reloc_result u_type(w2n_reloc_args *a, int64_t x) {
    uint32_t hi;
    if (!hi20(x, &hi))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_wr32(a->loc, put_u(w2n_reloc_rd32(a->loc), hi));
    return W2N_RELOC_OK;
}

static w2n_reloc_result pcrel_hi20(w2n_reloc_args *a) { return u_type(a, a->value = sap(a)); }
static w2n_reloc_result got_hi20(w2n_reloc_args *a) {
    return u_type(a, a->value = (int64_t)(a->got + (uint64_t)a->A - a->P));
}
static w2n_reloc_result abs_hi20(w2n_reloc_args *a) { return u_type(a, a->value = sa(a)); }

static w2n_reloc_result pcrel_lo12_i(w2n_reloc_args *a) {
    a->value = a->pair;
    w2n_reloc_wr32(a->loc, put_i(w2n_reloc_rd32(a->loc), a->pair));
    return W2N_RELOC_OK;
}
static w2n_reloc_result pcrel_lo12_s(w2n_reloc_args *a) {
    a->value = a->pair;
    w2n_reloc_wr32(a->loc, put_s(w2n_reloc_rd32(a->loc), a->pair));
    return W2N_RELOC_OK;
}
static w2n_reloc_result abs_lo12_i(w2n_reloc_args *a) {
    a->value = sa(a);
    w2n_reloc_wr32(a->loc, put_i(w2n_reloc_rd32(a->loc), a->value));
    return W2N_RELOC_OK;
}
static w2n_reloc_result abs_lo12_s(w2n_reloc_args *a) {
    a->value = sa(a);
    w2n_reloc_wr32(a->loc, put_s(w2n_reloc_rd32(a->loc), a->value));
    return W2N_RELOC_OK;
}

/* AUIPC at the place, JALR right after it (the psABI fixes this pair). */
static w2n_reloc_result call(w2n_reloc_args *a) {
    uint32_t hi;
    a->value = sap(a);
    if (!hi20(a->value, &hi))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_wr32(a->loc, put_u(w2n_reloc_rd32(a->loc), hi));
    w2n_reloc_wr32(a->loc + 4, put_i(w2n_reloc_rd32(a->loc + 4), a->value));
    return W2N_RELOC_OK;
}

/* One run of bits of a scattered immediate: `width` bits of the offset,
 * from bit `from` up, go to bits [at, at + width) of the instruction. */
typedef struct imm_bits {
    uint8_t at, width, from;
} imm_bits;

/* A PC-relative branch or jump: an even offset that fits in `bits` signed
 * bits, scattered over an instruction of `size` bytes (4, or 2 for RVC) as
 * the runs say. */
static w2n_reloc_result scattered_pcrel(w2n_reloc_args *a, unsigned bits, unsigned size,
                                        const imm_bits *runs, size_t nruns) {
    int64_t x = a->value = sap(a);
    if (x & 1)
        return W2N_RELOC_MISALIGNED;
    if (!w2n_reloc_fits_signed(x, bits))
        return W2N_RELOC_OVERFLOW;
    uint32_t insn = size == 2 ? w2n_reloc_rd16(a->loc) : w2n_reloc_rd32(a->loc);
    for (size_t i = 0; i < nruns; i++)
        insn = w2n_reloc_insert(insn, runs[i].at, runs[i].width, (uint64_t)x >> runs[i].from);
    if (size == 2)
        w2n_reloc_wr16(a->loc, (uint16_t)insn);
    else
        w2n_reloc_wr32(a->loc, insn);
    return W2N_RELOC_OK;
}

#define RUNS(r) (r), sizeof(r) / sizeof *(r)

/* B-type: imm[12|10:5] at [31:25], imm[4:1|11] at [11:7]; +-4 KiB. */
static w2n_reloc_result branch(w2n_reloc_args *a) {
    static const imm_bits runs[] = {{31, 1, 12}, {25, 6, 5}, {8, 4, 1}, {7, 1, 11}};
    return scattered_pcrel(a, 13, 4, RUNS(runs));
}

/* J-type: imm[20|10:1|11|19:12] at [31:12]; +-1 MiB. */
static w2n_reloc_result jal(w2n_reloc_args *a) {
    static const imm_bits runs[] = {{31, 1, 20}, {21, 10, 1}, {20, 1, 11}, {12, 8, 12}};
    return scattered_pcrel(a, 21, 4, RUNS(runs));
}

/* CB (c.beqz/c.bnez): offset[8|4:3] at [12:10], offset[7:6|2:1|5] at [6:2]. */
static w2n_reloc_result rvc_branch(w2n_reloc_args *a) {
    static const imm_bits runs[] = {{12, 1, 8}, {10, 2, 3}, {5, 2, 6}, {3, 2, 1}, {2, 1, 5}};
    return scattered_pcrel(a, 9, 2, RUNS(runs));
}

/* CJ (c.j): offset[11|4|9:8|10|6|7|3:1|5] at [12:2]. */
static w2n_reloc_result rvc_jump(w2n_reloc_args *a) {
    static const imm_bits runs[] = {{12, 1, 11}, {11, 1, 4}, {9, 2, 8}, {8, 1, 10},
                                    {7, 1, 6},   {6, 1, 7},  {3, 3, 1}, {2, 1, 5}};
    return scattered_pcrel(a, 12, 2, RUNS(runs));
}
#undef RUNS

/* ---- data ---------------------------------------------------------------------- */

static w2n_reloc_result abs64(w2n_reloc_args *a) {
    w2n_reloc_data_nc(a->loc, 8, (uint64_t)(a->value = sa(a)));
    return W2N_RELOC_OK;
}
static w2n_reloc_result abs32(w2n_reloc_args *a) {
    return w2n_reloc_data(a->loc, 4, a->value = sa(a));
}
static w2n_reloc_result pcrel32(w2n_reloc_args *a) {
    a->value = sap(a);
    if (!w2n_reloc_fits_signed(a->value, 32))
        return W2N_RELOC_OVERFLOW;
    w2n_reloc_data_nc(a->loc, 4, (uint64_t)a->value);
    return W2N_RELOC_OK;
}

/* ADDn / SUBn: V +- (S + A), wrapping in n bits (label differences). */
static w2n_reloc_result addsub(w2n_reloc_args *a, unsigned bytes, int sign) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)a->loc[i] << (8 * i);
    uint64_t x = (uint64_t)sa(a);
    v = sign > 0 ? v + x : v - x;
    a->value = (int64_t)v;
    w2n_reloc_data_nc(a->loc, bytes, v);
    return W2N_RELOC_OK;
}
static w2n_reloc_result add8(w2n_reloc_args *a) { return addsub(a, 1, 1); }
static w2n_reloc_result add16(w2n_reloc_args *a) { return addsub(a, 2, 1); }
static w2n_reloc_result add32(w2n_reloc_args *a) { return addsub(a, 4, 1); }
static w2n_reloc_result add64(w2n_reloc_args *a) { return addsub(a, 8, 1); }
static w2n_reloc_result sub8(w2n_reloc_args *a) { return addsub(a, 1, -1); }
static w2n_reloc_result sub16(w2n_reloc_args *a) { return addsub(a, 2, -1); }
static w2n_reloc_result sub32(w2n_reloc_args *a) { return addsub(a, 4, -1); }
static w2n_reloc_result sub64(w2n_reloc_args *a) { return addsub(a, 8, -1); }

/* The 6-bit forms touch only the low six bits of the byte (DW_CFA_advance_loc). */
static w2n_reloc_result sub6(w2n_reloc_args *a) {
    uint8_t v = a->loc[0];
    uint8_t r = (uint8_t)((v - (uint64_t)sa(a)) & 0x3f);
    a->value = r;
    a->loc[0] = (uint8_t)((v & 0xc0) | r);
    return W2N_RELOC_OK;
}
static w2n_reloc_result set6(w2n_reloc_args *a) {
    uint8_t r = (uint8_t)((uint64_t)sa(a) & 0x3f);
    a->value = r;
    a->loc[0] = (uint8_t)((a->loc[0] & 0xc0) | r);
    return W2N_RELOC_OK;
}
static w2n_reloc_result set8(w2n_reloc_args *a) {
    w2n_reloc_data_nc(a->loc, 1, (uint64_t)(a->value = sa(a)));
    return W2N_RELOC_OK;
}
static w2n_reloc_result set16(w2n_reloc_args *a) {
    w2n_reloc_data_nc(a->loc, 2, (uint64_t)(a->value = sa(a)));
    return W2N_RELOC_OK;
}
static w2n_reloc_result set32(w2n_reloc_args *a) {
    w2n_reloc_data_nc(a->loc, 4, (uint64_t)(a->value = sa(a)));
    return W2N_RELOC_OK;
}

#define H(t, sz, fl, fn) \
    { R_RISCV_##t, "R_RISCV_" #t, sz, fl, fn }
static const w2n_reloc_howto howtos[] = {
    H(NONE, 0, W2N_RELOC_IGNORE, NULL),
    H(32, 4, W2N_RELOC_LOW, abs32),
    H(64, 8, 0, abs64),
    H(BRANCH, 4, 0, branch),
    H(JAL, 4, 0, jal),
    H(CALL, 8, W2N_RELOC_STUB_OK, call),
    H(CALL_PLT, 8, W2N_RELOC_STUB_OK, call),
    H(GOT_HI20, 4, W2N_RELOC_GOT | W2N_RELOC_PAIR_HI, got_hi20),
    H(PCREL_HI20, 4, W2N_RELOC_PAIR_HI, pcrel_hi20),
    H(PCREL_LO12_I, 4, W2N_RELOC_PAIR_LO, pcrel_lo12_i),
    H(PCREL_LO12_S, 4, W2N_RELOC_PAIR_LO, pcrel_lo12_s),
    H(HI20, 4, W2N_RELOC_LOW, abs_hi20),
    H(LO12_I, 4, W2N_RELOC_LOW, abs_lo12_i),
    H(LO12_S, 4, W2N_RELOC_LOW, abs_lo12_s),
    H(ADD8, 1, 0, add8),
    H(ADD16, 2, 0, add16),
    H(ADD32, 4, 0, add32),
    H(ADD64, 8, 0, add64),
    H(SUB8, 1, 0, sub8),
    H(SUB16, 2, 0, sub16),
    H(SUB32, 4, 0, sub32),
    H(SUB64, 8, 0, sub64),
    H(ALIGN, 0, W2N_RELOC_IGNORE, NULL),
    H(RVC_BRANCH, 2, 0, rvc_branch),
    H(RVC_JUMP, 2, 0, rvc_jump),
    H(RELAX, 0, W2N_RELOC_IGNORE, NULL),
    H(SUB6, 1, 0, sub6),
    H(SET6, 1, 0, set6),
    H(SET8, 1, 0, set8),
    H(SET16, 2, 0, set16),
    H(SET32, 4, 0, set32),
    H(32_PCREL, 4, 0, pcrel32),
    H(PLT32, 4, W2N_RELOC_STUB_OK, pcrel32),
};
#undef H

/* Known, refused: thread-local storage (w2n code has none) and the
 * types only a dynamic linker or a static linker's output carries. */
static const w2n_reloc_name unsupported[] = {
    {3, "R_RISCV_RELATIVE"},          {4, "R_RISCV_COPY"},
    {5, "R_RISCV_JUMP_SLOT"},         {6, "R_RISCV_TLS_DTPMOD32"},
    {7, "R_RISCV_TLS_DTPMOD64"},      {8, "R_RISCV_TLS_DTPREL32"},
    {9, "R_RISCV_TLS_DTPREL64"},      {10, "R_RISCV_TLS_TPREL32"},
    {11, "R_RISCV_TLS_TPREL64"},      {21, "R_RISCV_TLS_GOT_HI20"},
    {22, "R_RISCV_TLS_GD_HI20"},      {29, "R_RISCV_TPREL_HI20"},
    {30, "R_RISCV_TPREL_LO12_I"},     {31, "R_RISCV_TPREL_LO12_S"},
    {32, "R_RISCV_TPREL_ADD"},        {41, "R_RISCV_GNU_VTINHERIT"},
    {42, "R_RISCV_GNU_VTENTRY"},      {58, "R_RISCV_IRELATIVE"},
    {60, "R_RISCV_SET_ULEB128"},      {61, "R_RISCV_SUB_ULEB128"},
    {62, "R_RISCV_TLSDESC_HI20"},     {63, "R_RISCV_TLSDESC_LOAD_LO12"},
    {64, "R_RISCV_TLSDESC_ADD_LO12"}, {65, "R_RISCV_TLSDESC_CALL"},
};

/* auipc t1,0; ld t1,16(t1); jr t1; nop; .quad target */
static void write_stub(uint8_t *loc, uint64_t stub_addr, uint64_t target) {
    w2n_reloc_wr32(loc, 0x00000317u);
    w2n_reloc_wr32(loc + 4, 0x01033303u);
    w2n_reloc_wr32(loc + 8, 0x00030067u);
    w2n_reloc_wr32(loc + 12, 0x00000013u);
    w2n_reloc_wr64(loc + 16, target);
}

const w2n_reloc_arch w2n_reloc_riscv64 = {
    .arch = W2N_ARCH_RISCV64,
    .name = "riscv64",
    .machine = 243,      /* EM_RISCV */
    .eflags_mask = 0xe,  /* EF_RISCV_FLOAT_ABI | EF_RISCV_RVE */
    .eflags_value = 0x4, /* EF_RISCV_FLOAT_ABI_DOUBLE, not RVE */
    .eflags_meaning = "RISC-V ABI lp64d: double-float, not RV64E",
    .howtos = howtos,
    .nhowtos = sizeof howtos / sizeof howtos[0],
    .unsupported = unsupported,
    .nunsupported = sizeof unsupported / sizeof unsupported[0],
    .stub_size = 24,
    .write_stub = write_stub,
    .diff_add32 = R_RISCV_ADD32,
    .diff_sub32 = R_RISCV_SUB32,
    .pcrel32 = R_RISCV_32_PCREL,
};
