/*
 * test_rt_reloc_riscv64.c — every RISC-V relocation type on byte buffers.
 * Expected words come from llvm-mc-19 (-triple=riscv64 -mattr=+c
 * -show-encoding) for the instruction with the immediate the relocation must
 * produce.  Runs on any host.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "reloc.h"

static const w2n_reloc_arch *RV = &w2n_reloc_riscv64;

enum {
    R32 = 1,
    R64 = 2,
    BRANCH = 16,
    JAL = 17,
    CALL = 18,
    CALL_PLT = 19,
    GOT_HI20 = 20,
    PCREL_HI20 = 23,
    PCREL_LO12_I = 24,
    PCREL_LO12_S = 25,
    HI20 = 26,
    LO12_I = 27,
    LO12_S = 28,
    ADD8 = 33,
    ADD16 = 34,
    ADD32 = 35,
    ADD64 = 36,
    SUB8 = 37,
    SUB16 = 38,
    SUB32 = 39,
    SUB64 = 40,
    ALIGN = 43,
    RVC_BRANCH = 44,
    RVC_JUMP = 45,
    RELAX = 51,
    SUB6 = 52,
    SET6 = 53,
    SET8 = 54,
    SET16 = 55,
    SET32 = 56,
    PCREL32 = 57,
    PLT32 = 59
};

static w2n_reloc_args args(uint8_t *buf, uint64_t P, uint64_t S, int64_t A) {
    w2n_reloc_args a = {.loc = buf, .P = P, .S = S, .A = A};
    return a;
}

static w2n_reloc_result run(uint32_t type, w2n_reloc_args *a) {
    const w2n_reloc_howto *h = w2n_reloc_lookup(RV, type);
    cr_assert_not_null(h, "type %u missing", type);
    return h->apply(a);
}

static void insn(uint32_t type, uint32_t base, uint64_t P, uint64_t S, int64_t A, uint32_t want) {
    uint8_t buf[4];
    w2n_reloc_wr32(buf, base);
    w2n_reloc_args a = args(buf, P, S, A);
    w2n_reloc_result r = run(type, &a);
    cr_assert_eq(r, W2N_RELOC_OK, "type %u: %s", type, w2n_reloc_result_name(r));
    cr_assert_eq(w2n_reloc_rd32(buf), want, "type %u: got %08x want %08x", type,
                 w2n_reloc_rd32(buf), want);
}

static void insn16(uint32_t type, uint16_t base, uint64_t P, uint64_t S, uint16_t want) {
    uint8_t buf[2];
    w2n_reloc_wr16(buf, base);
    w2n_reloc_args a = args(buf, P, S, 0);
    cr_assert_eq(run(type, &a), W2N_RELOC_OK, "type %u", type);
    cr_assert_eq(w2n_reloc_rd16(buf), want, "type %u: got %04x want %04x", type,
                 w2n_reloc_rd16(buf), want);
}

static void fails(uint32_t type, uint32_t base, uint64_t P, uint64_t S, w2n_reloc_result want) {
    uint8_t buf[8];
    w2n_reloc_wr32(buf, base);
    w2n_reloc_wr32(buf + 4, base);
    w2n_reloc_args a = args(buf, P, S, 0);
    cr_assert_eq(run(type, &a), want, "type %u", type);
    cr_assert_eq(w2n_reloc_rd32(buf), base, "untouched");
    cr_assert_eq(w2n_reloc_rd32(buf + 4), base, "untouched");
}

Test(reloc_riscv64, table) {
    cr_assert_str_eq(w2n_reloc_lookup(RV, PCREL_LO12_I)->name, "R_RISCV_PCREL_LO12_I");
    cr_assert(w2n_reloc_lookup(RV, RELAX)->flags & W2N_RELOC_IGNORE);
    cr_assert(w2n_reloc_lookup(RV, ALIGN)->flags & W2N_RELOC_IGNORE);
    cr_assert(w2n_reloc_lookup(RV, PCREL_HI20)->flags & W2N_RELOC_PAIR_HI);
    cr_assert(w2n_reloc_lookup(RV, GOT_HI20)->flags & W2N_RELOC_PAIR_HI);
    cr_assert(w2n_reloc_lookup(RV, GOT_HI20)->flags & W2N_RELOC_GOT);
    cr_assert(w2n_reloc_lookup(RV, PCREL_LO12_S)->flags & W2N_RELOC_PAIR_LO);
    cr_assert_null(w2n_reloc_lookup(RV, 60), "SET_ULEB128 unsupported");
    cr_assert_null(w2n_reloc_lookup(RV, 7), "TLS unsupported");
    cr_assert_eq(w2n_reloc_arch_for_machine(243), RV);
}

Test(reloc_riscv64, branch_jal) {
    insn(BRANCH, 0x00b50063, 0x1000, 0x1000 + 2046, 0, 0x7eb50f63); /* beq a0,a1,2046 */
    insn(BRANCH, 0x00b51063, 0x2000, 0x1000, 0, 0x80b51063);        /* bne a0,a1,-4096 */
    insn(JAL, 0x000000ef, 0x1000, 0x1000 + 74566, 0, 0x346120ef);   /* jal 74566 */
    insn(JAL, 0x0000006f, 0x100000, 0, 0, 0x8000006f);              /* j -1048576 */
    insn(BRANCH, 0x00b50063, 0x1000, 0x1000 + 1446, 0, 0x5ab50363); /* beq a0,a1,1446 */
    insn(BRANCH, 0x00b51063, 0x1000, 0x1000 - 858, 0, 0xcab513e3);  /* bne a0,a1,-858 */
    insn(JAL, 0x000000ef, 0x0, 370086, 0, 0x5a65a0ef);              /* jal 370086 */
    insn(JAL, 0x000000ef, 239014, 0, 0, 0xa5bc50ef);                /* jal -239014 */
    fails(BRANCH, 0x00b50063, 0x1000, 0x1000 + 4096, W2N_RELOC_OVERFLOW);
    fails(BRANCH, 0x00b50063, 0x1000, 0x1001, W2N_RELOC_MISALIGNED);
    fails(JAL, 0x000000ef, 0x1000, 0x1000 + 0x100000, W2N_RELOC_OVERFLOW);
}

Test(reloc_riscv64, rvc) {
    insn16(RVC_BRANCH, 0xc101, 0x1000, 0x1000 + 254, 0xcd7d); /* c.beqz a0, 254 */
    insn16(RVC_BRANCH, 0xe181, 0x1100, 0x1000, 0xf181);       /* c.bnez a1, -256 */
    insn16(RVC_JUMP, 0xa001, 0x1000, 0x1000 + 2046, 0xaffd);  /* c.j 2046 */
    insn16(RVC_JUMP, 0xa001, 0x1800, 0x1000, 0xb001);         /* c.j -2048 */
    /* asymmetric offsets, so that every bit lands in its own place */
    insn16(RVC_JUMP, 0xa001, 0x1000, 0x1040, 0xa081);         /* c.j 64 */
    insn16(RVC_JUMP, 0xa001, 0x1000, 0x1080, 0xa041);         /* c.j 128 */
    insn16(RVC_JUMP, 0xa001, 0x1000, 0x1000 + 1446, 0xa35d);  /* c.j 1446 */
    insn16(RVC_JUMP, 0xa001, 0x1000, 0x1000 - 858, 0xb15d);   /* c.j -858 */
    insn16(RVC_BRANCH, 0xc101, 0x1000, 0x1000 + 42, 0xc50d);  /* c.beqz a0, 42 */
    insn16(RVC_BRANCH, 0xc101, 0x1000, 0x1000 - 214, 0xd50d); /* c.beqz a0, -214 */
    uint8_t buf[2];
    w2n_reloc_wr16(buf, 0xc101);
    w2n_reloc_args a = args(buf, 0x1000, 0x1100, 0);
    cr_assert_eq(run(RVC_BRANCH, &a), W2N_RELOC_OVERFLOW);
    a = args(buf, 0x1000, 0x1800, 0);
    cr_assert_eq(run(RVC_JUMP, &a), W2N_RELOC_OVERFLOW);
    cr_assert_eq(w2n_reloc_rd16(buf), 0xc101);
}

/* auipc t1 / jalr ra, t1: hi 0x12345, lo 0x678 (and the rounding when the
 * low part is negative). */
Test(reloc_riscv64, call) {
    uint8_t buf[8];
    for (int plt = 0; plt < 2; plt++) {
        w2n_reloc_wr32(buf, 0x00000317);
        w2n_reloc_wr32(buf + 4, 0x000300e7);
        w2n_reloc_args a = args(buf, 0x10000, 0x10000 + 0x12345678, 0);
        cr_assert_eq(run(plt ? CALL_PLT : CALL, &a), W2N_RELOC_OK);
        cr_assert_eq(w2n_reloc_rd32(buf), 0x12345317);
        cr_assert_eq(w2n_reloc_rd32(buf + 4), 0x678300e7);
    }
    /* X = 0x1800: hi rounds up to 2, lo = -0x800 */
    w2n_reloc_wr32(buf, 0x00000317);
    w2n_reloc_wr32(buf + 4, 0x000300e7);
    w2n_reloc_args a = args(buf, 0x1000, 0x2800, 0);
    cr_assert_eq(run(CALL, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x00002317);
    cr_assert_eq(w2n_reloc_rd32(buf + 4), 0x800300e7);
    fails(CALL, 0x00000317, 0x1000, 0x1000 + 0x7ffff800ull, W2N_RELOC_OVERFLOW);
    fails(CALL_PLT, 0x00000317, 0x100000000ull, 0, W2N_RELOC_OVERFLOW);
    cr_assert(w2n_reloc_lookup(RV, CALL)->flags & W2N_RELOC_STUB_OK);
    cr_assert(w2n_reloc_lookup(RV, CALL_PLT)->flags & W2N_RELOC_STUB_OK);
}

/* The stub reaches any address; a CALL reaches the stub. */
Test(reloc_riscv64, stub) {
    uint8_t stub[24];
    RV->write_stub(stub, 0x2000, 0x3fffff1234ull);
    cr_assert_eq(RV->stub_size, 24);
    cr_assert_eq(w2n_reloc_rd32(stub), 0x00000317u);     /* auipc t1, 0 */
    cr_assert_eq(w2n_reloc_rd32(stub + 4), 0x01033303u); /* ld t1, 16(t1) */
    cr_assert_eq(w2n_reloc_rd32(stub + 8), 0x00030067u); /* jr t1 */
    cr_assert_eq(w2n_reloc_rd64(stub + 16), 0x3fffff1234ull);
}

/* PCREL_HI20 records X; the LO12 relocations use the recorded X. */
Test(reloc_riscv64, pcrel_pair) {
    uint8_t hi[4], lo[4];
    w2n_reloc_wr32(hi, 0x00000517); /* auipc a0, 0 */
    w2n_reloc_args a = args(hi, 0x1000, 0x1000 - 0x1000, 0);
    cr_assert_eq(run(PCREL_HI20, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(hi), 0xfffff517); /* auipc a0, 0xfffff */
    cr_assert_eq(a.value, -0x1000);
    /* value 0x12345678 */
    w2n_reloc_wr32(hi, 0x00000517);
    a = args(hi, 0x1000, 0x1000 + 0x12345678, 0);
    cr_assert_eq(run(PCREL_HI20, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(hi), 0x12345517);
    int64_t x = a.value;
    w2n_reloc_wr32(lo, 0x00050513); /* addi a0, a0, 0 */
    w2n_reloc_args l = args(lo, 0x1010, 0x1000 /* the label */, 0);
    l.pair = x;
    cr_assert_eq(run(PCREL_LO12_I, &l), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(lo), 0x67850513); /* addi a0, a0, 1656 */
    w2n_reloc_wr32(lo, 0x00b53023);               /* sd a1, 0(a0) */
    l = args(lo, 0x1010, 0x1000, 0);
    l.pair = 0x7f0;
    cr_assert_eq(run(PCREL_LO12_S, &l), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(lo), 0x7eb53823); /* sd a1, 2032(a0) */
    w2n_reloc_wr32(lo, 0x00053583);               /* ld a1, 0(a0) */
    l.pair = -0x10;
    cr_assert_eq(run(PCREL_LO12_I, &l), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(lo), 0xff053583); /* ld a1, -16(a0) */
    fails(PCREL_HI20, 0x00000517, 0x0, 0x80000000ull, W2N_RELOC_OVERFLOW);
}

Test(reloc_riscv64, got_hi20) {
    uint8_t hi[4];
    w2n_reloc_wr32(hi, 0x00000517);
    w2n_reloc_args a = args(hi, 0x1000, 0xdeadbeef, 0);
    a.got = 0x1000 + 0x12345678;
    cr_assert_eq(run(GOT_HI20, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(hi), 0x12345517);
    cr_assert_eq(a.value, 0x12345678);
}

Test(reloc_riscv64, absolute_hi_lo) {
    insn(HI20, 0x00000537, 0, 0x12345678, 0, 0x12345537);   /* lui a0, 0x12345 */
    insn(LO12_I, 0x00050513, 0, 0x12345678, 0, 0x67850513); /* addi a0, a0, 1656 */
    insn(LO12_S, 0x00b53023, 0, 0x7f0, 0, 0x7eb53823);      /* sd a1, 2032(a0) */
    insn(LO12_S, 0x00b53023, 0, 0x801, 0, 0x80b530a3);      /* sd a1, -2047(a0) */
    insn(LO12_I, 0x00050513, 0, 0x800, 0, 0x80050513);      /* addi a0, a0, -2048 */
    fails(HI20, 0x00000537, 0, 0x80000000ull, W2N_RELOC_OVERFLOW);
}

Test(reloc_riscv64, data_add_sub_set) {
    uint8_t buf[8];
    memset(buf, 0, 8);
    w2n_reloc_args a = args(buf, 0, 0x1122334455667788ull, 8);
    cr_assert_eq(run(R64, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x1122334455667790ull);
    a = args(buf, 0, 0x100000000ull, 0);
    cr_assert_eq(run(R32, &a), W2N_RELOC_OVERFLOW);
    a = args(buf, 0, 0x12345678, 0);
    cr_assert_eq(run(R32, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x12345678);
    /* label difference: ADD32 L1 then SUB32 L2 on the same word */
    w2n_reloc_wr32(buf, 0);
    a = args(buf, 0, 0x5000, 4);
    cr_assert_eq(run(ADD32, &a), W2N_RELOC_OK);
    a = args(buf, 0, 0x4000, 0);
    cr_assert_eq(run(SUB32, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x1004);
    w2n_reloc_wr64(buf, 10);
    a = args(buf, 0, 5, 0);
    cr_assert_eq(run(ADD64, &a), W2N_RELOC_OK);
    a = args(buf, 0, 20, 0);
    cr_assert_eq(run(SUB64, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), (uint64_t)-5);
    w2n_reloc_wr16(buf, 0xfff0);
    a = args(buf, 0, 0x20, 0);
    cr_assert_eq(run(ADD16, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), 0x0010, "wraps in 16 bits");
    a = args(buf, 0, 0x11, 0);
    cr_assert_eq(run(SUB16, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), 0xffff);
    buf[0] = 0xfe;
    a = args(buf, 0, 3, 0);
    cr_assert_eq(run(ADD8, &a), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 1);
    a = args(buf, 0, 2, 0);
    cr_assert_eq(run(SUB8, &a), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0xff);
    /* 6-bit forms keep the top two bits (DW_CFA_advance_loc = 0x40 | delta) */
    buf[0] = 0x40 | 0x05;
    a = args(buf, 0, 0x23, 0);
    cr_assert_eq(run(SET6, &a), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0x63);
    a = args(buf, 0, 0x3, 0);
    cr_assert_eq(run(SUB6, &a), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0x60);
    a = args(buf, 0, 0x1ab, 0);
    cr_assert_eq(run(SET8, &a), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0xab);
    a = args(buf, 0, 0x1abcd, 0);
    cr_assert_eq(run(SET16, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), 0xabcd);
    a = args(buf, 0, 0x89abcdef, 0);
    cr_assert_eq(run(SET32, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x89abcdef);
    a = args(buf, 0x2000, 0x1000, 0);
    cr_assert_eq(run(PCREL32, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), (uint32_t)-0x1000);
    a = args(buf, 0x2000, 0x3000, -4);
    cr_assert_eq(run(PLT32, &a), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xffc);
    a = args(buf, 0, 0x80000000ull, 0);
    cr_assert_eq(run(PCREL32, &a), W2N_RELOC_OVERFLOW);
}
