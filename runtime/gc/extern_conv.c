/*
 * extern_conv.c — any.convert_extern and extern.convert_any (docs/gc.md,
 * "externref and anyref").
 *
 * An externref is whatever the host passed, unchanged since Wasm 2.0; a
 * host value must never be mistaken for an i31 or a heap object.  So:
 *  - a host value becomes an anyref by boxing (a W2N_GC_KIND_HOST object
 *    holding the word), and the box becomes that same word again;
 *  - a heap object's externref is its address: host pointers never point
 *    into the heap's reservation, so the range test tells them apart;
 *  - an i31's externref is an address in a 2 GiB window of address space
 *    reserved (never accessible) once per process, window + value: no host
 *    pointer lies there, and nothing is allocated, so both round trips
 *    keep identity exactly.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "gc.h"
#include "internal.h"

#define I31_WINDOW ((uintptr_t)1 << 31)

static _Atomic uintptr_t i31_window;
static pthread_mutex_t i31_window_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every heap is made after this succeeded (heap.c), so the conversions
 * below always have the window: a failure is the heap's NOMEM, and the
 * next heap tries again. */
bool w2n_gc_reserve_i31_window(void) {
    if (i31_window)
        return true;
    pthread_mutex_lock(&i31_window_lock);
    if (!i31_window) {
        void *p =
            mmap(NULL, I31_WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p != MAP_FAILED)
            i31_window = (uintptr_t)p;
    }
    pthread_mutex_unlock(&i31_window_lock);
    return i31_window != 0;
}

static uintptr_t window(void) { return i31_window; }

uintptr_t w2n_gc_internalize(w2n_store *store, w2n_gc_heap *heap, uintptr_t externref, bool *failed,
                             w2n_error *err) {
    *failed = false;
    if (!externref || w2n_gc_in_heap(heap, externref))
        return externref;
    uintptr_t base = window();
    if (externref - base < I31_WINDOW)
        return ((externref - base) << 1) | W2N_GC_I31_TAG;
    const w2n_gc_rtt *box_type = w2n_gc_host_box_type(heap);
    uint8_t *box = box_type ? w2n_gc_alloc(store, heap, box_type, 0, err) : NULL;
    if (!box) {
        if (!box_type)
            w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a GC type");
        *failed = true;
        return 0;
    }
    *(uintptr_t *)(box + W2N_GC_HEADER) = externref;
    return (uintptr_t)box;
}

uintptr_t w2n_gc_externalize(const w2n_gc_heap *heap, uintptr_t anyref) {
    (void)heap; /* a heap exists, so the window does */
    if (!anyref)
        return 0;
    if (anyref & W2N_GC_I31_TAG)
        return window() + ((anyref & 0xFFFFFFFFu) >> 1);
    if (*(const w2n_gc_rtt *const *)anyref == heap->host_box)
        return *(const uintptr_t *)(anyref + W2N_GC_HEADER);
    return anyref;
}

w2n_status w2n_gc_any_from_extern(w2n_store *store, void *externref, w2n_gc_ref **out,
                                  w2n_error *err) {
    w2n_gc_heap *heap;
    w2n_status st = w2n_gc_heap_get(store, &heap, err);
    if (st != W2N_OK)
        return st;
    bool failed;
    uintptr_t word = w2n_gc_internalize(store, heap, (uintptr_t)externref, &failed, err);
    if (failed)
        return err ? err->code : W2N_ERR_LIMIT;
    *out = NULL;
    if (word && !(*out = w2n_gc_handle_new(heap, word)))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
    return W2N_OK;
}

void *w2n_gc_extern_from_any(w2n_store *store, const w2n_gc_ref *ref) {
    if (!ref || !store->gc)
        return NULL;
    return (void *)w2n_gc_externalize(store->gc, w2n_gc_handle_word(ref));
}
