/*
 * object_layout.c — the file layout of common/image_layout.h, made once at
 * compile time so that loading needs neither a copy nor most relocations.
 *
 * The ELF is rewritten, never reinterpreted: the header, every section's
 * bytes and every section header are kept, only sh_offset changes (and
 * .shstrtab gains one name); the new section W2N_LAYOUT_SECTION comes last,
 * so no index moves.  A relocation is applied here when its value does not
 * change whatever page-aligned distance the image is moved by: tried with
 * three such distances (small, 256 MiB, far past 4 GiB) and once more on
 * its own result (an additive one, RISC-V's ADD/SUB pairs, changes then and
 * is left to the loader, since a linker adds to what it finds).  GOT,
 * absolute, low-2-GiB relocations and references to library calls or
 * other non-loaded symbols stay in the table.  A RISC-V PCREL_LO12 goes
 * where its PCREL_HI20 went.  The objects come from LLVM in this process:
 * anything unexpected is an internal error.
 */
#include "object_layout.h"

#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "grow.h"
#include "image_layout.h"
#include "reloc.h"

#define EHDR_SIZE 64
#define SHDR_SIZE 64
#define SHF_EXCLUDE 0x80000000u

static uint64_t align_up(uint64_t x, uint64_t a) { return a <= 1 ? x : (x + a - 1) & ~(a - 1); }

typedef struct hi_record {
    uint32_t section;
    uint64_t offset;
    int64_t value;
    int applied;
} hi_record;

typedef struct layout {
    w2n_elf elf;
    const w2n_reloc_arch *arch;
    uint64_t *off; /* new sh_offset per section */
    uint8_t *out;
    size_t out_size;
    uint8_t *table; /* W2N_LAYOUT_SECTION's bytes */
    size_t ntable, cap_table;
    hi_record *his;
    size_t nhis, cap_his;
} layout;

static int loaded(const layout *Y, uint32_t i) {
    return i > 0 && i < Y->elf.nsections && (Y->elf.sections[i].flags & W2N_SHF_ALLOC);
}

static int in_file(const w2n_elf_section *s) { return s->type != W2N_SHT_NOBITS; }

/* New offsets: allocated sections by region, each region on a page, then
 * everything else in index order; returns the end. */
static uint64_t place_sections(layout *Y) {
    uint64_t off = EHDR_SIZE;
    for (int r = 0; r < W2N_NREGIONS; r++) {
        int first = 1;
        for (uint32_t i = 1; i < Y->elf.nsections; i++) {
            const w2n_elf_section *s = &Y->elf.sections[i];
            if (!loaded(Y, i) || !in_file(s) || (int)w2n_layout_region(s) != r)
                continue;
            if (first)
                off = align_up(off, W2N_LAYOUT_PAGE);
            first = 0;
            off = align_up(off, s->align);
            Y->off[i] = off;
            off += s->size + (w2n_layout_needs_terminator(s) ? 4 : 0);
        }
    }
    /* Zero-filled sections take no file bytes: the loader places them at
     * these offsets, in writable memory of its own. */
    uint64_t virt = off;
    for (uint32_t i = 1; i < Y->elf.nsections; i++)
        if (loaded(Y, i) && !in_file(&Y->elf.sections[i])) {
            virt = align_up(virt, Y->elf.sections[i].align);
            Y->off[i] = virt;
            virt += Y->elf.sections[i].size;
        }
    for (uint32_t i = 1; i < Y->elf.nsections; i++) {
        const w2n_elf_section *s = &Y->elf.sections[i];
        if (loaded(Y, i))
            continue;
        off = align_up(off, s->align);
        Y->off[i] = off;
        if (in_file(s))
            off += s->size;
    }
    return off;
}

static int table_add(layout *Y, uint32_t rela_section, uint32_t index) {
    if (Y->ntable == Y->cap_table) {
        size_t cap = Y->cap_table ? 2 * Y->cap_table : 256;
        uint8_t *p = realloc(Y->table, W2N_LAYOUT_HEADER + cap * W2N_LAYOUT_ENTRY);
        if (!p)
            return 0;
        Y->table = p;
        Y->cap_table = cap;
    }
    uint8_t *e = Y->table + W2N_LAYOUT_HEADER + Y->ntable++ * W2N_LAYOUT_ENTRY;
    w2n_reloc_wr32(e, rela_section);
    w2n_reloc_wr32(e + 4, index);
    return 1;
}

static int hi_add(layout *Y, hi_record h) {
    if (Y->nhis == Y->cap_his) {
        hi_record *p = w2n_grow(Y->his, &Y->cap_his, Y->nhis + 1, sizeof *p, 64);
        if (!p)
            return 0;
        Y->his = p;
    }
    Y->his[Y->nhis++] = h;
    return 1;
}

static int cmp_hi(const void *a, const void *b) {
    const hi_record *x = a, *y = b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Apply at `loc` if the value is the same wherever the image lands (see
 * the opening comment); false leaves `loc` untouched. */
static int apply_if_fixed(const w2n_reloc_howto *h, uint8_t *loc, w2n_reloc_args a) {
    static const uint64_t moves[] = {0x3000, 0x10000000, UINT64_C(0x5a5a5a5a5000)};
    uint8_t first[8], again[8], moved[8];
    if (h->size > sizeof first)
        return 0;
    memcpy(first, loc, h->size);
    a.loc = first;
    if (h->apply(&a) != W2N_RELOC_OK)
        return 0;
    int64_t value = a.value;
    memcpy(again, first, h->size);
    a.loc = again;
    if (h->apply(&a) != W2N_RELOC_OK || memcmp(again, first, h->size))
        return 0;
    for (size_t k = 0; k < sizeof moves / sizeof *moves; k++) {
        w2n_reloc_args m = a;
        memcpy(moved, loc, h->size);
        m.loc = moved;
        m.P += moves[k];
        m.S += moves[k];
        /* The bytes decide; a HI20's value is also what its LO12s use. */
        if (h->apply(&m) != W2N_RELOC_OK || memcmp(moved, first, h->size) ||
            ((h->flags & W2N_RELOC_PAIR_HI) && m.value != value))
            return 0;
    }
    memcpy(loc, first, h->size);
    return 1;
}

/* One relocation: applied in Y->out, or listed.  LO12s wait for pass 1. */
static w2n_status place_reloc(layout *Y, uint32_t rsec, uint32_t k, int pass, w2n_error *err) {
    w2n_elf_rela r = w2n_elf_rela_get(&Y->elf, rsec, k);
    const w2n_reloc_howto *h = w2n_reloc_lookup(Y->arch, r.type);
    if (!h)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "object layout: relocation type %u is not known", r.type);
    int is_lo = (h->flags & W2N_RELOC_PAIR_LO) != 0;
    if ((h->flags & W2N_RELOC_IGNORE) || is_lo != pass)
        return W2N_OK;
    uint32_t tsec = Y->elf.sections[rsec].info;
    const w2n_elf_symbol *s = &Y->elf.symbols[r.sym];
    const w2n_elf_section *t = &Y->elf.sections[tsec];
    if (h->size > t->size || r.offset > t->size - h->size)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "object layout: relocation past the end of %s", t->name);
    int fixed = r.sym && loaded(Y, s->shndx) && in_file(t) &&
                !(h->flags & (W2N_RELOC_GOT | W2N_RELOC_GOT_BASE | W2N_RELOC_LOW));
    w2n_reloc_args a = {.P = Y->off[tsec] + r.offset,
                        .S = fixed ? Y->off[s->shndx] + s->value : 0,
                        .A = r.addend,
                        .Z = s->size};
    if (fixed && is_lo) { /* its label is the AUIPC; its HI20 decided for it */
        hi_record key = {s->shndx, s->value, 0, 0};
        const hi_record *hi = bsearch(&key, Y->his, Y->nhis, sizeof key, cmp_hi);
        fixed = hi && hi->applied && r.addend == 0;
        a.pair = hi ? hi->value : 0;
    }
    if (fixed)
        fixed = apply_if_fixed(h, Y->out + Y->off[tsec] + r.offset, a);
    if ((h->flags & W2N_RELOC_PAIR_HI) && !hi_add(Y, (hi_record){tsec, r.offset, 0, fixed}))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    if (fixed && (h->flags & W2N_RELOC_PAIR_HI)) { /* its X, for the LO12s */
        w2n_reloc_args v = a;
        uint8_t scratch[8];
        memcpy(scratch, Y->out + Y->off[tsec] + r.offset, h->size);
        v.loc = scratch;
        h->apply(&v);
        Y->his[Y->nhis - 1].value = v.value;
    }
    if (!fixed && !table_add(Y, rsec, k))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    return W2N_OK;
}

static w2n_status place_relocs(layout *Y, w2n_error *err) {
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 1; i < Y->elf.nsections; i++) {
            const w2n_elf_section *rs = &Y->elf.sections[i];
            if (rs->type != W2N_SHT_RELA || !rs->size || !loaded(Y, rs->info))
                continue;
            size_t n = w2n_elf_rela_count(&Y->elf, i);
            for (size_t k = 0; k < n; k++) {
                w2n_status st = place_reloc(Y, i, (uint32_t)k, pass, err);
                if (st != W2N_OK)
                    return st;
            }
        }
        if (pass == 0 && Y->nhis)
            qsort(Y->his, Y->nhis, sizeof *Y->his, cmp_hi);
    }
    return W2N_OK;
}

static void put_u64(uint8_t *p, uint64_t v) { w2n_reloc_wr64(p, v); }

/* The new file: sections at their new offsets, the table and the grown
 * .shstrtab after them, then the section headers with one more entry. */
static w2n_status write_file(layout *Y, uint64_t end, uint32_t shstrndx, w2n_error *err) {
    const w2n_elf_section *names = &Y->elf.sections[shstrndx];
    static const char new_name[] = W2N_LAYOUT_SECTION;
    uint64_t table_off = align_up(end, 8);
    size_t table_size = W2N_LAYOUT_HEADER + Y->ntable * W2N_LAYOUT_ENTRY;
    uint64_t names_off = table_off + table_size;
    uint64_t names_size = names->size + sizeof new_name;
    uint64_t shoff = align_up(names_off + names_size, 8);
    uint32_t n = Y->elf.nsections;
    size_t size = shoff + (uint64_t)(n + 1) * SHDR_SIZE;
    uint8_t *out = calloc(1, size);
    if (!out)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    const uint8_t *in = Y->elf.bytes;
    memcpy(out, in, EHDR_SIZE);
    for (uint32_t i = 1; i < n; i++) {
        const w2n_elf_section *s = &Y->elf.sections[i];
        if (in_file(s) && i != shstrndx)
            memcpy(out + Y->off[i], Y->out + Y->off[i], s->size);
    }
    w2n_reloc_wr32(Y->table, W2N_LAYOUT_VERSION);
    w2n_reloc_wr32(Y->table + 4, (uint32_t)Y->ntable);
    memcpy(out + table_off, Y->table, table_size);
    memcpy(out + names_off, names->data, names->size);
    memcpy(out + names_off + names->size, new_name, sizeof new_name);
    uint64_t old_shoff = w2n_reloc_rd64(in + 40);
    uint16_t shentsize = (uint16_t)(in[58] | in[59] << 8);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *h = out + shoff + (uint64_t)i * SHDR_SIZE;
        memcpy(h, in + old_shoff + (uint64_t)i * shentsize, SHDR_SIZE);
        if (i == shstrndx) {
            put_u64(h + 24, names_off);
            put_u64(h + 32, names_size);
        } else if (i) {
            put_u64(h + 24, Y->off[i]);
        }
    }
    uint8_t *h = out + shoff + (uint64_t)n * SHDR_SIZE;
    w2n_reloc_wr32(h, (uint32_t)names->size);
    w2n_reloc_wr32(h + 4, W2N_SHT_PROGBITS);
    put_u64(h + 8, SHF_EXCLUDE);
    put_u64(h + 24, table_off);
    put_u64(h + 32, table_size);
    put_u64(h + 48, 4);
    put_u64(out + 40, shoff);
    out[58] = SHDR_SIZE;
    out[59] = 0;
    out[60] = (uint8_t)(n + 1);
    out[61] = (uint8_t)((n + 1) >> 8);
    free(Y->out);
    Y->out = out;
    Y->out_size = size;
    return W2N_OK;
}

w2n_status w2n_object_layout(uint8_t **io_bytes, size_t *io_size, w2n_error *err) {
    layout Y;
    memset(&Y, 0, sizeof Y);
    w2n_status st = w2n_elf_read(*io_bytes, *io_size, &Y.elf, err);
    if (st != W2N_OK)
        return st;
    uint32_t shstrndx = (uint32_t)((*io_bytes)[62] | (*io_bytes)[63] << 8);
    Y.arch = w2n_reloc_arch_for_machine(Y.elf.machine);
    if (!Y.arch || Y.elf.nsections + 1 >= W2N_SHN_LORESERVE || shstrndx == 0 ||
        shstrndx >= Y.elf.nsections || w2n_elf_find_section(&Y.elf, W2N_LAYOUT_SECTION)) {
        st = w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                           "object layout: unexpected ELF object from LLVM");
        goto done;
    }
    Y.off = calloc(Y.elf.nsections, sizeof *Y.off);
    Y.table = malloc(W2N_LAYOUT_HEADER + 256 * W2N_LAYOUT_ENTRY);
    Y.cap_table = 256;
    if (!Y.off || !Y.table) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto done;
    }
    uint64_t end = place_sections(&Y);
    Y.out = calloc(1, end ? end : 1);
    if (!Y.out) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        goto done;
    }
    for (uint32_t i = 1; i < Y.elf.nsections; i++)
        if (in_file(&Y.elf.sections[i]))
            memcpy(Y.out + Y.off[i], Y.elf.sections[i].data, Y.elf.sections[i].size);
    if ((st = place_relocs(&Y, err)) != W2N_OK ||
        (st = write_file(&Y, end, shstrndx, err)) != W2N_OK)
        goto done;
    free(*io_bytes);
    *io_bytes = Y.out;
    *io_size = Y.out_size;
    Y.out = NULL;
done:
    w2n_elf_free(&Y.elf);
    free(Y.off);
    free(Y.out);
    free(Y.table);
    free(Y.his);
    return st;
}
