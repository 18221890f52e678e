/*
 * gc.h — the garbage-collected heap of a store: its structures and the
 * cross-file functions of runtime/gc/ (docs/gc.md describes the design).
 *
 * One heap per store, made at the store's first GC allocation or type, so
 * stores without GC pay nothing.  Two semispaces of `limit` bytes of
 * address space each (reserved, touched only as used); objects are bump
 * allocated in the current one and a collection copies the reachable ones
 * into the other (Cheney), updating every root.  Invariant: every byte of
 * the current space above its allocation top is zero (fresh pages, pages
 * released with MADV_DONTNEED after the space was evacuated, or pages kept
 * for the copies that the collector cleared past them), so allocation
 * never clears memory.  The other space holds `stale` bytes of old
 * objects at its start between collections.
 */
#ifndef W2N_RUNTIME_GC_H
#define W2N_RUNTIME_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/runtime.h"

/* A host handle's slot holds the reference; 0 marks a released slot. */
typedef struct w2n_gc_handle_chunk {
    struct w2n_gc_handle_chunk *prev;
    uintptr_t slots[1024];
} w2n_gc_handle_chunk;

/* A runtime type as the store keeps it: the ABI descriptor first (compiled
 * code and object headers point at it), then what it owns. */
typedef struct w2n_gc_type_rec {
    w2n_gc_rtt rtt;
    struct w2n_gc_type_rec *next; /* in the heap's list, freed with it */
} w2n_gc_type_rec;

/* A transparent huge page: the heap asks for them, so memory comes and goes
 * in these steps at the ends of what a space uses. */
#define W2N_GC_HUGE_PAGE ((uint64_t)2 << 20)

/* Visits one root slot: the collector forwards what it points to. */
typedef void (*w2n_gc_root_fn)(void *ctx, uintptr_t *slot);

/* Roots of work in progress outside compiled code (instantiation's
 * constant expressions, const_eval.c): `visit` offers each of its slots.
 * Registered on the heap in LIFO order while the work may allocate. */
typedef struct w2n_gc_scratch_roots {
    void (*visit)(void *data, w2n_gc_root_fn visit, void *ctx);
    void *data;
    struct w2n_gc_scratch_roots *next;
} w2n_gc_scratch_roots;

typedef struct w2n_gc_heap {
    w2n_gc_alloc_abi window; /* first: vmctx->gc points here */
    uint8_t *reservation;    /* both spaces */
    uint8_t *space[2];
    uint64_t space_size;  /* = limit, rounded up to pages */
    uint32_t current;     /* index of the space objects are allocated in */
    uint64_t limit;       /* bytes of objects the store may hold */
    uint64_t live;        /* bytes that survived the last collection */
    uint64_t live_before; /* and the one before it */
    uint8_t *alloc_start; /* the window's first byte: allocation since counts */
    uint64_t stale[2];    /* bytes at a space's start kept resident, not zero */
    uint64_t touched[2];  /* each space's most bytes ever used: where pages may be */
    bool collecting;
    /* Host handles: a stack of slots in chunks (stable addresses). */
    w2n_gc_handle_chunk *handles;
    uint32_t handle_top; /* used slots of the newest chunk */
    uint64_t nhandles;   /* used slots in all chunks */
    w2n_gc_type_rec *types;
    const w2n_gc_rtt *host_box; /* the descriptor of internalised host values */
    /* Descriptors of canonical types (module_types.c): open addressing on
     * the canonical id, nby_id of nby_id_buckets used. */
    const w2n_gc_rtt **by_id;
    uint32_t nby_id, nby_id_buckets;
    /* Extra roots (the stack walker, tests): called at each collection. */
    void (*extra_roots)(void *data, w2n_gc_root_fn visit, void *ctx);
    void *extra_roots_data;
    w2n_gc_scratch_roots *scratch; /* the newest first (roots.c visits them) */
    w2n_gc_stats stats;
} w2n_gc_heap;

/* The store's heap, made on first use (W2N_ERR_NOMEM / W2N_ERR_LIMIT when
 * the address space cannot be reserved). */
w2n_status w2n_gc_heap_get(w2n_store *store, w2n_gc_heap **out, w2n_error *err);
void w2n_gc_heap_destroy(w2n_gc_heap *heap);

/* Bytes of an object of `rtt` with `length` elements (arrays), rounded up
 * to W2N_GC_ALIGN, or 0 when it exceeds any heap (length overflow). */
uint64_t w2n_gc_object_bytes(const w2n_gc_rtt *rtt, uint32_t length);
/* Allocate one object (header set, body zero), collecting when the window
 * is full.  NULL when even after a collection it does not fit under the
 * limit: *err says W2N_ERR_LIMIT "GC heap limit of N bytes reached". */
void *w2n_gc_alloc(w2n_store *store, w2n_gc_heap *heap, const w2n_gc_rtt *rtt, uint32_t length,
                   w2n_error *err);
/* A full collection now (collect.c). */
void w2n_gc_collect_now(w2n_store *store, w2n_gc_heap *heap);
/* The collector copied the survivors into `space` up to `end`: clear what
 * the space kept past them (heap.c). */
void w2n_gc_heap_copied(w2n_gc_heap *heap, uint32_t space, uint8_t *end);
/* The collector flipped spaces: release the evacuated one (but for the
 * room the next copies need) and open the allocation window after the
 * survivors (heap.c). */
void w2n_gc_heap_flipped(w2n_gc_heap *heap, uint8_t *evacuated, uint64_t evacuated_bytes);
/* Bytes of the heap's pages resident now: mincore over all that each
 * space has ever used, released or not (heap_resident.c). */
uint64_t w2n_gc_heap_resident(const w2n_gc_heap *heap);
/* Size and trace of one object (collect.c). */
uint64_t w2n_gc_object_size(const void *obj);
/* Is `word` a reference to an object of the current space? */
static inline bool w2n_gc_in_heap(const w2n_gc_heap *heap, uintptr_t word) {
    return (word & (W2N_GC_ALIGN - 1)) == 0 &&
           word - (uintptr_t)heap->space[heap->current] <
               (uintptr_t)(heap->window.top - heap->space[heap->current]);
}

/* Every root of the store but the stack: host handles, globals, tables,
 * element segments, exception payloads (roots.c). */
void w2n_gc_visit_store_roots(w2n_store *store, w2n_gc_heap *heap, w2n_gc_root_fn visit, void *ctx);

/* Register and unregister scratch roots (the newest is popped first). */
void w2n_gc_scratch_push(w2n_gc_heap *heap, w2n_gc_scratch_roots *roots);
void w2n_gc_scratch_pop(w2n_gc_heap *heap, w2n_gc_scratch_roots *roots);

/* Can frames of compiled code hold roots: does an instance of the store
 * run an object with stack maps (GC code)? (roots.c) */
bool w2n_gc_frames_hold_roots(const w2n_store *store);
/* The same for the frames of compiled code of the store's objects (roots.c). */
void w2n_gc_visit_frames(w2n_store *store, w2n_gc_root_fn visit, void *ctx);
/* Offer the roots of every frame on this thread's stack that is stopped
 * at a statepoint `find` knows (stack_walk.c).  False when a frame's map
 * names a location the walker cannot read (a register): the walk stops
 * there.  *out_safepoints (may be NULL) counts the frames visited. */
struct w2n_stackmap;
struct w2n_safepoint;
typedef const struct w2n_safepoint *(*w2n_gc_safepoint_fn)(void *data, uintptr_t pc,
                                                           const struct w2n_stackmap **out_map);
bool w2n_gc_visit_stack(w2n_gc_safepoint_fn find, void *data, w2n_gc_root_fn visit, void *ctx,
                        size_t *out_safepoints);
/* Can the unwinder walk from here past the store's outermost entry into
 * Wasm (trap.c), so that a collection sees every frame of its compiled
 * code?  True when no call into the store is active, or none of its code
 * has stack maps.  False when a frame
 * without unwind tables (a host function built without them between two
 * Wasm calls) ends the walk before it: a collection now would miss the
 * roots beyond it (stack_walk.c). */
bool w2n_gc_stack_walkable(const w2n_store *store);
/* May `bytes` be allocated now: they fit the window, or the collection
 * they need can see every frame (w2n_gc_stack_walkable)? */
#define W2N_GC_UNWALKABLE "GC roots hidden by a frame without unwind tables"
bool w2n_gc_may_allocate(const w2n_store *store, const w2n_gc_heap *heap, uint64_t bytes);
/* The host API's error when it may not: W2N_ERR_UNSUPPORTED, "GC roots
 * hidden by a frame without unwind tables". */
w2n_status w2n_gc_unwalkable_error(w2n_error *err);

/* A new host handle holding `word` (non-zero); NULL on NOMEM (handles.c). */
w2n_gc_ref *w2n_gc_handle_new(w2n_gc_heap *heap, uintptr_t word);
static inline uintptr_t w2n_gc_handle_word(const w2n_gc_ref *ref) {
    return ref ? *(const uintptr_t *)ref : 0;
}

/* GC references at the host boundary (boundary.c): is `t` a reference of
 * the `any` hierarchy (a handle in a w2n_value)?  May a host value (a
 * handle, by what it names) be passed where `want` is expected? */
bool w2n_gc_is_gc_type(w2n_valtype t);
bool w2n_gc_value_fits(const w2n_value *v, w2n_valtype want);
/* Do the GC-typed results a host function of signature `type_id` left in
 * `slots` (raw words) fit their types?  When not, false with `why` naming
 * the first that does not: compiled code must never get an object of
 * another type than its signature promises (boundary.c). */
bool w2n_gc_host_results_fit(uint32_t type_id, const w2n_raw *slots, char *why, size_t size);

/* Struct and array types of the heap (types.c): type_id is their
 * canonical id (a module's type), or 0 (the host's). */
const w2n_gc_rtt *w2n_gc_struct_type_id(w2n_gc_heap *heap, const w2n_gc_field *fields,
                                        uint32_t nfields, const w2n_gc_rtt *super, uint32_t type_id,
                                        w2n_error *err);
const w2n_gc_rtt *w2n_gc_array_type_id(w2n_gc_heap *heap, w2n_gc_field element,
                                       const w2n_gc_rtt *super, uint32_t type_id, w2n_error *err);
/* The store's one descriptor of a canonical struct or array type, made
 * (with its supertypes) on first use; NULL with *err on failure
 * (module_types.c). */
const w2n_gc_rtt *w2n_gc_rtt_of_id(w2n_gc_heap *heap, uint32_t type_id, w2n_error *err);
/* Fill an instance's gc_types (descriptor of each struct and array type
 * index, NULL for function types) and vmctx->gc_types, making the heap
 * when the module has such types (module_types.c). */
struct w2n_instance;
w2n_status w2n_gc_instance_types(struct w2n_instance *inst, w2n_error *err);

/* The descriptor of internalised host values (types.c). */
const w2n_gc_rtt *w2n_gc_host_box_type(w2n_gc_heap *heap);

/* any.convert_extern / extern.convert_any on raw words (extern_conv.c).
 * Internalising a host value allocates; 0 with *err on failure. */
uintptr_t w2n_gc_internalize(w2n_store *store, w2n_gc_heap *heap, uintptr_t externref, bool *failed,
                             w2n_error *err);
uintptr_t w2n_gc_externalize(const w2n_gc_heap *heap, uintptr_t anyref);
/* Reserve the process's i31 window once (extern_conv.c); false when the
 * address space cannot be had (a later call tries again). */
bool w2n_gc_reserve_i31_window(void);

/* One GC instruction of a constant expression (const_gc.c): opcode `op`
 * (W2N_META_CONST_*, not ref.i31) with its immediates, on the evaluator's
 * stack of `*depth` values (is_ref marks references), which meta_check.c
 * proved holds its operands.  Pops them, pushes the result.  The
 * allocation may collect: the stack must be a root (scratch roots).  Fails
 * with *err (W2N_ERR_LIMIT past the heap's limit). */
w2n_status w2n_gc_const_instr(w2n_store *store, w2n_gc_heap *heap, const w2n_gc_rtt *const *types,
                              uint32_t op, const uint64_t imm[2], w2n_raw *stack, bool *is_ref,
                              uint32_t *depth, w2n_error *err);

/* The helpers compiled code calls (gc_helpers.c). */
void *w2n_helper_gc_alloc(w2n_vmctx *vmctx, const w2n_gc_rtt *rtt, uint32_t length);
void *w2n_helper_gc_internalize(w2n_vmctx *vmctx, void *externref);
void *w2n_helper_gc_externalize(w2n_vmctx *vmctx, void *anyref);
/* ... and those of arrays from and into segments (array_segments.c). */
void *w2n_helper_gc_array_new_data(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                                   uint32_t n);
void *w2n_helper_gc_array_new_elem(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                                   uint32_t n);
void w2n_helper_gc_array_init_data(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                                   uint32_t dst, uint32_t src, uint32_t n);
void w2n_helper_gc_array_init_elem(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                                   uint32_t dst, uint32_t src, uint32_t n);

#endif
