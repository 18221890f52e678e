/*
 * wasi_internal.h — the state behind a w2n_wasi and the core of every
 * wasi_snapshot_preview1 function.
 *
 * Each core function takes the context and a view of the caller's memory
 * and returns a WASI errno; the host-function adapters (wasi_host.c) only
 * unpack argument slots and call it, so the cores can be tested on a plain
 * byte buffer without any instance.  Cores never trust a guest pointer or
 * length: they go through wasi_mem.h.
 */
#ifndef W2N_WASI_INTERNAL_H
#define W2N_WASI_INTERNAL_H

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "w2n/wasi.h"
#include "wasi/wasi_abi.h"
#include "wasi/wasi_mem.h"

/* One open WASI descriptor. */
typedef struct wasi_fd {
    bool used;
    bool owned;   /* close `host` when the entry goes (not for stdio) */
    int host;     /* host descriptor */
    uint8_t type; /* WASI_FILETYPE_* */
    uint64_t rights_base;
    uint64_t rights_inheriting;
    char *preopen;    /* guest name of a preopened directory, else NULL */
    DIR *dir;         /* fd_readdir stream, opened on first use */
    uint64_t dir_pos; /* cookie of the next entry `dir` returns */
} wasi_fd;

struct w2n_wasi {
    uint32_t argc, envc;
    char **argv, **envp; /* owned copies */
    wasi_fd *fds;
    uint32_t nfds;        /* capacity of fds */
    bool use_openat2;     /* false: always walk paths component by component */
    uint32_t max_fds;     /* descriptors the program may open: numbers below it
                               (0 while w2n_wasi_new installs stdio and preopens) */
    pthread_mutex_t lock; /* the descriptor table, for threads (wasi-threads) that
                               share this context: every core that touches it runs
                               under the lock; poll_oneoff drops it while it waits */
};
typedef struct w2n_wasi wasi_ctx;

/* Special "errno" a core returns from proc_exit: the adapter turns it into
 * a W2N_TRAP_EXIT trap (no WASI errno reaches 0xffff). */
#define WASI_EXIT_REQUEST 0xffffu

/* ---- state (wasi.c) ------------------------------------------------------- */
/* The entry for fd with all of `rights`, or NULL with *e = badf/notcapable. */
wasi_fd *w2n_wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t rights, wasi_errno *e);
/* Install a host descriptor at the lowest free slot; badf-free errno,
 * `mfile` when that slot is at max_fds or beyond. */
wasi_errno w2n_wasi_fd_install(wasi_ctx *ctx, int host, uint8_t type, uint64_t base,
                               uint64_t inheriting, uint32_t *out_fd);
void w2n_wasi_fd_release(wasi_fd *f);
/* The WASI filetype of a host mode (st_mode). */
uint8_t w2n_wasi_filetype(unsigned mode);
/* Rights a descriptor of a WASI filetype can ever hold. */
void w2n_wasi_rights_for(uint8_t type, uint64_t *base, uint64_t *inheriting);
/* A host errno as a WASI errno. */
wasi_errno w2n_wasi_errno(int host_errno);

/* ---- path resolution beneath a directory fd (wasi_sandbox.c) ---------------- */
typedef struct wasi_path {
    int dirfd; /* directory that holds `name` */
    bool own_dirfd;
    bool trailing_slash; /* the guest path ended in '/': must be a directory */
    char name[256];      /* one component, or "." for the directory itself */
} wasi_path;

/* Resolve a guest path relative to dirfd.  Every intermediate symlink, and
 * the last component's when `follow`, is resolved within the tree under
 * dirfd; leaving it gives notcapable, an absolute path too. */
wasi_errno w2n_wasi_resolve(wasi_ctx *ctx, int dirfd, const char *path, uint32_t len, bool follow,
                            wasi_path *out);
void w2n_wasi_path_release(wasi_path *p);
/* Copy a guest path out of memory (NUL-terminated, malloc'd). */
wasi_errno w2n_wasi_path_copy(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out);

/* ---- the functions of wasi_snapshot_preview1 -------------------------------- */
/* wasi_args.c */
wasi_errno w2n_wasi_args_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t argv, uint32_t buf);
wasi_errno w2n_wasi_args_sizes_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t argc_ptr,
                                   uint32_t size_ptr);
wasi_errno w2n_wasi_environ_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t env, uint32_t buf);
wasi_errno w2n_wasi_environ_sizes_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t count_ptr,
                                      uint32_t size_ptr);
/* wasi_clock.c */
wasi_errno w2n_wasi_clock_res_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t id, uint32_t res_ptr);
wasi_errno w2n_wasi_clock_time_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t id,
                                   uint64_t precision, uint32_t time_ptr);
wasi_errno w2n_wasi_clock_now(uint32_t id, uint64_t *out_ns);
/* wasi_proc.c */
wasi_errno w2n_wasi_random_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t buf, uint32_t len);
wasi_errno w2n_wasi_proc_raise(wasi_ctx *ctx, const wasi_mem *m, uint32_t sig);
wasi_errno w2n_wasi_sched_yield(wasi_ctx *ctx, const wasi_mem *m);
/* wasi_fd.c */
wasi_errno w2n_wasi_fd_advise(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t offset,
                              uint64_t len, uint32_t advice);
wasi_errno w2n_wasi_fd_allocate(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t offset,
                                uint64_t len);
wasi_errno w2n_wasi_fd_close(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd);
wasi_errno w2n_wasi_fd_datasync(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd);
wasi_errno w2n_wasi_fd_sync(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd);
wasi_errno w2n_wasi_fd_fdstat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf);
wasi_errno w2n_wasi_fd_fdstat_set_flags(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                        uint32_t flags);
wasi_errno w2n_wasi_fd_fdstat_set_rights(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                         uint64_t base, uint64_t inheriting);
wasi_errno w2n_wasi_fd_filestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf);
wasi_errno w2n_wasi_fd_filestat_set_size(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                         uint64_t size);
wasi_errno w2n_wasi_fd_filestat_set_times(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint64_t atim, uint64_t mtim, uint32_t fst);
wasi_errno w2n_wasi_fd_pread(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                             uint32_t iovs_len, uint64_t offset, uint32_t nread_ptr);
wasi_errno w2n_wasi_fd_pwrite(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint64_t offset, uint32_t nwritten_ptr);
wasi_errno w2n_wasi_fd_read(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                            uint32_t iovs_len, uint32_t nread_ptr);
wasi_errno w2n_wasi_fd_write(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                             uint32_t iovs_len, uint32_t nwritten_ptr);
wasi_errno w2n_wasi_fd_prestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf);
wasi_errno w2n_wasi_fd_prestat_dir_name(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                        uint32_t path, uint32_t len);
wasi_errno w2n_wasi_fd_renumber(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t to);
wasi_errno w2n_wasi_fd_seek(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, int64_t offset,
                            uint32_t whence, uint32_t newoffset_ptr);
wasi_errno w2n_wasi_fd_tell(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t offset_ptr);
/* wasi_dir.c */
wasi_errno w2n_wasi_fd_readdir(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf,
                               uint32_t buf_len, uint64_t cookie, uint32_t bufused_ptr);
/* wasi_path.c */
wasi_errno w2n_wasi_path_create_directory(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint32_t path, uint32_t path_len);
wasi_errno w2n_wasi_path_filestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                      uint32_t path, uint32_t path_len, uint32_t buf);
wasi_errno w2n_wasi_path_filestat_set_times(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                            uint32_t flags, uint32_t path, uint32_t path_len,
                                            uint64_t atim, uint64_t mtim, uint32_t fst);
wasi_errno w2n_wasi_path_link(wasi_ctx *ctx, const wasi_mem *m, uint32_t old_fd, uint32_t old_flags,
                              uint32_t old_path, uint32_t old_len, uint32_t new_fd,
                              uint32_t new_path, uint32_t new_len);
wasi_errno w2n_wasi_path_open(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t dirflags,
                              uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t base,
                              uint64_t inheriting, uint32_t fdflags, uint32_t fd_ptr);
wasi_errno w2n_wasi_path_readlink(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t path,
                                  uint32_t path_len, uint32_t buf, uint32_t buf_len,
                                  uint32_t bufused_ptr);
wasi_errno w2n_wasi_path_remove_directory(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint32_t path, uint32_t path_len);
wasi_errno w2n_wasi_path_rename(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t old_path,
                                uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                                uint32_t new_len);
wasi_errno w2n_wasi_path_symlink(wasi_ctx *ctx, const wasi_mem *m, uint32_t old_path,
                                 uint32_t old_len, uint32_t fd, uint32_t new_path,
                                 uint32_t new_len);
wasi_errno w2n_wasi_path_unlink_file(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t path,
                                     uint32_t path_len);
/* wasi_poll.c */
wasi_errno w2n_wasi_poll_oneoff(wasi_ctx *ctx, const wasi_mem *m, uint32_t in, uint32_t out,
                                uint32_t nsubs, uint32_t nevents_ptr);
/* wasi_sock.c */
wasi_errno w2n_wasi_sock_accept(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                uint32_t fd_ptr);
wasi_errno w2n_wasi_sock_recv(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint32_t flags, uint32_t datalen_ptr,
                              uint32_t oflags_ptr);
wasi_errno w2n_wasi_sock_send(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint32_t flags, uint32_t datalen_ptr);
wasi_errno w2n_wasi_sock_shutdown(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t how);

/* Write a host stat as a WASI filestat (64 bytes at p). */
void w2n_wasi_put_filestat(uint8_t *p, const struct stat *st);
/* Turn WASI (atim, mtim, fstflags) into a utimensat times pair. */
wasi_errno w2n_wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* Gather guest iovecs into host ones (wasi_fd.c): fault when any lies
 * outside memory.  *out is malloc'd (NULL when n == 0). */
struct iovec;
wasi_errno w2n_wasi_iovecs(const wasi_mem *m, uint32_t iovs, uint32_t n, struct iovec **out,
                           int *out_n);

#endif
