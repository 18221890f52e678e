/*
 * wasi_path.c — the path_* functions.  Each checks the directory
 * descriptor's rights, copies the guest path out of memory, resolves it
 * beneath that directory (wasi_sandbox.c) and then makes exactly one *at()
 * call on the resolved (directory, name) pair that never follows a final
 * symlink itself: following, when asked for, already happened inside the
 * sandbox.
 *
 * A trailing slash ("name/") is not part of the resolved name but a flag on
 * it, and each call honours it as Linux does.  The calls that look up only
 * the parent and treat the last component themselves (mkdirat, unlinkat,
 * renameat, symlinkat, linkat's new name) resolve the path without its
 * slashes, so a final symlink stays unfollowed, and get the slash back on
 * the name: the kernel then decides ("link/" with nothing there is ENOENT,
 * a file renamed to "new/" or a symlink removed as "link/" is ENOTDIR), and
 * none of these calls follows a final symlink, slash or not.  The calls
 * that do follow one because of a slash (stat, utimensat, readlinkat,
 * linkat's old name, open) get it followed by the resolver, inside the
 * sandbox, and check that what it names is a directory.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

/* Resolve (fd, path) for an operation that needs `right` on fd.  `keep`:
 * the operation treats the last component itself, so a trailing slash must
 * not make the resolver follow a final symlink ("link/" is the link, as for
 * Linux's rename, unlink, rmdir, mkdir, symlink and link's new name): the
 * slashes are taken off first and only noted in out->trailing_slash. */
static wasi_errno lookup(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t right,
                         uint32_t ptr, uint32_t len, bool follow, bool keep, wasi_path *out) {
    memset(out, 0, sizeof *out);
    out->dirfd = -1;
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, right, &e);
    if (!f)
        return e;
    if (f->type != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    char *s;
    e = w2n_wasi_path_copy(m, ptr, len, &s);
    if (e)
        return e;
    bool slash = false;
    while (keep && len > 1 && s[len - 1] == '/') {
        s[--len] = 0;
        slash = true;
    }
    e = w2n_wasi_resolve(ctx, f->host, s, len, follow, out);
    free(s);
    if (!e && slash)
        out->trailing_slash = true;
    return e;
}

static wasi_errno resolve(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t right,
                          uint32_t ptr, uint32_t len, bool follow, wasi_path *out) {
    return lookup(ctx, m, fd, right, ptr, len, follow, false, out);
}

static wasi_errno resolve_keep(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t right,
                               uint32_t ptr, uint32_t len, wasi_path *out) {
    return lookup(ctx, m, fd, right, ptr, len, false, true, out);
}

static wasi_errno result(int r) { return r == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno); }

/* The resolved name as a parent-lookup call must see it: with the guest's
 * trailing slash put back (the header says why this is safe). */
typedef struct {
    char s[sizeof((wasi_path *)0)->name + 1];
} kname;

static kname slashed(const wasi_path *p) {
    kname k;
    size_t n = strlen(p->name);
    memcpy(k.s, p->name, n);
    if (p->trailing_slash)
        k.s[n++] = '/';
    k.s[n] = 0;
    return k;
}

wasi_errno w2n_wasi_path_create_directory(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint32_t path, uint32_t path_len) {
    wasi_path p;
    wasi_errno e = resolve_keep(ctx, m, fd, WASI_RIGHT_PATH_CREATE_DIRECTORY, path, path_len, &p);
    if (!e)
        e = result(mkdirat(p.dirfd, slashed(&p).s, 0777));
    w2n_wasi_path_release(&p);
    return e;
}

/* stat the resolved name; a trailing slash demands a directory. */
static wasi_errno stat_at(const wasi_path *p, struct stat *st) {
    if (fstatat(p->dirfd, p->name, st, AT_SYMLINK_NOFOLLOW) != 0)
        return w2n_wasi_errno(errno);
    if (p->trailing_slash && !S_ISDIR(st->st_mode))
        return WASI_ENOTDIR;
    return WASI_ESUCCESS;
}

/* For a call that would follow a final symlink because of a trailing
 * slash: "name/" must be a directory (ENOENT or ENOTDIR otherwise). */
static wasi_errno slash_needs_dir(const wasi_path *p) {
    struct stat st;
    return p->trailing_slash ? stat_at(p, &st) : WASI_ESUCCESS;
}

wasi_errno w2n_wasi_path_filestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                      uint32_t path, uint32_t path_len, uint32_t buf) {
    if (!wasi_mem_check(m, buf, WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    wasi_path p;
    struct stat st;
    wasi_errno e = resolve(ctx, m, fd, WASI_RIGHT_PATH_FILESTAT_GET, path, path_len,
                           flags & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
    if (!e)
        e = stat_at(&p, &st);
    if (!e)
        w2n_wasi_put_filestat(wasi_mem_at(m, buf), &st);
    w2n_wasi_path_release(&p);
    return e;
}

wasi_errno w2n_wasi_path_filestat_set_times(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                            uint32_t flags, uint32_t path, uint32_t path_len,
                                            uint64_t atim, uint64_t mtim, uint32_t fst) {
    struct timespec ts[2];
    wasi_errno e = w2n_wasi_times(atim, mtim, fst, ts);
    if (e)
        return e;
    wasi_path p;
    e = resolve(ctx, m, fd, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len,
                flags & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
    if (!e)
        e = slash_needs_dir(&p);
    if (!e)
        e = result(utimensat(p.dirfd, p.name, ts, AT_SYMLINK_NOFOLLOW));
    w2n_wasi_path_release(&p);
    return e;
}

wasi_errno w2n_wasi_path_link(wasi_ctx *ctx, const wasi_mem *m, uint32_t old_fd, uint32_t old_flags,
                              uint32_t old_path, uint32_t old_len, uint32_t new_fd,
                              uint32_t new_path, uint32_t new_len) {
    wasi_path from, to = {.dirfd = -1};
    wasi_errno e = resolve(ctx, m, old_fd, WASI_RIGHT_PATH_LINK_SOURCE, old_path, old_len,
                           old_flags & WASI_LOOKUP_SYMLINK_FOLLOW, &from);
    if (!e)
        e = slash_needs_dir(&from);
    if (!e)
        e = resolve_keep(ctx, m, new_fd, WASI_RIGHT_PATH_LINK_TARGET, new_path, new_len, &to);
    if (!e)
        e = result(linkat(from.dirfd, from.name, to.dirfd, slashed(&to).s, 0));
    w2n_wasi_path_release(&from);
    w2n_wasi_path_release(&to);
    return e;
}

wasi_errno w2n_wasi_path_readlink(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t path,
                                  uint32_t path_len, uint32_t buf, uint32_t buf_len,
                                  uint32_t bufused_ptr) {
    if (!wasi_mem_check(m, buf, buf_len) || !wasi_mem_check(m, bufused_ptr, 4))
        return WASI_EFAULT;
    wasi_path p;
    wasi_errno e = resolve(ctx, m, fd, WASI_RIGHT_PATH_READLINK, path, path_len, false, &p);
    if (!e)
        e = slash_needs_dir(&p);
    if (!e) {
        /* readlinkat truncates to buf_len, which is what preview 1 asks for. */
        ssize_t n = readlinkat(p.dirfd, p.name, (char *)wasi_mem_at(m, buf), buf_len);
        if (n < 0)
            e = w2n_wasi_errno(errno);
        else
            wasi_put_u32(wasi_mem_at(m, bufused_ptr), (uint32_t)n);
    }
    w2n_wasi_path_release(&p);
    return e;
}

wasi_errno w2n_wasi_path_remove_directory(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint32_t path, uint32_t path_len) {
    wasi_path p;
    wasi_errno e = resolve_keep(ctx, m, fd, WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len, &p);
    if (!e)
        e = result(unlinkat(p.dirfd, slashed(&p).s, AT_REMOVEDIR));
    w2n_wasi_path_release(&p);
    return e;
}

wasi_errno w2n_wasi_path_unlink_file(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t path,
                                     uint32_t path_len) {
    wasi_path p;
    wasi_errno e = resolve_keep(ctx, m, fd, WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, &p);
    if (!e) /* "dir/": EISDIR, "file/": ENOTDIR, from the kernel */
        e = result(unlinkat(p.dirfd, slashed(&p).s, 0));
    w2n_wasi_path_release(&p);
    return e;
}

wasi_errno w2n_wasi_path_rename(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t old_path,
                                uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                                uint32_t new_len) {
    wasi_path from, to;
    wasi_errno e =
        resolve_keep(ctx, m, fd, WASI_RIGHT_PATH_RENAME_SOURCE, old_path, old_len, &from);
    if (e) {
        w2n_wasi_path_release(&from);
        return e;
    }
    e = resolve_keep(ctx, m, new_fd, WASI_RIGHT_PATH_RENAME_TARGET, new_path, new_len, &to);
    if (!e)
        e = result(renameat(from.dirfd, slashed(&from).s, to.dirfd, slashed(&to).s));
    w2n_wasi_path_release(&from);
    w2n_wasi_path_release(&to);
    return e;
}

wasi_errno w2n_wasi_path_symlink(wasi_ctx *ctx, const wasi_mem *m, uint32_t old_path,
                                 uint32_t old_len, uint32_t fd, uint32_t new_path,
                                 uint32_t new_len) {
    char *target;
    wasi_errno e = w2n_wasi_path_copy(m, old_path, old_len, &target);
    if (e)
        return e;
    /* An absolute target could never be followed inside the sandbox, and
     * would point host tools outside it: refuse it up front. */
    if (target[0] == '/') {
        free(target);
        return WASI_ENOTCAPABLE;
    }
    wasi_path p;
    e = resolve_keep(ctx, m, fd, WASI_RIGHT_PATH_SYMLINK, new_path, new_len, &p);
    if (!e)
        e = result(symlinkat(target, p.dirfd, slashed(&p).s));
    w2n_wasi_path_release(&p);
    free(target);
    return e;
}

/* Host open(2) flags for a path_open request. */
static int open_flags(uint32_t oflags, uint64_t base, uint32_t fdflags) {
    bool rd = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool wr = base & (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE |
                      WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    /* A directory with write rights is refused by the kernel (EISDIR), as
     * for a native open(".", O_DIRECTORY | O_RDWR). */
    int flags = O_CLOEXEC | O_NOFOLLOW | (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY);
    if (oflags & WASI_OFLAG_DIRECTORY)
        flags |= O_DIRECTORY;
    if (oflags & WASI_OFLAG_CREAT)
        flags |= O_CREAT;
    if (oflags & WASI_OFLAG_EXCL)
        flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC)
        flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND)
        flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK)
        flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_SYNC)
        flags |= O_SYNC;
    else if (fdflags & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC))
        flags |= O_DSYNC;
    return flags;
}

wasi_errno w2n_wasi_path_open(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t dirflags,
                              uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t base,
                              uint64_t inheriting, uint32_t fdflags, uint32_t fd_ptr) {
    if (oflags & ~0xfu || fdflags & ~0x1fu)
        return WASI_EINVAL;
    /* Linux refuses O_CREAT | O_DIRECTORY since 6.4 (older kernels made a
     * file): one answer whatever the kernel. */
    if ((oflags & WASI_OFLAG_CREAT) && (oflags & WASI_OFLAG_DIRECTORY))
        return WASI_EINVAL;
    if (!wasi_mem_check(m, fd_ptr, 4))
        return WASI_EFAULT;
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT)
        need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC)
        need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    wasi_errno e;
    wasi_fd *dir = w2n_wasi_fd_get(ctx, fd, need, &e);
    if (!dir)
        return e;
    /* A new descriptor gets at most what its directory may hand down. */
    base &= dir->rights_inheriting;
    inheriting &= dir->rights_inheriting;
    wasi_path p;
    e = resolve(ctx, m, fd, need, path, path_len, dirflags & WASI_LOOKUP_SYMLINK_FOLLOW, &p);
    if (e) {
        w2n_wasi_path_release(&p);
        return e;
    }
    int flags = open_flags(oflags, base, fdflags);
    if (p.trailing_slash && (oflags & WASI_OFLAG_CREAT)) {
        w2n_wasi_path_release(&p); /* "name/" is never a file to create */
        return WASI_EISDIR;
    }
    if (p.trailing_slash)
        flags |= O_DIRECTORY;
    int hfd = openat(p.dirfd, p.name, flags, 0666);
    int err = errno;
    w2n_wasi_path_release(&p);
    if (hfd < 0)
        return w2n_wasi_errno(err);
    struct stat st;
    if (fstat(hfd, &st) != 0) {
        err = errno;
        close(hfd);
        return w2n_wasi_errno(err);
    }
    uint8_t type = w2n_wasi_filetype(st.st_mode);
    uint64_t max_base, max_inheriting;
    w2n_wasi_rights_for(type, &max_base, &max_inheriting);
    uint32_t out;
    e = w2n_wasi_fd_install(ctx, hfd, type, base & max_base, inheriting & max_inheriting, &out);
    if (e) {
        close(hfd);
        return e;
    }
    wasi_put_u32(wasi_mem_at(m, fd_ptr), out);
    return WASI_ESUCCESS;
}
