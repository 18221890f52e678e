/*
 * frame_riscv64.c — the stack frame of a RISC-V 64 function, from its code.
 *
 * LLVM 19 allocates a RISC-V frame with `addi sp, sp, -N` (c.addi16sp), and
 * a large one with a constant built in a register (`lui`, `addiw`, `slli`,
 * `c.li`...) or scaled by the vector length (`csrr vlenb` then `mul`/`slli`)
 * and `sub sp, sp, reg`; it restores with the opposite `addi`/`add`, or from
 * the frame pointer (`addi sp, s0, -N`, `mv sp, s0`); over-aligned frames
 * `andi sp, sp, -A`.  The decoder follows the integer registers through the
 * function in address order as constants (bytes + a multiple of vlenb) or
 * as "the entry stack pointer minus so much", and sums every decrement of
 * sp: an upper bound of the frame on any path, since a frame is allocated
 * once.  Constants are forgotten at every jump and branch (a join could
 * bring another value); stack-relative values survive in the callee-saved
 * registers (the frame pointer).  Any other write to sp is reported.
 */
#include "frame.h"

enum reg_kind {
    UNKNOWN,
    CONST,
    SPREL
};

/* CONST: c + v * vlenb.  SPREL: the entry sp minus (c + v * vlenb). */
typedef struct reg {
    uint8_t kind;
    int64_t c, v;
} reg;

typedef struct scan {
    reg x[32];
    w2n_frame_size alloc; /* sum of sp decrements */
    w2n_frame_size peak;  /* deepest sp set from another register */
    bool failed;
} scan;

enum {
    SP = 2,
    RA = 1
};
#define VALUE_BOUND ((int64_t)1 << 40) /* beyond any frame: give up on the value */

static reg unknown(void) { return (reg){UNKNOWN, 0, 0}; }
static reg constant(int64_t c, int64_t v) { return (reg){CONST, c, v}; }

static bool callee_saved(unsigned r) { return r == SP || r == 8 || r == 9 || (r >= 18 && r <= 27); }

static int64_t sext(uint64_t v, unsigned bits) {
    uint64_t m = (uint64_t)1 << (bits - 1);
    v &= (m << 1) - 1;
    return (int64_t)((v ^ m) - m);
}

static void forget_constants(scan *s, bool call) {
    for (unsigned r = 1; r < 32; r++)
        if (s->x[r].kind == CONST || (call && !callee_saved(r)))
            s->x[r] = unknown();
}

static uint64_t add_saturated(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void add_to(w2n_frame_size *f, int64_t c, int64_t v) {
    f->bytes = add_saturated(f->bytes, (uint64_t)c);
    f->vlenb = add_saturated(f->vlenb, (uint64_t)v);
}

/* A new value for sp: a decrement of the old sp adds to the frame, a set
 * from another register raises the peak; anything else is unknown. */
static void write_sp(scan *s, reg val, bool from_sp) {
    if (val.kind != SPREL) {
        s->failed = true;
        return;
    }
    if (from_sp) {
        int64_t dc = val.c - s->x[SP].c, dv = val.v - s->x[SP].v;
        if ((dc < 0 && dv > 0) || (dc > 0 && dv < 0)) {
            s->failed = true;
            return;
        }
        if (dc > 0 || dv > 0)
            add_to(&s->alloc, dc, dv);
    } else {
        if (val.c > 0 && (uint64_t)val.c > s->peak.bytes)
            s->peak.bytes = (uint64_t)val.c;
        if (val.v > 0 && (uint64_t)val.v > s->peak.vlenb)
            s->peak.vlenb = (uint64_t)val.v;
    }
    s->x[SP] = val;
}

static void write(scan *s, unsigned rd, reg val, bool from_sp) {
    if (val.c > VALUE_BOUND || val.c < -VALUE_BOUND || val.v > VALUE_BOUND || val.v < -VALUE_BOUND)
        val = unknown();
    if (rd == SP)
        write_sp(s, val, from_sp);
    else if (rd != 0)
        s->x[rd] = val;
}

static reg add_imm(reg a, int64_t imm) {
    if (a.kind == CONST)
        return constant(a.c + imm, a.v);
    if (a.kind == SPREL)
        return (reg){SPREL, a.c - imm, a.v};
    return unknown();
}

static reg add_regs(reg a, reg b) {
    if (a.kind == CONST && b.kind == CONST)
        return constant(a.c + b.c, a.v + b.v);
    if (a.kind == CONST && b.kind == SPREL)
        return add_regs(b, a);
    if (a.kind == SPREL && b.kind == CONST)
        return (reg){SPREL, a.c - b.c, a.v - b.v};
    return unknown();
}

static reg sub_regs(reg a, reg b) {
    if (b.kind != CONST)
        return unknown();
    return add_regs(a, constant(-b.c, -b.v));
}

static bool small(int64_t x) { return x <= INT32_MAX && x >= -INT32_MAX; }

static reg mul_regs(reg a, reg b) {
    if (a.kind != CONST || b.kind != CONST || (a.v && b.v))
        return unknown();
    if (b.v)
        return mul_regs(b, a);
    if (!small(a.c) || !small(a.v) || !small(b.c))
        return unknown(); /* no frame is that large; and the product cannot overflow */
    return constant(a.c * b.c, a.v * b.c);
}

static reg shift_left(reg a, unsigned sh) {
    if (a.kind != CONST || sh > 31 || !small(a.c) || !small(a.v))
        return unknown();
    return constant(a.c * ((int64_t)1 << sh), a.v * ((int64_t)1 << sh));
}

static reg addiw(reg a, int64_t imm) {
    if (a.kind != CONST || a.v)
        return unknown();
    return constant(sext((uint64_t)(a.c + imm), 32), 0);
}

/* `andi sp, sp, -A` realigns the frame: up to A - 1 more bytes. */
static void realign_sp(scan *s, unsigned rs1, int64_t imm) {
    uint64_t align = (uint64_t)-imm;
    if (rs1 != SP || imm >= 0 || (align & (align - 1))) {
        s->failed = true;
        return;
    }
    reg deeper = s->x[SP];
    deeper.c += (int64_t)align - 1;
    write_sp(s, deeper, true);
}

/* Writes an integer register the decoder does not follow. */
static void clobber(scan *s, unsigned rd) { write(s, rd, unknown(), false); }

static void op_imm(scan *s, uint32_t i, unsigned rd, unsigned rs1) {
    int64_t imm = (int32_t)i >> 20;
    switch ((i >> 12) & 7) {
    case 0: write(s, rd, add_imm(s->x[rs1], imm), rs1 == SP); break; /* addi */
    case 1:                                                          /* slli */
        write(s, rd, (i >> 26) ? unknown() : shift_left(s->x[rs1], (i >> 20) & 63), false);
        break;
    case 7: /* andi */
        if (rd == SP)
            realign_sp(s, rs1, imm);
        else
            clobber(s, rd);
        break;
    default: clobber(s, rd);
    }
}

static void op_reg(scan *s, uint32_t i, unsigned rd, unsigned rs1, unsigned rs2) {
    unsigned f3 = (i >> 12) & 7, f7 = i >> 25;
    reg a = s->x[rs1], b = s->x[rs2];
    if (f3 == 0 && f7 == 0)
        write(s, rd, add_regs(a, b), rs1 == SP || rs2 == SP);
    else if (f3 == 0 && f7 == 0x20)
        write(s, rd, sub_regs(a, b), rs1 == SP);
    else if (f3 == 0 && f7 == 1)
        write(s, rd, mul_regs(a, b), false);
    else
        clobber(s, rd);
}

/* OP-FP and OP-V write an integer register only in these forms. */
static bool fp_writes_x(uint32_t i) {
    unsigned f5 = i >> 27;
    return f5 == 0x14 || f5 == 0x18 || f5 == 0x1c; /* compare, fcvt to int, fmv.x/fclass */
}

static bool vector_writes_x(uint32_t i) {
    unsigned f3 = (i >> 12) & 7;
    return f3 == 7 || (f3 == 2 && (i >> 26) == 0x10); /* vsetvl*, vmv.x.s/vcpop/vfirst */
}

static void step32(scan *s, uint32_t i) {
    unsigned rd = (i >> 7) & 31, rs1 = (i >> 15) & 31, rs2 = (i >> 20) & 31;
    switch (i & 0x7f) {
    case 0x37: write(s, rd, constant(sext(i & 0xfffff000u, 32), 0), false); break; /* lui */
    case 0x13: op_imm(s, i, rd, rs1); break;
    case 0x1b: /* addiw */
        write(s, rd, ((i >> 12) & 7) ? unknown() : addiw(s->x[rs1], (int32_t)i >> 20), false);
        break;
    case 0x33: op_reg(s, i, rd, rs1, rs2); break;
    case 0x73: /* csrr */
        if (((i >> 12) & 7) == 2 && rs1 == 0 && (i >> 20) == 0xc22)
            write(s, rd, constant(0, 1), false); /* vlenb */
        else if ((i >> 12) & 7)
            clobber(s, rd);
        break;
    case 0x6f:
    case 0x67: /* jal(r) */
        forget_constants(s, rd != 0);
        clobber(s, rd);
        break;
    case 0x63: forget_constants(s, false); break; /* branch */
    case 0x23:
    case 0x27:
    case 0x0f:
    case 0x07: /* stores, fence, FP/vector loads */
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f: /* fused multiply-add */ break;
    case 0x53:
        if (fp_writes_x(i))
            clobber(s, rd);
        break;
    case 0x57:
        if (vector_writes_x(i))
            clobber(s, rd);
        break;
    default: clobber(s, rd); /* loads, auipc, atomics, *w ops, extensions */
    }
}

static void quadrant0(scan *s, uint16_t h) {
    unsigned rd = 8 + ((h >> 2) & 7);
    switch (h >> 13) {
    case 0: { /* c.addi4spn */
        int64_t uimm = ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 4) | ((h >> 2) & 8);
        write(s, rd, add_imm(s->x[SP], uimm), false);
        break;
    }
    case 2:
    case 3: clobber(s, rd); break; /* c.lw, c.ld */
    default: break;                /* c.fld, stores */
    }
}

static void quadrant1(scan *s, uint16_t h) {
    unsigned rd = (h >> 7) & 31, rdp = 8 + ((h >> 7) & 7);
    int64_t imm6 = sext(((h >> 7) & 0x20) | ((h >> 2) & 0x1f), 6);
    switch (h >> 13) {
    case 0: write(s, rd, add_imm(s->x[rd], imm6), rd == SP); break; /* c.addi */
    case 1: write(s, rd, addiw(s->x[rd], imm6), false); break;      /* c.addiw */
    case 2: write(s, rd, constant(imm6, 0), false); break;          /* c.li */
    case 3:
        if (rd == SP) { /* c.addi16sp */
            int64_t imm = sext(((h >> 3) & 0x200) | ((h << 4) & 0x180) | ((h << 1) & 0x40) |
                                   ((h << 3) & 0x20) | ((h >> 2) & 0x10),
                               10);
            write(s, SP, add_imm(s->x[SP], imm), true);
        } else { /* c.lui */
            write(s, rd, constant(imm6 * 4096, 0), false);
        }
        break;
    case 4:
        if (((h >> 10) & 3) == 3 && !(h & 0x1000) && ((h >> 5) & 3) == 0) /* c.sub */
            write(s, rdp, sub_regs(s->x[rdp], s->x[8 + ((h >> 2) & 7)]), false);
        else
            clobber(s, rdp);
        break;
    default: forget_constants(s, false); break; /* c.j, c.beqz, c.bnez */
    }
}

static void quadrant2(scan *s, uint16_t h) {
    unsigned rd = (h >> 7) & 31, rs2 = (h >> 2) & 31;
    switch (h >> 13) {
    case 0: write(s, rd, shift_left(s->x[rd], ((h >> 7) & 0x20) | rs2), false); break; /* c.slli */
    case 2:
    case 3: clobber(s, rd); break; /* c.lwsp, c.ldsp */
    case 4:
        if (!(h & 0x1000) && rs2 == 0) /* c.jr */
            forget_constants(s, false);
        else if (!(h & 0x1000)) /* c.mv */
            write(s, rd, s->x[rs2], false);
        else if (rs2 == 0 && rd != 0) { /* c.jalr */
            forget_constants(s, true);
            clobber(s, RA);
        } else if (rs2 != 0) /* c.add */
            write(s, rd, add_regs(s->x[rd], s->x[rs2]), rd == SP || rs2 == SP);
        break;
    default: break; /* c.fldsp, stores */
    }
}

bool w2n_frame_measure_riscv64(const uint8_t *code, size_t size, w2n_frame_size *out,
                               size_t *bad_offset) {
    scan s = {0};
    for (unsigned r = 0; r < 32; r++)
        s.x[r] = unknown();
    s.x[0] = constant(0, 0);
    s.x[SP] = (reg){SPREL, 0, 0};
    size_t pos = 0;
    while (pos + 2 <= size && !s.failed) {
        uint16_t h = (uint16_t)(code[pos] | code[pos + 1] << 8);
        *bad_offset = pos;
        if ((h & 3) != 3) {
            switch (h & 3) {
            case 0: quadrant0(&s, h); break;
            case 1: quadrant1(&s, h); break;
            default: quadrant2(&s, h); break;
            }
            pos += 2;
            continue;
        }
        if ((h & 0x1f) == 0x1f || pos + 4 > size) { /* 48-bit and longer, or cut short */
            s.failed = true;
            break;
        }
        step32(&s, (uint32_t)h | (uint32_t)(code[pos + 2] | code[pos + 3] << 8) << 16);
        pos += 4;
    }
    if (s.failed)
        return false;
    out->bytes = s.alloc.bytes > s.peak.bytes ? s.alloc.bytes : s.peak.bytes;
    out->vlenb = s.alloc.vlenb > s.peak.vlenb ? s.alloc.vlenb : s.peak.vlenb;
    return true;
}
