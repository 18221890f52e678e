/*
 * handles.c — rooted handles: how the host holds GC references (the
 * ownership rules are in w2n/runtime.h), and the heap's public controls
 * (collect, statistics).
 *
 * Handles are slots on a stack of fixed-size chunks, so a handle's address
 * never changes while the collector rewrites what it holds.  Making one
 * pushes a slot; releasing one zeroes it and pops the zeroed slots on top,
 * so scopes (a saved stack height) release everything above them at once
 * and out-of-order releases cost nothing until their scope closes.
 */
#include <stdlib.h>

#include "gc.h"
#include "internal.h"

#define CHUNK_SLOTS ((uint32_t)(sizeof(((w2n_gc_handle_chunk *)0)->slots) / sizeof(uintptr_t)))

w2n_gc_ref *w2n_gc_handle_new(w2n_gc_heap *heap, uintptr_t word) {
    if (!heap->handles || heap->handle_top == CHUNK_SLOTS) {
        w2n_gc_handle_chunk *c = malloc(sizeof *c);
        if (!c)
            return NULL;
        c->prev = heap->handles;
        heap->handles = c;
        heap->handle_top = 0;
    }
    uintptr_t *slot = &heap->handles->slots[heap->handle_top++];
    *slot = word;
    heap->nhandles++;
    return (w2n_gc_ref *)slot;
}

/* Pop slots from the top: released ones only, or all down to `height`. */
static void pop_to(w2n_gc_heap *heap, uint64_t height, bool released_only) {
    while (heap->nhandles > height) {
        if (heap->handle_top == 0) {
            w2n_gc_handle_chunk *c = heap->handles;
            heap->handles = c->prev;
            free(c);
            heap->handle_top = CHUNK_SLOTS;
            continue;
        }
        if (released_only && heap->handles->slots[heap->handle_top - 1])
            return;
        heap->handle_top--;
        heap->nhandles--;
    }
    if (heap->handles && heap->handle_top == 0 && heap->nhandles == 0) {
        free(heap->handles);
        heap->handles = NULL;
    }
}

w2n_gc_ref *w2n_gc_ref_clone(w2n_store *store, const w2n_gc_ref *ref) {
    if (!ref || !store->gc)
        return NULL;
    return w2n_gc_handle_new(store->gc, w2n_gc_handle_word(ref));
}

void w2n_gc_ref_free(w2n_store *store, w2n_gc_ref *ref) {
    if (!ref || !store->gc)
        return;
    *(uintptr_t *)ref = 0;
    pop_to(store->gc, 0, true);
}

size_t w2n_gc_scope_open(w2n_store *store) { return store->gc ? (size_t)store->gc->nhandles : 0; }

void w2n_gc_scope_close(w2n_store *store, size_t scope) {
    if (store->gc)
        pop_to(store->gc, scope, false);
}

w2n_gc_ref *w2n_gc_scope_escape(w2n_store *store, size_t scope, const w2n_gc_ref *ref) {
    uintptr_t word = w2n_gc_handle_word(ref);
    w2n_gc_scope_close(store, scope);
    return word && store->gc ? w2n_gc_handle_new(store->gc, word) : NULL;
}

w2n_gc_ref *w2n_gc_i31_new(w2n_store *store, int32_t value) {
    w2n_gc_heap *heap;
    if (w2n_gc_heap_get(store, &heap, NULL) != W2N_OK)
        return NULL;
    uint32_t word = ((uint32_t)value << 1) | W2N_GC_I31_TAG;
    return w2n_gc_handle_new(heap, word);
}

bool w2n_gc_ref_is_i31(const w2n_gc_ref *ref) {
    return (w2n_gc_handle_word(ref) & W2N_GC_I31_TAG) != 0;
}

int32_t w2n_gc_i31_get(const w2n_gc_ref *ref, bool is_signed) {
    uint32_t word = (uint32_t)w2n_gc_handle_word(ref);
    return is_signed ? (int32_t)word >> 1 : (int32_t)(word >> 1);
}

const w2n_gc_rtt *w2n_gc_ref_type(const w2n_gc_ref *ref) {
    uintptr_t word = w2n_gc_handle_word(ref);
    if (!word || (word & W2N_GC_I31_TAG))
        return NULL;
    return *(const w2n_gc_rtt **)word;
}

bool w2n_gc_ref_eq(const w2n_gc_ref *a, const w2n_gc_ref *b) {
    return w2n_gc_handle_word(a) == w2n_gc_handle_word(b);
}

void w2n_gc_collect(w2n_store *store) {
    /* Not while a frame without unwind tables hides roots (stack_walk.c). */
    if (store->gc && w2n_gc_stack_walkable(store))
        w2n_gc_collect_now(store, store->gc);
}

void w2n_gc_get_stats(w2n_store *store, w2n_gc_stats *out) {
    *out = (w2n_gc_stats){0};
    if (!store->gc)
        return;
    w2n_gc_heap *heap = store->gc;
    *out = heap->stats;
    /* Allocation since the last collection, and the heap as it is now. */
    out->bytes_allocated += (uint64_t)(heap->window.top - heap->alloc_start);
    uint64_t used = (uint64_t)(heap->window.top - heap->space[heap->current]);
    if (used > out->peak_bytes)
        out->peak_bytes = used;
}
