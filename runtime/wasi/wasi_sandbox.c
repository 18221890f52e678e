/*
 * wasi_sandbox.c — resolving guest paths beneath a directory descriptor.
 *
 * The result of a resolution is a directory the guest may reach plus one
 * last component (never containing '/', never ".."), so every operation is
 * then a single *at() call that does not follow a final symlink.  Two ways
 * get there:
 *
 *  - fast: the kernel opens the directory part with openat2 and
 *    RESOLVE_BENEATH, which refuses to leave the start directory;
 *  - walk: one component at a time, each directory opened with O_NOFOLLOW
 *    relative to the previous one, `..` popping our own stack of opened
 *    directories (never the file system's `..`), symlinks read with
 *    readlinkat and spliced into the rest of the path, at most
 *    MAX_SYMLINKS of them.  Popping below the start, an absolute path and
 *    an absolute symlink target give notcapable.
 *
 * The walk is used when the kernel lacks openat2, for a final symlink to be
 * followed, and for paths that end in "." or "..".  Both ways hold a
 * descriptor at every step, so renaming directories under a running
 * resolution cannot move it outside.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"
#include "wasi/wasi_sys.h"

#define MAX_SYMLINKS 40
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

wasi_errno w2n_wasi_path_copy(const wasi_mem *m, uint32_t ptr, uint32_t len, char **out) {
    *out = NULL;
    if (!wasi_mem_check(m, ptr, len))
        return WASI_EFAULT;
    if (len > W2N_WASI_MAX_PATH) /* as Linux: the host copies no more than it would */
        return WASI_ENAMETOOLONG;
    const uint8_t *src = wasi_mem_at(m, ptr);
    if (memchr(src, 0, len))
        return WASI_EINVAL; /* the host would silently cut the path short */
    char *s = malloc((size_t)len + 1);
    if (!s)
        return WASI_ENOMEM;
    memcpy(s, src, len);
    s[len] = 0;
    *out = s;
    return WASI_ESUCCESS;
}

void w2n_wasi_path_release(wasi_path *p) {
    if (p->own_dirfd && p->dirfd >= 0)
        close(p->dirfd);
    p->dirfd = -1;
    p->own_dirfd = false;
}

/* The stack of directories a walk holds: [0] is the start (not ours). */
typedef struct dirstack {
    int *fds;
    size_t depth; /* index of the top */
    size_t cap;
} dirstack;

static bool push(dirstack *s, int fd) {
    if (s->depth + 1 == s->cap) {
        size_t cap = s->cap * 2;
        int *fds = realloc(s->fds, cap * sizeof *fds);
        if (!fds)
            return false;
        s->fds = fds;
        s->cap = cap;
    }
    s->fds[++s->depth] = fd;
    return true;
}

static void pop_all_but_top(dirstack *s) {
    for (size_t i = 1; i < s->depth; i++)
        close(s->fds[i]);
}

/* Replace the remaining path with target + "/" + rest. */
static char *splice_link(const char *target, const char *rest, bool slash) {
    size_t tl = strlen(target), rl = strlen(rest);
    char *s = malloc(tl + rl + 2);
    if (!s)
        return NULL;
    memcpy(s, target, tl);
    size_t n = tl;
    if (rl || slash)
        s[n++] = '/';
    memcpy(s + n, rest, rl + 1);
    return s;
}

static wasi_errno walk(int dirfd, const char *path, bool follow, wasi_path *out) {
    dirstack st = {malloc(16 * sizeof(int)), 0, 16};
    char *buf = strdup(path);
    char *link = malloc(PATH_MAX);
    wasi_errno e = WASI_ESUCCESS;
    int links = 0;
    if (!st.fds || !buf || !link) {
        e = WASI_ENOMEM;
        goto fail;
    }
    st.fds[0] = dirfd;
    const char *p = buf;
    for (;;) {
        if (*p == '/') { /* at the start, or a symlink's target */
            e = WASI_ENOTCAPABLE;
            goto fail;
        }
        size_t clen = strcspn(p, "/");
        const char *q = p + clen;
        bool slash = *q == '/';
        while (*q == '/')
            q++;
        bool last = *q == 0;
        if (clen == 0) { /* nothing left: the directory itself */
            strcpy(out->name, ".");
            break;
        }
        if (clen > NAME_MAX) {
            e = WASI_ENAMETOOLONG;
            goto fail;
        }
        char comp[NAME_MAX + 1];
        memcpy(comp, p, clen);
        comp[clen] = 0;
        if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
            if (comp[1] == '.') {
                if (st.depth == 0) {
                    e = WASI_ENOTCAPABLE;
                    goto fail;
                }
                close(st.fds[st.depth--]);
            }
            p = q;
            if (last) {
                strcpy(out->name, ".");
                out->trailing_slash = slash;
                break;
            }
            continue;
        }
        int top = st.fds[st.depth];
        if (last && !follow && !slash) {
            strcpy(out->name, comp);
            break;
        }
        ssize_t n = readlinkat(top, comp, link, PATH_MAX - 1);
        if (n >= 0) {
            if (++links > MAX_SYMLINKS) {
                e = WASI_ELOOP;
                goto fail;
            }
            if (n == 0) {
                e = WASI_ENOENT;
                goto fail;
            }
            link[n] = 0;
            char *next = splice_link(link, q, slash);
            if (!next) {
                e = WASI_ENOMEM;
                goto fail;
            }
            free(buf);
            buf = next;
            p = buf;
            continue;
        }
        int err = errno;
        if (err != EINVAL && err != ENOENT) {
            e = w2n_wasi_errno(err);
            goto fail;
        }
        if (last) { /* not a symlink (or not there yet: a create) */
            strcpy(out->name, comp);
            out->trailing_slash = slash;
            break;
        }
        if (err == ENOENT) {
            e = WASI_ENOENT;
            goto fail;
        }
        int fd = openat(top, comp, DIR_FLAGS);
        if (fd < 0) {
            e = w2n_wasi_errno(errno);
            goto fail;
        }
        if (!push(&st, fd)) {
            close(fd);
            e = WASI_ENOMEM;
            goto fail;
        }
        p = q;
    }
    pop_all_but_top(&st);
    out->dirfd = st.fds[st.depth];
    out->own_dirfd = st.depth > 0;
    free(st.fds);
    free(buf);
    free(link);
    return WASI_ESUCCESS;
fail:
    if (st.fds)
        for (size_t i = 1; i <= st.depth; i++)
            close(st.fds[i]);
    free(st.fds);
    free(buf);
    free(link);
    return e;
}

/* The kernel's way; WASI_ENOSYS asks the caller to walk instead. */
static wasi_errno beneath(wasi_ctx *ctx, int dirfd, const char *path, bool follow, wasi_path *out) {
    size_t len = strlen(path);
    bool slash = false;
    while (len > 0 && path[len - 1] == '/') {
        len--;
        slash = true;
    }
    size_t base = len;
    while (base > 0 && path[base - 1] != '/')
        base--;
    size_t blen = len - base;
    if (blen == 0 || (blen == 1 && path[base] == '.') ||
        (blen == 2 && path[base] == '.' && path[base + 1] == '.'))
        return WASI_ENOSYS;
    if (blen > NAME_MAX)
        return WASI_ENAMETOOLONG;
    int fd = dirfd;
    if (base > 0) {
        char *dir = strndup(path, base);
        if (!dir)
            return WASI_ENOMEM;
        fd = w2n_wasi_sys_open_beneath(dirfd, dir, DIR_FLAGS & ~O_NOFOLLOW);
        int err = errno;
        free(dir);
        if (fd < 0) {
            if (err == ENOSYS) { /* an old kernel: walk from now on */
                ctx->use_openat2 = false;
                return WASI_ENOSYS;
            }
            if (err == EPERM) /* a seccomp filter that refuses openat2: walk */
                return WASI_ENOSYS;
            return err == EXDEV ? WASI_ENOTCAPABLE : w2n_wasi_errno(err);
        }
    }
    memcpy(out->name, path + base, blen);
    out->name[blen] = 0;
    out->dirfd = fd;
    out->own_dirfd = fd != dirfd;
    out->trailing_slash = slash;
    if (follow || slash) {
        char c;
        if (readlinkat(fd, out->name, &c, 1) >= 0) { /* a final symlink: walk it */
            w2n_wasi_path_release(out);
            return WASI_ENOSYS;
        }
    }
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_resolve(wasi_ctx *ctx, int dirfd, const char *path, uint32_t len, bool follow,
                            wasi_path *out) {
    memset(out, 0, sizeof *out);
    out->dirfd = -1;
    if (len == 0 || path[0] == 0)
        return WASI_ENOENT;
    if (path[0] == '/')
        return WASI_ENOTCAPABLE;
    if (ctx->use_openat2) {
        wasi_errno e = beneath(ctx, dirfd, path, follow, out);
        if (e != WASI_ENOSYS)
            return e;
        memset(out, 0, sizeof *out);
        out->dirfd = -1;
    }
    return walk(dirfd, path, follow, out);
}
