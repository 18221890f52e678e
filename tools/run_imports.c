/*
 * run_imports.c — what `w2n run` / `w2n-run` give a module besides WASI: the
 * memory it imports (modules linked with --import-memory, and every
 * wasi-threads module, whose memory is shared) and wasi-threads'
 * thread-spawn.
 *
 * By wasi-threads' rules a trap or proc_exit in any thread ends the whole
 * program: a spawned thread's end flushes stdio and exits the process with
 * the status the main thread would have given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_backtrace.h"
#include "run_cli.h"
#include "run_imports.h"
#include "w2n/wasi.h"

bool w2n_run_import_known(const w2n_object *obj, uint32_t index) {
    const char *module, *name;
    w2n_extern_kind kind;
    w2n_object_import(obj, index, &module, &name, &kind);
    if (kind == W2N_EXTERN_MEMORY)
        return true;
    return kind == W2N_EXTERN_FUNC &&
           (w2n_wasi_provides(module, name) || w2n_wasi_threads_provides(module, name));
}

static void thread_ended(void *data, const w2n_trap *trap) {
    (void)data;
    fflush(stdout);
    if (trap->code == W2N_TRAP_EXIT) {
        fflush(NULL);
        _exit(trap->exit_status);
    }
    fprintf(stderr, "w2n: trap in a spawned thread: %s\n",
            trap->message[0] ? trap->message : w2n_trap_message(trap->code));
    w2n_run_print_backtrace(trap, stderr);
    fflush(NULL);
    _exit(W2N_RUN_EXIT_TRAP);
}

static bool imports_thread_spawn(const w2n_object *obj) {
    for (uint32_t i = 0; i < w2n_object_import_count(obj); i++) {
        const char *module, *name;
        w2n_extern_kind kind;
        w2n_object_import(obj, i, &module, &name, &kind);
        if (kind == W2N_EXTERN_FUNC && w2n_wasi_threads_provides(module, name))
            return true;
    }
    return false;
}

w2n_status w2n_run_define_imports(const w2n_object *obj, w2n_wasi *wasi, w2n_store *store,
                                  const w2n_store_options *sopts, w2n_linker *linker,
                                  w2n_wasi_threads **threads, w2n_error *err) {
    *threads = NULL;
    const char *module = NULL, *name = NULL;
    w2n_limits limits;
    uint32_t n = w2n_object_import_count(obj);
    uint32_t i = 0;
    while (i < n && !w2n_object_import_memory(obj, i, &limits))
        i++;
    bool spawns = imports_thread_spawn(obj);
    if (i == n)
        return spawns ? w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET,
                                      "imports wasi.thread-spawn but no shared memory")
                      : W2N_OK;
    w2n_object_import(obj, i, &module, &name, NULL);
    if (spawns && !limits.shared)
        return w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET,
                             "imports wasi.thread-spawn but its memory %s.%s is not shared", module,
                             name);
    w2n_memory *memory = w2n_memory_new(store, limits, w2n_object_bounds_mode(obj), err);
    if (!memory)
        return err->code;
    if (!spawns) {
        w2n_extern ext = {.kind = W2N_EXTERN_MEMORY, .of.memory = memory};
        return w2n_linker_define(linker, module, name, ext, err);
    }
    w2n_wasi_threads_config cfg = {.object = obj,
                                   .store_options = sopts,
                                   .memory_module = module,
                                   .memory_name = name,
                                   .memory = memory,
                                   .on_end = thread_ended};
    *threads = w2n_wasi_threads_new(wasi, &cfg, err);
    if (!*threads)
        return err->code;
    return w2n_wasi_threads_define(*threads, store, linker, err);
}
