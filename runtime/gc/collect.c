/*
 * collect.c — the collector: a stop-the-world copying collection (Cheney)
 * of a store's heap from its current space into the other.
 *
 * Roots are exact (roots.c, the stack walker through heap->extra_roots):
 * each is a slot holding a reference word, and a slot whose word is not
 * an object of the current space (null, i31, host pointer, funcref) is left
 * alone, so every reference-typed slot can be offered without looking at
 * its type.  A copied object's old header becomes its new address with
 * bit 0 set (descriptors are 8-aligned, so the bit is free).
 */
#include <string.h>
#include <time.h>

#include "gc.h"
#include "internal.h"

typedef struct evacuation {
    w2n_gc_heap *heap;
    uintptr_t from, from_used; /* the space being evacuated */
    uint8_t *free;             /* next free byte of to-space */
} evacuation;

/* Structs and host boxes have the size of their type (a multiple of 8). */
static inline uint64_t size_of(const uint8_t *obj, const w2n_gc_rtt *rtt) {
    if (rtt->kind != W2N_GC_KIND_ARRAY)
        return rtt->size;
    return w2n_gc_object_bytes(rtt, *(const uint32_t *)(obj + W2N_GC_ARRAY_LENGTH));
}

uint64_t w2n_gc_object_size(const void *obj) {
    return size_of(obj, *(const w2n_gc_rtt *const *)obj);
}

/* The new address of the object `word` names, copying it on first sight. */
static uintptr_t forward(evacuation *ev, uintptr_t word) {
    if ((word & (W2N_GC_ALIGN - 1)) || word - ev->from >= ev->from_used)
        return word;
    uintptr_t header = *(uintptr_t *)word;
    if (header & 1)
        return header & ~(uintptr_t)1;
    uint64_t bytes = size_of((const uint8_t *)word, (const w2n_gc_rtt *)header);
    uint8_t *copy = ev->free;
    if (bytes <= 64) { /* most objects: a few words, no call */
        for (uint64_t i = 0; i < bytes / 8; i++)
            ((uintptr_t *)copy)[i] = ((const uintptr_t *)word)[i];
    } else {
        memcpy(copy, (const void *)word, bytes);
    }
    ev->free += bytes;
    *(uintptr_t *)word = (uintptr_t)copy | 1;
    return (uintptr_t)copy;
}

static void visit_root(void *ctx, uintptr_t *slot) { *slot = forward(ctx, *slot); }

/* Forward the references an already copied object holds. */
static void scan(evacuation *ev, uint8_t *obj) {
    const w2n_gc_rtt *rtt = *(const w2n_gc_rtt **)obj;
    if (rtt->kind == W2N_GC_KIND_STRUCT) {
        for (uint32_t i = 0; i < rtt->nrefs; i++) {
            uintptr_t *slot = (uintptr_t *)(obj + rtt->ref_offsets[i]);
            *slot = forward(ev, *slot);
        }
    } else if (rtt->kind == W2N_GC_KIND_ARRAY && rtt->nrefs) {
        uint32_t length = *(uint32_t *)(obj + W2N_GC_ARRAY_LENGTH);
        uintptr_t *elems = (uintptr_t *)(obj + rtt->fields[0].offset);
        for (uint32_t i = 0; i < length; i++)
            elems[i] = forward(ev, elems[i]);
    }
    /* A host box holds a host pointer: nothing to trace. */
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void w2n_gc_collect_now(w2n_store *store, w2n_gc_heap *heap) {
    if (heap->collecting)
        return;
    heap->collecting = true;
    uint64_t start = now_ns();
    uint8_t *from = heap->space[heap->current];
    uint64_t from_used = (uint64_t)(heap->window.top - from);
    heap->stats.bytes_allocated += (uint64_t)(heap->window.top - heap->alloc_start);
    uint8_t *to = heap->space[heap->current ^ 1];
    evacuation ev = {heap, (uintptr_t)from, from_used, to};

    w2n_gc_visit_store_roots(store, heap, visit_root, &ev);
    w2n_gc_visit_frames(store, visit_root, &ev);
    if (heap->extra_roots)
        heap->extra_roots(heap->extra_roots_data, visit_root, &ev);
    for (uint8_t *obj = to; obj < ev.free; obj += size_of(obj, *(const w2n_gc_rtt **)obj))
        scan(&ev, obj);

    uint64_t live = (uint64_t)(ev.free - to);
    uint32_t other = heap->current ^ 1;
    /* The heap's memory peaks now: objects, their copies, and the pages
     * to-space kept for them (more than the copies when fewer survived). */
    uint64_t held = live > heap->stale[other] ? live : heap->stale[other];
    if (from_used + held > heap->stats.peak_bytes)
        heap->stats.peak_bytes = from_used + held;
    if (live > heap->stats.max_live_bytes)
        heap->stats.max_live_bytes = live;
    if (from_used > heap->touched[heap->current])
        heap->touched[heap->current] = from_used;
    if (live > heap->touched[other])
        heap->touched[other] = live;
    uint64_t resident = w2n_gc_heap_resident(heap);
    if (resident > heap->stats.peak_resident_bytes)
        heap->stats.peak_resident_bytes = resident;
    w2n_gc_heap_copied(heap, other, ev.free);
    heap->current = other;
    heap->window.top = ev.free;
    heap->live_before = heap->live;
    heap->live = live;
    w2n_gc_heap_flipped(heap, from, from_used);

    uint64_t pause = now_ns() - start;
    heap->stats.collections++;
    heap->stats.bytes_live = live;
    heap->stats.bytes_copied += live;
    heap->stats.total_pause_ns += pause;
    if (pause > heap->stats.longest_pause_ns)
        heap->stats.longest_pause_ns = pause;
    heap->collecting = false;
}
