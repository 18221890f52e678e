/*
 * instr.h — read one instruction and its immediates from a function body.
 *
 * Shared by the validator and the lowering, so both see the same decoding.
 * It checks the encoding only (malformed input: unknown opcode, bad LEB128,
 * a non-zero reserved memory byte, ...); index ranges and types are the
 * validator's job.  It also refuses what the reader's feature set leaves out
 * (W2N_ERR_UNSUPPORTED, see w2n/features.h): an instruction of a disabled or
 * unimplemented proposal, a value type, a memory index in a memarg.  So every
 * instruction of the table decodes, and what w2n lacks is never "malformed".
 * Reading stops at the body's end.
 *
 *     w2n_instr_reader ir;
 *     w2n_instr_reader_init(&ir, m->bytes, code->body_start, code->body_end, err);
 *     w2n_instr in;
 *     while (!w2n_instr_reader_done(&ir)) {
 *         if (!w2n_instr_read(&ir, &in)) return fail;
 *         switch (in.op) { ... }
 *     }
 *     w2n_instr_reader_free(&ir);
 */
#ifndef W2N_INSTR_H
#define W2N_INSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"
#include "reader.h"
#include "w2n/types.h"

/* Block type: no value, one value type, or a type index. */
typedef struct w2n_blocktype {
    enum {
        W2N_BLOCK_EMPTY,
        W2N_BLOCK_VALUE,
        W2N_BLOCK_TYPE
    } kind;
    w2n_valtype value;   /* W2N_BLOCK_VALUE: the valtype */
    uint32_t type_index; /* W2N_BLOCK_TYPE: index into the type section */
} w2n_blocktype;

typedef struct w2n_memarg {
    uint32_t align;  /* log2 of the alignment */
    uint32_t memory; /* memory index: 0 unless multi-memory */
    uint64_t offset; /* u32 in Wasm 2.0, u64 with memory64 (< 2^32 for a 32-bit memory) */
} w2n_memarg;

/* A catch clause of try_table (kinds in the binary encoding's order). */
enum w2n_catch_kind {
    W2N_CATCH,
    W2N_CATCH_REF,
    W2N_CATCH_ALL,
    W2N_CATCH_ALL_REF
};
typedef struct w2n_catch_clause {
    uint8_t kind;   /* enum w2n_catch_kind */
    uint32_t tag;   /* CATCH, CATCH_REF: the tag index */
    uint32_t label; /* the label it branches to, relative to try_table's own */
} w2n_catch_clause;

typedef struct w2n_instr {
    uint32_t op;                 /* w2n_opcode */
    const w2n_opcode_info *info; /* its row in the instruction table */
    size_t offset;               /* of the opcode's first byte in the module */
    union {
        w2n_blocktype block; /* BLOCK */
        uint32_t index;      /* LABEL FUNC LOCAL GLOBAL TABLE MEMIDX DATA ELEM */
        struct {             /* BR_TABLE: count targets then the default */
            uint32_t count;
            const uint32_t *targets; /* valid until the next w2n_instr_read */
            uint32_t default_target;
        } br_table;
        struct {
            uint32_t type_index, table;
        } call_indirect;
        struct {
            uint32_t count;
            w2n_valtype type;
        } select_t;        /* type: the first (count may be != 1: invalid) */
        w2n_memarg memarg; /* MEMARG, MEMARG_LANE */
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        w2n_valtype reftype; /* REFTYPE: the nullable reference type */
        struct {
            uint32_t segment, memory;
        } memory_init; /* MEMORY_INIT */
        struct {
            uint32_t dst, src;
        } memory_copy; /* MEMORY_COPY: memory indices */
        struct {
            uint32_t segment, table;
        } table_init;
        struct {
            uint32_t dst, src;
        } table_copy;
        uint8_t v128[16]; /* V128 const bytes, SHUFFLE lane indices */
        struct {
            uint32_t a, b;
        } pair;           /* PAIR */
        int64_t heaptype; /* HEAPTYPE: type index, or the negative s33 of a shorthand */
        struct {          /* BR_ON_CAST */
            uint32_t label;
            uint8_t flags;    /* bit 0: `from` is nullable; bit 1: `to` is */
            int64_t from, to; /* heap types, as `heaptype` */
        } br_on_cast;
        struct { /* TRY_TABLE */
            w2n_blocktype block;
            uint32_t count;
            const w2n_catch_clause *clauses; /* valid until the next w2n_instr_read */
        } try_table;
    } imm;
    uint8_t lane; /* LANE and MEMARG_LANE */
} w2n_instr;

typedef struct w2n_instr_reader {
    w2n_reader r;
    uint32_t *scratch; /* br_table targets */
    size_t scratch_cap;
    w2n_catch_clause *clauses; /* try_table's catch clauses */
    size_t clauses_cap;
} w2n_instr_reader;

void w2n_instr_reader_init(w2n_instr_reader *ir, const uint8_t *module_bytes, size_t start,
                           size_t end, w2n_error *err);
void w2n_instr_reader_free(w2n_instr_reader *ir);
static inline bool w2n_instr_reader_done(const w2n_instr_reader *ir) {
    return w2n_reader_done(&ir->r);
}

/* Read the next instruction; false with *err filled (W2N_ERR_MALFORMED) on bad
 * encoding, W2N_ERR_UNSUPPORTED for what ir->r.features leaves out. */
bool w2n_instr_read(w2n_instr_reader *ir, w2n_instr *out);

/* The feature a value-type byte belongs to, or -1 if it is no value type. */
int w2n_valtype_feature(uint8_t b);

/* Read a value type (with its heap type, for 0x63/0x64) and check that
 * r->features allows it: "malformed value type", "malformed heap type", or
 * a refusal naming the feature. */
bool w2n_read_valtype(w2n_reader *r, w2n_valtype *out);

#endif
