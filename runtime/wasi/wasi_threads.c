/*
 * wasi_threads.c — the wasi-threads proposal: "wasi" "thread-spawn".
 *
 * A spawn makes a detached host thread; the thread builds a store, a linker
 * with WASI, the shared memory and thread-spawn, instantiates the object
 * and calls wasi_thread_start(tid, start_arg).  The instance's active data
 * segments are not a problem: a module linked for shared memory makes its
 * segments passive and initialises them once, behind an atomic flag.
 *
 * Bounds (a guest is hostile): at most max_threads spawned threads alive at
 * once and thread ids below 2^29, then thread-spawn fails with -EAGAIN as
 * wasi-libc expects; every thread's native stack is fixed at spawn.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2n/abi.h"
#include "wasi/wasi_internal.h"

#define DEFAULT_MAX_THREADS 64
#define MAX_TID 0x1FFFFFFF             /* ids are positive i32s below 2^29 (wasi-threads) */
#define SPAWN_FAILED (-6)              /* -EAGAIN in WASI's numbering */
#define HOST_STACK ((size_t)256 << 10) /* room for host frames besides Wasm's */

struct w2n_wasi_threads {
    w2n_wasi *wasi;
    w2n_wasi_threads_config cfg;
    w2n_store_options store_options;
    char *memory_module, *memory_name; /* owned copies */
    _Atomic uint32_t next_tid;
    _Atomic uint32_t alive;
    _Atomic uint32_t spawned;
};

typedef struct spawn {
    w2n_wasi_threads *threads;
    int32_t tid, start_arg;
} spawn;

static char *copy(const char *s) {
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    return c ? memcpy(c, s, n) : NULL;
}

w2n_wasi_threads *w2n_wasi_threads_new(w2n_wasi *wasi, const w2n_wasi_threads_config *cfg,
                                       w2n_error *err) {
    if (!wasi || !cfg || !cfg->object || !cfg->memory || !cfg->memory_module || !cfg->memory_name) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                      "wasi-threads needs WASI, an object and its shared memory");
        return NULL;
    }
    w2n_wasi_threads *t = calloc(1, sizeof *t);
    if (t) {
        t->memory_module = copy(cfg->memory_module);
        t->memory_name = copy(cfg->memory_name);
    }
    if (!t || !t->memory_module || !t->memory_name) {
        w2n_wasi_threads_free(t);
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        return NULL;
    }
    t->wasi = wasi;
    t->cfg = *cfg;
    if (cfg->store_options)
        t->store_options = *cfg->store_options;
    if (!t->cfg.max_threads)
        t->cfg.max_threads = DEFAULT_MAX_THREADS;
    atomic_init(&t->next_tid, 1);
    return t;
}

void w2n_wasi_threads_free(w2n_wasi_threads *t) {
    if (!t)
        return;
    free(t->memory_module);
    free(t->memory_name);
    free(t);
}

uint32_t w2n_wasi_threads_spawned(const w2n_wasi_threads *t) {
    return atomic_load(&((w2n_wasi_threads *)t)->spawned);
}

bool w2n_wasi_threads_provides(const char *module, const char *name) {
    return !strcmp(module, "wasi") && !strcmp(name, "thread-spawn");
}

static void end_with(w2n_wasi_threads *t, w2n_trap_code code, const char *message) {
    w2n_trap trap = {.code = code};
    size_t n = strlen(message);
    if (n >= sizeof trap.message)
        n = sizeof trap.message - 1;
    memcpy(trap.message, message, n);
    if (t->cfg.on_end)
        t->cfg.on_end(t->cfg.data, &trap);
}

/* Instantiate and run wasi_thread_start in this thread's own store. */
static void run_thread(w2n_wasi_threads *t, int32_t tid, int32_t start_arg) {
    w2n_error err;
    w2n_trap trap;
    w2n_instance *inst;
    w2n_store *store = w2n_store_new(&t->store_options);
    w2n_linker *linker = store ? w2n_linker_new(store) : NULL;
    if (!linker || w2n_wasi_define(t->wasi, store, linker, &err) != W2N_OK ||
        w2n_wasi_threads_define(t, store, linker, &err) != W2N_OK) {
        end_with(t, W2N_TRAP_HOST, "wasi-threads: cannot set up a thread");
        goto done;
    }
    w2n_status st = w2n_linker_instantiate(linker, t->cfg.object, &inst, &trap, &err);
    if (st == W2N_ERR_TRAP) {
        if (t->cfg.on_end)
            t->cfg.on_end(t->cfg.data, &trap);
        goto done;
    }
    w2n_extern start;
    if (st != W2N_OK || w2n_instance_export(inst, "wasi_thread_start", &start) != W2N_OK ||
        start.kind != W2N_EXTERN_FUNC) {
        end_with(t, W2N_TRAP_HOST,
                 st != W2N_OK ? err.message : "wasi-threads: no wasi_thread_start export");
        goto done;
    }
    w2n_value args[2] = {{.type = W2N_I32, .of.i32 = tid}, {.type = W2N_I32, .of.i32 = start_arg}};
    st = w2n_func_call(store, start.of.func, args, 2, NULL, 0, &trap, &err);
    if (st == W2N_ERR_TRAP && t->cfg.on_end)
        t->cfg.on_end(t->cfg.data, &trap);
    else if (st != W2N_OK && st != W2N_ERR_TRAP)
        end_with(t, W2N_TRAP_HOST, err.message);
done:
    if (linker)
        w2n_linker_free(linker);
    if (store)
        w2n_store_free(store);
}

static void *thread_main(void *p) {
    spawn s = *(spawn *)p;
    free(p);
    run_thread(s.threads, s.tid, s.start_arg);
    atomic_fetch_sub(&s.threads->alive, 1);
    return NULL;
}

/* "wasi" "thread-spawn": (start_arg) -> tid or SPAWN_FAILED. */
static void h_thread_spawn(void *data, w2n_instance *caller, w2n_raw *s) {
    (void)caller;
    w2n_wasi_threads *t = data;
    int32_t start_arg = s[0].i32;
    s[0].i64 = 0;
    s[0].i32 = SPAWN_FAILED;
    if (atomic_fetch_add(&t->alive, 1) >= t->cfg.max_threads) {
        atomic_fetch_sub(&t->alive, 1);
        return;
    }
    uint32_t tid = atomic_fetch_add(&t->next_tid, 1);
    spawn *arg = tid <= MAX_TID ? malloc(sizeof *arg) : NULL;
    pthread_attr_t attr;
    pthread_t thread;
    size_t wasm_stack = t->store_options.stack_size ? t->store_options.stack_size : (size_t)1 << 20;
    bool started = false;
    if (arg && pthread_attr_init(&attr) == 0) {
        *arg = (spawn){t, (int32_t)tid, start_arg};
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, wasm_stack + W2N_STACK_RESERVE + HOST_STACK);
        started = pthread_create(&thread, &attr, thread_main, arg) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        free(arg);
        atomic_fetch_sub(&t->alive, 1);
        return;
    }
    atomic_fetch_add(&t->spawned, 1);
    s[0].i32 = (int32_t)tid;
}

w2n_status w2n_wasi_threads_define(w2n_wasi_threads *t, w2n_store *store, w2n_linker *linker,
                                   w2n_error *err) {
    static const w2n_valtype i32 = W2N_I32;
    w2n_functype type = {1, 1, (w2n_valtype *)&i32, (w2n_valtype *)&i32};
    w2n_func *fn = w2n_host_func_new(store, &type, h_thread_spawn, t);
    if (!fn)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot create host function wasi.thread-spawn");
    w2n_extern spawn_fn = {.kind = W2N_EXTERN_FUNC, .of.func = fn};
    w2n_extern memory = {.kind = W2N_EXTERN_MEMORY, .of.memory = t->cfg.memory};
    w2n_status st = w2n_linker_define(linker, "wasi", "thread-spawn", spawn_fn, err);
    if (st == W2N_OK)
        st = w2n_linker_define(linker, t->memory_module, t->memory_name, memory, err);
    return st;
}
