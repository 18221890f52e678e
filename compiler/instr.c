/*
 * instr.c — decode one instruction and its immediates.
 *
 * Only the encoding is checked here (what the spec calls malformed):
 * unknown opcodes, bad LEB128, reserved bytes that must be zero, memarg
 * flags that name another memory, value and reference type bytes.  Whether
 * an index exists or a type fits is the validator's business.  br_table
 * targets live in a scratch array owned by the reader and reused for every
 * br_table, so decoding a body allocates at most O(largest br_table).
 */
#include "instr.h"

#include "w2n/abi.h"

#include <stdlib.h>
#include <string.h>

void w2n_instr_reader_init(w2n_instr_reader *ir, const uint8_t *module_bytes, size_t start,
                           size_t end, w2n_error *err) {
    ir->r.start = module_bytes;
    ir->r.pos = module_bytes + start;
    ir->r.end = module_bytes + end;
    ir->r.err = err;
    ir->scratch = NULL;
    ir->scratch_cap = 0;
}

void w2n_instr_reader_free(w2n_instr_reader *ir) {
    free(ir->scratch);
    ir->scratch = NULL;
    ir->scratch_cap = 0;
}

static bool is_valtype(uint8_t b) {
    switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
        return true;
    }
    return false;
}

static bool read_zero_byte(w2n_reader *r) {
    uint8_t b;
    if (!w2n_read_u8(r, &b))
        return false;
    if (b != 0) {
        r->pos--;
        return w2n_reader_fail(r, "zero byte expected");
    }
    return true;
}

static bool read_blocktype(w2n_reader *r, w2n_blocktype *bt) {
    if (w2n_reader_done(r))
        return w2n_reader_fail(r, "unexpected end");
    uint8_t b = *r->pos;
    if (b == 0x40) {
        r->pos++;
        bt->kind = W2N_BLOCK_EMPTY;
        return true;
    }
    if (is_valtype(b)) {
        r->pos++;
        bt->kind = W2N_BLOCK_VALUE;
        bt->value = b;
        return true;
    }
    int64_t idx;
    const uint8_t *at = r->pos;
    if (!w2n_read_s33(r, &idx))
        return false;
    if (idx < 0) {
        r->pos = at;
        return w2n_reader_fail(r, "malformed value type");
    }
    bt->kind = W2N_BLOCK_TYPE;
    bt->type_index = (uint32_t)idx;
    return true;
}

static bool read_br_table(w2n_instr_reader *ir, w2n_instr *in) {
    w2n_reader *r = &ir->r;
    uint32_t n;
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    if ((size_t)n > ir->scratch_cap) {
        size_t cap = ir->scratch_cap ? ir->scratch_cap : 16;
        while (cap < n)
            cap *= 2;
        uint32_t *p = realloc(ir->scratch, cap * sizeof *p);
        if (!p) {
            w2n_reader_fail(r, "out of memory");
            r->err->code = W2N_ERR_NOMEM;
            return false;
        }
        ir->scratch = p;
        ir->scratch_cap = cap;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!w2n_read_u32(r, &ir->scratch[i]))
            return false;
    in->imm.br_table.count = n;
    in->imm.br_table.targets = ir->scratch;
    return w2n_read_u32(r, &in->imm.br_table.default_target);
}

static bool read_memarg(w2n_reader *r, w2n_memarg *m) {
    const uint8_t *at = r->pos;
    uint32_t flags;
    if (!w2n_read_u32(r, &flags))
        return false;
    /* Bit 6 would announce a memory index (multi-memory, not Wasm 2.0);
     * anything >= 32 cannot be a power-of-two exponent of a 32-bit size. */
    if (flags >= 32) {
        r->pos = at;
        return w2n_reader_fail(r, "malformed memop flags");
    }
    m->align = flags;
    m->memory = 0;
    uint32_t off;
    if (!w2n_read_u32(r, &off))
        return false;
    m->offset = off;
    return true;
}

static bool read_select_t(w2n_reader *r, w2n_instr *in) {
    uint32_t n;
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    in->imm.select_t.count = n;
    in->imm.select_t.type = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t t;
        if (!w2n_read_u8(r, &t))
            return false;
        if (!is_valtype(t)) {
            r->pos--;
            return w2n_reader_fail(r, "malformed value type");
        }
        if (i == 0)
            in->imm.select_t.type = t;
    }
    return true;
}

/* Immediates of the kinds that are plain index pairs or single values. */
static bool read_simple(w2n_reader *r, uint8_t kind, w2n_instr *in) {
    switch (kind) {
    case W2N_IMM_NONE:
        return true;
    case W2N_IMM_LABEL: case W2N_IMM_FUNC: case W2N_IMM_LOCAL: case W2N_IMM_GLOBAL:
    case W2N_IMM_TABLE: case W2N_IMM_DATA: case W2N_IMM_ELEM:
        return w2n_read_u32(r, &in->imm.index);
    case W2N_IMM_CALL_INDIRECT:
        return w2n_read_u32(r, &in->imm.call_indirect.type_index) &&
               w2n_read_u32(r, &in->imm.call_indirect.table);
    case W2N_IMM_MEMIDX:
        in->imm.index = 0;
        return read_zero_byte(r);
    case W2N_IMM_I32:
        return w2n_read_s32(r, &in->imm.i32);
    case W2N_IMM_I64:
        return w2n_read_s64(r, &in->imm.i64);
    case W2N_IMM_F32:
        return w2n_read_f32(r, &in->imm.f32_bits);
    case W2N_IMM_F64:
        return w2n_read_f64(r, &in->imm.f64_bits);
    case W2N_IMM_MEMORY_INIT:
        in->imm.memory_init.memory = 0;
        return w2n_read_u32(r, &in->imm.memory_init.segment) && read_zero_byte(r);
    case W2N_IMM_MEMORY_COPY:
        in->imm.memory_copy.dst = in->imm.memory_copy.src = 0;
        return read_zero_byte(r) && read_zero_byte(r);
    case W2N_IMM_TABLE_INIT:
        return w2n_read_u32(r, &in->imm.table_init.segment) &&
               w2n_read_u32(r, &in->imm.table_init.table);
    case W2N_IMM_TABLE_COPY:
        return w2n_read_u32(r, &in->imm.table_copy.dst) &&
               w2n_read_u32(r, &in->imm.table_copy.src);
    }
    return w2n_reader_fail(r, "illegal opcode");
}

static bool read_immediates(w2n_instr_reader *ir, uint8_t kind, w2n_instr *in) {
    w2n_reader *r = &ir->r;
    const uint8_t *bytes;
    switch (kind) {
    case W2N_IMM_BLOCK:
        return read_blocktype(r, &in->imm.block);
    case W2N_IMM_BR_TABLE:
        return read_br_table(ir, in);
    case W2N_IMM_SELECT_T:
        return read_select_t(r, in);
    case W2N_IMM_MEMARG:
        return read_memarg(r, &in->imm.memarg);
    case W2N_IMM_MEMARG_LANE:
        return read_memarg(r, &in->imm.memarg) && w2n_read_u8(r, &in->lane);
    case W2N_IMM_LANE:
        return w2n_read_u8(r, &in->lane);
    case W2N_IMM_REFTYPE: {
        uint8_t t;
        if (!w2n_read_u8(r, &t))
            return false;
        if (t != W2N_FUNCREF && t != W2N_EXTERNREF) {
            r->pos--;
            return w2n_reader_fail(r, "malformed reference type");
        }
        in->imm.reftype = t;
        return true;
    }
    case W2N_IMM_V128:
    case W2N_IMM_SHUFFLE:
        if (!w2n_read_bytes(r, 16, &bytes))
            return false;
        memcpy(in->imm.v128, bytes, 16);
        return true;
    default:
        return read_simple(r, kind, in);
    }
}

bool w2n_instr_read(w2n_instr_reader *ir, w2n_instr *out) {
    w2n_reader *r = &ir->r;
    out->offset = w2n_reader_offset(r);
    out->lane = 0;
    uint8_t b;
    if (!w2n_read_u8(r, &b))
        return false;
    uint32_t op = b;
    if (b == 0xFC || b == 0xFD) {
        uint32_t sub;
        if (!w2n_read_u32(r, &sub))
            return false;
        op = sub > 0xFFFF ? 0xFFFFFFFFu : ((uint32_t)b << 16) | sub;
    }
    const w2n_opcode_info *info = op == 0xFFFFFFFFu ? NULL : w2n_opcode_lookup(op);
    if (!info) {
        r->pos = r->start + out->offset;
        return w2n_reader_fail(r, "illegal opcode");
    }
    out->op = op;
    return read_immediates(ir, info->imm, out);
}
