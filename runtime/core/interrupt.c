/*
 * interrupt.c — stopping a running guest: interrupts, epochs and deadlines,
 * preemption of code built without --interruptible, and fuel.
 *
 * Two ways reach running code.  Code built --interruptible loads
 * vmctx->interrupt at function entries and loop back edges and traps when
 * it is set (one load, compare and rarely taken branch).  Any code, built
 * --interruptible or not, is also stopped by W2N_PREEMPT_SIGNAL, sent to the
 * thread that runs the store: trap.c's handler unwinds the call like a trap
 * when the pc is in loaded Wasm code and store->stop is set; in a host
 * function the signal only ends a blocking system call (EINTR), and the
 * runtime raises the trap when the host function returns to Wasm.
 *
 * Semantics: an interrupt stops the call that is running; with no call
 * running it has no effect (the flags are cleared when the outermost call
 * into the store begins and ends), so a late interrupt never kills the next
 * call.  A deadline is different: it is an absolute engine epoch, and a call
 * begun at or past it traps at once with "interrupted".
 *
 * Locking: store->stop_lock guards running/thread (so a signal only goes to
 * a thread while it runs the store), the instances list against walks from
 * other threads, and the flags.  live_lock guards the list of stores that
 * w2n_engine_increment_epoch walks; it is taken before any store's lock.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdatomic.h>

#include "internal.h"

static _Atomic uint64_t engine_epoch;
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static w2n_store *live_stores;

void w2n_stop_store_init(w2n_store *s) {
    pthread_mutex_init(&s->stop_lock, NULL);
    s->deadline = UINT64_MAX;
    s->fuel = INT64_MAX;
    pthread_mutex_lock(&live_lock);
    s->live_next = live_stores;
    if (live_stores)
        live_stores->live_prev = s;
    live_stores = s;
    pthread_mutex_unlock(&live_lock);
}

void w2n_stop_store_fini(w2n_store *s) {
    pthread_mutex_lock(&live_lock);
    if (s->live_prev)
        s->live_prev->live_next = s->live_next;
    else
        live_stores = s->live_next;
    if (s->live_next)
        s->live_next->live_prev = s->live_prev;
    pthread_mutex_unlock(&live_lock);
    pthread_mutex_destroy(&s->stop_lock);
}

void w2n_stop_link_instance(w2n_store *s, w2n_instance *inst) {
    pthread_mutex_lock(&s->stop_lock);
    inst->vmctx.interrupt = s->flagged;
    inst->vmctx.fuel = &s->fuel;
    inst->next = s->instances;
    s->instances = inst;
    pthread_mutex_unlock(&s->stop_lock);
}

/* With stop_lock held. */
static void set_flags(w2n_store *s, uint32_t value) {
    for (w2n_instance *i = s->instances; i; i = i->next)
        i->vmctx.interrupt = value;
    s->flagged = value;
}

/* With stop_lock held. */
static void stop_locked(w2n_store *s) {
    atomic_store(&s->stop, true);
    set_flags(s, 1);
    if (s->running)
        pthread_kill(s->thread, W2N_PREEMPT_SIGNAL);
}

bool w2n_stop_enter(w2n_store *s) {
    pthread_mutex_lock(&s->stop_lock);
    bool due = s->deadline <= atomic_load(&engine_epoch);
    s->running = !due;
    s->thread = pthread_self();
    atomic_store(&s->stop, false);
    if (s->flagged)
        set_flags(s, 0);
    pthread_mutex_unlock(&s->stop_lock);
    return !due;
}

void w2n_stop_leave(w2n_store *s) {
    pthread_mutex_lock(&s->stop_lock);
    s->running = false;
    atomic_store(&s->stop, false);
    if (s->flagged)
        set_flags(s, 0);
    pthread_mutex_unlock(&s->stop_lock);
}

void w2n_store_interrupt(w2n_store *s) {
    if (!s)
        return;
    pthread_mutex_lock(&s->stop_lock);
    stop_locked(s);
    pthread_mutex_unlock(&s->stop_lock);
}

void w2n_instance_interrupt(w2n_instance *inst) {
    if (inst)
        w2n_store_interrupt(inst->store);
}

uint64_t w2n_engine_epoch(void) { return atomic_load(&engine_epoch); }

uint64_t w2n_engine_increment_epoch(void) {
    uint64_t now = atomic_fetch_add(&engine_epoch, 1) + 1;
    pthread_mutex_lock(&live_lock);
    for (w2n_store *s = live_stores; s; s = s->live_next) {
        pthread_mutex_lock(&s->stop_lock);
        if (s->running && s->deadline <= now)
            stop_locked(s);
        pthread_mutex_unlock(&s->stop_lock);
    }
    pthread_mutex_unlock(&live_lock);
    return now;
}

void w2n_store_set_deadline(w2n_store *s, uint64_t epochs) {
    uint64_t now = atomic_load(&engine_epoch);
    pthread_mutex_lock(&s->stop_lock);
    s->deadline = epochs > UINT64_MAX - now ? UINT64_MAX : now + epochs;
    pthread_mutex_unlock(&s->stop_lock);
}

void w2n_store_clear_deadline(w2n_store *s) {
    pthread_mutex_lock(&s->stop_lock);
    s->deadline = UINT64_MAX;
    pthread_mutex_unlock(&s->stop_lock);
}

bool w2n_stop_requested(const w2n_store *s) { return s && atomic_load(&((w2n_store *)s)->stop); }

/* ---- fuel ---------------------------------------------------------------------- */

w2n_status w2n_store_set_fuel(w2n_store *s, uint64_t fuel, w2n_error *err) {
    for (w2n_instance *i = s->instances; i; i = i->next)
        if (!(i->meta->flags & W2N_FLAG_FUEL))
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                                 "an instance of this store was compiled without --fuel, "
                                 "so it cannot be given a fuel budget");
    s->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
    s->fuel_limited = true;
    return W2N_OK;
}

uint64_t w2n_store_fuel(const w2n_store *s) { return s->fuel < 0 ? 0 : (uint64_t)s->fuel; }
