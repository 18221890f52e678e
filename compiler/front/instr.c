/*
 * instr.c — decode one instruction and its immediates.
 *
 * Only the encoding is checked here (what the spec calls malformed):
 * unknown opcodes, bad LEB128, reserved bytes that must be zero, value and
 * reference type bytes.  Whether an index exists or a type fits is the
 * validator's business.  Every row of opcodes.def decodes, including the
 * Wasm 3.0 and threads ones w2n does not implement: those are then refused
 * by feature (w2n_feature_refuse), never reported as malformed.  br_table
 * targets live in a scratch array owned by the reader and reused for every
 * br_table, so decoding a body allocates at most O(largest br_table).
 */
#include "instr.h"

#include "grow.h"

#include "w2n/abi.h"
#include "w2n/types.h"

#include <stdlib.h>
#include <string.h>

void w2n_instr_reader_init(w2n_instr_reader *ir, const uint8_t *module_bytes, size_t start,
                           size_t end, w2n_error *err) {
    ir->r.start = module_bytes;
    ir->r.pos = module_bytes + start;
    ir->r.end = module_bytes + end;
    ir->r.err = err;
    ir->r.features = w2n_features_default();
    ir->scratch = NULL;
    ir->scratch_cap = 0;
    ir->clauses = NULL;
    ir->clauses_cap = 0;
}

void w2n_instr_reader_free(w2n_instr_reader *ir) {
    free(ir->scratch);
    free(ir->clauses);
    ir->scratch = NULL;
    ir->scratch_cap = 0;
    ir->clauses = NULL;
    ir->clauses_cap = 0;
}

int w2n_valtype_feature(uint8_t b) {
    switch (b) {
    case 0x7F:
    case 0x7E:
    case 0x7D:
    case 0x7C: return W2N_FEATURE_MVP;
    case 0x7B: return W2N_FEATURE_SIMD;
    case 0x70:
    case 0x6F: return W2N_FEATURE_REFERENCE_TYPES;
    case 0x64:
    case 0x63: return W2N_FEATURE_FUNCTION_REFERENCES;
    case 0x6E:
    case 0x6D:
    case 0x6C:
    case 0x6B:
    case 0x6A:
    case 0x71:
    case 0x72:
    case 0x73: return W2N_FEATURE_GC;
    case 0x69: return W2N_FEATURE_EXCEPTIONS;
    /* nullexnref is (ref null noexn): a typed reference, a subtype of exnref. */
    case 0x74: return W2N_FEATURE_FUNCTION_REFERENCES;
    }
    return -1;
}

static const char *valtype_text(uint8_t b) {
    switch (b) {
    case 0x7B: return "value type v128";
    case 0x70: return "value type funcref";
    case 0x6F: return "value type externref";
    case 0x64: return "value type (ref ...)";
    case 0x63: return "value type (ref null ...)";
    case 0x69: return "value type exnref";
    case 0x74: return "value type nullexnref";
    }
    return "a GC reference type";
}

/* Refuse a value type of a feature outside r->features (cursor on the byte). */
static bool check_valtype(w2n_reader *r, uint8_t b) {
    int f = w2n_valtype_feature(b);
    if (f < 0)
        return w2n_reader_fail(r, "malformed value type");
    if (!w2n_features_has(r->features, (w2n_feature)f)) {
        w2n_feature_refuse(r->err, w2n_reader_offset(r), (w2n_feature)f, valtype_text(b));
        return false;
    }
    return true;
}

/* A heap type after 0x63/0x64 or in ref.null: an abstract one (a negative
 * s33 whose low 7 bits are its code) or a type index.  An index too large
 * for a w2n_valtype becomes the largest one, which no module has, so
 * validation calls it unknown. */
static bool read_ref_heap_type(w2n_reader *r, w2n_heaptype *out) {
    const uint8_t *at = r->pos;
    int64_t ht;
    if (!w2n_read_s33(r, &ht))
        return false;
    if (ht >= 0) {
        *out = w2n_heaptype_concrete(ht > W2N_VALTYPE_MAX_INDEX ? W2N_VALTYPE_MAX_INDEX
                                                                : (uint32_t)ht);
        return true;
    }
    /* An abstract heap type is one byte, as a value type is (s7). */
    uint8_t code = (uint8_t)(ht & 0x7F);
    bool one_byte = r->pos == at + 1;
    r->pos = at;
    if (!one_byte)
        return w2n_reader_fail(r, "integer representation too long");
    if (!w2n_heaptype_is_abstract_code(code))
        return w2n_reader_fail(r, "malformed heap type");
    if (!check_valtype(r, code))
        return false;
    r->pos++;
    *out = code;
    return true;
}

bool w2n_read_valtype(w2n_reader *r, w2n_valtype *out) {
    if (w2n_reader_done(r))
        return w2n_reader_fail(r, "unexpected end");
    uint8_t b = *r->pos;
    if (!check_valtype(r, b))
        return false;
    r->pos++;
    if (b != 0x63 && b != 0x64) {
        *out = b;
        return true;
    }
    w2n_heaptype ht;
    if (!read_ref_heap_type(r, &ht))
        return false;
    *out = w2n_valtype_ref(ht, b == 0x63);
    return true;
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

/* The memory index of memory.size/grow/fill/copy/init: a zero byte in 2.0,
 * a LEB u32 with multi-memory.  With the feature off, one byte is read as
 * 2.0 does, and a non-zero one is a valid module that needs the feature,
 * not a corrupt one, so it is refused as such. */
static bool read_memory_index(w2n_reader *r, uint32_t *index) {
    if (w2n_features_has(r->features, W2N_FEATURE_MULTI_MEMORY))
        return w2n_read_u32(r, index);
    uint8_t b;
    if (!w2n_read_u8(r, &b))
        return false;
    if (b != 0) {
        w2n_feature_refuse(r->err, w2n_reader_offset(r) - 1, W2N_FEATURE_MULTI_MEMORY,
                           "a memory index other than 0");
        return false;
    }
    *index = 0;
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
    if (w2n_valtype_feature(b) >= 0) {
        bt->kind = W2N_BLOCK_VALUE;
        return w2n_read_valtype(r, &bt->value);
    }
    int64_t idx;
    const uint8_t *at = r->pos;
    if (!w2n_read_s33(r, &idx))
        return false;
    if (idx < 0) {
        r->pos = at;
        return w2n_reader_fail(r, "malformed value type");
    }
    if (!w2n_features_has(r->features, W2N_FEATURE_MULTI_VALUE)) {
        w2n_feature_refuse(r->err, (size_t)(at - r->start), W2N_FEATURE_MULTI_VALUE,
                           "a block type index");
        return false;
    }
    bt->kind = W2N_BLOCK_TYPE;
    bt->type_index = (uint32_t)idx;
    return true;
}

/* Grow a scratch array of the reader to hold n items of `size` bytes. */
static bool grow_scratch(w2n_reader *r, void **array, size_t *cap_io, size_t n, size_t size) {
    if (n <= *cap_io)
        return true;
    void *p = w2n_grow(*array, cap_io, n, size, 16);
    if (!p) {
        w2n_reader_fail(r, "out of memory");
        r->err->code = W2N_ERR_NOMEM;
        return false;
    }
    *array = p;
    return true;
}

static bool read_br_table(w2n_instr_reader *ir, w2n_instr *in) {
    w2n_reader *r = &ir->r;
    uint32_t n;
    if (!w2n_read_vec_len(r, 1, &n))
        return false;
    void *scratch = ir->scratch;
    bool grown = grow_scratch(r, &scratch, &ir->scratch_cap, n, sizeof *ir->scratch);
    ir->scratch = scratch;
    if (!grown)
        return false;
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
    /* Bit 6 announces a memory index (multi-memory); without it, anything
     * >= 32 cannot be a power-of-two exponent of a 32-bit size. */
    m->memory = 0;
    if (flags & 0x40) {
        const uint8_t *idx_at = r->pos;
        if (!w2n_read_u32(r, &m->memory))
            return false;
        if (m->memory != 0 && !w2n_features_has(r->features, W2N_FEATURE_MULTI_MEMORY)) {
            w2n_feature_refuse(r->err, (size_t)(idx_at - r->start), W2N_FEATURE_MULTI_MEMORY,
                               "a memory index other than 0");
            return false;
        }
        flags &= ~0x40u;
    }
    if (flags >= 32) {
        r->pos = at;
        return w2n_reader_fail(r, "malformed memop flags");
    }
    m->align = flags;
    /* memory64: a u64 offset, whose range validation checks against the
     * memory's index type; Wasm 2.0: a u32. */
    if (w2n_features_has(r->features, W2N_FEATURE_MEMORY64))
        return w2n_read_u64(r, &m->offset);
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
        w2n_valtype t = 0;
        if (!w2n_read_valtype(r, &t))
            return false;
        if (i == 0)
            in->imm.select_t.type = t;
    }
    return true;
}

/* Immediates of the kinds that are plain index pairs or single values. */
static bool read_simple(w2n_reader *r, uint8_t kind, w2n_instr *in) {
    switch (kind) {
    case W2N_IMM_NONE: return true;
    case W2N_IMM_LABEL:
    case W2N_IMM_FUNC:
    case W2N_IMM_LOCAL:
    case W2N_IMM_GLOBAL:
    case W2N_IMM_TABLE:
    case W2N_IMM_DATA:
    case W2N_IMM_ELEM:
    case W2N_IMM_TAG:
    case W2N_IMM_TYPE: return w2n_read_u32(r, &in->imm.index);
    case W2N_IMM_PAIR: return w2n_read_u32(r, &in->imm.pair.a) && w2n_read_u32(r, &in->imm.pair.b);
    case W2N_IMM_ZERO: return read_zero_byte(r);
    case W2N_IMM_CALL_INDIRECT:
        return w2n_read_u32(r, &in->imm.call_indirect.type_index) &&
               w2n_read_u32(r, &in->imm.call_indirect.table);
    case W2N_IMM_MEMIDX: return read_memory_index(r, &in->imm.index);
    case W2N_IMM_I32: return w2n_read_s32(r, &in->imm.i32);
    case W2N_IMM_I64: return w2n_read_s64(r, &in->imm.i64);
    case W2N_IMM_F32: return w2n_read_f32(r, &in->imm.f32_bits);
    case W2N_IMM_F64: return w2n_read_f64(r, &in->imm.f64_bits);
    case W2N_IMM_MEMORY_INIT:
        return w2n_read_u32(r, &in->imm.memory_init.segment) &&
               read_memory_index(r, &in->imm.memory_init.memory);
    case W2N_IMM_MEMORY_COPY:
        return read_memory_index(r, &in->imm.memory_copy.dst) &&
               read_memory_index(r, &in->imm.memory_copy.src);
    case W2N_IMM_TABLE_INIT:
        return w2n_read_u32(r, &in->imm.table_init.segment) &&
               w2n_read_u32(r, &in->imm.table_init.table);
    case W2N_IMM_TABLE_COPY:
        return w2n_read_u32(r, &in->imm.table_copy.dst) && w2n_read_u32(r, &in->imm.table_copy.src);
    }
    return w2n_reader_fail(r, "illegal opcode");
}

/* A heap type: a shorthand byte (a negative s33) or a type index. */
static bool read_heaptype(w2n_reader *r, int64_t *out) {
    const uint8_t *at = r->pos;
    if (!w2n_read_s33(r, out))
        return false;
    if (*out < 0 && !w2n_heaptype_is_abstract_code((uint8_t)(*out & 0x7F))) {
        r->pos = at;
        return w2n_reader_fail(r, "malformed heap type");
    }
    return true;
}

/* br_on_cast and br_on_cast_fail: flags, label, source and target heap types. */
static bool read_br_on_cast(w2n_reader *r, w2n_instr *in) {
    if (!w2n_read_u8(r, &in->imm.br_on_cast.flags))
        return false;
    if (in->imm.br_on_cast.flags > 3) {
        r->pos--;
        return w2n_reader_fail(r, "malformed br_on_cast flags");
    }
    return w2n_read_u32(r, &in->imm.br_on_cast.label) &&
           read_heaptype(r, &in->imm.br_on_cast.from) && read_heaptype(r, &in->imm.br_on_cast.to);
}

/* try_table: a block type, then catch clauses (kind, [tag,] label). */
static bool read_try_table(w2n_instr_reader *ir, w2n_instr *in) {
    w2n_reader *r = &ir->r;
    uint32_t n;
    if (!read_blocktype(r, &in->imm.try_table.block) || !w2n_read_vec_len(r, 2, &n))
        return false;
    void *clauses = ir->clauses;
    bool grown = grow_scratch(r, &clauses, &ir->clauses_cap, n, sizeof *ir->clauses);
    ir->clauses = clauses;
    if (!grown)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        w2n_catch_clause *c = &ir->clauses[i];
        c->tag = 0;
        if (!w2n_read_u8(r, &c->kind))
            return false;
        if (c->kind > W2N_CATCH_ALL_REF) {
            r->pos--;
            return w2n_reader_fail(r, "malformed catch clause");
        }
        if (c->kind <= W2N_CATCH_REF && !w2n_read_u32(r, &c->tag))
            return false;
        if (!w2n_read_u32(r, &c->label))
            return false;
    }
    in->imm.try_table.count = n;
    in->imm.try_table.clauses = ir->clauses;
    return true;
}

static bool read_immediates(w2n_instr_reader *ir, uint8_t kind, w2n_instr *in) {
    w2n_reader *r = &ir->r;
    const uint8_t *bytes;
    switch (kind) {
    case W2N_IMM_BLOCK: return read_blocktype(r, &in->imm.block);
    case W2N_IMM_BR_TABLE: return read_br_table(ir, in);
    case W2N_IMM_SELECT_T: return read_select_t(r, in);
    case W2N_IMM_MEMARG: return read_memarg(r, &in->imm.memarg);
    case W2N_IMM_MEMARG_LANE: return read_memarg(r, &in->imm.memarg) && w2n_read_u8(r, &in->lane);
    case W2N_IMM_LANE: return w2n_read_u8(r, &in->lane);
    case W2N_IMM_REFTYPE: {
        /* ref.null's heap type: func or extern in Wasm 2.0; a type index
         * with function-references; the other shorthands later proposals'. */
        const uint8_t *at = r->pos;
        int64_t ht;
        if (!w2n_read_s33(r, &ht))
            return false;
        r->pos = at;
        if (ht >= 0 && !w2n_features_has(r->features, W2N_FEATURE_FUNCTION_REFERENCES)) {
            w2n_feature_refuse(r->err, (size_t)(at - r->start), W2N_FEATURE_FUNCTION_REFERENCES,
                               "a typed ref.null");
            return false;
        }
        if (ht < 0 && !w2n_heaptype_is_abstract_code((uint8_t)(ht & 0x7F)))
            return w2n_reader_fail(r, "malformed reference type");
        w2n_heaptype h;
        if (!read_ref_heap_type(r, &h))
            return false;
        in->imm.reftype = w2n_valtype_ref(h, true);
        return true;
    }
    case W2N_IMM_HEAPTYPE: return read_heaptype(r, &in->imm.heaptype);
    case W2N_IMM_BR_ON_CAST: return read_br_on_cast(r, in);
    case W2N_IMM_TRY_TABLE: return read_try_table(ir, in);
    case W2N_IMM_V128:
    case W2N_IMM_SHUFFLE:
        if (!w2n_read_bytes(r, 16, &bytes))
            return false;
        memcpy(in->imm.v128, bytes, 16);
        return true;
    default: return read_simple(r, kind, in);
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
    if (w2n_opcode_is_prefix(b)) {
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
    if (!w2n_features_has(r->features, (w2n_feature)info->feature)) {
        w2n_feature_refuse(r->err, out->offset, (w2n_feature)info->feature, info->name);
        return false;
    }
    out->op = op;
    out->info = info;
    return read_immediates(ir, info->imm, out);
}
