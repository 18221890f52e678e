/*
 * data_prefault.c — fault in, with one call per run of pages, the linear
 * memory that an instance's active data segments are about to fill.
 *
 * A fresh memory's pages are mapped at their first write; copying the data
 * segments one by one then takes one page fault per page (sqlbench: 27
 * pages, a third of its 70 us instantiation).  MADV_POPULATE_WRITE (Linux
 * 5.14) maps a range in one system call instead.  It is only a hint: a
 * failure (an older kernel, qemu-user) leaves the faults to the copy, and
 * the copy still checks every bound.  Segments far apart are populated as
 * separate runs, so a sparse layout never faults in the gap between them.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14, older headers */
#endif

/* Below this, the faults of a run cost less than the system call. */
#define MIN_RUN_PAGES 4

typedef struct run {
    uint32_t memory;
    uint64_t lo, hi; /* byte offsets, page-aligned */
} run;

static void populate(const w2n_instance *inst, const run *r, uint64_t page) {
    if (r->hi - r->lo >= MIN_RUN_PAGES * page)
        madvise(inst->memories[r->memory]->abi.base + r->lo, r->hi - r->lo, MADV_POPULATE_WRITE);
}

void w2n_prefault_data(const w2n_instance *inst, const uint64_t *offsets) {
    const w2n_meta *m = inst->meta;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    run cur = {0, 0, 0};
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_meta_data *d = &m->datas[i];
        if (d->mode != W2N_SEGMENT_ACTIVE || !d->size || d->memory >= inst->nmemories)
            continue;
        uint64_t size = inst->memories[d->memory]->abi.size;
        if (offsets[i] > size || d->size > size - offsets[i])
            continue; /* out of bounds: the copy traps */
        /* The memory's size is a multiple of 64 KiB, so rounding the end
         * up to a page stays inside it. */
        uint64_t lo = offsets[i] & ~(page - 1);
        uint64_t hi = (offsets[i] + d->size + page - 1) & ~(page - 1);
        if (cur.hi && d->memory == cur.memory && lo <= cur.hi + page && hi >= cur.lo) {
            cur.lo = lo < cur.lo ? lo : cur.lo;
            cur.hi = hi > cur.hi ? hi : cur.hi;
            continue;
        }
        if (cur.hi)
            populate(inst, &cur, page);
        cur = (run){d->memory, lo, hi};
    }
    if (cur.hi)
        populate(inst, &cur, page);
}
