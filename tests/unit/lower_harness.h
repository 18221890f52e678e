/*
 * lower_harness.h — run single lowered Wasm instructions on the host.
 *
 * The numeric and SIMD lowering tests compile compiler/lower/lower_numeric.c,
 * lower_simd.c and lower_simd_memory.c straight into their executable
 * together with lower_harness.c, which gives the lower.h API (operand stack,
 * traps, intrinsics, memory addresses) its own small implementation.  They do
 * not link lower_function.c, so these files are tested in isolation and bit-exactly.
 *
 * Each instruction becomes an LLVM function
 *     i32 fn(ptr args, ptr result, ptr memory)
 * that loads its operands from 16-byte slots of `args`, lowers the
 * instruction, stores the result in `result` and returns 0, or returns the
 * w2n_trap_code when the lowering traps.  Functions are optimised (O2 unless
 * W2N_LH_OPT says otherwise) and JIT-compiled with MCJIT, one per distinct
 * instruction, cached for the life of the harness.
 *
 *     lh_harness *h = lh_create();
 *     w2n_instr in = {.op = W2N_OP_I32_ADD};
 *     uint8_t params[] = {W2N_I32, W2N_I32};
 *     lh_value args[2] = {{.i32 = 1}, {.i32 = 2}}, res;
 *     uint32_t trap = lh_run(h, &in, params, 2, W2N_I32, args, &res);
 *     lh_destroy(h);
 */
#ifndef W2N_LOWER_HARNESS_H
#define W2N_LOWER_HARNESS_H

#include <stdint.h>

#include "instr.h"

typedef union lh_value {
    int32_t i32;
    int64_t i64;
    uint32_t f32; /* bits */
    uint64_t f64; /* bits */
    uint8_t v128[16];
    uint16_t u16[8];
    uint32_t u32[4];
    uint64_t u64[2];
} lh_value;

typedef struct lh_harness lh_harness;

/* Size of the linear memory the memory instructions see. */
#define LH_MEMORY_SIZE 65536u
#define LH_MAX_PARAMS 8

lh_harness *lh_create(void);
void lh_destroy(lh_harness *h);

/* Linear memory of the harness (LH_MEMORY_SIZE bytes, zeroed at creation). */
uint8_t *lh_memory(lh_harness *h);

/* Lower `in` with operands of the given types and run it on `args`.  `result`
 * may be 0 for an instruction without result.  Returns the trap code or 0. */
uint32_t lh_run(lh_harness *h, const w2n_instr *in, const uint8_t *params, unsigned nparams,
                uint8_t result, const lh_value *args, lh_value *out);

/* The same for a sequence of instructions that read the parameters with
 * local.get (imm.index), e.g. {local.get 0, f32.const 1, f32.mul}; select
 * is accepted too, so tests can combine results. */
uint32_t lh_run_seq(lh_harness *h, const w2n_instr *ins, unsigned nins, const uint8_t *params,
                    unsigned nparams, uint8_t result, const lh_value *args, lh_value *out);

/* Index N of the function (lh_fnN) that the last lh_run/lh_run_seq used. */
size_t lh_last_index(lh_harness *h);

/* Print the optimised IR of the last instruction compiled (debugging). */
void lh_dump_last(lh_harness *h);

#endif
