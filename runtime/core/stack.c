/*
 * stack.c — where this thread's stack ends, and where its guard lies.
 *
 * Wasm runs on the calling thread's own stack.  The runtime learns the
 * stack's lowest usable address once per thread (pthread_getattr_np, which
 * excludes the guard page of a pthread stack and for the main thread follows
 * the stack rlimit) and keeps it in thread-local storage, so the fault handler
 * can read it without locks or calls.
 *
 * The guard region is the range just below that address: a thread's own
 * guard page (pthread stacks), or the unmapped gap the kernel keeps below a
 * main-thread stack that reached its rlimit.  Compiled code probes every
 * frame page by page (W2N_STACK_PROBE_SIZE), or where it cannot (RISC-V) the
 * runtime reserves the largest frame above the end (call.c, frame.h), so the
 * first fault a deep or large frame takes past the stack lies within one
 * probe step of the end; the
 * region spans at least GUARD_SPAN so that the main thread's last, partly
 * reported page is covered too.  The runtime's own reserve above the end
 * (W2N_STACK_RESERVE) belongs to the region as well: a fault there from Wasm
 * code means the stack could not grow, which is stack exhaustion too.
 * A thread whose stack could not be found has no region (nothing is claimed).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define GUARD_SPAN ((uintptr_t)64 * 1024)

/* Linux's PROCMAP_QUERY ioctl on /proc/self/maps (6.11; uapi linux/fs.h,
 * which older system headers lack): the mapping that covers an address, or
 * the next one. */
struct procmap_query {
    uint64_t size, query_flags, query_addr;
    uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA 0x10

extern void *__libc_stack_end; /* the initial thread's stack top (glibc) */

static bool query_mapping(int fd, uintptr_t addr, uint64_t flags, struct procmap_query *q) {
    memset(q, 0, sizeof *q);
    q->size = sizeof *q;
    q->query_flags = flags;
    q->query_addr = addr;
    return ioctl(fd, PROCMAP_QUERY, q) == 0;
}

/* The initial thread's lowest usable stack address as pthread_getattr_np
 * computes it (the stack rlimit below the top of the page that holds
 * __libc_stack_end, less what its mapping holds above that page), without
 * the text of every mapping that it reads from /proc/self/maps: about 0.1
 * ms of a start.  0 where the kernel cannot say, the rlimit is unlimited or
 * another mapping lies within the limit (glibc cuts the stack there): then
 * the caller asks glibc. */
static uintptr_t main_stack_low(void) {
    struct rlimit rl;
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (getpid() != (pid_t)syscall(SYS_gettid) || getrlimit(RLIMIT_STACK, &rl) != 0 ||
        rl.rlim_cur == RLIM_INFINITY)
        return 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uintptr_t top = ((uintptr_t)__libc_stack_end & ~(pg - 1)) + pg, low = 0;
    struct procmap_query stack, below;
    if (query_mapping(fd, (uintptr_t)__libc_stack_end, 0, &stack) && stack.vma_end >= top &&
        rl.rlim_cur > stack.vma_end - top) {
        uintptr_t size = (uintptr_t)(rl.rlim_cur - (stack.vma_end - top)) & ~(pg - 1);
        /* Nothing but the stack's own mapping from there up. */
        if (size < top &&
            query_mapping(fd, top - size, PROCMAP_QUERY_COVERING_OR_NEXT_VMA, &below) &&
            below.vma_start == stack.vma_start)
            low = top - size;
    }
    close(fd);
    return low;
}

static _Thread_local uintptr_t stack_low; /* 0 = not looked up yet, 1 = unknown */
static _Thread_local uintptr_t guard_low; /* lowest address of the guard region */

uintptr_t w2n_stack_low(void) {
    if (stack_low)
        return stack_low;
    pthread_attr_t attr;
    void *addr = (void *)main_stack_low();
    size_t size = 0, guard = 0;
    if (!addr && pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0)
            addr = NULL;
        if (pthread_attr_getguardsize(&attr, &guard) != 0)
            guard = 0;
        pthread_attr_destroy(&attr);
    }
    uintptr_t low = (uintptr_t)addr;
    uintptr_t span = guard > GUARD_SPAN ? guard : GUARD_SPAN;
    if (low > span) {
        guard_low = low - span;
        stack_low = low;
    } else {
        stack_low = 1;
    }
    return stack_low;
}

bool w2n_stack_in_guard(uintptr_t addr) {
    uintptr_t low = stack_low;
    return low > 1 && addr >= guard_low && addr < low + W2N_STACK_RESERVE;
}
