/*
 * wasi_openat2.c — the one Linux-specific system call of the sandbox:
 * openat2(2) with RESOLVE_BENEATH (Linux 5.6), which resolves a path in the
 * kernel and refuses any step (`..`, an absolute path or symlink, a magic
 * link) that leaves the starting directory.  It is called by number, so the
 * runtime builds against C libraries that have no wrapper; the number and
 * the struct come from the kernel ABI, which is the same on every
 * architecture w2n targets.  Where the build has no SYS_openat2 the call
 * reports ENOSYS and the caller walks paths itself.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "w2n/runtime.h"
#include "wasi/wasi_sys.h"

/* struct open_how of <linux/openat2.h>; declared here so that old kernel
 * headers do not matter. */
struct w2n_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#define W2N_RESOLVE_NO_MAGICLINKS 0x02
#define W2N_RESOLVE_BENEATH 0x08

int w2n_wasi_sys_open_beneath(int dirfd, const char *path, int flags) {
#ifdef SYS_openat2
    struct w2n_open_how how = {
        .flags = (uint64_t)(unsigned)flags,
        .mode = 0,
        .resolve = W2N_RESOLVE_BENEATH | W2N_RESOLVE_NO_MAGICLINKS,
    };
    long r;
    do {
        r = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    } while (r < 0 && errno == EINTR && !w2n_host_should_stop()); /* a FIFO blocks */
    return (int)r;
#else
    (void)dirfd, (void)path, (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}
