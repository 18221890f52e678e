/*
 * limits.c — the store's resource limits (w2n_store_limits, runtime.h).
 *
 * Every creation and every grow of a memory or table asks here first, so
 * the store's counts stay exact: memory_bytes is the sum of the current
 * sizes of all its memories, nmemories / ntables / ninstances how many it
 * holds (nothing is freed before the store, so they only rise).  A refused
 * grow changes nothing and the caller returns -1; a refused creation is
 * W2N_ERR_LIMIT naming the limit.  The numbers are checked before the
 * host's callbacks, which see only requests the numbers allow.
 */
#include <string.h>

#include "internal.h"

static bool over(uint64_t value, uint64_t limit) { return limit && value > limit; }

typedef bool (*growing_fn)(void *data, uint64_t current, uint64_t desired, uint64_t maximum);

/* The host's say, when it has a callback: `what` names the thing asked for. */
static w2n_status ask_host(const w2n_store_limits *l, growing_fn fn, uint64_t current,
                           uint64_t desired, uint64_t maximum, const char *what, w2n_error *err) {
    if (fn && !fn(l->data, current, desired, maximum))
        return w2n_error_set(
            err, W2N_ERR_LIMIT, W2N_NO_OFFSET, "the host's limiter refused a %s of %llu %s", what,
            (unsigned long long)desired, strcmp(what, "table") ? "bytes" : "elements");
    return W2N_OK;
}

w2n_status w2n_limits_memory(w2n_store *s, uint64_t current, uint64_t desired, uint64_t maximum,
                             w2n_error *err) {
    const w2n_store_limits *l = &s->limits;
    uint64_t others = s->memory_bytes - current;
    if (over(others + desired, l->max_memory)) {
        if (others)
            return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                                 "linear memory of %llu bytes exceeds the memory limit of "
                                 "%llu bytes (%llu bytes in other memories)",
                                 (unsigned long long)desired, (unsigned long long)l->max_memory,
                                 (unsigned long long)others);
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "linear memory of %llu bytes exceeds the memory limit of %llu "
                             "bytes",
                             (unsigned long long)desired, (unsigned long long)l->max_memory);
    }
    return ask_host(l, l->memory_growing, current, desired, maximum, "linear memory", err);
}

w2n_status w2n_limits_table(w2n_store *s, uint64_t current, uint64_t desired, uint64_t maximum,
                            w2n_error *err) {
    const w2n_store_limits *l = &s->limits;
    if (over(desired, l->max_table_elements))
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "table of %llu elements exceeds the limit of %llu elements",
                             (unsigned long long)desired,
                             (unsigned long long)l->max_table_elements);
    return ask_host(l, l->table_growing, current, desired, maximum, "table", err);
}

static w2n_status too_many(const char *what, uint32_t limit, w2n_error *err) {
    return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET, "too many %s: the store's limit is %u",
                         what, limit);
}

w2n_status w2n_limits_admit(w2n_store *s, uint32_t instances, uint32_t memories, uint32_t tables,
                            w2n_error *err) {
    const w2n_store_limits *l = &s->limits;
    if (over((uint64_t)s->ninstances + instances, l->max_instances))
        return too_many("instances", l->max_instances, err);
    if (over((uint64_t)s->nmemories + memories, l->max_memories))
        return too_many("memories", l->max_memories, err);
    if (over((uint64_t)s->ntables + tables, l->max_tables))
        return too_many("tables", l->max_tables, err);
    return W2N_OK;
}

w2n_status w2n_limits_admit_instance(w2n_store *s, const w2n_meta *m, w2n_error *err) {
    w2n_status st = w2n_limits_admit(s, 1, m->nmemories, m->ntables, err);
    if (st != W2N_OK)
        return st;
    /* The initial sizes, all together, before any memory exists. */
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < m->nmemories; i++) {
        /* Saturating: a 64-bit memory may ask for up to 2^64 bytes. */
        uint64_t min = m->memories[i].min;
        uint64_t more = min >= W2N_MAX_PAGES64 ? UINT64_MAX : min * W2N_PAGE_SIZE;
        bytes = more > UINT64_MAX - bytes ? UINT64_MAX : bytes + more;
    }
    if (over(s->memory_bytes + bytes, s->limits.max_memory))
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "the module's memory of %llu bytes exceeds the memory limit of "
                             "%llu bytes",
                             (unsigned long long)bytes, (unsigned long long)s->limits.max_memory);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (over(m->tables[i].limits.min, s->limits.max_table_elements))
            return w2n_limits_table(s, 0, m->tables[i].limits.min, 0, err);
    return W2N_OK;
}
