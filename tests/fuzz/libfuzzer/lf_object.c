/*
 * lf_object.c — libFuzzer target "object": the object loader (ELF checks,
 * mapping, relocation, metadata decoding and its checks against the code)
 * and, for objects that load and need neither imports nor a start
 * function, instantiation (memories, tables, globals, segment
 * initialisation).  No compiled code runs: a mutated object's code is
 * arbitrary, and running it would prove nothing about the loader.
 *
 * Random bytes are refused by the ELF header check at once, so the custom
 * mutator aims most mutations inside one section of a real object (the
 * seeds are objects compiled from the spec suite's modules): mostly
 * ".w2n.module" and the relocation sections, where a relocation entry also
 * gets whole-field changes (symbol index, type, offset and addend set to
 * edge values) that byte mutation would rarely hit.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lf_elf.h"
#include "seal.h"
#include "w2n/runtime.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static void touch(const char *s) {
    volatile size_t n = s ? strlen(s) : 0;
    (void)n;
}

static void instantiate(const w2n_object *obj) {
    w2n_store *store = w2n_store_new(NULL);
    if (!store)
        return;
    w2n_instance *inst = NULL;
    w2n_trap trap;
    w2n_error err;
    if (w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err) == W2N_OK)
        (void)w2n_instance_memory(inst);
    w2n_store_free(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* The input is the object's content: sealed here, so that mutations get
     * past the hash check to the cross-checks behind it. */
    uint8_t *sealed = malloc(size ? size : 1);
    if (!sealed)
        return 0;
    memcpy(sealed, data, size);
    size_t sealed_size = size;
    w2n_object *obj = NULL;
    w2n_error err;
    w2n_status st = w2n_seal_append(&sealed, &sealed_size, &err);
    if (st == W2N_OK)
        st = w2n_object_load(sealed, sealed_size, &obj, &err);
    free(sealed);
    if (st != W2N_OK)
        return 0;
    for (uint32_t i = 0; i < w2n_object_import_count(obj); i++) {
        const char *module, *name;
        w2n_extern_kind kind;
        w2n_object_import(obj, i, &module, &name, &kind);
        touch(module);
        touch(name);
    }
    for (uint32_t i = 0; i < w2n_object_export_count(obj); i++) {
        const char *name;
        w2n_extern_kind kind;
        w2n_object_export(obj, i, &name, &kind);
        touch(name);
    }
    if (w2n_object_import_count(obj) == 0 && obj->meta.start < 0)
        instantiate(obj);
    w2n_object_free(obj);
    return 0;
}

/* A small deterministic generator, seeded by libFuzzer's seed. */
static uint32_t next(uint32_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Set one field of one Elf64_Rela (offset, info.sym, info.type, addend). */
static void mutate_rela(uint8_t *sec, size_t size, size_t file_size, uint32_t *rng) {
    size_t n = size / 24;
    if (n == 0)
        return;
    uint8_t *r = sec + (size_t)(next(rng) % n) * 24;
    static const int64_t edges[] = {
        0, 1, -1, 4, -4, 8, 0x7fffffff, -0x80000000LL, INT64_MAX, INT64_MIN, 0x1000, 0xffff};
    int64_t edge = edges[next(rng) % (sizeof edges / sizeof edges[0])];
    switch (next(rng) % 5) {
    case 0: /* r_offset: at, near or past the end of its target section */
        put_le(r, next(rng) % 2 ? (uint64_t)edge : file_size - next(rng) % 16, 8);
        break;
    case 1: /* symbol index */
        put_le(r + 12, lf_rd(r + 12, 4) + (uint64_t)(int64_t)(next(rng) % 5) - 2, 4);
        break;
    case 2: /* type: any small number, most are unknown */ put_le(r + 8, next(rng) % 64, 4); break;
    case 3: /* addend */ put_le(r + 16, (uint64_t)edge, 8); break;
    default: /* swap with another entry */
        if (n > 1) {
            uint8_t tmp[24], *o = sec + (size_t)(next(rng) % n) * 24;
            memcpy(tmp, r, 24);
            memcpy(r, o, 24);
            memcpy(o, tmp, 24);
        }
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed) {
    uint32_t rng = seed | 1;
    lf_section secs[64];
    size_t n = lf_elf_sections(data, size, secs, 64);
    if (n == 0 || next(&rng) % 16 == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    /* Weights: .w2n.module 4, relocation sections 3 (each), others 1. */
    unsigned total = 0, w[64];
    for (size_t i = 0; i < n; i++) {
        w[i] = secs[i].size == 0                      ? 0
               : !strcmp(secs[i].name, ".w2n.module") ? 4 * (unsigned)n
               : secs[i].type == LF_SHT_RELA          ? 3
                                                      : 1;
        total += w[i];
    }
    if (total == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    unsigned pick = next(&rng) % total;
    size_t i = 0;
    while (pick >= w[i])
        pick -= w[i++];
    uint8_t *sec = data + secs[i].offset;
    if (secs[i].type == LF_SHT_RELA && next(&rng) % 2) {
        mutate_rela(sec, secs[i].size, size, &rng);
        return size;
    }
    /* In place, same size: the layout of the rest of the file stays valid. */
    size_t len = secs[i].size;
    size_t got = LLVMFuzzerMutate(sec, len, len);
    (void)got; /* a shorter result leaves old bytes at the tail: still a mutant */
    return size;
}
