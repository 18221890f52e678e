/*
 * target_cache.c — target machines kept for the next compile on the same thread.
 *
 * Making an LLVM target machine costs about 0.4 ms, a tenth of a small
 * module's whole compile, and a process that compiles many modules (`w2n
 * compile` with several inputs, the libFuzzer target, an embedder) would
 * make the same one each time.  A target machine may compile one module
 * after another but must not be used by two threads at once, so each thread
 * keeps its own few: a partition's thread and its caller never share one.
 * The object does not depend on whether the machine was new
 * (`bounds.tm_cache_identical` compares).
 */
#include "target.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    CACHED_MACHINES = 6
}; /* targets x levels a process usually mixes */

typedef struct cached_machine {
    const w2n_target *target;
    char *cpu, *features; /* "" for none */
    int level;
    unsigned uses; /* acquired and not yet released; never evicted while > 0 */
    LLVMTargetMachineRef tm;
} cached_machine;

typedef struct machine_cache {
    cached_machine entries[CACHED_MACHINES];
    unsigned clock; /* the next entry to consider for eviction */
} machine_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void drop_entry(cached_machine *e) {
    if (e->tm)
        LLVMDisposeTargetMachine(e->tm);
    free(e->cpu);
    free(e->features);
    memset(e, 0, sizeof *e);
}

/* At thread exit: the thread's machines go with it. */
static void drop_cache(void *p) {
    machine_cache *c = p;
    for (unsigned i = 0; i < CACHED_MACHINES; i++)
        drop_entry(&c->entries[i]);
    free(c);
}

static void make_key(void) { pthread_key_create(&cache_key, drop_cache); }

static machine_cache *thread_cache(void) {
    pthread_once(&cache_once, make_key);
    machine_cache *c = pthread_getspecific(cache_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (c && pthread_setspecific(cache_key, c) != 0) {
            free(c);
            c = NULL;
        }
    }
    return c; /* NULL: no cache, every machine is made and disposed */
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static cached_machine *find(machine_cache *c, const w2n_target *t, const char *cpu,
                            const char *features, int level) {
    for (unsigned i = 0; i < CACHED_MACHINES; i++) {
        cached_machine *e = &c->entries[i];
        if (e->tm && e->target == t && e->level == level && !strcmp(e->cpu, cpu) &&
            !strcmp(e->features, features))
            return e;
    }
    return NULL;
}

/* A free entry, or an unused one evicted round-robin; NULL when all are in use. */
static cached_machine *free_entry(machine_cache *c) {
    for (unsigned i = 0; i < CACHED_MACHINES; i++)
        if (!c->entries[i].tm)
            return &c->entries[i];
    for (unsigned n = 0; n < CACHED_MACHINES; n++) {
        cached_machine *e = &c->entries[c->clock++ % CACHED_MACHINES];
        if (e->uses == 0) {
            drop_entry(e);
            return e;
        }
    }
    return NULL;
}

w2n_status w2n_target_machine_acquire(const w2n_target *t, const char *cpu, const char *features,
                                      int opt_level, LLVMTargetMachineRef *out, w2n_error *err) {
    cpu = or_empty(cpu);
    features = or_empty(features);
    machine_cache *c = thread_cache();
    cached_machine *e = c ? find(c, t, cpu, features, opt_level) : NULL;
    if (e) {
        e->uses++;
        *out = e->tm;
        return W2N_OK;
    }
    w2n_status s = w2n_target_machine(t, cpu, features, opt_level, out, err);
    if (s != W2N_OK || !c || !(e = free_entry(c)))
        return s;
    char *cpu_copy = strdup(cpu), *features_copy = strdup(features);
    if (!cpu_copy || !features_copy) { /* not kept: released, it is disposed */
        free(cpu_copy);
        free(features_copy);
        return W2N_OK;
    }
    *e = (cached_machine){.target = t,
                          .cpu = cpu_copy,
                          .features = features_copy,
                          .level = opt_level,
                          .uses = 1,
                          .tm = *out};
    return W2N_OK;
}

void w2n_target_machine_release(LLVMTargetMachineRef tm) {
    machine_cache *c = thread_cache();
    for (unsigned i = 0; c && i < CACHED_MACHINES; i++)
        if (c->entries[i].tm == tm) {
            c->entries[i].uses--;
            return;
        }
    LLVMDisposeTargetMachine(tm); /* made when the cache was full */
}
