/*
 * test_rt_stackmap.c — the reader of `.llvm_stackmaps` (runtime/gc/stackmap.c)
 * on the objects llc-19 makes of tests/data/stackmaps/statepoints.ll for
 * x86-64, AArch64 and RISC-V 64 (built by tests/CMakeLists.txt): the
 * statepoints, their IDs and roots, return addresses that follow a call
 * instruction, lookup by pc once relocated, and refusal of every truncation.
 * The walker that uses them is tested on each target by
 * tests/cross/gc_walk.sh (cross.gc_walk, gc_walk.native).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "stackmap.h"
#include "w2n/file.h"

typedef struct arch_case {
    const char *name;
    uint16_t sp, fp; /* DWARF numbers of the stack and frame pointers */
} arch_case;

static const arch_case arches[] = {{"x86_64", 7, 6}, {"aarch64", 31, 29}, {"riscv64", 2, 8}};

typedef struct loaded {
    uint8_t *bytes;
    size_t size;
    w2n_elf elf;
    uint32_t section;
} loaded;

static bool load(const char *arch, loaded *out) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/stackmaps/statepoints-%s.o", W2N_BUILD_DIR, arch);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    out->size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    out->bytes = malloc(out->size);
    cr_assert_eq(fread(out->bytes, 1, out->size, f), out->size);
    fclose(f);
    w2n_error err;
    cr_assert_eq(w2n_elf_read(out->bytes, out->size, &out->elf, &err), W2N_OK, "%s", err.message);
    out->section = w2n_elf_find_section(&out->elf, ".llvm_stackmaps");
    cr_assert_neq(out->section, 0);
    return true;
}

static const w2n_elf_symbol *symbol(const loaded *l, const char *name) {
    for (uint32_t i = 0; i < l->elf.nsymbols; i++)
        if (!strcmp(l->elf.symbols[i].name, name))
            return &l->elf.symbols[i];
    cr_assert_fail("no symbol %s", name);
    return NULL;
}

/* The section with its function addresses relocated as if .text were at
 * `text_base` (the loader does this for real). */
static uint8_t *relocated(const loaded *l, uint64_t text_base) {
    const w2n_elf_section *s = &l->elf.sections[l->section];
    uint8_t *copy = malloc(s->size);
    memcpy(copy, l->bytes + s->offset, s->size);
    for (uint32_t r = 0; r < l->elf.nsections; r++) {
        if (l->elf.sections[r].type != 4 /* SHT_RELA */ || l->elf.sections[r].info != l->section)
            continue;
        for (size_t i = 0; i < w2n_elf_rela_count(&l->elf, r); i++) {
            w2n_elf_rela rel = w2n_elf_rela_get(&l->elf, r, i);
            if (rel.type != 1 && rel.type != 2 && rel.type != 257)
                continue; /* only R_X86_64_64, R_RISCV_64, R_AARCH64_ABS64 name functions */
            uint64_t v = text_base + l->elf.symbols[rel.sym].value + (uint64_t)rel.addend;
            memcpy(copy + rel.offset, &v, 8);
        }
    }
    return copy;
}

/* Does the instruction before `ret` in `code` call? */
static bool follows_call(const char *arch, const uint8_t *code, uint32_t ret) {
    uint32_t insn;
    if (!strcmp(arch, "x86_64"))
        return ret >= 5 && code[ret - 5] == 0xE8; /* call rel32 */
    memcpy(&insn, code + ret - 4, 4);
    if (!strcmp(arch, "aarch64"))
        return (insn & 0xFC000000u) == 0x94000000u; /* bl */
    return (insn & 0x7Fu) == 0x67u;                 /* jalr (of auipc + jalr) */
}

static void check_arch(const arch_case *a) {
    loaded l;
    if (!load(a->name, &l))
        cr_skip_test("no statepoints-%s.o (llc-19 missing at configure time)", a->name);
    const w2n_elf_section *s = &l.elf.sections[l.section];
    w2n_stackmap *map;
    w2n_error err;
    cr_assert_eq(w2n_stackmap_parse(l.bytes + s->offset, s->size, &map, &err), W2N_OK, "%s: %s",
                 a->name, err.message);
    cr_assert_eq(map->nfunctions, 2, "%s: functions with statepoints", a->name);
    cr_assert_eq(map->nsafepoints, 3);
    const w2n_elf_symbol *fn[2] = {symbol(&l, "two_roots"), symbol(&l, "derived")};
    uint32_t text = fn[0]->shndx;
    const uint8_t *code = l.bytes + l.elf.sections[text].offset;
    for (uint32_t i = 0; i < map->nsafepoints; i++) {
        const w2n_safepoint *sp = &map->safepoints[i];
        cr_assert(sp->id >= 7 && sp->id <= 9);
        uint32_t want_fn = sp->id == 7 ? 0 : 1, want_roots = sp->id == 7 ? 2 : sp->id == 8;
        cr_assert_eq(sp->function, want_fn, "%s: statepoint %llu", a->name,
                     (unsigned long long)sp->id);
        cr_assert_eq(sp->nroots, want_roots, "%s: statepoint %llu has %u roots", a->name,
                     (unsigned long long)sp->id, sp->nroots);
        cr_assert_lt(sp->offset, fn[want_fn]->size);
        cr_assert(follows_call(a->name, code + fn[want_fn]->value, sp->offset),
                  "%s: statepoint %llu's offset %u is not a return address", a->name,
                  (unsigned long long)sp->id, sp->offset);
        for (uint32_t r = 0; r < sp->nroots; r++) {
            const w2n_stackmap_location *base = &map->roots[(sp->first_root + r) * 2];
            const w2n_stackmap_location *derived = base + 1;
            for (int k = 0; k < 2; k++) {
                const w2n_stackmap_location *loc = k ? derived : base;
                cr_assert_eq(loc->kind, W2N_STACKMAP_INDIRECT, "%s: references are spilled",
                             a->name);
                cr_assert_eq(loc->size, 8);
                cr_assert(loc->dwarf_reg == a->sp || loc->dwarf_reg == a->fp, "%s: reg %u", a->name,
                          loc->dwarf_reg);
            }
            bool same = base->dwarf_reg == derived->dwarf_reg && base->offset == derived->offset;
            cr_assert_eq(same, sp->id == 7, "%s: only @derived keeps an interior pointer", a->name);
        }
    }
    w2n_stackmap_free(map);

    /* Relocated, each statepoint is found by its return address. */
    uint64_t base = 0x7f0000400000u;
    uint8_t *rel = relocated(&l, base);
    cr_assert_eq(w2n_stackmap_parse(rel, s->size, &map, &err), W2N_OK, "%s", err.message);
    for (uint32_t i = 0; i < map->nsafepoints; i++) {
        const w2n_safepoint *sp = &map->safepoints[i];
        uint64_t pc = base + fn[sp->function]->value + sp->offset;
        cr_assert_eq(w2n_stackmap_find(map, pc), sp);
        cr_assert_null(w2n_stackmap_find(map, pc - 1));
        cr_assert_null(w2n_stackmap_find(map, pc + 1));
    }
    w2n_stackmap_free(map);

    /* Every truncation, and another version, is refused. */
    for (size_t n = 0; n < s->size; n++) {
        cr_assert_eq(w2n_stackmap_parse(rel, n, &map, &err), W2N_ERR_BAD_OBJECT,
                     "%s: %zu of %llu bytes accepted", a->name, n, (unsigned long long)s->size);
    }
    rel[0] = 2;
    cr_assert_eq(w2n_stackmap_parse(rel, s->size, &map, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "not version 3"), "%s", err.message);
    free(rel);
    w2n_elf_free(&l.elf);
    free(l.bytes);
}

Test(stackmap, x86_64) { check_arch(&arches[0]); }
Test(stackmap, aarch64) { check_arch(&arches[1]); }
Test(stackmap, riscv64) { check_arch(&arches[2]); }

/* ---- constant references --------------------------------------------------------- */

/* A section of one function and one statepoint record whose roots are
 * the location pairs `pairs` (after the three header constants, no deopt
 * values); constant 0 of the section is an i31 (odd) word. */
typedef struct location {
    uint8_t kind;
    uint16_t reg;
    int32_t offset;
} location;

static size_t put(uint8_t *p, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return n;
}

static size_t one_record(uint8_t *out, const location *pairs, unsigned npairs) {
    size_t n = 0;
    n += put(out + n, 3, 4);                                     /* version 3, reserved */
    n += put(out + n, 1, 4), n += put(out + n, 1, 4);            /* functions, constants */
    n += put(out + n, 1, 4);                                     /* records */
    n += put(out + n, 0x1000, 8), n += put(out + n, 64, 8);      /* address, stack size */
    n += put(out + n, 1, 8);                                     /* its records */
    n += put(out + n, 0xAC5A4F4Fu, 8);                           /* constant 0 */
    n += put(out + n, 0xABCDEF00u, 8), n += put(out + n, 16, 4); /* id, offset */
    n += put(out + n, 0, 2), n += put(out + n, 3 + 2 * npairs, 2);
    location header = {W2N_STACKMAP_CONSTANT, 0, 0};
    for (unsigned i = 0; i < 3 + 2 * npairs; i++) {
        const location *l = i < 3 ? &header : &pairs[i - 3];
        n += put(out + n, l->kind, 2), n += put(out + n, 8, 2);
        n += put(out + n, l->reg, 2), n += put(out + n, 0, 2);
        n += put(out + n, (uint32_t)l->offset, 4);
    }
    while (n % 8)
        out[n++] = 0;
    n += put(out + n, 0, 4); /* padding, no live-outs */
    while (n % 8)
        out[n++] = 0;
    return n;
}

/* An i31 or null the optimiser folded into a statepoint is a pair of
 * constants: nothing to update, so it is no root; the slots beside it are. */
Test(stackmap, constant_references_are_no_roots) {
    location pairs[] = {{W2N_STACKMAP_CONSTANT_INDEX, 0, 0}, {W2N_STACKMAP_CONSTANT_INDEX, 0, 0},
                        {W2N_STACKMAP_INDIRECT, 7, 8},       {W2N_STACKMAP_INDIRECT, 7, 8},
                        {W2N_STACKMAP_CONSTANT, 0, 0},       {W2N_STACKMAP_CONSTANT, 0, 0}};
    uint8_t section[256];
    size_t size = one_record(section, pairs, 3);
    w2n_stackmap *map;
    w2n_error err;
    cr_assert_eq(w2n_stackmap_parse(section, size, &map, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(map->nsafepoints, 1);
    const w2n_safepoint *sp = w2n_stackmap_find(map, 0x1010);
    cr_assert_not_null(sp);
    cr_assert_eq(sp->nroots, 1);
    const w2n_stackmap_location *root = &map->roots[(size_t)sp->first_root * 2];
    cr_assert_eq(root[0].kind, W2N_STACKMAP_INDIRECT);
    cr_assert_eq(root[0].offset, 8);
    cr_assert_eq(root[1].offset, 8);
    w2n_stackmap_free(map);

    /* A reference in a register, or a constant base of a derived pointer
     * in a slot, is still refused. */
    location in_register[] = {{W2N_STACKMAP_REGISTER, 3, 0}, {W2N_STACKMAP_REGISTER, 3, 0}};
    size = one_record(section, in_register, 1);
    cr_assert_eq(w2n_stackmap_parse(section, size, &map, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "not in a stack slot"), "%s", err.message);
    location mixed[] = {{W2N_STACKMAP_CONSTANT, 0, 0}, {W2N_STACKMAP_INDIRECT, 7, 8}};
    size = one_record(section, mixed, 1);
    cr_assert_eq(w2n_stackmap_parse(section, size, &map, &err), W2N_ERR_BAD_OBJECT);
}
