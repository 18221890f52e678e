/*
 * stackmap.c — the reader of LLVM's `.llvm_stackmaps` section, version 3
 * (LLVM's "Stack maps and patch points" document gives the format): a
 * header, one record per function (address, frame size, record count),
 * the large constants, then one record per statepoint with its locations
 * and live-outs, each padded to 8 bytes.  Everything is bounds checked: the
 * section comes from an object, which the seal protects but the reader
 * does not trust.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "byte_cursor.h"
#include "stackmap.h"

static w2n_status bad(w2n_error *err, const char *what) {
    return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET, "malformed .llvm_stackmaps: %s",
                         what);
}

static int by_pc(const void *a, const void *b) {
    const w2n_safepoint *x = a, *y = b;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

void w2n_stackmap_free(w2n_stackmap *map) {
    if (!map)
        return;
    free(map->functions);
    free(map->safepoints);
    free(map->roots);
    free(map);
}

/* The value of a constant location (the deopt count). */
static bool constant_of(const w2n_stackmap_location *l, const uint64_t *constants,
                        uint32_t nconstants, uint64_t *out) {
    if (l->kind == W2N_STACKMAP_CONSTANT) {
        *out = (uint64_t)(int64_t)l->offset;
        return true;
    }
    if (l->kind == W2N_STACKMAP_CONSTANT_INDEX && (uint32_t)l->offset < nconstants) {
        *out = constants[l->offset];
        return true;
    }
    return false;
}

static bool is_constant(const w2n_stackmap_location *l) {
    return l->kind == W2N_STACKMAP_CONSTANT || l->kind == W2N_STACKMAP_CONSTANT_INDEX;
}

/* One statepoint record's locations: checked, roots appended. */
static const char *read_record(w2n_byte_cursor *c, const uint64_t *constants, uint32_t nconstants,
                               w2n_stackmap *map, w2n_safepoint *sp, uint32_t *nroots_total) {
    uint32_t nlocs = (uint32_t)w2n_cursor_fixed(c, 2);
    w2n_stackmap_location *locs = calloc(nlocs ? nlocs : 1, sizeof *locs);
    if (!locs)
        return "out of memory";
    for (uint32_t i = 0; i < nlocs; i++) {
        locs[i].kind = (uint8_t)w2n_cursor_fixed(c, 1);
        w2n_cursor_fixed(c, 1);
        locs[i].size = (uint16_t)w2n_cursor_fixed(c, 2);
        locs[i].dwarf_reg = (uint16_t)w2n_cursor_fixed(c, 2);
        w2n_cursor_fixed(c, 2);
        locs[i].offset = (int32_t)(uint32_t)w2n_cursor_fixed(c, 4);
        if (locs[i].kind < W2N_STACKMAP_REGISTER || locs[i].kind > W2N_STACKMAP_CONSTANT_INDEX)
            c->failed = true;
    }
    const char *why = NULL;
    uint64_t ndeopt = 0;
    if (c->failed)
        why = "a location of unknown kind, or the section ends inside a record";
    else if (nlocs < 3 || !constant_of(&locs[2], constants, nconstants, &ndeopt))
        why = "a record that is not a statepoint (no deopt count)";
    else if (ndeopt > nlocs - 3 || (nlocs - 3 - ndeopt) % 2)
        why = "a statepoint whose GC references are not (base, derived) pairs";
    /* A pair whose base is a constant (an i31 or null the optimiser folded,
     * never a heap address) has nothing to update: it is dropped.  The
     * others must be in stack slots. */
    uint32_t n = 0;
    for (uint32_t i = 3 + (uint32_t)ndeopt; !why && i + 1 < nlocs; i += 2) {
        if (is_constant(&locs[i]) && is_constant(&locs[i + 1]))
            continue;
        if (locs[i].kind != W2N_STACKMAP_INDIRECT || locs[i + 1].kind != W2N_STACKMAP_INDIRECT)
            why = "a GC reference not in a stack slot (the collector updates only those)";
        else { /* kept, moved down over the dropped ones */
            locs[3 + ndeopt + 2 * n] = locs[i];
            locs[3 + ndeopt + 2 * n + 1] = locs[i + 1];
            n++;
        }
    }
    if (!why) {
        w2n_stackmap_location *grown =
            realloc(map->roots, ((size_t)*nroots_total + n) * 2 * sizeof *grown + 1);
        if (!grown) {
            why = "out of memory";
        } else {
            map->roots = grown;
            memcpy(grown + (size_t)*nroots_total * 2, locs + 3 + ndeopt, n * 2 * sizeof *grown);
            sp->first_root = *nroots_total;
            sp->nroots = n;
            *nroots_total += n;
        }
    }
    free(locs);
    return why;
}

w2n_status w2n_stackmap_parse(const uint8_t *bytes, size_t size, w2n_stackmap **out,
                              w2n_error *err) {
    w2n_byte_cursor c = w2n_byte_cursor_of(bytes, size);
    if (w2n_cursor_fixed(&c, 1) != 3 || c.failed)
        return bad(err, "not version 3");
    w2n_cursor_fixed(&c, 3);
    uint32_t nfunctions = (uint32_t)w2n_cursor_fixed(&c, 4),
             nconstants = (uint32_t)w2n_cursor_fixed(&c, 4);
    uint32_t nrecords = (uint32_t)w2n_cursor_fixed(&c, 4);
    /* Each function record is 24 bytes, a constant 8, a record at least 16. */
    if (c.failed || (uint64_t)nfunctions * 24 + (uint64_t)nconstants * 8 + (uint64_t)nrecords * 16 >
                        (uint64_t)(c.end - c.p))
        return bad(err, "counts larger than the section");
    w2n_stackmap *map = calloc(1, sizeof *map);
    uint64_t *constants = calloc(nconstants ? nconstants : 1, sizeof *constants);
    if (map) {
        map->functions = calloc(nfunctions ? nfunctions : 1, sizeof *map->functions);
        map->safepoints = calloc(nrecords ? nrecords : 1, sizeof *map->safepoints);
    }
    if (!map || !constants || !map->functions || !map->safepoints) {
        w2n_stackmap_free(map);
        free(constants);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a stack map");
    }
    map->nfunctions = nfunctions;
    uint64_t records_claimed = 0;
    for (uint32_t f = 0; f < nfunctions; f++) {
        map->functions[f].address = w2n_cursor_fixed(&c, 8);
        map->functions[f].stack_size = w2n_cursor_fixed(&c, 8);
        map->functions[f].nrecords = w2n_cursor_fixed(&c, 8);
        records_claimed += map->functions[f].nrecords;
    }
    for (uint32_t i = 0; i < nconstants; i++)
        constants[i] = w2n_cursor_fixed(&c, 8);
    const char *why = records_claimed != nrecords ? "function records do not add up to the "
                                                    "number of records"
                                                  : NULL;
    uint32_t f = 0, in_function = 0, nroots = 0;
    for (uint32_t r = 0; r < nrecords && !why; r++) {
        while (f < nfunctions && in_function == map->functions[f].nrecords)
            f++, in_function = 0;
        w2n_safepoint *sp = &map->safepoints[r];
        sp->id = w2n_cursor_fixed(&c, 8);
        sp->offset = (uint32_t)w2n_cursor_fixed(&c, 4);
        sp->function = f;
        sp->pc = map->functions[f].address + sp->offset;
        w2n_cursor_fixed(&c, 2); /* flags */
        why = read_record(&c, constants, nconstants, map, sp, &nroots);
        w2n_cursor_align(&c, bytes, 8);
        w2n_cursor_fixed(&c, 2); /* padding */
        uint32_t nliveouts = (uint32_t)w2n_cursor_fixed(&c, 2);
        w2n_cursor_fixed(&c, (size_t)nliveouts * 4);
        w2n_cursor_align(&c, bytes, 8);
        if (!why && c.failed)
            why = "the section ends inside a record";
        in_function++;
    }
    free(constants);
    if (why) {
        w2n_stackmap_free(map);
        return bad(err, why);
    }
    map->nsafepoints = nrecords;
    qsort(map->safepoints, nrecords, sizeof *map->safepoints, by_pc);
    *out = map;
    return W2N_OK;
}

const w2n_safepoint *w2n_stackmap_find(const w2n_stackmap *map, uint64_t pc) {
    uint32_t lo = 0, hi = map->nsafepoints;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (map->safepoints[mid].pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < map->nsafepoints && map->safepoints[lo].pc == pc ? &map->safepoints[lo] : NULL;
}
