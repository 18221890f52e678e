/*
 * frame.h — how far below its entry stack pointer each function of an object
 * can write: its native stack frame, measured from the machine code.
 *
 * Where LLVM probes frames page by page (x86-64, AArch64) nothing needs
 * measuring: the first page past the stack a frame touches is the guard.
 * Where it does not (RISC-V with LLVM 19), a frame is allocated in one step
 * and written before the function's stack-limit compare, so the runtime must
 * keep the largest frame's size free below the limit.  The compiler measures
 * the object it just emitted and records the result in the metadata
 * (meta.h, max_frame); the loader measures the same code again and refuses
 * metadata that claims less.
 *
 * A measure is an upper bound: the sum of every stack-pointer decrement of
 * the function (its code is scanned linearly, so a decrement on any path
 * counts), in bytes plus a multiple of the vector register size (RISC-V's
 * vlenb, unknown until run time).  Code that writes the stack pointer in a
 * way the per-architecture decoder does not know is reported, never
 * guessed at.
 */
#ifndef W2N_FRAME_H
#define W2N_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_object.h"
#include "meta.h"
#include "w2n/abi.h"
#include "w2n/error.h"

typedef struct w2n_frame_size {
    uint64_t bytes;
    uint64_t vlenb; /* times the vector register size in bytes */
} w2n_frame_size;

/* One architecture's decoder: measure the function in code[0..size).  On
 * an instruction it cannot account for, returns false with *bad_offset set
 * to the instruction's offset. */
typedef bool (*w2n_frame_measure_fn)(const uint8_t *code, size_t size, w2n_frame_size *out,
                                     size_t *bad_offset);

bool w2n_frame_measure_riscv64(const uint8_t *code, size_t size, w2n_frame_size *out,
                               size_t *bad_offset);

/* The decoder of an architecture whose frames are not probed, or NULL. */
w2n_frame_measure_fn w2n_frame_decoder(w2n_arch arch);

/* The largest frame of the function symbols in the object's executable
 * sections (each part maximised on its own).  Zero with no decoder for the
 * architecture.  W2N_ERR_BAD_OBJECT names the function and offset of an
 * instruction the decoder cannot account for. */
w2n_status w2n_frame_measure_object(const w2n_elf *elf, w2n_arch arch, w2n_frame_size *out,
                                    w2n_error *err);

/* The loader's cross-check: the metadata's max_frame must cover every
 * function's measured frame. */
w2n_status w2n_frame_check(const w2n_elf *elf, const w2n_meta *meta, w2n_error *err);

/* Bytes of stack the frame needs when a vector register has vlenb bytes,
 * saturated at UINT64_MAX. */
uint64_t w2n_frame_bytes(uint64_t bytes, uint64_t vlenb_multiple, uint64_t vlenb);

#endif
