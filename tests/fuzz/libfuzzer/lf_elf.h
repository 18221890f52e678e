/*
 * lf_elf.h — just enough ELF64 little-endian reading for the fuzzers to
 * find sections by name: the object mutator (lf_object.c) aims its
 * mutations at ".w2n.module" and the relocation sections, and the seed
 * maker (lf_seeds.c) cuts ".w2n.module" out for the "meta" target.  Every
 * read is bounds-checked: the bytes are a mutant.
 */
#ifndef W2N_LF_ELF_H
#define W2N_LF_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LF_SHT_RELA 4

typedef struct lf_section {
    const char *name; /* points into the bytes; "" when out of range */
    uint32_t type;
    size_t offset, size; /* clipped to the file */
} lf_section;

static inline uint64_t lf_rd(const uint8_t *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Up to `max` sections of an ELF64 file; 0 when the header is unreadable. */
static inline size_t lf_elf_sections(const uint8_t *b, size_t size, lf_section *out, size_t max) {
    if (size < 64 || memcmp(b, "\177ELF", 4) != 0 || b[4] != 2 || b[5] != 1)
        return 0;
    uint64_t shoff = lf_rd(b + 0x28, 8);
    unsigned shentsize = (unsigned)lf_rd(b + 0x3a, 2), shnum = (unsigned)lf_rd(b + 0x3c, 2);
    unsigned shstrndx = (unsigned)lf_rd(b + 0x3e, 2);
    if (shentsize < 64 || shoff > size || (uint64_t)shnum * shentsize > size - shoff)
        return 0;
    const uint8_t *strtab = NULL;
    size_t strsize = 0;
    if (shstrndx < shnum) {
        const uint8_t *sh = b + shoff + (size_t)shstrndx * shentsize;
        uint64_t off = lf_rd(sh + 0x18, 8), sz = lf_rd(sh + 0x20, 8);
        if (off <= size && sz <= size - off) {
            strtab = b + off;
            strsize = (size_t)sz;
        }
    }
    size_t n = 0;
    for (unsigned i = 0; i < shnum && n < max; i++) {
        const uint8_t *sh = b + shoff + (size_t)i * shentsize;
        uint64_t name = lf_rd(sh, 4), off = lf_rd(sh + 0x18, 8), sz = lf_rd(sh + 0x20, 8);
        lf_section s = {"", (uint32_t)lf_rd(sh + 4, 4), 0, 0};
        if (strtab && name < strsize && memchr(strtab + name, 0, strsize - name))
            s.name = (const char *)strtab + name;
        if (s.type != 8 /* SHT_NOBITS */ && off <= size) {
            s.offset = (size_t)off;
            s.size = (size_t)(sz < size - off ? sz : size - off);
        }
        out[n++] = s;
    }
    return n;
}

#endif
