/*
 * store.c — the store: owner of everything instances and hosts create.
 *
 * Objects of a store are freed only with the store, because references to
 * them (funcrefs in tables, imported memories and globals) may outlive the
 * instance that created them, even an instance whose instantiation trapped.
 */
#include <stdlib.h>

#include "exception.h"
#include "gc.h"
#include "internal.h"

#define DEFAULT_STACK_SIZE ((size_t)1 << 20)

/* Huge pages only where memory.grow adds bytes (below 64 MiB, memory.c) by
 * default: a growing heap keeps its page-fault win, and the initial memory
 * (static arrays, the shadow stack) pays no 2 MiB first touch at start; over
 * the suite no benchmark got more than 6 % slower than without, where
 * `always` made csvstat bimodal (docs/performance.md, "Huge pages: the
 * default"). */
#define DEFAULT_HUGE_PAGES W2N_HUGE_PAGES_GROWN

static w2n_huge_pages huge_pages_placement(const w2n_store_options *opts) {
    if (opts && opts->no_huge_pages)
        return W2N_HUGE_PAGES_NEVER;
    if (!opts || opts->huge_pages == W2N_HUGE_PAGES_DEFAULT ||
        opts->huge_pages > W2N_HUGE_PAGES_GROWN)
        return DEFAULT_HUGE_PAGES;
    return opts->huge_pages;
}

w2n_store *w2n_store_new(const w2n_store_options *opts) {
    w2n_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->stack_size = opts && opts->stack_size ? opts->stack_size : DEFAULT_STACK_SIZE;
    s->huge_pages = huge_pages_placement(opts);
    if (opts)
        s->limits = opts->limits;
    w2n_stop_store_init(s);
    return s;
}

void w2n_store_free(w2n_store *s) {
    if (!s)
        return;
    while (s->instances) {
        w2n_instance *next = s->instances->next;
        w2n_instance_destroy(s->instances);
        s->instances = next;
    }
    while (s->host_funcs) {
        w2n_host_func *next = s->host_funcs->next;
        free(s->host_funcs);
        s->host_funcs = next;
    }
    while (s->memories) {
        w2n_memory *next = s->memories->next;
        w2n_memory_destroy(s->memories);
        s->memories = next;
    }
    while (s->tables) {
        w2n_table *next = s->tables->next;
        w2n_table_destroy(s->tables);
        s->tables = next;
    }
    while (s->globals) {
        w2n_global *next = s->globals->next;
        free(s->globals);
        s->globals = next;
    }
    w2n_stop_store_fini(s);
    w2n_exception_free_all(s);
    w2n_gc_heap_destroy(s->gc);
    free(s);
}
