/*
 * elf.c — read and check an ELF64 little-endian relocatable object.
 *
 * The object comes from a file and is trusted in nothing: every offset and
 * size is checked against the file (with overflow-safe arithmetic), every
 * index against its table, every string for termination, every alignment
 * for being a power of two, before the loader may use it.  Fields are read
 * byte by byte, so neither the host's endianness nor the alignment of the
 * caller's buffer matters.  Nothing is mapped; only the headers are copied.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "reloc.h"

#define EHDR_SIZE 64
#define SHDR_SIZE 64
#define SYM_SIZE 24
#define RELA_SIZE W2N_ELF_RELA_SIZE
#define REL_SIZE 16
#define ET_REL 1

static uint16_t u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t u32(const uint8_t *p) { return w2n_reloc_rd32(p); }
static uint64_t u64(const uint8_t *p) { return w2n_reloc_rd64(p); }

/* Does [off, off+len) lie inside [0, size)? */
static int in_file(uint64_t off, uint64_t len, size_t size) {
    return off <= size && len <= size - off;
}

static int pow2_or_zero(uint64_t x) { return (x & (x - 1)) == 0; }

const char *w2n_elf_machine_name(uint16_t machine) {
    const w2n_reloc_arch *a = w2n_reloc_arch_for_machine(machine);
    return a ? a->name : NULL;
}

static w2n_status check_header(const uint8_t *b, size_t size, w2n_error *err) {
    if (size < EHDR_SIZE || memcmp(b, "\177ELF", 4) != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 0, "not an ELF file");
    if (b[4] != 2 || b[5] != 1 || u16(b + 16) != ET_REL)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 0,
                             "not an ELF64 relocatable object (little-endian, ET_REL)");
    if (b[6] != 1 || u32(b + 20) != 1)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 6, "unknown ELF version");
    uint16_t machine = u16(b + 18);
    if (!w2n_elf_machine_name(machine))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 18,
                             "object is for ELF machine %u, which w2n does not support", machine);
    if (u16(b + 52) < EHDR_SIZE)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 52, "ELF header size too small");
    return W2N_OK;
}

/* A name at `off` in string-table section `strndx` (checked to end in NUL). */
static const char *str_at(const w2n_elf *elf, uint32_t strndx, uint64_t off) {
    const w2n_elf_section *s = &elf->sections[strndx];
    return off < s->size ? (const char *)s->data + off : NULL;
}

static w2n_status check_strtab(const w2n_elf *elf, uint32_t i, const char *what, w2n_error *err) {
    if (i == 0 || i >= elf->nsections)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s: string table index %u out of range", what, i);
    const w2n_elf_section *s = &elf->sections[i];
    if (s->type != W2N_SHT_STRTAB)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s: section %u is not a string table", what, i);
    if (s->size == 0 || s->data[s->size - 1] != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "string table (section %u) is not NUL-terminated", i);
    return W2N_OK;
}

/* Section headers: bounds of each section in the file, then names. */
static w2n_status read_sections(w2n_elf *elf, w2n_error *err) {
    const uint8_t *b = elf->bytes;
    uint64_t shoff = u64(b + 40);
    uint16_t shentsize = u16(b + 58), shnum = u16(b + 60), shstrndx = u16(b + 62);
    if (shnum == 0) {
        if (shoff != 0)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 40,
                                 "extended section numbering is not supported");
        return W2N_OK;
    }
    if (shentsize != SHDR_SIZE)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 58, "section header size %u, expected 64",
                             shentsize);
    if (shoff % 8 != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 40, "section headers misaligned");
    if (!in_file(shoff, (uint64_t)shnum * SHDR_SIZE, elf->size))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 40,
                             "section headers extend past end of file");
    elf->sections = calloc(shnum, sizeof *elf->sections);
    if (!elf->sections)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    elf->nsections = shnum;
    for (uint32_t i = 0; i < shnum; i++) {
        const uint8_t *h = b + shoff + (uint64_t)i * SHDR_SIZE;
        w2n_elf_section *s = &elf->sections[i];
        s->type = u32(h + 4);
        s->flags = u64(h + 8);
        s->offset = u64(h + 24);
        s->size = u64(h + 32);
        s->link = u32(h + 40);
        s->info = u32(h + 44);
        s->align = u64(h + 48);
        s->entsize = u64(h + 56);
        uint64_t at = shoff + (uint64_t)i * SHDR_SIZE;
        if (!pow2_or_zero(s->align))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at + 48,
                                 "section %u alignment %llu is not a power of two", i,
                                 (unsigned long long)s->align);
        if (s->type != W2N_SHT_NOBITS && s->type != W2N_SHT_NULL) {
            if (!in_file(s->offset, s->size, elf->size))
                return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at + 24,
                                     "section %u extends past end of file", i);
            s->data = b + s->offset;
        }
    }
    if (shstrndx == W2N_SHN_XINDEX)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 62,
                             "extended section numbering is not supported");
    w2n_status st = check_strtab(elf, shstrndx, "section names", err);
    if (st != W2N_OK)
        return st;
    for (uint32_t i = 0; i < shnum; i++) {
        uint32_t name = u32(b + shoff + (uint64_t)i * SHDR_SIZE);
        elf->sections[i].name = str_at(elf, shstrndx, name);
        if (!elf->sections[i].name)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, shoff + (uint64_t)i * SHDR_SIZE,
                                 "section %u name offset %u out of range", i, name);
    }
    return W2N_OK;
}

static w2n_status read_symbols(w2n_elf *elf, w2n_error *err) {
    for (uint32_t i = 1; i < elf->nsections; i++) {
        if (elf->sections[i].type != W2N_SHT_SYMTAB)
            continue;
        if (elf->symtab)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "more than one symbol table (sections %u and %u)", elf->symtab, i);
        elf->symtab = i;
    }
    if (!elf->symtab)
        return W2N_OK;
    const w2n_elf_section *st = &elf->sections[elf->symtab];
    if (st->entsize != SYM_SIZE || st->size % SYM_SIZE != 0 || st->offset % 8 != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, st->offset,
                             "symbol table (section %u) has a bad entry size, size or alignment",
                             elf->symtab);
    w2n_status s = check_strtab(elf, st->link, "symbol names", err);
    if (s != W2N_OK)
        return s;
    size_t n = st->size / SYM_SIZE;
    if (n == 0 || n > UINT32_MAX)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, st->offset, "symbol table is empty");
    if (st->info > n)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, st->offset,
                             "symbol table first-global index %u out of range", st->info);
    elf->symbols = calloc(n, sizeof *elf->symbols);
    if (!elf->symbols)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    elf->nsymbols = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = st->data + i * SYM_SIZE;
        uint64_t at = st->offset + i * SYM_SIZE;
        w2n_elf_symbol *sym = &elf->symbols[i];
        uint32_t name = u32(p);
        sym->name = str_at(elf, st->link, name);
        if (!sym->name)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at,
                                 "symbol %zu name offset %u out of range", i, name);
        sym->bind = p[4] >> 4;
        sym->type = p[4] & 0xf;
        sym->shndx = u16(p + 6);
        sym->value = u64(p + 8);
        sym->size = u64(p + 16);
        if (sym->shndx == W2N_SHN_XINDEX)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at,
                                 "symbol '%s': extended section indexes are not supported",
                                 sym->name);
        if (sym->shndx < W2N_SHN_LORESERVE
                ? sym->shndx >= elf->nsections
                : sym->shndx != W2N_SHN_ABS && sym->shndx != W2N_SHN_COMMON)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at,
                                 "symbol %zu ('%s') has bad section index %u", i, sym->name,
                                 sym->shndx);
    }
    return W2N_OK;
}

/* A relocation section's shape and links; its entries are checked by
 * check_entry. */
static w2n_status check_reloc_section(const w2n_elf *elf, uint32_t i, w2n_error *err) {
    const w2n_elf_section *s = &elf->sections[i];
    size_t esize = s->type == W2N_SHT_RELA ? RELA_SIZE : REL_SIZE;
    if (s->entsize != esize || s->size % esize != 0 || s->offset % 8 != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "relocation section %u (%s) has a bad entry size, size or alignment",
                             i, s->name);
    if (s->size == 0)
        return W2N_OK;
    if (!elf->symtab || s->link != elf->symtab)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "relocation section %u (%s) does not link to the symbol table", i,
                             s->name);
    if (s->info == 0 || s->info >= elf->nsections)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "relocation section %u (%s) targets bad section %u", i, s->name,
                             s->info);
    if (elf->sections[s->info].type == W2N_SHT_NOBITS)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "relocation section %u (%s) targets a section without contents", i,
                             s->name);
    return W2N_OK;
}

/* Entry k of a checked relocation section: its symbol exists, its place
 * lies in the target section. */
static w2n_status check_entry(const w2n_elf *elf, uint32_t i, size_t k, w2n_error *err) {
    const w2n_elf_section *s = &elf->sections[i];
    size_t esize = s->type == W2N_SHT_RELA ? RELA_SIZE : REL_SIZE;
    const w2n_elf_section *t = &elf->sections[s->info];
    const uint8_t *p = s->data + k * esize;
    uint64_t off = u64(p), sym = u64(p + 8) >> 32;
    if (sym >= elf->nsymbols)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset + k * esize + 8,
                             "relocation %zu of %s: symbol index %llu out of range", k, s->name,
                             (unsigned long long)sym);
    if (off > t->size)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset + k * esize,
                             "relocation %zu of %s: offset 0x%llx past the end of %s", k, s->name,
                             (unsigned long long)off, t->name);
    return W2N_OK;
}

static w2n_status check_relocs(const w2n_elf *elf, bool entries, w2n_error *err) {
    for (uint32_t i = 1; i < elf->nsections; i++) {
        uint32_t t = elf->sections[i].type;
        if (t != W2N_SHT_RELA && t != W2N_SHT_REL)
            continue;
        w2n_status st = check_reloc_section(elf, i, err);
        size_t esize = t == W2N_SHT_RELA ? RELA_SIZE : REL_SIZE;
        for (size_t k = 0; entries && st == W2N_OK && k < elf->sections[i].size / esize; k++)
            st = check_entry(elf, i, k, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}

static w2n_status read_elf(const uint8_t *bytes, size_t size, bool entries, w2n_elf *out,
                           w2n_error *err) {
    memset(out, 0, sizeof *out);
    w2n_status st = bytes ? check_header(bytes, size, err)
                          : w2n_error_set(err, W2N_ERR_BAD_OBJECT, 0, "not an ELF file");
    if (st != W2N_OK)
        return st;
    out->bytes = bytes;
    out->size = size;
    out->machine = u16(bytes + 18);
    out->flags = u32(bytes + 48);
    if ((st = read_sections(out, err)) != W2N_OK || (st = read_symbols(out, err)) != W2N_OK ||
        (st = check_relocs(out, entries, err)) != W2N_OK)
        w2n_elf_free(out);
    return st;
}

w2n_status w2n_elf_read(const uint8_t *bytes, size_t size, w2n_elf *out, w2n_error *err) {
    return read_elf(bytes, size, true, out, err);
}

w2n_status w2n_elf_read_headers(const uint8_t *bytes, size_t size, w2n_elf *out, w2n_error *err) {
    return read_elf(bytes, size, false, out, err);
}

w2n_status w2n_elf_rela_check(const w2n_elf *elf, uint32_t section, size_t i, w2n_error *err) {
    return check_entry(elf, section, i, err);
}

void w2n_elf_free(w2n_elf *elf) {
    if (!elf)
        return;
    free(elf->sections);
    free(elf->symbols);
    memset(elf, 0, sizeof *elf);
}

uint32_t w2n_elf_find_section(const w2n_elf *elf, const char *name) {
    for (uint32_t i = 1; i < elf->nsections; i++)
        if (!strcmp(elf->sections[i].name, name))
            return i;
    return 0;
}
