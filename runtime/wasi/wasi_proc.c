/*
 * wasi_proc.c — random_get, proc_raise and sched_yield.  (proc_exit has no
 * core: the host adapter turns it into a W2N_TRAP_EXIT trap.)
 *
 * random_get draws from the kernel's CSPRNG (getrandom), looping because a
 * single call returns at most 32 MiB and may be interrupted.
 */
#include <errno.h>
#include <sched.h>
#include <sys/random.h>

#include "wasi/wasi_internal.h"

wasi_errno w2n_wasi_random_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t buf, uint32_t len) {
    if (!wasi_mem_check(m, buf, len))
        return WASI_EFAULT;
    uint8_t *p = wasi_mem_at(m, buf);
    uint32_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(p + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return w2n_wasi_errno(errno);
        }
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

/* Raising a signal would kill the host process with the guest's choice of
 * signal; preview 1 runtimes agree on not supporting it. */
wasi_errno w2n_wasi_proc_raise(wasi_ctx *ctx, const wasi_mem *m, uint32_t sig) {
    return WASI_ENOSYS;
}

wasi_errno w2n_wasi_sched_yield(wasi_ctx *ctx, const wasi_mem *m) {
    sched_yield();
    return WASI_ESUCCESS;
}
