/*
 * gc_helpers.c — the GC services compiled code calls through vmctx->helpers:
 * the allocation slow path and the extern/any conversions.  A failure here
 * is a trap ("out of memory" past the store's GC heap limit).
 */
#include "gc.h"
#include "internal.h"

static w2n_gc_heap *heap_or_trap(w2n_store *store) {
    w2n_gc_heap *heap;
    w2n_error err;
    if (w2n_gc_heap_get(store, &heap, &err) != W2N_OK) {
        w2n_trap_raise(W2N_TRAP_GC_OUT_OF_MEMORY, 0, err.message);
        return NULL;
    }
    return heap;
}

/* An allocation that does not fit the window collects, and a collection
 * must see every frame of compiled code: when a frame without unwind
 * tables hides some (stack_walk.c), trap before anything moves rather than
 * miss roots. */
static void check_frames_before_collecting(w2n_store *store, w2n_gc_heap *heap, uint64_t bytes) {
    if (!w2n_gc_may_allocate(store, heap, bytes))
        w2n_trap_raise(W2N_TRAP_UNWIND_BARRIER, 0, W2N_GC_UNWALKABLE);
}

void *w2n_helper_gc_alloc(w2n_vmctx *vmctx, const w2n_gc_rtt *rtt, uint32_t length) {
    w2n_store *store = w2n_instance_of(vmctx)->store;
    w2n_gc_heap *heap = heap_or_trap(store);
    if (!heap)
        return NULL;
    check_frames_before_collecting(store, heap, w2n_gc_object_bytes(rtt, length));
    w2n_error err;
    void *obj = w2n_gc_alloc(store, heap, rtt, length, &err);
    if (!obj)
        w2n_trap_raise(W2N_TRAP_GC_OUT_OF_MEMORY, 0, NULL);
    return obj;
}

void *w2n_helper_gc_internalize(w2n_vmctx *vmctx, void *externref) {
    w2n_store *store = w2n_instance_of(vmctx)->store;
    w2n_gc_heap *heap = heap_or_trap(store);
    if (!heap)
        return NULL;
    check_frames_before_collecting(store, heap, W2N_GC_HEADER + sizeof(uintptr_t)); /* a box */
    bool failed;
    w2n_error err;
    uintptr_t word = w2n_gc_internalize(store, heap, (uintptr_t)externref, &failed, &err);
    if (failed)
        w2n_trap_raise(W2N_TRAP_GC_OUT_OF_MEMORY, 0, NULL);
    return (void *)word;
}

void *w2n_helper_gc_externalize(w2n_vmctx *vmctx, void *anyref) {
    /* An i31 needs no heap to exist, but its externref needs the window
     * that making a heap reserves. */
    w2n_gc_heap *heap = heap_or_trap(w2n_instance_of(vmctx)->store);
    return heap ? (void *)w2n_gc_externalize(heap, (uintptr_t)anyref) : NULL;
}
