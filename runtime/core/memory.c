/*
 * memory.c — linear memories.
 *
 * Guard mode: one PROT_NONE reservation of W2N_GUARD_RESERVATION bytes (so
 * that base + u32 address + u32 offset + access size never leaves it, see
 * abi.h); the first size bytes are read-write and growing only
 * mprotects more of it, so base never moves.  The reservation is registered
 * with the fault handler, which turns a fault inside it into
 * "out of bounds memory access".
 *
 * Explicit mode: a mapping of exactly size bytes (one host page when size is
 * 0, so base is never NULL) that mremap grows, so base may move; compiled
 * code checks every access and re-reads base after calls.
 *
 * Shared memories (threads) never move, since other threads use them while
 * one grows: explicit mode reserves the declared maximum up front, like
 * guard mode, and grows by mprotect.  Growing takes the memory's grow_lock,
 * and the new size is published with a release store after the pages are
 * accessible, so a thread that sees the size can use the bytes.
 *
 * Huge pages: a memory asks the kernel for transparent huge pages
 * (MADV_HUGEPAGE; Linux's default THP mode, "madvise", gives them only to
 * who asks) where the store's placement says: by default (GROWN) only for
 * the bytes memory.grow adds below 64 MiB, advised as they become
 * accessible; ALWAYS for the whole mapping from the start; NEVER nowhere.  A guard reservation
 * starts on a huge-page boundary whatever the placement.  A growing heap
 * then faults in 2 MiB at a time instead of 4 KiB (a WASI program reading
 * 16 MB: 8,144 page faults, 2,703 with them), while the initial memory
 * (static data, the shadow stack) keeps 4 KiB pages: nothing zeroed 2 MiB at
 * a time at start, and on a VM whose host takes free 2 MiB blocks back, no
 * first touch that costs milliseconds where nothing grows
 * (docs/performance.md, "Huge pages: the default").  The kernel maps a huge
 * page only where a whole aligned 2 MiB lies inside the advised, accessible
 * part.
 *
 * A 64-bit memory (memory64) is always mapped as in explicit mode, whatever
 * the object's mode: no reservation covers a 64-bit address plus a 64-bit
 * offset, so compiled code checks each of its accesses (docs/abi.md), and
 * mremap grows it past 4 GiB as far as the host and the store's limits let.
 *
 * Sizes are in bytes in w2n_memory_abi and pages in the limits; the maximum
 * is the declared one, never above the spec's 65536 pages (2^48 for a
 * 64-bit memory).  The store's
 * resource limits (limits.c) are asked before a memory is made or grows.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define GUARD_MAPPING W2N_GUARD_RESERVATION
#define HUGE_PAGE ((size_t)2 << 20) /* x86-64's, and AArch64's and RISC-V's with 4 KiB pages */

static size_t host_page(void) {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

/* Advice only: a kernel without THP refuses it, and nothing changes. */
static void want_huge_pages(void *p, size_t len, bool huge) {
#ifdef MADV_HUGEPAGE
    if (huge && len)
        madvise(p, len, MADV_HUGEPAGE);
#else
    (void)p, (void)len, (void)huge;
#endif
}

/* Grown bytes past this guest address keep 4 KiB pages: a huge page the
 * kernel takes from its free 2 MiB blocks can cost milliseconds to zero on a
 * VM whose host took the block back, so hundreds of MiB touched once lose
 * (1.6x), while the suite's heaps all fit below (docs/performance.md). */
#define HUGE_GROWN_LIMIT ((uint64_t)64 << 20)

/* A grown range [from, to) of a GROWN memory, page-aligned: advised ranges
 * next to each other merge into one mapping, so a heap grown in 64 KiB steps
 * still fills whole 2 MiB pages.  A moving (explicit-mode) memory is advised
 * whole instead, since mremap grows only a range inside one mapping, which
 * advice on part of it would split: huge pages while it is within the limit,
 * none for new faults once it passes it. */
static void want_huge_pages_grown(w2n_memory *mem, uint64_t from, uint64_t to) {
    if (mem->huge_pages != W2N_HUGE_PAGES_GROWN)
        return;
    if (mem->mode != W2N_BOUNDS_GUARD && !mem->shared) {
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
        madvise(mem->abi.base, mem->mapped,
                to <= HUGE_GROWN_LIMIT ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
        return;
    }
    size_t page = host_page();
    uint64_t start = (from + page - 1) / page * page;
    uint64_t end = to < HUGE_GROWN_LIMIT ? to : HUGE_GROWN_LIMIT;
    if (end > start)
        want_huge_pages(mem->abi.base + start, (size_t)(end - start), true);
}

/* A PROT_NONE reservation of `len` bytes starting on a huge-page boundary:
 * HUGE_PAGE more is reserved and kept, inaccessible, around it (giving
 * its ends back took two more system calls, each splitting a mapping: a
 * tenth of an instantiation on a VM).  Compiled code never reaches below
 * base or past the reservation, so the slack is never touched. */
static void *reserve_aligned(w2n_memory *mem, size_t len) {
    uint8_t *p =
        mmap(NULL, len + HUGE_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return MAP_FAILED;
    mem->slack = p;
    mem->slack_size = len + HUGE_PAGE;
    return p + (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
}

/* Unmap what the memory maps: the reservation with its slack, or the
 * mapping of an explicit-mode memory. */
static void unmap_memory(w2n_memory *mem) {
    if (mem->slack)
        munmap(mem->slack, mem->slack_size);
    else
        munmap(mem->abi.base, mem->mapped);
}

/* Reserve `len` bytes of address space with the first `bytes` usable. */
static w2n_status reserve_and_commit(w2n_memory *mem, size_t len, uint64_t bytes, bool huge,
                                     w2n_error *err) {
    void *p = reserve_aligned(mem, len);
    if (p == MAP_FAILED)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot reserve %llu bytes of address space for a linear memory",
                             (unsigned long long)len);
    mem->abi.base = p;
    mem->mapped = len;
    want_huge_pages(p, len, huge);
    if (bytes && mprotect(p, bytes, PROT_READ | PROT_WRITE) != 0) {
        unmap_memory(mem);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot commit %llu bytes of linear memory",
                             (unsigned long long)bytes);
    }
    return W2N_OK;
}

static w2n_status map_guard(w2n_memory *mem, uint64_t bytes, bool huge, w2n_error *err) {
    w2n_status st = reserve_and_commit(mem, GUARD_MAPPING, bytes, huge, err);
    if (st != W2N_OK)
        return st;
    if (!w2n_trap_register_memory((uintptr_t)mem->abi.base, GUARD_MAPPING)) {
        unmap_memory(mem);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "too many linear memories for the fault handler's registry");
    }
    return W2N_OK;
}

/* A shared memory in explicit mode: the maximum reserved, so it never moves. */
static w2n_status map_reserved(w2n_memory *mem, uint64_t bytes, bool huge, w2n_error *err) {
    if (mem->max_pages > (SIZE_MAX / 2) / W2N_PAGE_SIZE) /* a 64-bit memory's maximum */
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot reserve %llu pages for a shared memory",
                             (unsigned long long)mem->max_pages);
    size_t len = mem->max_pages ? (size_t)(mem->max_pages * W2N_PAGE_SIZE) : host_page();
    return reserve_and_commit(mem, len, bytes, huge, err);
}

static w2n_status map_explicit(w2n_memory *mem, uint64_t bytes, bool huge, w2n_error *err) {
    size_t len = bytes ? (size_t)bytes : host_page();
    void *p =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot map %llu bytes of linear memory", (unsigned long long)len);
    want_huge_pages(p, len, huge); /* mremap keeps the advice as the mapping grows */
    mem->abi.base = p;
    mem->mapped = len;
    return W2N_OK;
}

/* Pages to bytes, saturating: 2^48 pages are 2^64 bytes, one past u64. */
static uint64_t page_bytes(uint64_t pages) {
    return pages >= W2N_MAX_PAGES64 ? UINT64_MAX : pages * W2N_PAGE_SIZE;
}

w2n_status w2n_memory_create(w2n_store *store, w2n_limits limits, w2n_bounds_mode mode,
                             w2n_memory **out, w2n_error *err) {
    *out = NULL;
    uint64_t cap = limits.is64 ? W2N_MAX_PAGES64 : W2N_MAX_PAGES;
    if (limits.min > cap || (limits.has_max && limits.max < limits.min))
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "%s",
                             limits.is64 ? "memory size must be at most 2^48 pages"
                                         : "memory size must be at most 65536 pages (4GiB)");
    if (page_bytes(limits.min) > SIZE_MAX / 2) /* no host maps half its address space */
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "cannot map %llu pages of linear memory",
                             (unsigned long long)limits.min);
    if (limits.shared && !limits.has_max)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "shared memory must have maximum");
    uint64_t max_pages = limits.has_max && limits.max < cap ? limits.max : cap;
    uint64_t bytes = limits.min * W2N_PAGE_SIZE;
    if (limits.is64)
        mode = W2N_BOUNDS_EXPLICIT;
    w2n_status st = w2n_limits_admit(store, 0, 1, 0, err);
    if (st == W2N_OK)
        st = w2n_limits_memory(store, 0, bytes, page_bytes(max_pages), err);
    if (st != W2N_OK)
        return st;
    w2n_memory *mem = calloc(1, sizeof *mem);
    if (!mem)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    mem->mode = mode;
    mem->has_max = limits.has_max;
    mem->is64 = limits.is64;
    mem->max_pages = max_pages;
    mem->store = store;
    mem->shared = limits.shared;
    mem->huge_pages = store->huge_pages;
    bool huge = mem->huge_pages == W2N_HUGE_PAGES_ALWAYS;
    if (mode == W2N_BOUNDS_GUARD)
        st = map_guard(mem, bytes, huge, err);
    else if (mem->shared)
        st = map_reserved(mem, bytes, huge, err);
    else
        st = map_explicit(mem, bytes, huge, err);
    if (st != W2N_OK) {
        free(mem);
        return st;
    }
    if (mem->shared)
        pthread_mutex_init(&mem->grow_lock, NULL);
    mem->abi.size = bytes;
    mem->next = store->memories;
    store->memories = mem;
    store->nmemories++;
    store->memory_bytes += bytes;
    *out = mem;
    return W2N_OK;
}

void w2n_memory_destroy(w2n_memory *mem) {
    if (!mem)
        return;
    if (mem->mode == W2N_BOUNDS_GUARD)
        w2n_trap_unregister_memory((uintptr_t)mem->abi.base);
    unmap_memory(mem);
    if (mem->shared)
        pthread_mutex_destroy(&mem->grow_lock);
    free(mem);
}

static int64_t grow_locked(w2n_memory *mem, uint64_t delta_pages);

int64_t w2n_memory_grow(w2n_memory *mem, uint64_t delta_pages) {
    if (!mem->shared)
        return grow_locked(mem, delta_pages);
    pthread_mutex_lock(&mem->grow_lock);
    int64_t old = grow_locked(mem, delta_pages);
    pthread_mutex_unlock(&mem->grow_lock);
    return old;
}

static int64_t grow_locked(w2n_memory *mem, uint64_t delta_pages) {
    uint64_t old_pages = mem->abi.size / W2N_PAGE_SIZE;
    if (delta_pages > mem->max_pages) /* before the sum, which could wrap */
        return -1;
    uint64_t new_pages = old_pages + delta_pages;
    if (new_pages > mem->max_pages)
        return -1;
    if (delta_pages == 0)
        return (int64_t)old_pages;
    if (page_bytes(new_pages) > SIZE_MAX / 2)
        return -1; /* no host maps half its address space */
    uint64_t new_bytes = new_pages * W2N_PAGE_SIZE;
    if (w2n_limits_memory(mem->store, mem->abi.size, new_bytes, page_bytes(mem->max_pages), NULL) !=
        W2N_OK)
        return -1;
    if (mem->mode == W2N_BOUNDS_GUARD || mem->shared) {
        /* The pages were PROT_NONE and never touched, so they read as zero. */
        if (mprotect(mem->abi.base + mem->abi.size, new_bytes - mem->abi.size,
                     PROT_READ | PROT_WRITE) != 0)
            return -1;
    } else if (new_bytes > mem->mapped) {
        void *p = mremap(mem->abi.base, mem->mapped, new_bytes, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            return -1;
        mem->abi.base = p;
        mem->mapped = new_bytes;
    }
    want_huge_pages_grown(mem, mem->abi.size, new_bytes);
    mem->store->memory_bytes += new_bytes - mem->abi.size;
    __atomic_store_n(&mem->abi.size, new_bytes, __ATOMIC_RELEASE);
    return (int64_t)old_pages;
}

w2n_memory *w2n_memory_new(w2n_store *store, w2n_limits limits, w2n_bounds_mode mode,
                           w2n_error *err) {
    w2n_memory *mem;
    if (!store) {
        w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "no store");
        return NULL;
    }
    if (w2n_memory_create(store, limits, mode, &mem, err) != W2N_OK)
        return NULL;
    return mem;
}

void w2n_memory_prefault(w2n_memory *mem, uint64_t offset, uint64_t len) {
#ifdef MADV_POPULATE_WRITE
    if (offset >= mem->abi.size || len == 0)
        return;
    if (len > mem->abi.size - offset)
        len = mem->abi.size - offset;
    uintptr_t page = host_page(), start = (uintptr_t)mem->abi.base + offset;
    uintptr_t first = start & ~(page - 1), end = (start + len + page - 1) & ~(page - 1);
    (void)madvise((void *)first, end - first, MADV_POPULATE_WRITE); /* a hint */
#else
    (void)mem, (void)offset, (void)len;
#endif
}

w2n_status w2n_memory_apply_image(w2n_memory *mem, const w2n_memory_image *image, int fd,
                                  uint64_t file_offset, const uint8_t *bytes, bool *applied,
                                  w2n_error *err) {
    *applied = false;
    if (mem->mode != W2N_BOUNDS_GUARD || mem->shared || mem->is64 ||
        image->offset > mem->abi.size || image->length > mem->abi.size - image->offset)
        return W2N_OK; /* a memory that moves, or an image it cannot hold: the segments */
    uint8_t *to = mem->abi.base + image->offset;
    size_t len = (size_t)image->length;
    if (fd < 0) {
        w2n_memory_prefault(mem, image->offset, image->length);
        memcpy(to, bytes, len);
        *applied = true;
        return W2N_OK;
    }
    int rw = PROT_READ | PROT_WRITE;
    if (mmap(to, len, rw, MAP_PRIVATE | MAP_FIXED, fd, (off_t)file_offset) != MAP_FAILED) {
        *applied = true;
        return W2N_OK;
    }
    /* A failed MAP_FIXED may have unmapped the range: zeroed pages back. */
    if (mmap(to, len, rw, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
        return W2N_OK;
    return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                         "cannot map the initial memory image (%llu bytes)",
                         (unsigned long long)image->length);
}

uint8_t *w2n_memory_data(w2n_memory *mem) { return mem->abi.base; }
uint64_t w2n_memory_size(w2n_memory *mem) { return mem->abi.size; }
