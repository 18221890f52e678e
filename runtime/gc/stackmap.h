/*
 * stackmap.h — LLVM's stack maps (`.llvm_stackmaps`, version 3) as the
 * collector reads them: for each statepoint (a call at which a collection
 * may happen), the return address and where each live GC reference of the
 * calling frame is kept (docs/gc.md, "Roots in compiled code").
 */
#ifndef W2N_RUNTIME_STACKMAP_H
#define W2N_RUNTIME_STACKMAP_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

typedef enum w2n_stackmap_kind {
    W2N_STACKMAP_REGISTER = 1,      /* the value is in register dwarf_reg */
    W2N_STACKMAP_DIRECT = 2,        /* the value is dwarf_reg + offset (an alloca) */
    W2N_STACKMAP_INDIRECT = 3,      /* the value is in memory at dwarf_reg + offset */
    W2N_STACKMAP_CONSTANT = 4,      /* the value is offset */
    W2N_STACKMAP_CONSTANT_INDEX = 5 /* the value is constants[offset] */
} w2n_stackmap_kind;

typedef struct w2n_stackmap_location {
    uint8_t kind; /* w2n_stackmap_kind */
    uint16_t size;
    uint16_t dwarf_reg;
    int32_t offset;
} w2n_stackmap_location;

/* One statepoint.  Its roots are `nroots` (base, derived) location pairs
 * from roots[first_root * 2]: the collector moves the base and keeps the
 * derived pointer at the same distance from it. */
typedef struct w2n_safepoint {
    uint64_t pc;       /* function address + offset: the call's return address */
    uint64_t id;       /* the statepoint's ID */
    uint32_t function; /* index in the map's function records */
    uint32_t offset;   /* of the return address from the function's start */
    uint32_t first_root;
    uint32_t nroots;
} w2n_safepoint;

typedef struct w2n_stackmap_function {
    uint64_t address; /* as the section holds it: relocated once loaded */
    uint64_t stack_size;
    uint64_t nrecords;
} w2n_stackmap_function;

typedef struct w2n_stackmap {
    w2n_stackmap_function *functions;
    uint32_t nfunctions;
    w2n_safepoint *safepoints; /* sorted by pc */
    uint32_t nsafepoints;
    w2n_stackmap_location *roots;
} w2n_stackmap;

/* Parse and check a `.llvm_stackmaps` section: version 3, every count and
 * record within `size`, every location of a known kind, every record a
 * statepoint (three constants: calling convention, flags, deopt count; the
 * deopt values; then pairs), every reference in a stack slot (Indirect),
 * which is all LLVM 19 emits for a value and all the walker can update; a
 * pair of constants (an i31 or null folded into the statepoint, never a
 * heap address) is left out of the roots.  W2N_ERR_BAD_OBJECT naming what is wrong. */
w2n_status w2n_stackmap_parse(const uint8_t *bytes, size_t size, w2n_stackmap **out,
                              w2n_error *err);
void w2n_stackmap_free(w2n_stackmap *map);
/* The statepoint whose return address is `pc`, or NULL. */
const w2n_safepoint *w2n_stackmap_find(const w2n_stackmap *map, uint64_t pc);

#endif
