/*
 * object_merge.c — join the partitions' objects into one, as `ld -r` would.
 *
 * Each partition of a module (partition.c) is compiled to an ELF64
 * relocatable object of its own; this joins them in partition order, so the
 * result depends on the parts alone, never on which thread made which:
 *
 *   - section groups (COMDAT: LLVM puts the personality routine's reference
 *     in one) are kept from the first part that has them; a later part's
 *     group of the same signature is dropped with its sections, and its
 *     definitions become references to the first part's;
 *   - sections of the same name, type and flags are concatenated, each part
 *     at its own alignment (code, data, .eh_frame, debug sections); other
 *     kinds of section (notes, attributes) must be the same in every part
 *     and are kept once;
 *   - symbols are renumbered: one section symbol per output section, then
 *     every part's locals, then the definitions the partitioning exported
 *     (global and hidden: they were internal before the split) made local
 *     again, then the global definitions and the references nothing defines;
 *   - relocations move with their sections; a reference to another part's
 *     definition becomes a reference to that definition.
 *
 * All relocation types are RELA on the three targets, so no relocation is
 * applied here and nothing depends on the architecture.  The objects come
 * from LLVM in this process; anything unexpected in them is an internal
 * error, never a guess.
 */
#include "object_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "grow.h"

#define SYM_SIZE 24
#define RELA_SIZE 24
#define SHDR_SIZE 64
#define EHDR_SIZE 64
#define SHT_GROUP 17
#define SHF_INFO_LINK 0x40
#define SHF_GROUP 0x200
#define STV_HIDDEN 2

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

static int bytes_reserve(bytes *b, size_t more) {
    if (b->len + more <= b->cap)
        return 1;
    uint8_t *p = w2n_grow(b->p, &b->cap, b->len + more, 1, 256);
    if (!p)
        return 0;
    b->p = p;
    return 1;
}

static int bytes_put(bytes *b, const void *data, size_t len) {
    if (!bytes_reserve(b, len))
        return 0;
    if (data)
        memcpy(b->p + b->len, data, len);
    else
        memset(b->p + b->len, 0, len);
    b->len += len;
    return 1;
}

static int bytes_le(bytes *b, uint64_t v, unsigned width) {
    uint8_t le[8];
    for (unsigned i = 0; i < width; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    return bytes_put(b, le, width);
}

static int bytes_align(bytes *b, uint64_t align) {
    size_t pad = (size_t)((align - b->len % align) % align);
    return bytes_put(b, NULL, pad);
}

/* A string table: offset of each added name. */
static int strtab_add(bytes *t, const char *s, uint32_t *off) {
    *off = (uint32_t)t->len;
    return bytes_put(t, s, strlen(s) + 1);
}

/* Names to symbol numbers: open addressing, FNV-1a. */
typedef struct name_map {
    const char **names;
    uint32_t *values;
    size_t cap;
} name_map;

static uint64_t fnv1a(const char *s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

static int name_map_init(name_map *m, size_t count) {
    m->cap = 16;
    while (m->cap < 2 * count)
        m->cap *= 2;
    m->names = calloc(m->cap, sizeof *m->names);
    m->values = calloc(m->cap, sizeof *m->values);
    return m->names && m->values;
}

/* Also after a failed name_map_init, which may have made one array. */
static void name_map_free(name_map *m) {
    free(m->names);
    free(m->values);
}

static size_t name_map_slot(const name_map *m, const char *name) {
    size_t i = (size_t)fnv1a(name) & (m->cap - 1);
    while (m->names[i] && strcmp(m->names[i], name))
        i = (i + 1) & (m->cap - 1);
    return i;
}

typedef struct out_section {
    const char *name;
    uint32_t type;
    uint64_t flags, entsize, align, size;
    bytes data;
    bytes relas;
    size_t nrelas;
    int concatenated; /* parts append; else kept once */
} out_section;

typedef struct out_symbol {
    const char *name;
    uint64_t value, size;
    uint16_t shndx;
    uint8_t info, other;
} out_symbol;

typedef struct merge {
    const w2n_object_part *parts;
    size_t nparts;
    w2n_elf *elf;
    out_section *secs;
    size_t nsecs;
    uint32_t **sec_map;  /* [part][section] -> output section + 1, 0: none */
    uint64_t **sec_base; /* [part][section] -> offset of the part's chunk */
    uint32_t **sym_map;  /* [part][symbol] -> output symbol */
    uint8_t **dropped;   /* [part][section]: in a group an earlier part has */
    out_symbol *syms;
    size_t nsyms, first_global;
    w2n_error *err;
} merge;

static w2n_status fail(merge *mg, const char *what, const char *name) {
    return w2n_error_set(mg->err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                         "joining the partitions' objects: %s%s%s", what, name ? " " : "",
                         name ? name : "");
}

static w2n_status no_memory(merge *mg) {
    return w2n_error_set(mg->err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
}

static int kept_by_parts(const w2n_elf_section *s) {
    return s->type != W2N_SHT_NULL && s->type != W2N_SHT_SYMTAB && s->type != W2N_SHT_STRTAB &&
           s->type != W2N_SHT_RELA;
}

static int concatenates(const w2n_elf_section *s) {
    return s->type == W2N_SHT_PROGBITS || s->type == W2N_SHT_NOBITS ||
           !strcmp(s->name, ".eh_frame");
}

static out_section *find_or_add_section(merge *mg, const w2n_elf_section *s) {
    for (size_t i = 0; i < mg->nsecs; i++) {
        out_section *o = &mg->secs[i];
        if (!strcmp(o->name, s->name) && o->type == s->type &&
            o->flags == (s->flags & ~(uint64_t)SHF_GROUP))
            return o;
    }
    out_section *o = &mg->secs[mg->nsecs++];
    memset(o, 0, sizeof *o);
    o->name = s->name;
    o->type = s->type;
    o->flags = s->flags & ~(uint64_t)SHF_GROUP; /* groups are resolved here */
    o->entsize = s->entsize;
    o->align = 1;
    o->concatenated = concatenates(s);
    return o;
}

/* How many sections the parts have, together. */
static size_t parts_sections(const merge *mg) {
    size_t total = 0;
    for (size_t p = 0; p < mg->nparts; p++)
        total += mg->elf[p].nsections;
    return total;
}

/* Mark the sections of groups whose signature an earlier part has. */
static w2n_status drop_repeated_groups(merge *mg) {
    size_t total = parts_sections(mg);
    name_map seen = {0};
    if (!name_map_init(&seen, total)) {
        name_map_free(&seen);
        return no_memory(mg);
    }
    w2n_status st = W2N_OK;
    for (size_t p = 0; p < mg->nparts && st == W2N_OK; p++) {
        const w2n_elf *e = &mg->elf[p];
        for (uint32_t i = 0; i < e->nsections && st == W2N_OK; i++) {
            const w2n_elf_section *g = &e->sections[i];
            if (g->type != SHT_GROUP)
                continue;
            if (g->info >= e->nsymbols || g->size % 4) {
                st = fail(mg, "malformed section group", g->name);
                break;
            }
            const char *sig = e->symbols[g->info].name;
            size_t slot = name_map_slot(&seen, sig);
            int repeated = seen.names[slot] != NULL;
            seen.names[slot] = sig;
            for (uint64_t off = 4; repeated && off < g->size; off += 4) {
                const uint8_t *q = g->data + off;
                uint32_t member = (uint32_t)(q[0] | q[1] << 8 | q[2] << 16 | (uint32_t)q[3] << 24);
                if (member >= e->nsections) {
                    st = fail(mg, "malformed section group", g->name);
                    break;
                }
                mg->dropped[p][member] = 1;
            }
        }
    }
    name_map_free(&seen);
    return st;
}

/* Place every part's sections in the output sections. */
static w2n_status place_sections(merge *mg) {
    size_t total = parts_sections(mg);
    mg->secs = calloc(total ? total : 1, sizeof *mg->secs);
    if (!mg->secs)
        return no_memory(mg);
    for (size_t p = 0; p < mg->nparts; p++) {
        const w2n_elf *e = &mg->elf[p];
        for (uint32_t i = 0; i < e->nsections; i++) {
            const w2n_elf_section *s = &e->sections[i];
            if (s->type == W2N_SHT_REL || s->type == W2N_SHT_SYMTAB_SHNDX)
                return fail(mg, "unexpected section", s->name);
            if (!kept_by_parts(s) || s->type == SHT_GROUP || mg->dropped[p][i])
                continue;
            out_section *o = find_or_add_section(mg, s);
            uint64_t align = s->align ? s->align : 1;
            if (align > o->align)
                o->align = align;
            mg->sec_map[p][i] = (uint32_t)(o - mg->secs) + 1;
            int first = o->size == 0 && o->data.len == 0 && !o->nrelas;
            if (!o->concatenated && !first) {
                if (s->size != o->size || (s->data && memcmp(s->data, o->data.p, s->size)))
                    return fail(mg, "parts differ in section", s->name);
                mg->sec_base[p][i] = 0;
                continue;
            }
            uint64_t base = (o->size + align - 1) / align * align;
            mg->sec_base[p][i] = base;
            if (s->type != W2N_SHT_NOBITS) {
                if (!bytes_put(&o->data, NULL, base - o->data.len) ||
                    !bytes_put(&o->data, s->data, s->size))
                    return no_memory(mg);
            }
            o->size = base + s->size;
        }
    }
    return W2N_OK;
}

static int push_symbol(merge *mg, const w2n_elf_symbol *s, uint64_t value, uint16_t shndx,
                       uint8_t bind, uint8_t other) {
    out_symbol *o = &mg->syms[mg->nsyms++];
    o->name = s->name;
    o->value = value;
    o->size = s->size;
    o->shndx = shndx;
    o->info = (uint8_t)(bind << 4 | s->type);
    o->other = other;
    return 1;
}

static uint8_t sym_other(const w2n_elf *e, uint32_t i) {
    return e->sections[e->symtab].data[(size_t)i * SYM_SIZE + 5];
}

/* Which symbols go in which group of the output symbol table. */
enum {
    GROUP_LOCAL,
    GROUP_DEMOTED,
    GROUP_GLOBAL
};

/* Is symbol i defined in a section this part keeps (not a repeated group's)? */
static int defined_here(const merge *mg, size_t p, uint32_t i) {
    const w2n_elf_symbol *s = &mg->elf[p].symbols[i];
    if (s->shndx == W2N_SHN_UNDEF)
        return 0;
    return s->shndx >= W2N_SHN_LORESERVE || !mg->dropped[p][s->shndx];
}

static int symbol_group(const w2n_elf *e, uint32_t i) {
    const w2n_elf_symbol *s = &e->symbols[i];
    if (s->bind == W2N_STB_LOCAL)
        return GROUP_LOCAL;
    if (s->shndx != W2N_SHN_UNDEF && (sym_other(e, i) & 3) == STV_HIDDEN)
        return GROUP_DEMOTED;
    return GROUP_GLOBAL;
}

/* Copy the defined symbols of one group, in part order. */
static w2n_status copy_group(merge *mg, int group, name_map *defined) {
    for (size_t p = 0; p < mg->nparts; p++) {
        const w2n_elf *e = &mg->elf[p];
        for (uint32_t i = 1; i < e->nsymbols; i++) {
            const w2n_elf_symbol *s = &e->symbols[i];
            if (s->type == W2N_STT_FILE || s->type == W2N_STT_SECTION ||
                symbol_group(e, i) != group || (s->shndx && !defined_here(mg, p, i)) ||
                (group != GROUP_LOCAL && !s->shndx))
                continue;
            uint64_t value = s->value;
            uint16_t shndx = s->shndx;
            if (shndx == W2N_SHN_COMMON)
                return fail(mg, "common symbol", s->name);
            if (shndx != W2N_SHN_UNDEF && shndx < W2N_SHN_LORESERVE) {
                if (!mg->sec_map[p][shndx])
                    return fail(mg, "symbol in an unkept section:", s->name);
                value += mg->sec_base[p][shndx];
                shndx = (uint16_t)mg->sec_map[p][shndx];
            }
            mg->sym_map[p][i] = (uint32_t)mg->nsyms;
            if (group != GROUP_LOCAL) {
                size_t slot = name_map_slot(defined, s->name);
                if (defined->names[slot])
                    return fail(mg, "symbol defined in two partitions:", s->name);
                defined->names[slot] = s->name;
                defined->values[slot] = (uint32_t)mg->nsyms;
            }
            push_symbol(mg, s, value, shndx, group == GROUP_GLOBAL ? s->bind : W2N_STB_LOCAL,
                        sym_other(e, i));
        }
    }
    return W2N_OK;
}

/* References: to a definition in any part, or to one shared undefined symbol. */
static void resolve_references(merge *mg, name_map *defined) {
    for (size_t p = 0; p < mg->nparts; p++) {
        const w2n_elf *e = &mg->elf[p];
        for (uint32_t i = 1; i < e->nsymbols; i++) {
            const w2n_elf_symbol *s = &e->symbols[i];
            if (s->bind == W2N_STB_LOCAL || defined_here(mg, p, i))
                continue;
            size_t slot = name_map_slot(defined, s->name);
            if (!defined->names[slot]) {
                defined->names[slot] = s->name;
                defined->values[slot] = (uint32_t)mg->nsyms;
                push_symbol(mg, s, 0, W2N_SHN_UNDEF, s->bind, sym_other(e, i));
            }
            mg->sym_map[p][i] = defined->values[slot];
        }
    }
}

static w2n_status build_symbols(merge *mg) {
    size_t total = 1 + mg->nsecs;
    for (size_t p = 0; p < mg->nparts; p++)
        total += mg->elf[p].nsymbols;
    mg->syms = calloc(total, sizeof *mg->syms);
    name_map defined = {0};
    if (!mg->syms || !name_map_init(&defined, total)) {
        name_map_free(&defined);
        return no_memory(mg);
    }
    mg->nsyms = 1; /* the null symbol */
    for (size_t j = 0; j < mg->nsecs; j++) {
        out_symbol *o = &mg->syms[mg->nsyms++];
        o->name = "";
        o->shndx = (uint16_t)(j + 1);
        o->info = W2N_STT_SECTION;
    }
    for (size_t p = 0; p < mg->nparts; p++) /* section symbols: their section's */
        for (uint32_t i = 1; i < mg->elf[p].nsymbols; i++) {
            const w2n_elf_symbol *s = &mg->elf[p].symbols[i];
            if (s->type == W2N_STT_SECTION && s->shndx < W2N_SHN_LORESERVE &&
                mg->sec_map[p][s->shndx])
                mg->sym_map[p][i] = mg->sec_map[p][s->shndx];
        }
    w2n_status st = copy_group(mg, GROUP_LOCAL, &defined);
    if (st == W2N_OK)
        st = copy_group(mg, GROUP_DEMOTED, &defined);
    mg->first_global = mg->nsyms;
    if (st == W2N_OK)
        st = copy_group(mg, GROUP_GLOBAL, &defined);
    if (st == W2N_OK)
        resolve_references(mg, &defined);
    name_map_free(&defined);
    return st;
}

static w2n_status move_relocations(merge *mg) {
    for (size_t p = 0; p < mg->nparts; p++) {
        const w2n_elf *e = &mg->elf[p];
        for (uint32_t r = 0; r < e->nsections; r++) {
            const w2n_elf_section *rs = &e->sections[r];
            if (rs->type != W2N_SHT_RELA)
                continue;
            uint32_t t = rs->info;
            if (mg->dropped[p][r] || (t < e->nsections && mg->dropped[p][t]))
                continue;
            if (t >= e->nsections || !mg->sec_map[p][t])
                return fail(mg, "relocations for an unkept section", rs->name);
            out_section *o = &mg->secs[mg->sec_map[p][t] - 1];
            if (!o->concatenated && p > 0)
                return fail(mg, "relocations in a section kept once:", o->name);
            size_t n = w2n_elf_rela_count(e, r);
            if (!bytes_reserve(&o->relas, n * RELA_SIZE))
                return no_memory(mg);
            for (size_t i = 0; i < n; i++) {
                w2n_elf_rela rel = w2n_elf_rela_get(e, r, i);
                const w2n_elf_symbol *s = &e->symbols[rel.sym];
                uint32_t sym = rel.sym ? mg->sym_map[p][rel.sym] : 0;
                if (rel.sym && !sym)
                    return fail(mg, "relocation against a dropped symbol", s->name);
                int64_t addend = rel.addend;
                if (s->type == W2N_STT_SECTION)
                    addend += (int64_t)mg->sec_base[p][s->shndx];
                bytes_le(&o->relas, rel.offset + mg->sec_base[p][t], 8);
                bytes_le(&o->relas, (uint64_t)sym << 32 | rel.type, 8);
                bytes_le(&o->relas, (uint64_t)addend, 8);
                o->nrelas++;
            }
        }
    }
    return W2N_OK;
}

static int put_shdr(bytes *b, uint32_t name, uint32_t type, uint64_t flags, uint64_t offset,
                    uint64_t size, uint32_t link, uint32_t info, uint64_t align, uint64_t entsize) {
    return bytes_le(b, name, 4) && bytes_le(b, type, 4) && bytes_le(b, flags, 8) &&
           bytes_le(b, 0, 8) && bytes_le(b, offset, 8) && bytes_le(b, size, 8) &&
           bytes_le(b, link, 4) && bytes_le(b, info, 4) && bytes_le(b, align, 8) &&
           bytes_le(b, entsize, 8);
}

/* Lay out: header, section contents, relocations, symbols, strings, headers. */
static w2n_status write_object(merge *mg, bytes *out) {
    bytes shdrs = {0}, strtab = {0}, shstrtab = {0}, symtab = {0};
    int ok = bytes_put(out, NULL, EHDR_SIZE) && bytes_put(&strtab, "", 1) &&
             bytes_put(&shstrtab, "", 1) && put_shdr(&shdrs, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    size_t nrela = 0;
    for (size_t j = 0; j < mg->nsecs; j++)
        nrela += mg->secs[j].nrelas > 0;
    uint32_t symtab_index = (uint32_t)(1 + mg->nsecs + nrela);
    for (size_t j = 0; ok && j < mg->nsecs; j++) {
        out_section *o = &mg->secs[j];
        uint32_t name;
        ok = bytes_align(out, o->align) && strtab_add(&shstrtab, o->name, &name);
        uint64_t off = out->len;
        if (ok && o->type != W2N_SHT_NOBITS)
            ok = bytes_put(out, o->data.p, o->data.len);
        ok = ok &&
             put_shdr(&shdrs, name, o->type, o->flags, off, o->size, 0, 0, o->align, o->entsize);
    }
    for (size_t j = 0; ok && j < mg->nsecs; j++) {
        out_section *o = &mg->secs[j];
        if (!o->nrelas)
            continue;
        char name[256];
        uint32_t name_off;
        snprintf(name, sizeof name, ".rela%s", o->name);
        ok = bytes_align(out, 8) && strtab_add(&shstrtab, name, &name_off);
        uint64_t off = out->len;
        ok = ok && bytes_put(out, o->relas.p, o->relas.len) &&
             put_shdr(&shdrs, name_off, W2N_SHT_RELA, SHF_INFO_LINK, off, o->relas.len,
                      symtab_index, (uint32_t)(j + 1), 8, RELA_SIZE);
    }
    for (size_t i = 0; ok && i < mg->nsyms; i++) {
        const out_symbol *s = &mg->syms[i];
        uint32_t name = 0;
        if (s->name && *s->name)
            ok = strtab_add(&strtab, s->name, &name);
        ok = ok && bytes_le(&symtab, name, 4) && bytes_le(&symtab, s->info, 1) &&
             bytes_le(&symtab, s->other, 1) && bytes_le(&symtab, s->shndx, 2) &&
             bytes_le(&symtab, s->value, 8) && bytes_le(&symtab, s->size, 8);
    }
    uint32_t n_symtab, n_strtab, n_shstrtab;
    ok = ok && strtab_add(&shstrtab, ".symtab", &n_symtab) &&
         strtab_add(&shstrtab, ".strtab", &n_strtab) &&
         strtab_add(&shstrtab, ".shstrtab", &n_shstrtab) && bytes_align(out, 8);
    uint64_t symtab_off = out->len, strtab_off = symtab_off + symtab.len;
    uint64_t shstrtab_off = strtab_off + strtab.len;
    ok = ok && bytes_put(out, symtab.p, symtab.len) && bytes_put(out, strtab.p, strtab.len) &&
         bytes_put(out, shstrtab.p, shstrtab.len) &&
         put_shdr(&shdrs, n_symtab, W2N_SHT_SYMTAB, 0, symtab_off, symtab.len, symtab_index + 1,
                  (uint32_t)mg->first_global, 8, SYM_SIZE) &&
         put_shdr(&shdrs, n_strtab, W2N_SHT_STRTAB, 0, strtab_off, strtab.len, 0, 0, 1, 0) &&
         put_shdr(&shdrs, n_shstrtab, W2N_SHT_STRTAB, 0, shstrtab_off, shstrtab.len, 0, 0, 1, 0) &&
         bytes_align(out, 8);
    uint64_t shoff = out->len;
    ok = ok && bytes_put(out, shdrs.p, shdrs.len);
    if (ok) {
        /* The header: part 0's identification, machine and flags. */
        bytes h = {0};
        const uint8_t *in = mg->parts[0].bytes;
        ok = bytes_put(&h, in, 16) && bytes_le(&h, 1, 2) && bytes_le(&h, mg->elf[0].machine, 2) &&
             bytes_le(&h, 1, 4) && bytes_le(&h, 0, 8) && bytes_le(&h, 0, 8) &&
             bytes_le(&h, shoff, 8) && bytes_le(&h, mg->elf[0].flags, 4) &&
             bytes_le(&h, EHDR_SIZE, 2) && bytes_le(&h, 0, 2) && bytes_le(&h, 0, 2) &&
             bytes_le(&h, SHDR_SIZE, 2) && bytes_le(&h, symtab_index + 3, 2) &&
             bytes_le(&h, symtab_index + 2, 2);
        if (ok)
            memcpy(out->p, h.p, EHDR_SIZE);
        free(h.p);
    }
    free(shdrs.p);
    free(strtab.p);
    free(shstrtab.p);
    free(symtab.p);
    return ok ? W2N_OK : no_memory(mg);
}

static void merge_free(merge *mg) {
    for (size_t p = 0; p < mg->nparts; p++) {
        if (mg->sec_map)
            free(mg->sec_map[p]);
        if (mg->sec_base)
            free(mg->sec_base[p]);
        if (mg->sym_map)
            free(mg->sym_map[p]);
        if (mg->dropped)
            free(mg->dropped[p]);
        if (mg->elf)
            w2n_elf_free(&mg->elf[p]);
    }
    for (size_t j = 0; j < mg->nsecs; j++) {
        free(mg->secs[j].data.p);
        free(mg->secs[j].relas.p);
    }
    free(mg->sec_map);
    free(mg->sec_base);
    free(mg->sym_map);
    free(mg->dropped);
    free(mg->elf);
    free(mg->secs);
    free(mg->syms);
}

static w2n_status read_parts(merge *mg) {
    mg->elf = calloc(mg->nparts, sizeof *mg->elf);
    mg->sec_map = calloc(mg->nparts, sizeof *mg->sec_map);
    mg->sec_base = calloc(mg->nparts, sizeof *mg->sec_base);
    mg->sym_map = calloc(mg->nparts, sizeof *mg->sym_map);
    mg->dropped = calloc(mg->nparts, sizeof *mg->dropped);
    if (!mg->elf || !mg->sec_map || !mg->sec_base || !mg->sym_map || !mg->dropped)
        return no_memory(mg);
    for (size_t p = 0; p < mg->nparts; p++) {
        w2n_status st = w2n_elf_read(mg->parts[p].bytes, mg->parts[p].size, &mg->elf[p], mg->err);
        if (st != W2N_OK)
            return st == W2N_ERR_NOMEM ? st : fail(mg, "a part is not a valid object", NULL);
        const w2n_elf *e = &mg->elf[p];
        if (e->machine != mg->elf[0].machine || e->flags != mg->elf[0].flags || !e->symtab)
            return fail(mg, "parts differ in machine or flags, or lack symbols", NULL);
        mg->sec_map[p] = calloc(e->nsections, sizeof **mg->sec_map);
        mg->sec_base[p] = calloc(e->nsections, sizeof **mg->sec_base);
        mg->sym_map[p] = calloc(e->nsymbols, sizeof **mg->sym_map);
        mg->dropped[p] = calloc(e->nsections, 1);
        if (!mg->sec_map[p] || !mg->sec_base[p] || !mg->sym_map[p] || !mg->dropped[p])
            return no_memory(mg);
    }
    return W2N_OK;
}

w2n_status w2n_object_merge(const w2n_object_part *parts, size_t n, uint8_t **out, size_t *out_size,
                            w2n_error *err) {
    *out = NULL;
    *out_size = 0;
    merge mg = {.parts = parts, .nparts = n, .err = err};
    if (n == 0)
        return fail(&mg, "no parts", NULL);
    bytes obj = {0};
    w2n_status st = read_parts(&mg);
    if (st == W2N_OK)
        st = drop_repeated_groups(&mg);
    if (st == W2N_OK)
        st = place_sections(&mg);
    if (st == W2N_OK)
        st = build_symbols(&mg);
    if (st == W2N_OK)
        st = move_relocations(&mg);
    if (st == W2N_OK && mg.nsecs + 4 >= W2N_SHN_LORESERVE)
        st = fail(&mg, "too many sections", NULL);
    if (st == W2N_OK)
        st = write_object(&mg, &obj);
    merge_free(&mg);
    if (st != W2N_OK) {
        free(obj.p);
        return st;
    }
    *out = obj.p;
    *out_size = obj.len;
    return W2N_OK;
}
