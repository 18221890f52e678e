/*
 * opcodes.h — the instruction table (opcodes.def) as C: opcode numbers, the
 * kinds of immediates, and a lookup from opcode to its row.
 *
 * A plain opcode is its byte; a prefixed one is (prefix << 16) | sub-opcode.
 * Names: W2N_OP_ + the mnemonic upper-cased, '.' -> '_' (select with a type
 * vector is W2N_OP_SELECT_T).  Rows are numbered densely (w2n_opcode_info.row)
 * so that stages can keep per-row tables, such as lowering's handlers.
 */
#ifndef W2N_OPCODES_H
#define W2N_OPCODES_H

#include <stdint.h>

#include "w2n/features.h"

/* What follows the opcode in the binary. */
typedef enum w2n_imm_kind {
    W2N_IMM_NONE,
    W2N_IMM_BLOCK,
    W2N_IMM_LABEL,
    W2N_IMM_BR_TABLE,
    W2N_IMM_FUNC,
    W2N_IMM_CALL_INDIRECT,
    W2N_IMM_SELECT_T,
    W2N_IMM_LOCAL,
    W2N_IMM_GLOBAL,
    W2N_IMM_TABLE,
    W2N_IMM_MEMARG,
    W2N_IMM_MEMIDX,
    W2N_IMM_I32,
    W2N_IMM_I64,
    W2N_IMM_F32,
    W2N_IMM_F64,
    W2N_IMM_REFTYPE,
    W2N_IMM_MEMORY_INIT,
    W2N_IMM_DATA,
    W2N_IMM_MEMORY_COPY,
    W2N_IMM_TABLE_INIT,
    W2N_IMM_ELEM,
    W2N_IMM_TABLE_COPY,
    W2N_IMM_V128,
    W2N_IMM_SHUFFLE,
    W2N_IMM_LANE,
    W2N_IMM_MEMARG_LANE,
    /* Wasm 3.0 and threads */
    W2N_IMM_TAG,        /* tag index */
    W2N_IMM_TYPE,       /* type index */
    W2N_IMM_PAIR,       /* two u32: type and field/data/elem/count, or two types */
    W2N_IMM_HEAPTYPE,   /* an s33 heap type */
    W2N_IMM_BR_ON_CAST, /* flags byte, label, two heap types */
    W2N_IMM_TRY_TABLE,  /* block type, then a vector of catch clauses */
    W2N_IMM_ZERO,       /* one reserved zero byte (atomic.fence) */
} w2n_imm_kind;

typedef enum w2n_opcode {
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) \
    W2N_OP_##id = (W2N_PREFIX_##prefix << 16) | (code),
#define W2N_PREFIX_P00 0
#define W2N_PREFIX_PFB 0xFB
#define W2N_PREFIX_PFC 0xFC
#define W2N_PREFIX_PFD 0xFD
#define W2N_PREFIX_PFE 0xFE
#include "opcodes.def"
#undef W2N_OP
} w2n_opcode;

/* Dense row numbers, in table order. */
typedef enum w2n_opcode_row {
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) W2N_ROW_##id,
#include "opcodes.def"
#undef W2N_OP
    W2N_OPCODE_ROWS
} w2n_opcode_row;

typedef struct w2n_opcode_info {
    const char *name; /* the spec's text-format name */
    const char *sig;  /* "params:results" (see opcodes.def), or "*" */
    uint32_t op;      /* w2n_opcode */
    uint16_t row;     /* w2n_opcode_row */
    uint8_t imm;      /* w2n_imm_kind */
    int8_t size;      /* log2 of the access or lane size, or -1 */
    uint8_t feature;  /* w2n_feature */
} w2n_opcode_info;

/* The row of an opcode, or NULL for an unknown one. */
const w2n_opcode_info *w2n_opcode_lookup(uint32_t opcode);

/* Row number `row` (< W2N_OPCODE_ROWS). */
const w2n_opcode_info *w2n_opcode_row_info(unsigned row);

/* Whether `b` is an opcode prefix byte (0xFB..0xFE). */
static inline int w2n_opcode_is_prefix(uint8_t b) { return b >= 0xFB && b <= 0xFE; }

/* call, call_indirect and call_ref (`tail`: their return_ forms instead). */
static inline bool w2n_opcode_is_call(uint32_t op, bool tail) {
    if (tail)
        return op == W2N_OP_RETURN_CALL || op == W2N_OP_RETURN_CALL_INDIRECT ||
               op == W2N_OP_RETURN_CALL_REF;
    return op == W2N_OP_CALL || op == W2N_OP_CALL_INDIRECT || op == W2N_OP_CALL_REF;
}

/* Does the instruction open a block that an `end` (or, for a legacy
 * `try`, a `delegate`) closes? */
static inline bool w2n_opcode_opens_block(uint32_t op) {
    return op == W2N_OP_BLOCK || op == W2N_OP_LOOP || op == W2N_OP_IF || op == W2N_OP_TRY_TABLE ||
           op == W2N_OP_TRY;
}

/* Does the instruction close the innermost block: `end`, or `delegate`,
 * which ends a legacy `try` in its stead? */
static inline bool w2n_opcode_closes_block(uint32_t op) {
    return op == W2N_OP_END || op == W2N_OP_DELEGATE;
}

#endif
