/*
 * wasi_sock.c — sock_accept, sock_recv, sock_send, sock_shutdown on
 * descriptors the host handed in (preview 1 cannot create sockets).  A bad
 * descriptor is badf, one that is not a socket notsock.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static wasi_fd *get_socket(wasi_ctx *ctx, uint32_t fd, uint64_t rights, wasi_errno *e) {
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, 0, e);
    if (!f)
        return NULL;
    if (f->type != WASI_FILETYPE_SOCKET_STREAM && f->type != WASI_FILETYPE_SOCKET_DGRAM) {
        *e = WASI_ENOTSOCK;
        return NULL;
    }
    if ((f->rights_base & rights) != rights) {
        *e = WASI_ENOTCAPABLE;
        return NULL;
    }
    return f;
}

wasi_errno w2n_wasi_sock_accept(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                uint32_t fd_ptr) {
    wasi_errno e;
    wasi_fd *f = get_socket(ctx, fd, WASI_RIGHT_SOCK_ACCEPT, &e);
    if (!f)
        return e;
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_EINVAL;
    if (!wasi_mem_check(m, fd_ptr, 4))
        return WASI_EFAULT;
    int s = accept4(f->host, NULL, NULL,
                    SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
    if (s < 0)
        return w2n_wasi_errno(errno);
    uint32_t out;
    e = w2n_wasi_fd_install(ctx, s, WASI_FILETYPE_SOCKET_STREAM,
                            WASI_RIGHTS_SOCKET & ~WASI_RIGHT_SOCK_ACCEPT, 0, &out);
    if (e) {
        close(s);
        return e;
    }
    wasi_put_u32(wasi_mem_at(m, fd_ptr), out);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_sock_recv(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint32_t flags, uint32_t datalen_ptr,
                              uint32_t oflags_ptr) {
    wasi_errno e;
    wasi_fd *f = get_socket(ctx, fd, WASI_RIGHT_FD_READ, &e);
    if (!f)
        return e;
    if (flags & ~(uint32_t)(WASI_RIFLAG_RECV_PEEK | WASI_RIFLAG_RECV_WAITALL))
        return WASI_EINVAL;
    if (!wasi_mem_check(m, datalen_ptr, 4) || !wasi_mem_check(m, oflags_ptr, 2))
        return WASI_EFAULT;
    struct msghdr msg = {0};
    int count;
    e = w2n_wasi_iovecs(m, iovs, iovs_len, &msg.msg_iov, &count);
    if (e)
        return e;
    msg.msg_iovlen = (size_t)count;
    int hflags = (flags & WASI_RIFLAG_RECV_PEEK ? MSG_PEEK : 0) |
                 (flags & WASI_RIFLAG_RECV_WAITALL ? MSG_WAITALL : 0);
    ssize_t r = recvmsg(f->host, &msg, hflags);
    int err = errno;
    free(msg.msg_iov);
    if (r < 0)
        return w2n_wasi_errno(err);
    wasi_put_u32(wasi_mem_at(m, datalen_ptr), (uint32_t)r);
    wasi_put_u16(wasi_mem_at(m, oflags_ptr),
                 msg.msg_flags & MSG_TRUNC ? WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_sock_send(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                              uint32_t iovs_len, uint32_t flags, uint32_t datalen_ptr) {
    wasi_errno e;
    wasi_fd *f = get_socket(ctx, fd, WASI_RIGHT_FD_WRITE, &e);
    if (!f)
        return e;
    if (flags != 0) /* siflags has no flags defined */
        return WASI_EINVAL;
    if (!wasi_mem_check(m, datalen_ptr, 4))
        return WASI_EFAULT;
    struct msghdr msg = {0};
    int count;
    e = w2n_wasi_iovecs(m, iovs, iovs_len, &msg.msg_iov, &count);
    if (e)
        return e;
    msg.msg_iovlen = (size_t)count;
    ssize_t r = sendmsg(f->host, &msg, MSG_NOSIGNAL);
    int err = errno;
    free(msg.msg_iov);
    if (r < 0)
        return w2n_wasi_errno(err);
    wasi_put_u32(wasi_mem_at(m, datalen_ptr), (uint32_t)r);
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_sock_shutdown(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t how) {
    wasi_errno e;
    wasi_fd *f = get_socket(ctx, fd, WASI_RIGHT_SOCK_SHUTDOWN, &e);
    if (!f)
        return e;
    int h;
    switch (how) {
    case WASI_SDFLAG_RD: h = SHUT_RD; break;
    case WASI_SDFLAG_WR: h = SHUT_WR; break;
    case WASI_SDFLAG_RD | WASI_SDFLAG_WR: h = SHUT_RDWR; break;
    default: return WASI_EINVAL;
    }
    return shutdown(f->host, h) == 0 ? WASI_ESUCCESS : w2n_wasi_errno(errno);
}
