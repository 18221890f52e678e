/*
 * churn.c — the heap-limit criterion through the C API: allocate
 * TOTAL bytes in arrays of 64 KiB while keeping a ring of LIVE bytes of
 * them alive (each new array replaces the oldest), under a GC heap limit.
 * Prints the collector's figures on stderr; exits 1 if an allocation fails or a kept
 * array lost its contents.
 *
 *   churn TOTAL_MIB LIVE_MIB LIMIT_MIB        e.g. churn 10240 50 128
 */
#include <stdio.h>
#include <stdlib.h>

#include "w2n/runtime.h"

#define ARRAY_BYTES 65536u

int main(int argc, char **argv) {
    if (argc != 4) {
        fputs("usage: churn TOTAL_MIB LIVE_MIB LIMIT_MIB\n", stderr);
        return 2;
    }
    uint64_t total = strtoull(argv[1], NULL, 0) << 20, live = strtoull(argv[2], NULL, 0) << 20;
    w2n_store_options opts = {0};
    opts.limits.max_gc_heap = strtoull(argv[3], NULL, 0) << 20;
    w2n_store *store = w2n_store_new(&opts);
    w2n_error err;
    w2n_gc_field elem = {W2N_I64, 0, true};
    const w2n_gc_rtt *type = store ? w2n_gc_array_type(store, elem, NULL, &err) : NULL;
    if (!type)
        return fprintf(stderr, "churn: %s\n", err.message), 1;
    uint32_t nring = (uint32_t)(live / ARRAY_BYTES), length = ARRAY_BYTES / 8 - 2;
    w2n_gc_ref **ring = calloc(nring, sizeof *ring);
    uint64_t made = 0;
    for (uint64_t n = 0; made < total; n++) {
        uint32_t slot = (uint32_t)(n % nring);
        if (ring[slot]) { /* the oldest still holds what it was made with */
            w2n_value v;
            if (w2n_gc_array_get(store, ring[slot], length - 1, false, &v, &err) != W2N_OK ||
                v.of.i64 != (int64_t)(n - nring))
                return fprintf(stderr, "churn: array %llu lost its contents\n",
                               (unsigned long long)(n - nring)),
                       1;
            w2n_gc_ref_free(store, ring[slot]);
        }
        w2n_value init = w2n_i64((int64_t)n);
        if (w2n_gc_array_new(store, type, length, &init, &ring[slot], &err) != W2N_OK)
            return fprintf(stderr, "churn: after %llu MiB: %s\n", (unsigned long long)(made >> 20),
                           err.message),
                   1;
        made += ARRAY_BYTES;
    }
    w2n_gc_stats st;
    w2n_gc_get_stats(store, &st);
    fprintf(stderr,
            "gc: allocated %llu MiB, %llu collections, live %llu KiB, heap peak %llu MiB, longest "
            "pause %.1f ms, total pauses %.0f ms\n",
            (unsigned long long)(st.bytes_allocated >> 20), (unsigned long long)st.collections,
            (unsigned long long)(st.bytes_live >> 10), (unsigned long long)(st.peak_bytes >> 20),
            st.longest_pause_ns / 1e6, st.total_pause_ns / 1e6);
    free(ring);
    w2n_store_free(store);
    return 0;
}
