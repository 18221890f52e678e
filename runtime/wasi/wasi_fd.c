/*
 * wasi_fd.c — the fd_* functions that act on one open descriptor: I/O,
 * seeking, status, flags and rights.  Each checks the rights the spec
 * names for it (w2n_wasi_fd_get), checks every guest pointer it will write
 * before doing any I/O (so a fault never loses data already consumed), and
 * maps host errors to WASI errnos.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

wasi_errno w2n_wasi_iovecs(const wasi_mem *m, uint32_t iovs, uint32_t n, struct iovec **out,
                           int *out_n) {
    *out = NULL;
    *out_n = 0;
    if (!wasi_mem_check(m, iovs, (uint64_t)n * WASI_IOVEC_SIZE))
        return WASI_EFAULT;
    /* More buffers than the host takes at once: a short transfer, as POSIX allows. */
    uint32_t count = n > IOV_MAX ? IOV_MAX : n;
    if (count == 0)
        return WASI_ESUCCESS;
    struct iovec *v = malloc(count * sizeof *v);
    if (!v)
        return WASI_ENOMEM;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *rec = wasi_mem_at(m, iovs + i * WASI_IOVEC_SIZE);
        uint32_t buf = wasi_get_u32(rec), len = wasi_get_u32(rec + 4);
        if (!wasi_mem_check(m, buf, len)) {
            free(v);
            return WASI_EFAULT;
        }
        v[i].iov_base = wasi_mem_at(m, buf);
        v[i].iov_len = len;
    }
    *out = v;
    *out_n = (int)count;
    return WASI_ESUCCESS;
}

/* Shared body of read/write/pread/pwrite. */
enum io_kind {
    IO_READ,
    IO_WRITE,
    IO_PREAD,
    IO_PWRITE
};

static wasi_errno do_io(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs, uint32_t n,
                        uint64_t offset, uint32_t result_ptr, enum io_kind kind) {
    static const uint64_t rights[] = {
        [IO_READ] = WASI_RIGHT_FD_READ,
        [IO_WRITE] = WASI_RIGHT_FD_WRITE,
        [IO_PREAD] = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK,
        [IO_PWRITE] = WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK,
    };
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, rights[kind], &e);
    /* Reading a descriptor opened for writing only (or the reverse) is
     * badf, as POSIX programs expect and other runtimes answer, rather
     * than notcapable. */
    if (!f) {
        uint64_t rw = rights[kind] & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE);
        if (e == WASI_ENOTCAPABLE && !(ctx->fds[fd].rights_base & rw))
            return WASI_EBADF;
        return e;
    }
    if ((kind == IO_PREAD || kind == IO_PWRITE) && offset > INT64_MAX)
        return WASI_EINVAL;
    if (!wasi_mem_check(m, result_ptr, 4))
        return WASI_EFAULT;
    struct iovec *v;
    int count;
    e = w2n_wasi_iovecs(m, iovs, n, &v, &count);
    if (e)
        return e;
    ssize_t r;
    do {
        switch (kind) {
        case IO_READ: r = count ? readv(f->host, v, count) : 0; break;
        case IO_WRITE: r = count ? writev(f->host, v, count) : 0; break;
        case IO_PREAD: r = count ? preadv(f->host, v, count, (off_t)offset) : 0; break;
        default: r = count ? pwritev(f->host, v, count, (off_t)offset) : 0; break;
        }
    } while (r < 0 && errno == EINTR && !w2n_host_should_stop());
    int saved = errno;
    free(v);
    if (r < 0)
        return w2n_wasi_errno(saved);
    /* One call moves at most IOV_MAX * 4 GiB, but a u32 result must not wrap. */
    wasi_put_u32(wasi_mem_at(m, result_ptr), r > UINT32_MAX ? UINT32_MAX : (uint32_t)r);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_read(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                            uint32_t iovs_len, uint32_t nread_ptr) {
    return do_io(ctx, m, fd, iovs, iovs_len, 0, nread_ptr, IO_READ);
}

wasi_errno w2n_wasi_fd_write(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                             uint32_t iovs_len, uint32_t nwritten_ptr) {
    return do_io(ctx, m, fd, iovs, iovs_len, 0, nwritten_ptr, IO_WRITE);
}

wasi_errno w2n_wasi_fd_pread(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                             uint32_t iovs_len, uint64_t offset, uint32_t nread_ptr) {
    return do_io(ctx, m, fd, iovs, iovs_len, offset, nread_ptr, IO_PREAD);
}

wasi_errno w2n_wasi_fd_pwrite(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint64_t offset, uint32_t nwritten_ptr) {
    return do_io(ctx, m, fd, iovs, iovs_len, offset, nwritten_ptr, IO_PWRITE);
}

wasi_errno w2n_wasi_fd_seek(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, int64_t offset,
                            uint32_t whence, uint32_t newoffset_ptr) {
    /* Asking where we are needs only fd_tell. */
    uint64_t need =
        whence == WASI_WHENCE_CUR && offset == 0 ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f)
        return e;
    if ((f->rights_base & (need | WASI_RIGHT_FD_SEEK)) == 0)
        return WASI_ENOTCAPABLE;
    int how;
    switch (whence) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    if (!wasi_mem_check(m, newoffset_ptr, 8))
        return WASI_EFAULT;
    off_t r = lseek(f->host, (off_t)offset, how);
    if (r < 0)
        return w2n_wasi_errno(errno);
    wasi_put_u64(wasi_mem_at(m, newoffset_ptr), (uint64_t)r);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_tell(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t offset_ptr) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_TELL, &e);
    if (!f)
        return e;
    if (!wasi_mem_check(m, offset_ptr, 8))
        return WASI_EFAULT;
    off_t r = lseek(f->host, 0, SEEK_CUR);
    if (r < 0)
        return w2n_wasi_errno(errno);
    wasi_put_u64(wasi_mem_at(m, offset_ptr), (uint64_t)r);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_close(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f)
        return e;
    w2n_wasi_fd_release(f);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_datasync(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_DATASYNC, &e);
    if (!f)
        return e;
    return fdatasync(f->host) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}

wasi_errno w2n_wasi_fd_sync(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_SYNC, &e);
    if (!f)
        return e;
    return fsync(f->host) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}

wasi_errno w2n_wasi_fd_advise(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t offset,
                              uint64_t len, uint32_t advice) {
    static const int host[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_ADVISE, &e);
    if (!f)
        return e;
    if (advice > WASI_ADVICE_NOREUSE || offset > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    int r = posix_fadvise(f->host, (off_t)offset, (off_t)len, host[advice]);
    /* Advice is a hint: a pipe or a device may not take it. */
    return r == 0 || r == ESPIPE ? WASI_ESUCCESS : w2n_wasi_errno(r);
}

wasi_errno w2n_wasi_fd_allocate(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint64_t offset,
                                uint64_t len) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_ALLOCATE, &e);
    if (!f)
        return e;
    if (offset > INT64_MAX || len > (uint64_t)INT64_MAX - offset)
        return WASI_EFBIG;
    int r = posix_fallocate(f->host, (off_t)offset, (off_t)len);
    return r == 0 ? WASI_ESUCCESS : w2n_wasi_errno(r);
}

static uint16_t host_fdflags(int fl) {
    uint16_t flags = 0;
    if (fl & O_APPEND)
        flags |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK)
        flags |= WASI_FDFLAG_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC)
        flags |= WASI_FDFLAG_SYNC;
    else if (fl & O_DSYNC)
        flags |= WASI_FDFLAG_DSYNC;
    return flags;
}

wasi_errno w2n_wasi_fd_fdstat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f)
        return e;
    if (!wasi_mem_check(m, buf, WASI_FDSTAT_SIZE))
        return WASI_EFAULT;
    int fl = fcntl(f->host, F_GETFL);
    uint8_t *p = wasi_mem_at(m, buf);
    memset(p, 0, WASI_FDSTAT_SIZE);
    wasi_put_u8(p, f->type);
    wasi_put_u16(p + 2, fl < 0 ? 0 : host_fdflags(fl));
    wasi_put_u64(p + 8, f->rights_base);
    wasi_put_u64(p + 16, f->rights_inheriting);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_fdstat_set_flags(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                        uint32_t flags) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (!f)
        return e;
    if (flags & ~0x1fu)
        return WASI_EINVAL;
    /* Linux cannot switch synchronous I/O on after open (F_SETFL ignores it). */
    if (flags & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
        return WASI_ENOTSUP;
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0)
        return w2n_wasi_errno(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    return fcntl(f->host, F_SETFL, fl) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}

wasi_errno w2n_wasi_fd_fdstat_set_rights(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                         uint64_t base, uint64_t inheriting) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f)
        return e;
    /* Rights can only be dropped, never gained. */
    if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting))
        return WASI_ENOTCAPABLE;
    f->rights_base = base;
    f->rights_inheriting = inheriting;
    return WASI_ESUCCESS;
}

static uint64_t ts_ns(const struct timespec *ts) {
    if (ts->tv_sec < 0)
        return 0;
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

void w2n_wasi_put_filestat(uint8_t *p, const struct stat *st) {
    memset(p, 0, WASI_FILESTAT_SIZE);
    wasi_put_u64(p, (uint64_t)st->st_dev);
    wasi_put_u64(p + 8, (uint64_t)st->st_ino);
    wasi_put_u8(p + 16, w2n_wasi_filetype(st->st_mode));
    wasi_put_u64(p + 24, (uint64_t)st->st_nlink);
    wasi_put_u64(p + 32, (uint64_t)st->st_size);
    wasi_put_u64(p + 40, ts_ns(&st->st_atim));
    wasi_put_u64(p + 48, ts_ns(&st->st_mtim));
    wasi_put_u64(p + 56, ts_ns(&st->st_ctim));
}

wasi_errno w2n_wasi_fd_filestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_FILESTAT_GET, &e);
    if (!f)
        return e;
    if (!wasi_mem_check(m, buf, WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    struct stat st;
    if (fstat(f->host, &st) != 0)
        return w2n_wasi_errno(errno);
    w2n_wasi_put_filestat(wasi_mem_at(m, buf), &st);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_filestat_set_size(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                         uint64_t size) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
    if (!f)
        return e;
    if (size > INT64_MAX)
        return WASI_EINVAL;
    return ftruncate(f->host, (off_t)size) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}

wasi_errno w2n_wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]) {
    if (fst & ~0xfu)
        return WASI_EINVAL;
    if ((fst & WASI_FSTFLAG_ATIM) && (fst & WASI_FSTFLAG_ATIM_NOW))
        return WASI_EINVAL;
    if ((fst & WASI_FSTFLAG_MTIM) && (fst & WASI_FSTFLAG_MTIM_NOW))
        return WASI_EINVAL;
    const uint64_t ns[2] = {atim, mtim};
    const uint32_t set[2] = {WASI_FSTFLAG_ATIM, WASI_FSTFLAG_MTIM};
    const uint32_t now[2] = {WASI_FSTFLAG_ATIM_NOW, WASI_FSTFLAG_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        ts[i].tv_sec = 0;
        if (fst & now[i]) {
            ts[i].tv_nsec = UTIME_NOW;
        } else if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(ns[i] / 1000000000u);
            ts[i].tv_nsec = (long)(ns[i] % 1000000000u);
        } else {
            ts[i].tv_nsec = UTIME_OMIT;
        }
    }
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_filestat_set_times(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                          uint64_t atim, uint64_t mtim, uint32_t fst) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
    if (!f)
        return e;
    struct timespec ts[2];
    e = w2n_wasi_times(atim, mtim, fst, ts);
    if (e)
        return e;
    return futimens(f->host, ts) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}

wasi_errno w2n_wasi_fd_prestat_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f || !f->preopen)
        return WASI_EBADF;
    if (!wasi_mem_check(m, buf, WASI_PRESTAT_SIZE))
        return WASI_EFAULT;
    uint8_t *p = wasi_mem_at(m, buf);
    memset(p, 0, WASI_PRESTAT_SIZE);
    wasi_put_u8(p, WASI_PREOPENTYPE_DIR);
    wasi_put_u32(p + 4, (uint32_t)strlen(f->preopen));
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_prestat_dir_name(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd,
                                        uint32_t path, uint32_t len) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!f || !f->preopen)
        return WASI_EBADF;
    size_t n = strlen(f->preopen);
    if (len < n)
        return WASI_ENAMETOOLONG;
    if (!wasi_mem_check(m, path, n))
        return WASI_EFAULT;
    memcpy(wasi_mem_at(m, path), f->preopen, n);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_fd_renumber(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t to) {
    wasi_errno e;
    wasi_fd *from = w2n_wasi_fd_get(ctx, fd, 0, &e);
    if (!from)
        return e;
    wasi_fd *dst = w2n_wasi_fd_get(ctx, to, 0, &e);
    if (!dst)
        return e;
    if (from == dst)
        return WASI_ESUCCESS;
    w2n_wasi_fd_release(dst);
    *dst = *from;
    memset(from, 0, sizeof *from);
    return WASI_ESUCCESS;
}
