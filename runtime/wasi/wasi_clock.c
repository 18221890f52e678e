/*
 * wasi_clock.c — clock_res_get and clock_time_get over the host's POSIX
 * clocks.  WASI timestamps are unsigned nanoseconds; a host time before the
 * epoch (or beyond 2554) cannot be represented and gives overflow.
 */
#include <errno.h>
#include <time.h>

#include "wasi/wasi_internal.h"

static bool host_clock(uint32_t id, clockid_t *out) {
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static wasi_errno to_ns(const struct timespec *ts, uint64_t *out) {
    if (ts->tv_sec < 0 || (uint64_t)ts->tv_sec > UINT64_MAX / 1000000000u - 1)
        return WASI_EOVERFLOW;
    *out = (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_clock_now(uint32_t id, uint64_t *out_ns) {
    clockid_t c;
    struct timespec ts;
    if (!host_clock(id, &c))
        return WASI_EINVAL;
    if (clock_gettime(c, &ts) != 0)
        return w2n_wasi_errno(errno);
    return to_ns(&ts, out_ns);
}

wasi_errno w2n_wasi_clock_res_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t id, uint32_t res_ptr) {
    clockid_t c;
    struct timespec ts;
    uint64_t ns = 0; /* set on success; quiets -Wmaybe-uninitialized */
    if (!host_clock(id, &c))
        return WASI_EINVAL;
    if (clock_getres(c, &ts) != 0)
        return w2n_wasi_errno(errno);
    wasi_errno e = to_ns(&ts, &ns);
    if (e)
        return e;
    return wasi_store_u64(m, res_ptr, ns) ? WASI_ESUCCESS : WASI_EFAULT;
}

wasi_errno w2n_wasi_clock_time_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t id,
                                   uint64_t precision, uint32_t time_ptr) {
    uint64_t ns = 0; /* set on success; quiets -Wmaybe-uninitialized */
    wasi_errno e = w2n_wasi_clock_now(id, &ns);
    if (e)
        return e;
    return wasi_store_u64(m, time_ptr, ns) ? WASI_ESUCCESS : WASI_EFAULT;
}
