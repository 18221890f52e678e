/*
 * heap_resident.c — how much of the GC heap is in memory: the pages of its
 * two spaces the kernel holds, counted with mincore(2).
 *
 * The heap's share of the process's RSS, measured rather than computed, so
 * that a test of the peak (benchmarks/gc/peak_check) fails if pages stop
 * going back to the kernel, and so that the figure leaves out the
 * runtime's other mappings (code, stacks, libc), which a process's RSS
 * counts.  Each space is asked about up to the most it ever used (pages
 * that failed to go back would be counted), rounded up to 2 MiB (a
 * transparent huge page may hold more than was used): one byte of vector
 * per page, a few microseconds per collection.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gc.h"

/* Resident bytes of [base, base + bytes), bytes a multiple of the page. */
static uint64_t resident_in(uint8_t *base, uint64_t bytes, uint64_t page) {
    uint64_t pages = bytes / page, resident = 0;
    unsigned char vec[4096];
    for (uint64_t done = 0; done < pages; done += sizeof vec) {
        uint64_t n = pages - done < sizeof vec ? pages - done : sizeof vec;
        if (mincore(base + done * page, n * page, vec) != 0)
            return resident; /* cannot happen inside the reservation */
        for (uint64_t i = 0; i < n; i++)
            resident += vec[i] & 1;
    }
    return resident * page;
}

uint64_t w2n_gc_heap_resident(const w2n_gc_heap *heap) {
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), total = 0;
    for (int s = 0; s < 2; s++) {
        uint64_t bytes = (heap->touched[s] + W2N_GC_HUGE_PAGE - 1) & ~(W2N_GC_HUGE_PAGE - 1);
        if (bytes > heap->space_size)
            bytes = heap->space_size;
        total += resident_in(heap->space[s], bytes, page);
    }
    return total;
}
