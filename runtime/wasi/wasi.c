/*
 * wasi.c — the state of a w2n_wasi: its copies of arguments and environment
 * and its descriptor table (stdio, then the preopened directories, then what
 * the program opens).  A table slot is either unused or owns everything in
 * it; w2n_wasi_fd_release is the one place an entry's resources go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

void w2n_wasi_config_init(w2n_wasi_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->stdin_fd = 0;
    cfg->stdout_fd = 1;
    cfg->stderr_fd = 2;
}

uint8_t w2n_wasi_filetype(unsigned mode) {
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs have no WASI type */
    }
}

wasi_errno w2n_wasi_errno(int e) {
    switch (e) {
    case 0: return WASI_ESUCCESS;
    case E2BIG: return WASI_E2BIG;
    case EACCES: return WASI_EACCES;
    case EADDRINUSE: return WASI_EADDRINUSE;
    case EADDRNOTAVAIL: return WASI_EADDRNOTAVAIL;
    case EAFNOSUPPORT: return WASI_EAFNOSUPPORT;
    case EAGAIN: return WASI_EAGAIN;
    case EALREADY: return WASI_EALREADY;
    case EBADF: return WASI_EBADF;
    case EBUSY: return WASI_EBUSY;
    case ECONNABORTED: return WASI_ECONNABORTED;
    case ECONNREFUSED: return WASI_ECONNREFUSED;
    case ECONNRESET: return WASI_ECONNRESET;
    case EDQUOT: return WASI_EDQUOT;
    case EEXIST: return WASI_EEXIST;
    case EFAULT: return WASI_EFAULT;
    case EFBIG: return WASI_EFBIG;
    case EINTR: return WASI_EINTR;
    case EINVAL: return WASI_EINVAL;
    case EIO: return WASI_EIO;
    case EISCONN: return WASI_EISCONN;
    case EISDIR: return WASI_EISDIR;
    case ELOOP: return WASI_ELOOP;
    case EMFILE: return WASI_EMFILE;
    case EMLINK: return WASI_EMLINK;
    case ENAMETOOLONG: return WASI_ENAMETOOLONG;
    case ENFILE: return WASI_ENFILE;
    case ENOBUFS: return WASI_ENOBUFS;
    case ENODEV: return WASI_ENODEV;
    case ENOENT: return WASI_ENOENT;
    case ENOMEM: return WASI_ENOMEM;
    case ENOSPC: return WASI_ENOSPC;
    case ENOSYS: return WASI_ENOSYS;
    case ENOTCONN: return WASI_ENOTCONN;
    case ENOTDIR: return WASI_ENOTDIR;
    case ENOTEMPTY: return WASI_ENOTEMPTY;
    case ENOTSOCK: return WASI_ENOTSOCK;
    case EOPNOTSUPP: return WASI_ENOTSUP;
    case ENOTTY: return WASI_ENOTTY;
    case ENXIO: return WASI_ENXIO;
    case EOVERFLOW: return WASI_EOVERFLOW;
    case EPERM: return WASI_EPERM;
    case EPIPE: return WASI_EPIPE;
    case ERANGE: return WASI_ERANGE;
    case EROFS: return WASI_EROFS;
    case ESPIPE: return WASI_ESPIPE;
    case ETIMEDOUT: return WASI_ETIMEDOUT;
    case ETXTBSY: return WASI_ETXTBSY;
    case EXDEV: return WASI_EXDEV;
    default: return WASI_EIO;
    }
}

/* Rights a descriptor of this type can hold: base and inheriting. */
void w2n_wasi_rights_for(uint8_t type, uint64_t *base, uint64_t *inheriting) {
    switch (type) {
    case WASI_FILETYPE_DIRECTORY:
        *base = WASI_RIGHTS_DIR;
        *inheriting = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
        break;
    case WASI_FILETYPE_REGULAR_FILE:
    case WASI_FILETYPE_BLOCK_DEVICE:
        *base = WASI_RIGHTS_FILE;
        *inheriting = 0;
        break;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM:
        *base = WASI_RIGHTS_SOCKET;
        *inheriting = 0;
        break;
    default:
        *base = WASI_RIGHTS_TTY;
        *inheriting = 0;
        break;
    }
}

wasi_fd *w2n_wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t rights, wasi_errno *e) {
    if (fd >= ctx->nfds || !ctx->fds[fd].used) {
        *e = WASI_EBADF;
        return NULL;
    }
    wasi_fd *f = &ctx->fds[fd];
    if ((f->rights_base & rights) != rights) {
        *e = WASI_ENOTCAPABLE;
        return NULL;
    }
    *e = WASI_ESUCCESS;
    return f;
}

static wasi_errno grow_table(wasi_ctx *ctx) {
    uint32_t n = ctx->nfds ? ctx->nfds * 2 : 8;
    if (n > 65536) /* far beyond what the host lets one process open */
        return WASI_EMFILE;
    wasi_fd *fds = realloc(ctx->fds, n * sizeof *fds);
    if (!fds)
        return WASI_ENOMEM;
    memset(fds + ctx->nfds, 0, (n - ctx->nfds) * sizeof *fds);
    ctx->fds = fds;
    ctx->nfds = n;
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_install(wasi_ctx *ctx, int host, uint8_t type, uint64_t base,
                               uint64_t inheriting, uint32_t *out_fd) {
    /* New descriptors never land on 0..2, even when stdio was closed, so a
     * program cannot mistake a file for its stdout. */
    uint32_t i = 3;
    while (i < ctx->nfds && ctx->fds[i].used)
        i++;
    /* As RLIMIT_NOFILE does: a cap on the descriptor numbers, so a guest
     * opening files in a loop stops here, not at the host's limit. */
    if (ctx->max_fds && i >= ctx->max_fds)
        return WASI_EMFILE;
    while (i >= ctx->nfds) {
        wasi_errno e = grow_table(ctx);
        if (e)
            return e;
    }
    wasi_fd *f = &ctx->fds[i];
    memset(f, 0, sizeof *f);
    f->used = true;
    f->owned = true;
    f->host = host;
    f->type = type;
    f->rights_base = base;
    f->rights_inheriting = inheriting;
    *out_fd = i;
    return WASI_ESUCCESS;
}

void w2n_wasi_fd_release(wasi_fd *f) {
    if (!f->used)
        return;
    if (f->dir)
        closedir(f->dir); /* closes its own dup of the descriptor */
    if (f->owned && f->host >= 0)
        close(f->host);
    free(f->preopen);
    memset(f, 0, sizeof *f);
}

static char **copy_strings(int n, const char *const *src) {
    char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < n; i++) {
        v[i] = strdup(src[i] ? src[i] : "");
        if (!v[i]) {
            for (int j = 0; j < i; j++)
                free(v[j]);
            free(v);
            return NULL;
        }
    }
    return v;
}

static void free_strings(char **v, uint32_t n) {
    if (!v)
        return;
    for (uint32_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Put host stdio descriptor `host` at WASI fd `fd` (0..2), not owned. */
static w2n_status add_stdio(wasi_ctx *ctx, uint32_t fd, int host, w2n_error *err) {
    while (ctx->nfds <= fd)
        if (grow_table(ctx))
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    if (host < 0)
        return W2N_OK;
    struct stat st;
    uint8_t type = fstat(host, &st) == 0 ? w2n_wasi_filetype(st.st_mode) : WASI_FILETYPE_UNKNOWN;
    wasi_fd *f = &ctx->fds[fd];
    f->used = true;
    f->owned = false;
    f->host = host;
    f->type = type;
    w2n_wasi_rights_for(type, &f->rights_base, &f->rights_inheriting);
    return W2N_OK;
}

static w2n_status add_preopen(wasi_ctx *ctx, const char *spec, w2n_error *err) {
    const char *sep = strstr(spec, "::");
    size_t host_len = sep ? (size_t)(sep - spec) : strlen(spec);
    const char *guest = sep ? sep + 2 : spec;
    if (host_len == 0 || !*guest)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "bad directory '%s': expected HOST[::GUEST]", spec);
    char *host = strndup(spec, host_len);
    char *name = strdup(guest);
    int hfd = host ? open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    int saved = errno;
    w2n_status st = W2N_OK;
    uint32_t fd;
    if (!host || !name) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto fail;
    }
    if (hfd < 0) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "cannot open directory '%s': %s", host,
                           strerror(saved));
        goto fail;
    }
    uint64_t base, inheriting;
    w2n_wasi_rights_for(WASI_FILETYPE_DIRECTORY, &base, &inheriting);
    if (w2n_wasi_fd_install(ctx, hfd, WASI_FILETYPE_DIRECTORY, base, inheriting, &fd)) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto fail;
    }
    ctx->fds[fd].preopen = name;
    free(host);
    return W2N_OK;
fail:
    if (hfd >= 0)
        close(hfd);
    free(host);
    free(name);
    return st;
}

w2n_wasi *w2n_wasi_new(const w2n_wasi_config *cfg, w2n_error *err) {
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        return NULL;
    }
    ctx->use_openat2 = true;
    pthread_mutex_init(&ctx->lock, NULL);
    if (cfg->argc < 0 || cfg->envc < 0 || cfg->ndirs < 0) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "negative count in WASI config");
        goto fail;
    }
    ctx->argv = copy_strings(cfg->argc, cfg->argv);
    ctx->envp = copy_strings(cfg->envc, cfg->envp);
    if (!ctx->argv || !ctx->envp) {
        w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto fail;
    }
    ctx->argc = (uint32_t)cfg->argc;
    ctx->envc = (uint32_t)cfg->envc;
    if (add_stdio(ctx, 0, cfg->stdin_fd, err) || add_stdio(ctx, 1, cfg->stdout_fd, err) ||
        add_stdio(ctx, 2, cfg->stderr_fd, err))
        goto fail;
    /* Preopens take fds 3, 4, ... in order. */
    for (int i = 0; i < cfg->ndirs; i++)
        if (add_preopen(ctx, cfg->dirs[i], err))
            goto fail;
    ctx->max_fds = cfg->max_open_files ? cfg->max_open_files : W2N_WASI_DEFAULT_MAX_OPEN_FILES;
    return ctx;
fail:
    w2n_wasi_free(ctx);
    return NULL;
}

void w2n_wasi_free(w2n_wasi *ctx) {
    if (!ctx)
        return;
    for (uint32_t i = 0; i < ctx->nfds; i++)
        w2n_wasi_fd_release(&ctx->fds[i]);
    free(ctx->fds);
    free_strings(ctx->argv, ctx->argc);
    free_strings(ctx->envp, ctx->envc);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}
