/*
 * opcodes.c — the rows of opcodes.def and the opcode-to-row lookup.
 *
 * One direct-indexed array per prefix holds row numbers plus one (0: no
 * such opcode), built at compile time from the table, so a lookup is one
 * load; sub-opcodes beyond MAX_SUB are unknown.
 */
#include "opcodes.h"

#include <stddef.h>

static const w2n_opcode_info rows[W2N_OPCODE_ROWS] = {
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) \
    {name, sig, W2N_OP_##id, W2N_ROW_##id, W2N_IMM_##imm, size, W2N_FEATURE_##feature},
#include "opcodes.def"
#undef W2N_OP
};

/* Prefix byte -> index into `slots` (0 for a plain opcode). */
#define SLOT_P00 0
#define SLOT_PFB 1
#define SLOT_PFC 2
#define SLOT_PFD 3
#define SLOT_PFE 4
#define MAX_SUB 0x120 /* relaxed SIMD ends at 0xFD 0x113 */

static const uint16_t slots[5][MAX_SUB] = {
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) \
    [SLOT_##prefix][code] = W2N_ROW_##id + 1,
#include "opcodes.def"
#undef W2N_OP
};

const w2n_opcode_info *w2n_opcode_lookup(uint32_t opcode) {
    uint32_t prefix = opcode >> 16, sub = opcode & 0xFFFF;
    if (sub >= MAX_SUB || (prefix && (prefix < 0xFB || prefix > 0xFE)) || (!prefix && sub > 0xFF))
        return NULL;
    unsigned slot = slots[prefix ? prefix - 0xFA : 0][sub];
    return slot ? &rows[slot - 1] : NULL;
}

const w2n_opcode_info *w2n_opcode_row_info(unsigned row) {
    return row < W2N_OPCODE_ROWS ? &rows[row] : NULL;
}
