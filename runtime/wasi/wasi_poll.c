/*
 * wasi_poll.c — poll_oneoff: wait for the first of some clock deadlines and
 * descriptor readiness events.
 *
 * All subscriptions are read before any event is written (the guest may
 * pass overlapping buffers).  Clock deadlines become one relative timeout
 * for ppoll; regular files and directories are always ready, as POSIX poll
 * says; a subscription on a bad descriptor or clock is an event carrying
 * that errno, ready at once.  At least one event is reported unless the
 * wait itself fails.  At most W2N_WASI_MAX_SUBSCRIPTIONS per call.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

typedef struct sub {
    uint64_t userdata;
    uint8_t type;     /* WASI_EVENTTYPE_* */
    wasi_errno error; /* set: ready at once with this errno */
    bool ready;
    uint64_t remaining; /* clock: ns from the start of the call */
    int pollfd;         /* fd subscription: index in the pollfd array, or -1 */
    int host;
    uint64_t nbytes;
    uint16_t flags;
} sub;

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static wasi_errno read_sub(wasi_ctx *ctx, const uint8_t *rec, sub *s) {
    memset(s, 0, sizeof *s);
    s->userdata = wasi_get_u64(rec);
    s->type = rec[8];
    s->pollfd = -1;
    if (s->type == WASI_EVENTTYPE_CLOCK) {
        uint32_t id = wasi_get_u32(rec + 16);
        uint64_t timeout = wasi_get_u64(rec + 24);
        uint16_t flags = wasi_get_u16(rec + 40);
        uint64_t now;
        wasi_errno e = w2n_wasi_clock_now(id, &now);
        if (e) {
            s->error = e;
            s->ready = true;
        } else if (flags & WASI_SUBCLOCK_ABSTIME) {
            s->remaining = timeout > now ? timeout - now : 0;
        } else {
            s->remaining = timeout;
        }
        return WASI_ESUCCESS;
    }
    if (s->type != WASI_EVENTTYPE_FD_READ && s->type != WASI_EVENTTYPE_FD_WRITE)
        return WASI_EINVAL;
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, wasi_get_u32(rec + 16), WASI_RIGHT_POLL_FD_READWRITE, &e);
    if (!f) {
        s->error = e;
        s->ready = true;
        return WASI_ESUCCESS;
    }
    s->host = f->host;
    if (f->type == WASI_FILETYPE_REGULAR_FILE || f->type == WASI_FILETYPE_DIRECTORY) {
        s->ready = true;
        struct stat st;
        off_t pos = lseek(f->host, 0, SEEK_CUR);
        if (s->type == WASI_EVENTTYPE_FD_READ && fstat(f->host, &st) == 0 && pos >= 0 &&
            st.st_size > pos)
            s->nbytes = (uint64_t)(st.st_size - pos);
    }
    return WASI_ESUCCESS;
}

static void write_event(uint8_t *p, const sub *s) {
    memset(p, 0, WASI_EVENT_SIZE);
    wasi_put_u64(p, s->userdata);
    wasi_put_u16(p + 8, s->error);
    wasi_put_u8(p + 10, s->type);
    wasi_put_u64(p + 16, s->nbytes);
    wasi_put_u16(p + 24, s->flags);
}

/* Mark fd subscriptions that poll reported. */
static void collect_fds(sub *subs, uint32_t n, const struct pollfd *pfds) {
    for (uint32_t i = 0; i < n; i++) {
        sub *s = &subs[i];
        if (s->pollfd < 0)
            continue;
        short re = pfds[s->pollfd].revents;
        if (!re)
            continue;
        s->ready = true;
        if (re & POLLNVAL)
            s->error = WASI_EBADF;
        if (re & POLLHUP)
            s->flags |= WASI_EVENTRW_HANGUP;
        int avail = 0;
        if (s->type == WASI_EVENTTYPE_FD_READ && ioctl(s->host, FIONREAD, &avail) == 0 && avail > 0)
            s->nbytes = (uint64_t)avail;
    }
}

/* Wait; fills `ready` on the subscriptions. */
static wasi_errno wait_for(sub *subs, uint32_t n, struct pollfd *pfds, int npfds) {
    bool any_ready = false, any_clock = false;
    uint64_t min = UINT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
        any_ready |= subs[i].ready;
        if (subs[i].type == WASI_EVENTTYPE_CLOCK && !subs[i].ready) {
            any_clock = true;
            if (subs[i].remaining < min)
                min = subs[i].remaining;
        }
    }
    if (!any_ready && !any_clock && npfds == 0)
        return WASI_EINVAL;
    uint64_t start = mono_ns();
    for (;;) {
        uint64_t elapsed = mono_ns() - start;
        uint64_t left = any_ready ? 0 : (any_clock ? (min > elapsed ? min - elapsed : 0) : 0);
        struct timespec ts = {(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
        bool forever = !any_ready && !any_clock;
        int r = ppoll(npfds ? pfds : NULL, (nfds_t)npfds, forever ? NULL : &ts, NULL);
        if (r < 0 && errno != EINTR)
            return w2n_wasi_errno(errno);
        if (r < 0 && w2n_host_should_stop()) /* the call is being stopped */
            return WASI_EINTR;
        if (r > 0)
            collect_fds(subs, n, pfds);
        elapsed = mono_ns() - start;
        bool fired = r > 0 || any_ready;
        for (uint32_t i = 0; i < n; i++) {
            sub *s = &subs[i];
            if (s->type == WASI_EVENTTYPE_CLOCK && !s->ready && s->remaining <= elapsed) {
                s->ready = true;
                fired = true;
            }
        }
        if (fired)
            return WASI_ESUCCESS;
    }
}

wasi_errno w2n_wasi_poll_oneoff(wasi_ctx *ctx, const wasi_mem *m, uint32_t in, uint32_t out,
                                uint32_t nsubs, uint32_t nevents_ptr) {
    /* More than the cap: inval, as Linux's poll answers for more descriptors
     * than RLIMIT_NOFILE; the host allocates per subscription. */
    if (nsubs == 0 || nsubs > W2N_WASI_MAX_SUBSCRIPTIONS)
        return WASI_EINVAL;
    if (!wasi_mem_check(m, in, (uint64_t)nsubs * WASI_SUBSCRIPTION_SIZE) ||
        !wasi_mem_check(m, out, (uint64_t)nsubs * WASI_EVENT_SIZE) ||
        !wasi_mem_check(m, nevents_ptr, 4))
        return WASI_EFAULT;
    sub *subs = calloc(nsubs, sizeof *subs);
    struct pollfd *pfds = calloc(nsubs, sizeof *pfds);
    wasi_errno e = WASI_ESUCCESS;
    int npfds = 0;
    if (!subs || !pfds) {
        e = WASI_ENOMEM;
        goto done;
    }
    /* The descriptor table is read under the lock; the wait uses only the
     * host descriptors copied from it, so other threads may go on. */
    pthread_mutex_lock(&ctx->lock);
    for (uint32_t i = 0; i < nsubs && !e; i++) {
        e = read_sub(ctx, wasi_mem_at(m, in + i * WASI_SUBSCRIPTION_SIZE), &subs[i]);
        if (e)
            break;
        sub *s = &subs[i];
        if (s->type != WASI_EVENTTYPE_CLOCK && !s->ready) {
            s->pollfd = npfds;
            pfds[npfds].fd = s->host;
            pfds[npfds].events = s->type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
            npfds++;
        }
    }
    pthread_mutex_unlock(&ctx->lock);
    if (e)
        goto done;
    e = wait_for(subs, nsubs, pfds, npfds);
    if (e)
        goto done;
    uint32_t nevents = 0;
    for (uint32_t i = 0; i < nsubs; i++)
        if (subs[i].ready)
            write_event(wasi_mem_at(m, out + (nevents++) * WASI_EVENT_SIZE), &subs[i]);
    wasi_put_u32(wasi_mem_at(m, nevents_ptr), nevents);
done:
    free(subs);
    free(pfds);
    return e;
}
