/*
 * wasm2c_host.c — a stand-in for `w2n run` that needs neither the w2n
 * compiler nor its loader: a tests/wasi program translated to C by wabt's
 * wasm2c (module name "prog", header "prog.h") is linked with this file,
 * whose wasi_snapshot_preview1 imports call w2n's WASI cores.  So the WASI
 * implementation runs real wasi-libc programs end to end, with the same
 * command line as `w2n run` (FILE only names argv[0]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"
#include "run_args.h"
#include "wasi/wasi_internal.h"
#include "wasm-rt-impl.h"

struct Z_wasi_snapshot_preview1_instance_t {
    wasi_ctx *ctx;
    wasm_rt_memory_t *memory;
};
typedef struct Z_wasi_snapshot_preview1_instance_t host;

static wasi_mem view(host *h) {
    wasi_mem m = {h->memory ? h->memory->data : NULL, h->memory ? h->memory->size : 0};
    return m;
}

/* One import: NAME(PARAMS) calls the core with ARGS. */
#define IMPORT(name, params, ...)                          \
    u32 Z_wasi_snapshot_preview1Z_##name params;           \
    u32 Z_wasi_snapshot_preview1Z_##name params {          \
        wasi_mem m = view(h);                              \
        return w2n_wasi_##name(h->ctx, &m, ##__VA_ARGS__); \
    }

IMPORT(args_get, (host * h, u32 a, u32 b), a, b)
IMPORT(args_sizes_get, (host * h, u32 a, u32 b), a, b)
IMPORT(environ_get, (host * h, u32 a, u32 b), a, b)
IMPORT(environ_sizes_get, (host * h, u32 a, u32 b), a, b)
IMPORT(clock_res_get, (host * h, u32 a, u32 b), a, b)
IMPORT(clock_time_get, (host * h, u32 a, u64 b, u32 c), a, b, c)
IMPORT(fd_advise, (host * h, u32 a, u64 b, u64 c, u32 d), a, b, c, d)
IMPORT(fd_allocate, (host * h, u32 a, u64 b, u64 c), a, b, c)
IMPORT(fd_close, (host * h, u32 a), a)
IMPORT(fd_datasync, (host * h, u32 a), a)
IMPORT(fd_fdstat_get, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_fdstat_set_flags, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_fdstat_set_rights, (host * h, u32 a, u64 b, u64 c), a, b, c)
IMPORT(fd_filestat_get, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_filestat_set_size, (host * h, u32 a, u64 b), a, b)
IMPORT(fd_filestat_set_times, (host * h, u32 a, u64 b, u64 c, u32 d), a, b, c, d)
IMPORT(fd_pread, (host * h, u32 a, u32 b, u32 c, u64 d, u32 e), a, b, c, d, e)
IMPORT(fd_prestat_get, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_prestat_dir_name, (host * h, u32 a, u32 b, u32 c), a, b, c)
IMPORT(fd_pwrite, (host * h, u32 a, u32 b, u32 c, u64 d, u32 e), a, b, c, d, e)
IMPORT(fd_read, (host * h, u32 a, u32 b, u32 c, u32 d), a, b, c, d)
IMPORT(fd_readdir, (host * h, u32 a, u32 b, u32 c, u64 d, u32 e), a, b, c, d, e)
IMPORT(fd_renumber, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_seek, (host * h, u32 a, u64 b, u32 c, u32 d), a, (int64_t)b, c, d)
IMPORT(fd_sync, (host * h, u32 a), a)
IMPORT(fd_tell, (host * h, u32 a, u32 b), a, b)
IMPORT(fd_write, (host * h, u32 a, u32 b, u32 c, u32 d), a, b, c, d)
IMPORT(path_create_directory, (host * h, u32 a, u32 b, u32 c), a, b, c)
IMPORT(path_filestat_get, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e), a, b, c, d, e)
IMPORT(path_filestat_set_times, (host * h, u32 a, u32 b, u32 c, u32 d, u64 e, u64 f, u32 g), a, b,
       c, d, e, f, g)
IMPORT(path_link, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f, u32 g), a, b, c, d, e, f, g)
IMPORT(path_open, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e, u64 f, u64 g, u32 i, u32 j), a, b,
       c, d, e, f, g, i, j)
IMPORT(path_readlink, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f), a, b, c, d, e, f)
IMPORT(path_remove_directory, (host * h, u32 a, u32 b, u32 c), a, b, c)
IMPORT(path_rename, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f), a, b, c, d, e, f)
IMPORT(path_symlink, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e), a, b, c, d, e)
IMPORT(path_unlink_file, (host * h, u32 a, u32 b, u32 c), a, b, c)
IMPORT(poll_oneoff, (host * h, u32 a, u32 b, u32 c, u32 d), a, b, c, d)
IMPORT(proc_raise, (host * h, u32 a), a)
IMPORT(sched_yield, (host * h))
IMPORT(random_get, (host * h, u32 a, u32 b), a, b)
IMPORT(sock_accept, (host * h, u32 a, u32 b, u32 c), a, b, c)
IMPORT(sock_recv, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f), a, b, c, d, e, f)
IMPORT(sock_send, (host * h, u32 a, u32 b, u32 c, u32 d, u32 e), a, b, c, d, e)
IMPORT(sock_shutdown, (host * h, u32 a, u32 b), a, b)

/* proc_exit: a test harness may simply end the process. */
void Z_wasi_snapshot_preview1Z_proc_exit(host *h, u32 status);
void Z_wasi_snapshot_preview1Z_proc_exit(host *h, u32 status) {
    fflush(NULL);
    exit((int)status);
}

/* The spec's words for a trap, as w2n prints them. */
static const char *trap_message(wasm_rt_trap_t trap) {
    switch (trap) {
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call type mismatch";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
#endif
    default: return wasm_rt_strerror(trap);
    }
}

int main(int argc, char **argv) {
    w2n_run_options o;
    char msg[256];
    if (!w2n_run_parse(argc, argv, &o, msg, sizeof msg) || o.help) {
        fprintf(stderr, "wasm2c_host: %s\n", o.help ? "see w2n run --help" : msg);
        return 2;
    }
    const char **args = calloc((size_t)o.nargs + 1, sizeof *args);
    const char *slash = strrchr(o.file, '/');
    args[0] = slash ? slash + 1 : o.file;
    for (int i = 0; i < o.nargs; i++)
        args[i + 1] = o.args[i];
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.argc = o.nargs + 1;
    cfg.argv = args;
    cfg.envc = o.nenvs;
    cfg.envp = o.envs;
    cfg.ndirs = o.ndirs;
    cfg.dirs = o.dirs;
    cfg.max_open_files = (uint32_t)o.max_open_files;
    w2n_error err;
    host h = {w2n_wasi_new(&cfg, &err), NULL};
    if (!h.ctx) {
        fprintf(stderr, "wasm2c_host: %s\n", err.message);
        return 1;
    }
    /* The sandbox has two resolvers; tests can force the component walk. */
    const char *walk = getenv("W2N_TEST_WASI_WALK");
    if (walk && *walk == '1')
        h.ctx->use_openat2 = false;
    wasm_rt_init();
    Z_prog_init_module();
    static Z_prog_instance_t inst;
    Z_prog_instantiate(&inst, &h);
    h.memory = Z_progZ_memory(&inst);
    int rc = 0;
    wasm_rt_trap_t trap = wasm_rt_impl_try();
    if (trap == WASM_RT_TRAP_NONE) {
        Z_progZ__start(&inst);
    } else {
        fflush(stdout);
        fprintf(stderr, "w2n: trap: %s\n", trap_message(trap));
        rc = 134;
    }
    Z_prog_free(&inst);
    w2n_wasi_free(h.ctx);
    free(args);
    w2n_run_options_free(&o);
    return rc;
}
