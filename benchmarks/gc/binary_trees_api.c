/*
 * binary_trees_api.c — the benchmarks game's binary-trees through w2n's GC
 * heap and its C API (structs of two references, handles in scopes), to
 * set the collector against malloc/free (binary_trees_malloc.c, the same
 * algorithm).  Prints the checks, then one line of collector figures.
 *
 *   binary_trees_api DEPTH [MAX_GC_HEAP_BYTES]
 */
#include <stdio.h>
#include <stdlib.h>

#include "w2n/runtime.h"

static w2n_store *store;
static const w2n_gc_rtt *node_type;

static void fail(const char *what, const w2n_error *err) {
    fprintf(stderr, "binary_trees_api: %s: %s\n", what, err->message);
    exit(1);
}

static w2n_gc_ref *make(int depth) {
    size_t scope = w2n_gc_scope_open(store);
    w2n_value kids[2] = {{W2N_STRUCTREF, {.ref = NULL}}, {W2N_STRUCTREF, {.ref = NULL}}};
    if (depth > 0) {
        kids[0].of.ref = make(depth - 1);
        kids[1].of.ref = make(depth - 1);
    }
    w2n_gc_ref *node;
    w2n_error err;
    if (w2n_gc_struct_new(store, node_type, kids, 2, &node, &err) != W2N_OK)
        fail("struct.new", &err);
    return w2n_gc_scope_escape(store, scope, node);
}

static long check(const w2n_gc_ref *node) {
    size_t scope = w2n_gc_scope_open(store);
    w2n_value left, right;
    w2n_error err;
    if (w2n_gc_struct_get(store, node, 0, false, &left, &err) != W2N_OK ||
        w2n_gc_struct_get(store, node, 1, false, &right, &err) != W2N_OK)
        fail("struct.get", &err);
    long n = 1;
    if (left.of.ref)
        n += check(left.of.ref) + check(right.of.ref);
    w2n_gc_scope_close(store, scope);
    return n;
}

int main(int argc, char **argv) {
    int max_depth = argc > 1 ? atoi(argv[1]) : 10;
    if (max_depth < 6)
        max_depth = 6;
    w2n_store_options opts = {0};
    opts.limits.max_gc_heap = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
    store = w2n_store_new(&opts);
    w2n_gc_field fields[2] = {{W2N_STRUCTREF, 0, false}, {W2N_STRUCTREF, 0, false}};
    w2n_error err;
    if (!store || !(node_type = w2n_gc_struct_type(store, fields, 2, NULL, &err)))
        fail("setup", &err);

    size_t scope = w2n_gc_scope_open(store);
    w2n_gc_ref *stretch = make(max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, check(stretch));
    w2n_gc_scope_close(store, scope);

    w2n_gc_ref *long_lived = make(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + 4), sum = 0;
        for (long i = 0; i < iterations; i++) {
            scope = w2n_gc_scope_open(store);
            sum += check(make(d));
            w2n_gc_scope_close(store, scope);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, sum);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));

    w2n_gc_stats st;
    w2n_gc_get_stats(store, &st);
    fprintf(stderr,
            "gc: collections %llu, allocated %llu MiB, live at last %llu KiB, heap peak %llu "
            "KiB, longest pause %.2f ms, total pauses %.1f ms\n",
            (unsigned long long)st.collections, (unsigned long long)(st.bytes_allocated >> 20),
            (unsigned long long)(st.bytes_live >> 10), (unsigned long long)(st.peak_bytes >> 10),
            st.longest_pause_ns / 1e6, st.total_pause_ns / 1e6);
    w2n_store_free(store);
    return 0;
}
