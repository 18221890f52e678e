/*
 * test_gc_heap_memory.c — the GC heap's memory (runtime/gc/heap.c,
 * heap_resident.c): the evacuated space keeps the pages the next copies
 * will fill, and whatever those copies leave of old objects is cleared, so
 * the allocation window is zero whether the live set grows or shrinks; the
 * resident peak the stats report is the objects and their copies.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "gc.h"
#include "internal.h"
#include "w2n/runtime.h"

#define NARRAYS 80
#define ARRAY_LENGTH 100003u /* bytes: objects end off page boundaries */

static const w2n_gc_rtt *byte_array(w2n_store *s) {
    w2n_gc_field b = {W2N_GC_PACKED_I8, 0, true};
    w2n_error err;
    const w2n_gc_rtt *t = w2n_gc_array_type(s, b, NULL, &err);
    cr_assert(t, "%s", err.message);
    return t;
}

static w2n_gc_ref *filled_array(w2n_store *s, const w2n_gc_rtt *t, int32_t byte) {
    w2n_value init = w2n_i32(byte);
    w2n_gc_ref *out;
    w2n_error err;
    cr_assert_eq(w2n_gc_array_new(s, t, ARRAY_LENGTH, &init, &out, &err), W2N_OK, "%s",
                 err.message);
    return out;
}

/* A store holding NARRAYS arrays of `byte` (8 MB). */
static w2n_store *store_of_arrays(w2n_gc_ref **arrays, int32_t byte) {
    w2n_store *s = w2n_store_new(NULL);
    cr_assert(s);
    const w2n_gc_rtt *t = byte_array(s);
    for (int i = 0; i < NARRAYS; i++)
        arrays[i] = filled_array(s, t, byte);
    return s;
}

/* Every byte of the allocation window, and as far past it as the heap
 * ever used, is zero. */
static void check_window_zero(w2n_gc_heap *heap) {
    uint8_t *base = heap->space[heap->current];
    uint64_t used = (uint64_t)(heap->window.top - base);
    uint64_t upto = heap->touched[heap->current] + W2N_GC_HUGE_PAGE;
    for (uint64_t i = used; i < upto && i < heap->space_size; i++)
        cr_assert_eq(base[i], 0, "byte %llu past %llu survivors is %d", (unsigned long long)i,
                     (unsigned long long)used, base[i]);
}

static void check_filled(w2n_gc_ref *a, uint8_t byte) {
    const uint8_t *p = w2n_gc_raw_of(a);
    for (uint32_t i = 0; i < ARRAY_LENGTH; i++)
        cr_assert_eq(p[W2N_GC_ARRAY_DATA_SMALL + i], byte);
}

Test(gc_heap_memory, the_window_is_zero_as_the_live_set_grows_and_shrinks) {
    w2n_gc_ref *arrays[NARRAYS];
    w2n_store *s = store_of_arrays(arrays, 0x5a);
    const w2n_gc_rtt *t = byte_array(s);
    w2n_gc_heap *heap = s->gc;
    /* 8 MB live: each collection's evacuated space keeps 6 MiB of them. */
    for (int round = 0; round < 3; round++) {
        w2n_gc_collect(s);
        check_window_zero(heap);
    }
    cr_assert_gt(heap->stale[heap->current ^ 1], 0, "nothing kept for the next copies");
    /* The live set shrinks to 10 arrays: the next copies leave most of the
     * kept pages, old arrays full of 0x5a, which must not show. */
    for (int i = 10; i < NARRAYS; i++)
        w2n_gc_ref_free(s, arrays[i]);
    w2n_gc_collect(s);
    check_window_zero(heap);
    for (int i = 0; i < 10; i++)
        check_filled(arrays[i], 0x5a);
    /* New arrays without an initial value read zero, and grow it again. */
    for (int i = 10; i < NARRAYS; i++) {
        arrays[i] = filled_array(s, t, 0);
        check_filled(arrays[i], 0);
    }
    for (int round = 0; round < 2; round++) {
        w2n_gc_collect(s);
        check_window_zero(heap);
    }
    for (int i = 0; i < NARRAYS; i++)
        check_filled(arrays[i], i < 10 ? 0x5a : 0);
    w2n_store_free(s);
}

Test(gc_heap_memory, the_resident_peak_is_the_objects_and_their_copies) {
    w2n_gc_ref *arrays[NARRAYS];
    w2n_store *s = store_of_arrays(arrays, 1);
    w2n_gc_collect(s);
    for (int i = 0; i < NARRAYS; i++)
        w2n_gc_ref_free(s, arrays[i]);
    w2n_gc_collect(s);
    w2n_gc_stats st;
    w2n_gc_get_stats(s, &st);
    cr_assert_eq(st.bytes_live, 0);
    cr_assert_geq(st.max_live_bytes, (uint64_t)NARRAYS * ARRAY_LENGTH);
    cr_assert_lt(st.max_live_bytes, (uint64_t)NARRAYS * (ARRAY_LENGTH + 24));
    /* Objects and copies (16 MB at the first collection) are in memory,
     * and nothing else but the huge page at the end of each space. */
    cr_assert_geq(st.peak_resident_bytes, 2 * st.max_live_bytes);
    cr_assert_leq(st.peak_resident_bytes, st.peak_bytes + 2 * W2N_GC_HUGE_PAGE);
    w2n_store_free(s);
}
