/* bytecode.c: a stack-machine bytecode interpreter running a small program
 * (branchy kernel: the dispatch switch is an indirect branch per
 * instruction).  The program sums the Collatz step counts of
 * (i mod 65536) + 1 for i in 0..n-1 (all values stay below 2^32), so one unit
 * of work is one outer iteration of the interpreted program. */
#include "kernel.h"

enum op {
    OP_PUSH,  /* push imm */
    OP_LOAD,  /* push local[imm] */
    OP_STORE, /* local[imm] = pop */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_AND,
    OP_SHR1,
    OP_LT,  /* push (a < b) */
    OP_EQ,  /* push (a == b) */
    OP_JMP, /* pc = imm */
    OP_JZ,  /* if pop == 0: pc = imm */
    OP_HALT,
};

struct insn {
    uint8_t op;
    int32_t imm;
};

/* locals: 0 = i, 1 = limit, 2 = x, 3 = total.  The numbers on the left are
 * instruction indices, the jump targets. */
static const struct insn program[] = {
    /*  0 */ {OP_PUSH, 0},  {OP_STORE, 0},                /* i = 0 */
    /*  2 */ {OP_LOAD, 0},  {OP_LOAD, 1},     {OP_LT, 0}, /* outer: while i < limit */
    /*  5 */ {OP_JZ, 40},
    /*  6 */ {OP_LOAD, 0},  {OP_PUSH, 65535}, {OP_AND, 0},
    /*  9 */ {OP_PUSH, 1},  {OP_ADD, 0},      {OP_STORE, 2}, /* x = (i & 65535) + 1 */
    /* 12 */ {OP_LOAD, 2},  {OP_PUSH, 1},     {OP_EQ, 0},    /* inner: while x != 1 */
    /* 15 */ {OP_JZ, 21},
    /* 16 */ {OP_LOAD, 0},  {OP_PUSH, 1},     {OP_ADD, 0}, /* i++ */
    /* 19 */ {OP_STORE, 0}, {OP_JMP, 2},
    /* 21 */ {OP_LOAD, 3},  {OP_PUSH, 1},     {OP_ADD, 0}, /* total++ */
    /* 24 */ {OP_STORE, 3},
    /* 25 */ {OP_LOAD, 2},  {OP_PUSH, 1},     {OP_AND, 0}, /* if x is odd */
    /* 28 */ {OP_JZ, 36},
    /* 29 */ {OP_LOAD, 2},  {OP_PUSH, 3},     {OP_MUL, 0}, /* x = 3x + 1 */
    /* 32 */ {OP_PUSH, 1},  {OP_ADD, 0},      {OP_STORE, 2},
    /* 35 */ {OP_JMP, 12},
    /* 36 */ {OP_LOAD, 2},  {OP_SHR1, 0},     {OP_STORE, 2}, /* else x = x / 2 */
    /* 39 */ {OP_JMP, 12},
    /* 40 */ {OP_HALT, 0},
};

static uint32_t interpret(const struct insn *code, uint32_t *locals) {
    uint32_t stack[64]; /* unsigned: overflow wraps, as in Wasm */
    int sp = 0, pc = 0;
    uint32_t steps = 0;

    for (;;) {
        const struct insn *in = &code[pc++];
        steps++;
        switch (in->op) {
        case OP_PUSH: stack[sp++] = (uint32_t)in->imm; break;
        case OP_LOAD: stack[sp++] = locals[in->imm]; break;
        case OP_STORE: locals[in->imm] = stack[--sp]; break;
        case OP_ADD:
            sp--;
            stack[sp - 1] += stack[sp];
            break;
        case OP_SUB:
            sp--;
            stack[sp - 1] -= stack[sp];
            break;
        case OP_MUL:
            sp--;
            stack[sp - 1] *= stack[sp];
            break;
        case OP_AND:
            sp--;
            stack[sp - 1] &= stack[sp];
            break;
        case OP_SHR1: stack[sp - 1] >>= 1; break;
        case OP_LT:
            sp--;
            stack[sp - 1] = stack[sp - 1] < stack[sp];
            break;
        case OP_EQ:
            sp--;
            stack[sp - 1] = stack[sp - 1] == stack[sp];
            break;
        case OP_JMP: pc = in->imm; break;
        case OP_JZ:
            if (stack[--sp] == 0)
                pc = in->imm;
            break;
        case OP_HALT: return steps;
        default: return 0;
        }
    }
}

KERNEL_RUN {
    uint32_t locals[4] = {0, n, 0, 0};
    uint32_t steps = interpret(program, locals);
    return kmix(locals[3], steps);
}
