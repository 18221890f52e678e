/*
 * wasi_host.c — wasi_snapshot_preview1 as w2n host functions.
 *
 * One table lists every function with its Wasm signature and an adapter;
 * an adapter takes a view of the caller's memory, unpacks the argument
 * slots (i32 slots hold guest pointers and u32 values, i64 slots u64
 * values), calls the core and stores the errno as the i32 result.  This is
 * the only file of the WASI implementation that calls into the runtime, so
 * the cores stay testable without one.
 */
#include <stdio.h>
#include <string.h>

#include "wasi/wasi_internal.h"

#define U32(i) ((uint32_t)s[i].i32)
#define U64(i) ((uint64_t)s[i].i64)

static wasi_mem view(w2n_instance *caller) {
    wasi_mem m = {NULL, 0};
    w2n_memory *mem = caller ? w2n_instance_memory(caller) : NULL;
    if (mem) {
        m.base = w2n_memory_data(mem);
        m.size = w2n_memory_size(mem);
    }
    return m;
}

static void ret(w2n_raw *s, wasi_errno e) {
    s[0].i64 = 0;
    s[0].i32 = e;
}

/* One adapter per function: NAME's core gets (ctx, &mem, ARGS...), under
 * the context's lock, since threads (wasi-threads) may share the context. */
#define ADAPTER(name, ...)                                               \
    static void h_##name(void *data, w2n_instance *caller, w2n_raw *s) { \
        wasi_mem m = view(caller);                                       \
        wasi_ctx *ctx = data;                                            \
        pthread_mutex_lock(&ctx->lock);                                  \
        ret(s, w2n_wasi_##name(ctx, &m, ##__VA_ARGS__));                 \
        pthread_mutex_unlock(&ctx->lock);                                \
    }

/* The same for cores that touch no shared state, or (poll_oneoff) lock it
 * themselves for as long as they read it: they may block. */
#define ADAPTER_UNLOCKED(name, ...)                                      \
    static void h_##name(void *data, w2n_instance *caller, w2n_raw *s) { \
        wasi_mem m = view(caller);                                       \
        ret(s, w2n_wasi_##name(data, &m, ##__VA_ARGS__));                \
    }

ADAPTER(args_get, U32(0), U32(1))
ADAPTER(args_sizes_get, U32(0), U32(1))
ADAPTER(environ_get, U32(0), U32(1))
ADAPTER(environ_sizes_get, U32(0), U32(1))
ADAPTER_UNLOCKED(clock_res_get, U32(0), U32(1))
ADAPTER_UNLOCKED(clock_time_get, U32(0), U64(1), U32(2))
ADAPTER(fd_advise, U32(0), U64(1), U64(2), U32(3))
ADAPTER(fd_allocate, U32(0), U64(1), U64(2))
ADAPTER(fd_close, U32(0))
ADAPTER(fd_datasync, U32(0))
ADAPTER(fd_fdstat_get, U32(0), U32(1))
ADAPTER(fd_fdstat_set_flags, U32(0), U32(1))
ADAPTER(fd_fdstat_set_rights, U32(0), U64(1), U64(2))
ADAPTER(fd_filestat_get, U32(0), U32(1))
ADAPTER(fd_filestat_set_size, U32(0), U64(1))
ADAPTER(fd_filestat_set_times, U32(0), U64(1), U64(2), U32(3))
ADAPTER(fd_pread, U32(0), U32(1), U32(2), U64(3), U32(4))
ADAPTER(fd_prestat_get, U32(0), U32(1))
ADAPTER(fd_prestat_dir_name, U32(0), U32(1), U32(2))
ADAPTER(fd_pwrite, U32(0), U32(1), U32(2), U64(3), U32(4))
ADAPTER(fd_read, U32(0), U32(1), U32(2), U32(3))
ADAPTER(fd_readdir, U32(0), U32(1), U32(2), U64(3), U32(4))
ADAPTER(fd_renumber, U32(0), U32(1))
ADAPTER(fd_seek, U32(0), (int64_t)U64(1), U32(2), U32(3))
ADAPTER(fd_sync, U32(0))
ADAPTER(fd_tell, U32(0), U32(1))
ADAPTER(fd_write, U32(0), U32(1), U32(2), U32(3))
ADAPTER(path_create_directory, U32(0), U32(1), U32(2))
ADAPTER(path_filestat_get, U32(0), U32(1), U32(2), U32(3), U32(4))
ADAPTER(path_filestat_set_times, U32(0), U32(1), U32(2), U32(3), U64(4), U64(5), U32(6))
ADAPTER(path_link, U32(0), U32(1), U32(2), U32(3), U32(4), U32(5), U32(6))
ADAPTER(path_open, U32(0), U32(1), U32(2), U32(3), U32(4), U64(5), U64(6), U32(7), U32(8))
ADAPTER(path_readlink, U32(0), U32(1), U32(2), U32(3), U32(4), U32(5))
ADAPTER(path_remove_directory, U32(0), U32(1), U32(2))
ADAPTER(path_rename, U32(0), U32(1), U32(2), U32(3), U32(4), U32(5))
ADAPTER(path_symlink, U32(0), U32(1), U32(2), U32(3), U32(4))
ADAPTER(path_unlink_file, U32(0), U32(1), U32(2))
ADAPTER_UNLOCKED(poll_oneoff, U32(0), U32(1), U32(2), U32(3))
ADAPTER(proc_raise, U32(0))
ADAPTER_UNLOCKED(sched_yield)
ADAPTER_UNLOCKED(random_get, U32(0), U32(1))
ADAPTER(sock_accept, U32(0), U32(1), U32(2))
ADAPTER(sock_recv, U32(0), U32(1), U32(2), U32(3), U32(4), U32(5))
ADAPTER(sock_send, U32(0), U32(1), U32(2), U32(3), U32(4))
ADAPTER(sock_shutdown, U32(0), U32(1))

/* proc_exit(rval) does not return: the call into Wasm ends with an exit
 * trap carrying the status, which the embedder reads from its w2n_trap. */
static void h_proc_exit(void *data, w2n_instance *caller, w2n_raw *s) {
    char msg[48];
    snprintf(msg, sizeof msg, "exit with status %d", (int)s[0].i32);
    w2n_host_trap(caller, W2N_TRAP_EXIT, (int)s[0].i32, msg);
}

#define I W2N_I32
#define L W2N_I64

static const struct {
    const char *name;
    w2n_host_fn fn;
    uint8_t nparams, nresults;
    w2n_valtype params[9];
} functions[] = {
    {"args_get", h_args_get, 2, 1, {I, I}},
    {"args_sizes_get", h_args_sizes_get, 2, 1, {I, I}},
    {"environ_get", h_environ_get, 2, 1, {I, I}},
    {"environ_sizes_get", h_environ_sizes_get, 2, 1, {I, I}},
    {"clock_res_get", h_clock_res_get, 2, 1, {I, I}},
    {"clock_time_get", h_clock_time_get, 3, 1, {I, L, I}},
    {"fd_advise", h_fd_advise, 4, 1, {I, L, L, I}},
    {"fd_allocate", h_fd_allocate, 3, 1, {I, L, L}},
    {"fd_close", h_fd_close, 1, 1, {I}},
    {"fd_datasync", h_fd_datasync, 1, 1, {I}},
    {"fd_fdstat_get", h_fd_fdstat_get, 2, 1, {I, I}},
    {"fd_fdstat_set_flags", h_fd_fdstat_set_flags, 2, 1, {I, I}},
    {"fd_fdstat_set_rights", h_fd_fdstat_set_rights, 3, 1, {I, L, L}},
    {"fd_filestat_get", h_fd_filestat_get, 2, 1, {I, I}},
    {"fd_filestat_set_size", h_fd_filestat_set_size, 2, 1, {I, L}},
    {"fd_filestat_set_times", h_fd_filestat_set_times, 4, 1, {I, L, L, I}},
    {"fd_pread", h_fd_pread, 5, 1, {I, I, I, L, I}},
    {"fd_prestat_get", h_fd_prestat_get, 2, 1, {I, I}},
    {"fd_prestat_dir_name", h_fd_prestat_dir_name, 3, 1, {I, I, I}},
    {"fd_pwrite", h_fd_pwrite, 5, 1, {I, I, I, L, I}},
    {"fd_read", h_fd_read, 4, 1, {I, I, I, I}},
    {"fd_readdir", h_fd_readdir, 5, 1, {I, I, I, L, I}},
    {"fd_renumber", h_fd_renumber, 2, 1, {I, I}},
    {"fd_seek", h_fd_seek, 4, 1, {I, L, I, I}},
    {"fd_sync", h_fd_sync, 1, 1, {I}},
    {"fd_tell", h_fd_tell, 2, 1, {I, I}},
    {"fd_write", h_fd_write, 4, 1, {I, I, I, I}},
    {"path_create_directory", h_path_create_directory, 3, 1, {I, I, I}},
    {"path_filestat_get", h_path_filestat_get, 5, 1, {I, I, I, I, I}},
    {"path_filestat_set_times", h_path_filestat_set_times, 7, 1, {I, I, I, I, L, L, I}},
    {"path_link", h_path_link, 7, 1, {I, I, I, I, I, I, I}},
    {"path_open", h_path_open, 9, 1, {I, I, I, I, I, L, L, I, I}},
    {"path_readlink", h_path_readlink, 6, 1, {I, I, I, I, I, I}},
    {"path_remove_directory", h_path_remove_directory, 3, 1, {I, I, I}},
    {"path_rename", h_path_rename, 6, 1, {I, I, I, I, I, I}},
    {"path_symlink", h_path_symlink, 5, 1, {I, I, I, I, I}},
    {"path_unlink_file", h_path_unlink_file, 3, 1, {I, I, I}},
    {"poll_oneoff", h_poll_oneoff, 4, 1, {I, I, I, I}},
    {"proc_exit", h_proc_exit, 1, 0, {I}},
    {"proc_raise", h_proc_raise, 1, 1, {I}},
    {"sched_yield", h_sched_yield, 0, 1, {0}},
    {"random_get", h_random_get, 2, 1, {I, I}},
    {"sock_accept", h_sock_accept, 3, 1, {I, I, I}},
    {"sock_recv", h_sock_recv, 6, 1, {I, I, I, I, I, I}},
    {"sock_send", h_sock_send, 5, 1, {I, I, I, I, I}},
    {"sock_shutdown", h_sock_shutdown, 2, 1, {I, I}},
};

static const w2n_valtype result_i32[1] = {I};

w2n_status w2n_wasi_define(w2n_wasi *wasi, w2n_store *store, w2n_linker *linker, w2n_error *err) {
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        /* The types are static and never written through: the cast only
         * meets w2n_functype's non-const members. */
        w2n_functype type = {functions[i].nparams, functions[i].nresults,
                             (w2n_valtype *)functions[i].params, (w2n_valtype *)result_i32};
        w2n_func *fn = w2n_host_func_new(store, &type, functions[i].fn, wasi);
        if (!fn)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                                 "cannot create host function wasi_snapshot_preview1.%s",
                                 functions[i].name);
        w2n_extern ext = {.kind = W2N_EXTERN_FUNC, .of.func = fn};
        w2n_status st =
            w2n_linker_define(linker, "wasi_snapshot_preview1", functions[i].name, ext, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}

bool w2n_wasi_provides(const char *module, const char *name) {
    if (strcmp(module, "wasi_snapshot_preview1") != 0)
        return false;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (!strcmp(functions[i].name, name))
            return true;
    return false;
}
