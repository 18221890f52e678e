/*
 * w2n/wasi.h — WASI preview 1 (module "wasi_snapshot_preview1") for w2n instances.
 *
 * A w2n_wasi holds one program's view of the world: its arguments, its
 * environment, and a table of file descriptors whose first entries are
 * stdin, stdout, stderr and then one per preopened directory (fd 3, 4, ...).
 * Nothing outside the preopened directories is reachable: paths are resolved
 * beneath a preopen (openat2 RESOLVE_BENEATH where the kernel has it, else a
 * component-by-component walk that follows symlinks itself), and `..`,
 * absolute paths or symlinks that would leave it fail with errno
 * `notcapable`.
 *
 *     const char *args[] = {"app.wasm", "input.txt"};
 *     const char *env[] = {"HOME=/"};
 *     const char *dirs[] = {".::/work"};            // HOST[::GUEST]
 *     w2n_wasi_config cfg;
 *     w2n_wasi_config_init(&cfg);                   // stdio = 0, 1, 2
 *     cfg.argc = 2; cfg.argv = args;
 *     cfg.envc = 1; cfg.envp = env;
 *     cfg.ndirs = 1; cfg.dirs = dirs;
 *     w2n_error err;
 *     w2n_wasi *wasi = w2n_wasi_new(&cfg, &err);
 *     if (!wasi) { fprintf(stderr, "%s\n", err.message); ... }
 *     if (w2n_wasi_define(wasi, store, linker, &err) != W2N_OK) { ... }
 *     // instantiate with the linker, then call "_start":
 *     if (w2n_func_call(store, start, NULL, 0, NULL, 0, &trap, &err) == W2N_ERR_TRAP &&
 *         trap.code == W2N_TRAP_EXIT)
 *         status = trap.exit_status;                // proc_exit(status)
 *     ...
 *     w2n_wasi_free(wasi);                          // after the store is done with it
 *
 * What a guest can hold of the host is bounded (docs/security.md): at most
 * max_open_files descriptors at once (default W2N_WASI_DEFAULT_MAX_OPEN_FILES,
 * stdio and preopens included; past it path_open and sock_accept give
 * errno `mfile`), paths of at most W2N_WASI_MAX_PATH bytes (`nametoolong`),
 * poll_oneoff with at most W2N_WASI_MAX_SUBSCRIPTIONS subscriptions
 * (`inval`), and reads and writes of at most IOV_MAX (1024) buffers per call
 * (the rest is a short transfer).
 *
 * proc_exit ends the running call with a W2N_TRAP_EXIT trap carrying the
 * status; the caller decides what that means (w2n-run exits with it).
 * A w2n_wasi serves one instance at a time and is not thread-safe.
 */
#ifndef W2N_WASI_H
#define W2N_WASI_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stdint.h>

#include "w2n/error.h"
#include "w2n/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct w2n_wasi w2n_wasi;

#define W2N_WASI_DEFAULT_MAX_OPEN_FILES 1024 /* Linux's usual RLIMIT_NOFILE soft limit */
#define W2N_WASI_MAX_PATH 4095               /* bytes; Linux's PATH_MAX less the NUL */
#define W2N_WASI_MAX_SUBSCRIPTIONS 4096      /* per poll_oneoff call */

typedef struct w2n_wasi_config {
    int argc; /* argv[0] is the program's name as it sees it */
    const char *const *argv;
    int envc; /* "KEY=VALUE" strings, given to the program as is */
    const char *const *envp;
    int ndirs; /* preopens "HOST[::GUEST]"; GUEST defaults to HOST */
    const char *const *dirs;
    int stdin_fd;  /* host descriptors behind WASI fds 0, 1, 2 (not closed */
    int stdout_fd; /*   by w2n_wasi_free; -1 leaves that fd closed) */
    int stderr_fd;
    uint32_t max_open_files; /* descriptors open at once: WASI fds below it
                                    (0: W2N_WASI_DEFAULT_MAX_OPEN_FILES); the
                                    preopens always get theirs */
} w2n_wasi_config;

/* Zero arguments, environment and preopens; stdio 0, 1, 2. */
W2N_API void w2n_wasi_config_init(w2n_wasi_config *cfg);

/* Copy the configuration and open the preopened directories.  NULL on
 * failure (a directory that cannot be opened: W2N_ERR_IO naming it). */
W2N_API w2n_wasi *w2n_wasi_new(const w2n_wasi_config *cfg, w2n_error *err);

/* Define every wasi_snapshot_preview1 function in `linker` as a host
 * function of `store` bound to this w2n_wasi.  The w2n_wasi must outlive
 * every call into instances linked with them. */
W2N_API w2n_status w2n_wasi_define(w2n_wasi *wasi, w2n_store *store, w2n_linker *linker,
                                   w2n_error *err);

/* True when w2n_wasi_define defines module.name (module is
 * "wasi_snapshot_preview1"): lets a tool name a missing import up front. */
W2N_API bool w2n_wasi_provides(const char *module, const char *name);

/* Close every descriptor the program opened and the preopens; free. */
W2N_API void w2n_wasi_free(w2n_wasi *wasi);

/* ---- wasi-threads ----------------------------------------------------------
 * A module built for wasi-threads imports a shared memory and the function
 * "wasi" "thread-spawn" (i32 start_arg) -> i32, and exports
 * "wasi_thread_start" (i32 tid, i32 start_arg).  Each spawn starts a host
 * thread that makes a new instance of the same object in a store of its own
 * (its own stack limit, traps and interrupts), linked to the same w2n_wasi
 * (its descriptor table is locked, so threads may share it), the same
 * shared memory and thread-spawn itself, and calls wasi_thread_start.
 * thread-spawn returns the new thread's id (1 .. 2^29 - 1), or -6 (WASI's
 * EAGAIN, negated) when no thread can be started or max_threads run. */
typedef struct w2n_wasi_threads w2n_wasi_threads;

/* A spawned thread's call ended with a trap, or with proc_exit (trap->code
 * W2N_TRAP_EXIT): by wasi-threads' rules the whole program ends; the
 * callback decides how (w2n-run exits the process).  Runs on that thread. */
typedef void (*w2n_wasi_thread_end_fn)(void *data, const w2n_trap *trap);

typedef struct w2n_wasi_threads_config {
    const w2n_object *object;                /* what every thread instantiates */
    const w2n_store_options *store_options;  /* each thread's store (NULL: defaults) */
    const char *memory_module, *memory_name; /* the object's shared memory import */
    w2n_memory *memory;                      /* the memory it gets; outlives the threads */
    w2n_wasi_thread_end_fn on_end;
    void *data;
    uint32_t max_threads; /* spawned threads alive at once (0: 64) */
} w2n_wasi_threads_config;

W2N_API w2n_wasi_threads *w2n_wasi_threads_new(w2n_wasi *wasi, const w2n_wasi_threads_config *cfg,
                                               w2n_error *err);
/* Define cfg->memory and "wasi" "thread-spawn" in `linker` (for `store`). */
W2N_API w2n_status w2n_wasi_threads_define(w2n_wasi_threads *threads, w2n_store *store,
                                           w2n_linker *linker, w2n_error *err);
/* True for "wasi" "thread-spawn". */
W2N_API bool w2n_wasi_threads_provides(const char *module, const char *name);
/* Threads spawned so far. */
W2N_API uint32_t w2n_wasi_threads_spawned(const w2n_wasi_threads *threads);
/* Free; only once no spawned thread runs (the program has ended). */
W2N_API void w2n_wasi_threads_free(w2n_wasi_threads *threads);

#ifdef __cplusplus
}
#endif
#endif
