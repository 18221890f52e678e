/*
 * atomic_wait.c — memory.atomic.wait32/wait64 and memory.atomic.notify.
 *
 * A parking lot: waiters queue in one of a fixed number of buckets, chosen
 * by the host address they wait on.  A waiter compares the memory with the
 * expected value while holding its bucket's lock and queues itself before
 * letting go, and notify takes the same lock, so a store followed by a
 * notify in another thread can never slip between the compare and the
 * sleep (no lost wake-ups).  This works for 64-bit waits, which Linux
 * futexes cannot express, and on every target alike.
 *
 * Only shared memories take part: they never move (memory.c), so a host
 * address names one Wasm location for the memory's whole life.  A wait
 * sleeps in slices so that an interrupt, a deadline or --timeout (which
 * cannot break a condition wait with a signal) still ends it promptly.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "internal.h"

#define BUCKETS 64
#define SLICE_NS 10000000LL /* 10 ms: how late a wait notices a stop request */

typedef struct waiter {
    uintptr_t key; /* host address waited on */
    bool woken;
    pthread_cond_t cond;
    struct waiter *next;
} waiter;

typedef struct bucket {
    pthread_mutex_t lock;
    waiter *head;
} bucket;

static bucket buckets[BUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void init_buckets(void) {
    for (int i = 0; i < BUCKETS; i++)
        pthread_mutex_init(&buckets[i].lock, NULL);
}

static bucket *bucket_of(uintptr_t key) {
    pthread_once(&buckets_once, init_buckets);
    return &buckets[(key >> 2) % BUCKETS];
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void unlink_waiter(bucket *b, waiter *w) {
    for (waiter **p = &b->head; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            return;
        }
}

/* Is [addr, addr + bytes) inside memory `index`?  Raises the trap if not. */
static w2n_memory *checked_memory(w2n_vmctx *vmctx, uint32_t index, uint64_t addr, uint32_t bytes) {
    w2n_memory *m = w2n_instance_of(vmctx)->memories[index];
    if (addr > m->abi.size || bytes > m->abi.size - addr) {
        w2n_trap_raise(W2N_TRAP_MEMORY_OOB, 0, NULL);
        return NULL;
    }
    return m;
}

static bool still_expected(const uint8_t *p, int64_t expected, uint32_t bytes) {
    if (bytes == 4)
        return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST) == (uint32_t)expected;
    return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST) == (uint64_t)expected;
}

/* Sleep until woken, the deadline (ns, or INT64_MAX) passes or the store is
 * asked to stop.  Called and returns with b->lock held. */
static int32_t sleep_queued(bucket *b, waiter *w, int64_t deadline, const w2n_store *store,
                            bool *stopped) {
    while (!w->woken) {
        if (w2n_stop_requested(store)) {
            *stopped = true;
            return 0;
        }
        int64_t now = now_ns();
        if (now >= deadline)
            return 2;
        int64_t until = deadline - now < SLICE_NS ? deadline : now + SLICE_NS;
        struct timespec ts = {(time_t)(until / 1000000000LL), (long)(until % 1000000000LL)};
        int rc = pthread_cond_timedwait(&w->cond, &b->lock, &ts);
        if (rc != 0 && rc != ETIMEDOUT && rc != EINTR)
            return 2;
    }
    return 0;
}

int32_t w2n_atomic_wait(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr, int64_t expected,
                        int64_t timeout, uint32_t bytes) {
    w2n_memory *m = checked_memory(vmctx, memory, addr, bytes);
    if (!m)
        return 0;
    if (!m->shared) {
        w2n_trap_raise(W2N_TRAP_EXPECTED_SHARED, 0, NULL);
        return 0;
    }
    uint8_t *p = m->abi.base + addr;
    bucket *b = bucket_of((uintptr_t)p);
    pthread_mutex_lock(&b->lock);
    if (!still_expected(p, expected, bytes)) {
        pthread_mutex_unlock(&b->lock);
        return 1;
    }
    if (timeout == 0) {
        pthread_mutex_unlock(&b->lock);
        return 2;
    }
    int64_t start = now_ns();
    int64_t deadline = timeout < 0 || timeout > INT64_MAX - start ? INT64_MAX : start + timeout;
    waiter w = {(uintptr_t)p, false, PTHREAD_COND_INITIALIZER, NULL};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &attr);
    pthread_condattr_destroy(&attr);
    waiter **tail = &b->head; /* first come, first woken */
    while (*tail)
        tail = &(*tail)->next;
    *tail = &w;
    bool stopped = false;
    int32_t result = sleep_queued(b, &w, deadline, w2n_instance_of(vmctx)->store, &stopped);
    if (!w.woken)
        unlink_waiter(b, &w);
    pthread_mutex_unlock(&b->lock);
    pthread_cond_destroy(&w.cond);
    if (stopped)
        w2n_trap_raise(W2N_TRAP_INTERRUPTED, 0, NULL);
    return result;
}

int32_t w2n_atomic_notify(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr, uint32_t count) {
    w2n_memory *m = checked_memory(vmctx, memory, addr, 4);
    if (!m || !m->shared)
        return 0; /* nobody can wait on an unshared memory */
    uintptr_t key = (uintptr_t)(m->abi.base + addr);
    bucket *b = bucket_of(key);
    int32_t woken = 0;
    pthread_mutex_lock(&b->lock);
    for (waiter **pw = &b->head; *pw && (uint32_t)woken < count;) {
        waiter *w = *pw;
        if (w->key != key) {
            pw = &w->next;
            continue;
        }
        *pw = w->next;
        w->woken = true;
        pthread_cond_signal(&w->cond);
        woken++;
    }
    pthread_mutex_unlock(&b->lock);
    return woken;
}
