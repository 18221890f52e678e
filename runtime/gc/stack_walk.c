/*
 * stack_walk.c — the roots in frames of compiled code: walk the thread's
 * stack with the unwind tables (libgcc's _Unwind_Backtrace, as exceptions
 * do) and, for each frame stopped at a statepoint, offer the slots its
 * stack map names (docs/gc.md, "Roots in compiled code").
 *
 * A frame's return address is looked up in the stack maps; its stack
 * pointer at the call is the CFA of the frame below it (the callee's),
 * which is what libgcc's _Unwind_GetCFA returns inside a backtrace callback
 * (the context's CFA is updated after the callback), on all three targets;
 * a frame-pointer-relative slot reads the register from the context.  LLVM spills every reference at a statepoint, so a
 * location in a register is refused rather than guessed.  A derived
 * (interior) pointer keeps its distance from its base, measured before any
 * base moves.
 *
 * The walk only sees what the unwind tables describe: a frame without them
 * (a host function built without unwind tables that calls back into Wasm)
 * ends it, and the Wasm frames beyond would keep stale addresses.  So a
 * collection from compiled code first checks that the walk reaches the
 * store's outermost entry into Wasm (w2n_gc_stack_walkable; the caller traps
 * before anything moves when it does not), and never skips roots silently.
 */
#include <stdlib.h>
#include <unwind.h>

#include "gc.h"
#include "internal.h"
#include "stackmap.h"

static bool is_stack_pointer(uint16_t reg) { return reg == w2n_arch_dwarf_sp(); }

typedef struct walk {
    w2n_gc_safepoint_fn find;
    void *data;
    w2n_gc_root_fn visit;
    void *ctx;
    uintptr_t call_sp; /* the frame's stack pointer at its call */
    size_t frames, safepoints;
    bool refused;
} walk;

static uintptr_t *slot_of(const walk *w, struct _Unwind_Context *uc,
                          const w2n_stackmap_location *loc) {
    if (loc->kind != W2N_STACKMAP_INDIRECT)
        return NULL;
    uintptr_t base = is_stack_pointer(loc->dwarf_reg)
                         ? w->call_sp
                         : (uintptr_t)_Unwind_GetGR(uc, loc->dwarf_reg);
    return (uintptr_t *)(base + (intptr_t)loc->offset);
}

static void visit_safepoint(walk *w, struct _Unwind_Context *uc, const w2n_stackmap *map,
                            const w2n_safepoint *sp) {
    const w2n_stackmap_location *roots = &map->roots[(size_t)sp->first_root * 2];
    uintptr_t *base[sp->nroots ? sp->nroots : 1], *derived[sp->nroots ? sp->nroots : 1];
    intptr_t delta[sp->nroots ? sp->nroots : 1];
    for (uint32_t r = 0; r < sp->nroots; r++) {
        base[r] = slot_of(w, uc, &roots[2 * r]);
        derived[r] = slot_of(w, uc, &roots[2 * r + 1]);
        if (!base[r] || !derived[r]) {
            w->refused = true;
            return;
        }
        delta[r] = (intptr_t)(*derived[r] - *base[r]);
    }
    for (uint32_t r = 0; r < sp->nroots; r++)
        w->visit(w->ctx, base[r]);
    for (uint32_t r = 0; r < sp->nroots; r++)
        if (derived[r] != base[r])
            *derived[r] = *base[r] + (uintptr_t)delta[r];
    w->safepoints++;
}

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *uc, void *arg) {
    walk *w = arg;
    uintptr_t pc = (uintptr_t)_Unwind_GetIP(uc);
    w->frames++;
    const w2n_stackmap *map;
    const w2n_safepoint *sp = pc ? w->find(w->data, pc, &map) : NULL;
    w->call_sp = (uintptr_t)_Unwind_GetCFA(uc);
    if (sp)
        visit_safepoint(w, uc, map, sp);
    return w->refused ? _URC_END_OF_STACK : _URC_NO_REASON;
}

bool w2n_gc_visit_stack(w2n_gc_safepoint_fn find, void *data, w2n_gc_root_fn visit, void *ctx,
                        size_t *out_safepoints) {
    walk w = {find, data, visit, ctx, 0, 0, 0, false};
    _Unwind_Backtrace(on_frame, &w);
    if (out_safepoints)
        *out_safepoints = w.safepoints;
    return !w.refused;
}

typedef struct reach {
    uintptr_t entry; /* the outermost w2n_entry's address */
    bool reached;
} reach;

static _Unwind_Reason_Code to_entry(struct _Unwind_Context *uc, void *arg) {
    reach *r = arg;
    /* The entry lives in w2n_call_tramp's frame: past it, the CFA is above. */
    if ((uintptr_t)_Unwind_GetCFA(uc) > r->entry) {
        r->reached = true;
        return _URC_END_OF_STACK;
    }
    return _URC_NO_REASON;
}

bool w2n_gc_stack_walkable(const w2n_store *store) {
    /* No GC code in the store, or no call into it: no frame holds roots. */
    reach r = {(uintptr_t)w2n_trap_outermost_entry(store), false};
    if (!r.entry || !w2n_gc_frames_hold_roots(store))
        return true;
    _Unwind_Backtrace(to_entry, &r);
    return r.reached;
}

bool w2n_gc_may_allocate(const w2n_store *store, const w2n_gc_heap *heap, uint64_t bytes) {
    return (uint64_t)(heap->window.end - heap->window.top) >= bytes || w2n_gc_stack_walkable(store);
}

w2n_status w2n_gc_unwalkable_error(w2n_error *err) {
    return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET, W2N_GC_UNWALKABLE);
}
