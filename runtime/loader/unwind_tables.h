/*
 * unwind_tables.h — what the loader gives libgcc's unwinder: the unwind
 * tables of loaded objects (registered while they are mapped), the
 * personality routine that compiled code with exceptions names, and the
 * reader of its LSDA (personality.c, lsda.c).  Raising an exception is the
 * core's (runtime/core/unwind.c); this half links without it.
 */
#ifndef W2N_UNWIND_TABLES_H
#define W2N_UNWIND_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"

/* "W2N\0WASM": the exception class of Wasm exceptions. */
#define W2N_EXCEPTION_CLASS UINT64_C(0x4d5341570032574e)

/* The landing pad that covers `ip` in the function starting at func_start,
 * from its LSDA (size: the bytes readable from lsda).  False when no entry
 * covers it, when its entry has no pad, or when the table is corrupt. */
bool w2n_lsda_landing_pad(const uint8_t *lsda, size_t size, uintptr_t func_start, uintptr_t ip,
                          uintptr_t *out_pad);

/* The personality routine compiled code names (W2N_SYM_EH_PERSONALITY). */
void *w2n_unwind_personality(void);
/* The landing pad of an unwinder frame's current call, from its LSDA. */
struct _Unwind_Context;
bool w2n_unwind_frame_pad(struct _Unwind_Context *ctx, uintptr_t *out_pad);
/* libgcc's registry of unwind tables: the loader registers an object's
 * .eh_frame (zero-terminated) while it is mapped. */
void w2n_unwind_register(void *eh_frame);
void w2n_unwind_deregister(void *eh_frame);

#endif
