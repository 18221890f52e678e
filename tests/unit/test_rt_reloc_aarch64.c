/*
 * test_rt_reloc_aarch64.c — every AArch64 relocation type on byte buffers.
 * Expected words come from llvm-mc-19 (-triple=aarch64 -show-encoding) for
 * the same instruction with the immediate the relocation must produce.
 * Runs on any host.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "reloc.h"

static const w2n_reloc_arch *A64 = &w2n_reloc_aarch64;

static w2n_reloc_result apply(uint32_t type, uint8_t *buf, uint64_t P, uint64_t S, int64_t A,
                              uint64_t got) {
    const w2n_reloc_howto *h = w2n_reloc_lookup(A64, type);
    cr_assert_not_null(h, "type %u missing", type);
    w2n_reloc_args a = {.loc = buf, .P = P, .S = S, .A = A, .got = got};
    return h->apply(&a);
}

/* Patch `base` at P for target S+A and compare with `want`. */
static void insn(uint32_t type, uint32_t base, uint64_t P, uint64_t S, int64_t A, uint32_t want) {
    uint8_t buf[4];
    w2n_reloc_wr32(buf, base);
    w2n_reloc_result r = apply(type, buf, P, S, A, 0);
    cr_assert_eq(r, W2N_RELOC_OK, "type %u: %s", type, w2n_reloc_result_name(r));
    cr_assert_eq(w2n_reloc_rd32(buf), want, "type %u: got %08x want %08x", type,
                 w2n_reloc_rd32(buf), want);
}

/* A failing relocation leaves the bytes untouched. */
static void insn_fails(uint32_t type, uint32_t base, uint64_t P, uint64_t S, int64_t A,
                       w2n_reloc_result want) {
    uint8_t buf[4];
    w2n_reloc_wr32(buf, base);
    cr_assert_eq(apply(type, buf, P, S, A, 0), want, "type %u", type);
    cr_assert_eq(w2n_reloc_rd32(buf), base);
}

enum {
    NONE = 256,
    ABS64 = 257,
    ABS32 = 258,
    ABS16 = 259,
    PREL64 = 260,
    PREL32 = 261,
    PREL16 = 262,
    G0 = 263,
    G0_NC = 264,
    G1 = 265,
    G1_NC = 266,
    G2 = 267,
    G2_NC = 268,
    G3 = 269,
    LD_PREL_LO19 = 273,
    ADR_LO21 = 274,
    ADRP = 275,
    ADRP_NC = 276,
    ADD_LO12 = 277,
    LDST8 = 278,
    TSTBR14 = 279,
    CONDBR19 = 280,
    JUMP26 = 282,
    CALL26 = 283,
    LDST16 = 284,
    LDST32 = 285,
    LDST64 = 286,
    LDST128 = 299,
    GOT_PAGE = 311,
    GOT_LO12 = 312
};

Test(reloc_aarch64, table_names) {
    cr_assert_str_eq(w2n_reloc_lookup(A64, CALL26)->name, "R_AARCH64_CALL26");
    cr_assert(w2n_reloc_lookup(A64, NONE)->flags & W2N_RELOC_IGNORE);
    cr_assert_null(w2n_reloc_lookup(A64, 1024), "unknown type has no howto");
    cr_assert_null(w2n_reloc_lookup(A64, 1030), "TLS descriptors unsupported");
    cr_assert_eq(w2n_reloc_arch_for_machine(183), A64);
}

Test(reloc_aarch64, call26_jump26) {
    insn(CALL26, 0x94000000, 0x10000, 0x11000, 0, 0x94000400);           /* bl #0x1000 */
    insn(CALL26, 0x94000000, 0x8010000, 0x10000, 0, 0x96000000);         /* bl #-0x8000000 */
    insn(JUMP26, 0x14000000, 0x1000, 0x1000 + 0x7fffffc, 0, 0x15ffffff); /* b #0x7fffffc */
    insn(CALL26, 0x94000000, 0x2000, 0x1000, 0x1000, 0x94000000);        /* S+A-P = 0 */
    insn(CALL26, 0x94000000, 0x400000, 0x400000 - 3515812, 0, 0x97f29697);
}

Test(reloc_aarch64, call26_out_of_range) {
    insn_fails(CALL26, 0x94000000, 0x1000, 0x1000 + 0x8000000, 0, W2N_RELOC_OVERFLOW);
    insn_fails(JUMP26, 0x14000000, 0x8001004, 0x1000, 0, W2N_RELOC_OVERFLOW);
    insn_fails(CALL26, 0x94000000, 0x1000, 0x1002, 0, W2N_RELOC_MISALIGNED);
    cr_assert(w2n_reloc_lookup(A64, CALL26)->flags & W2N_RELOC_STUB_OK);
    cr_assert(w2n_reloc_lookup(A64, JUMP26)->flags & W2N_RELOC_STUB_OK);
}

/* The veneer: out of range directly, in range through a stub placed next
 * to the code; running the stub's words reaches the far target. */
Test(reloc_aarch64, veneer) {
    uint8_t stub[16];
    uint64_t code = 0x400000, stub_at = 0x400100, target = 0x7f0000001234ull;
    A64->write_stub(stub, stub_at, target);
    cr_assert_eq(A64->stub_size, 16);
    cr_assert_eq(w2n_reloc_rd32(stub), 0x58000050u);     /* ldr x16, #8 */
    cr_assert_eq(w2n_reloc_rd32(stub + 4), 0xd61f0200u); /* br x16 */
    cr_assert_eq(w2n_reloc_rd64(stub + 8), target);
    insn_fails(CALL26, 0x94000000, code, target, 0, W2N_RELOC_OVERFLOW);
    insn(CALL26, 0x94000000, code, stub_at, 0, 0x94000040);
}

Test(reloc_aarch64, condbr19_tstbr14_ld_lo19) {
    insn(CONDBR19, 0x54000000, 0x1000, 0x1040, 0, 0x54000200); /* b.eq #0x40 */
    insn(CONDBR19, 0x54000001, 0x1000, 0x0ff8, 0, 0x54ffffc1); /* b.ne #-8 */
    insn(TSTBR14, 0x36180001, 0x1000, 0x1020, 0, 0x36180101);  /* tbz w1, #3, #0x20 */
    insn(TSTBR14, 0x37080002, 0x9000, 0x1000, 0, 0x370c0002);  /* tbnz w2, #1, #-0x8000 */
    insn(CONDBR19, 0x54000000, 0x1000, 0x1000 + 1444, 0, 0x54002d20);
    insn(TSTBR14, 0x36180001, 0x1000, 0x1000 - 860, 0, 0x361fe521);
    insn(LD_PREL_LO19, 0x58000000, 0x1000, 0x1100, 0, 0x58000800); /* ldr x0, #0x100 */
    insn_fails(CONDBR19, 0x54000000, 0x1000, 0x1000 + 0x100000, 0, W2N_RELOC_OVERFLOW);
    insn_fails(TSTBR14, 0x36180001, 0x1000, 0x1000 + 0x8000, 0, W2N_RELOC_OVERFLOW);
    insn_fails(TSTBR14, 0x36180001, 0x1000, 0x1006, 0, W2N_RELOC_MISALIGNED);
}

Test(reloc_aarch64, adrp_add_ldst) {
    insn(ADRP, 0x90000000, 0x10000, 0x10000 + 0x12345000 + 0x678, 0, 0xb0091a20);
    insn(ADRP, 0x90000003, 0x10fff, 0x0f000, 0x10, 0xf0ffffe3); /* #-0x1000 */
    insn(ADRP_NC, 0x90000000, 0x10000, 0x10000 + 0x12345000, 0, 0xb0091a20);
    insn(ADR_LO21, 0x10000004, 0x1000, 0x1000 + 0x12345, 0, 0x30091a24); /* adr x4, #0x12345 */
    insn(ADR_LO21, 0x10000004, 0x100000, 0x100000 - 219738, 0, 0x50e52d24);
    insn(ADRP, 0x90000000, 0x40000000, 0x40000000 - 900046848, 0, 0xd0e52d20);
    insn(ADD_LO12, 0x91000000, 0, 0xabc123, 0, 0x91048c00); /* #0x123 */
    insn(LDST8, 0x39400001, 0, 0x5123, 0, 0x39448c01);
    insn(LDST16, 0x79400001, 0, 0x5122, 0, 0x79424401);
    insn(LDST32, 0x0b9400001, 0, 0x5124, 0, 0xb9412401);
    insn(LDST64, 0xf9400001, 0, 0x5128, 0, 0xf9409401);
    insn(LDST128, 0x3dc00000, 0, 0x5130, 0, 0x3dc04c00);
    insn_fails(LDST64, 0xf9400001, 0, 0x5124, 0, W2N_RELOC_MISALIGNED);
    insn_fails(LDST128, 0x3dc00000, 0, 0x5138, 0, W2N_RELOC_MISALIGNED);
    insn_fails(ADRP, 0x90000000, 0x1000, 0x1000 + (1ull << 32), 0, W2N_RELOC_OVERFLOW);
    insn_fails(ADR_LO21, 0x10000004, 0x1000, 0x1000 + 0x100000, 0, W2N_RELOC_OVERFLOW);
}

Test(reloc_aarch64, got) {
    uint8_t buf[4];
    w2n_reloc_wr32(buf, 0x90000000);
    cr_assert_eq(apply(GOT_PAGE, buf, 0x10000, 0xdead, 0, 0x10000 + 0x12345000), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xb0091a20);
    w2n_reloc_wr32(buf, 0xf9400001);
    cr_assert_eq(apply(GOT_LO12, buf, 0x10000, 0xdead, 0, 0x12345128), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xf9409401);
    cr_assert_eq(apply(GOT_PAGE, buf, 0, 0, 8, 0x1000), W2N_RELOC_BAD_ADDEND);
    cr_assert_eq(apply(GOT_LO12, buf, 0, 0, 8, 0x1000), W2N_RELOC_BAD_ADDEND);
    cr_assert(w2n_reloc_lookup(A64, GOT_PAGE)->flags & W2N_RELOC_GOT);
}

Test(reloc_aarch64, movw) {
    uint64_t S = 0xdef09abc56781234ull;
    insn(G0_NC, 0xd2800000, 0, S, 0, 0xd2824680);
    insn(G1_NC, 0xf2a00000, 0, S, 0, 0xf2aacf00);
    insn(G2_NC, 0xf2c00000, 0, S, 0, 0xf2d35780);
    insn(G3, 0xf2e00000, 0, S, 0, 0xf2fbde00);
    insn(G0, 0xd2800000, 0, 0x1234, 0, 0xd2824680);
    insn(G1, 0xf2a00000, 0, 0x56781234, 0, 0xf2aacf00);
    insn(G2, 0xf2c00000, 0, 0x9abc56781234ull, 0, 0xf2d35780);
    insn_fails(G0, 0xd2800000, 0, 0x10000, 0, W2N_RELOC_OVERFLOW);
    insn_fails(G1, 0xf2a00000, 0, 0x100000000ull, 0, W2N_RELOC_OVERFLOW);
    insn_fails(G2, 0xf2c00000, 0, 1ull << 48, 0, W2N_RELOC_OVERFLOW);
}

Test(reloc_aarch64, data) {
    uint8_t buf[8];
    memset(buf, 0, 8);
    cr_assert_eq(apply(ABS64, buf, 0, 0x1122334455667788ull, 0x10, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x1122334455667798ull);
    cr_assert_eq(apply(PREL64, buf, 0x1000, 0x800, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), (uint64_t)-0x800);
    memset(buf, 0, 8);
    cr_assert_eq(apply(ABS32, buf, 0, 0xfffffff0u, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xfffffff0u);
    cr_assert_eq(apply(ABS32, buf, 0, 0x100000000ull, 0, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(apply(PREL32, buf, 0x2000, 0x1000, -4, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), (uint32_t)-0x1004);
    cr_assert_eq(apply(PREL32, buf, 0x100000000ull, 0, -1, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(w2n_reloc_rd32(buf), (uint32_t)-0x1004, "untouched after failure");
    cr_assert_eq(apply(ABS16, buf, 0, 0xffff, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), 0xffff);
    cr_assert_eq(apply(ABS16, buf, 0, 0x10000, 0, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(apply(PREL16, buf, 0x100, 0x80, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), (uint16_t)-0x80);
}
