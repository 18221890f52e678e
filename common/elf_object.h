/*
 * elf_object.h — a checked view of an ELF64 little-endian relocatable object.
 *
 * w2n_elf_read parses the header, the section headers, their names, the
 * symbol table and every RELA section, and checks every offset, size,
 * index, alignment and string termination against the bytes, so that the
 * loader can then index freely.  It maps nothing and copies nothing but the
 * decoded headers: names and section contents point into the caller's
 * bytes, which must outlive the w2n_elf.
 *
 * (Not called elf.h: common/ is a public include directory, and a
 * common/elf.h would shadow the system <elf.h> that libelf's headers
 * include in the tools.)
 */
#ifndef W2N_ELF_OBJECT_H
#define W2N_ELF_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "reloc.h" /* little-endian loads */
#include "w2n/error.h"

enum {
    W2N_SHT_NULL = 0,
    W2N_SHT_PROGBITS = 1,
    W2N_SHT_SYMTAB = 2,
    W2N_SHT_STRTAB = 3,
    W2N_SHT_RELA = 4,
    W2N_SHT_NOBITS = 8,
    W2N_SHT_REL = 9,
    W2N_SHT_SYMTAB_SHNDX = 18
};

enum {
    W2N_SHF_WRITE = 0x1,
    W2N_SHF_ALLOC = 0x2,
    W2N_SHF_EXECINSTR = 0x4,
    W2N_SHF_TLS = 0x400
};

enum {
    W2N_SHN_UNDEF = 0,
    W2N_SHN_LORESERVE = 0xff00,
    W2N_SHN_ABS = 0xfff1,
    W2N_SHN_COMMON = 0xfff2,
    W2N_SHN_XINDEX = 0xffff
};

enum {
    W2N_STB_LOCAL = 0,
    W2N_STB_GLOBAL = 1,
    W2N_STB_WEAK = 2
};
enum {
    W2N_STT_NOTYPE = 0,
    W2N_STT_OBJECT = 1,
    W2N_STT_FUNC = 2,
    W2N_STT_SECTION = 3,
    W2N_STT_FILE = 4,
    W2N_STT_COMMON = 5,
    W2N_STT_TLS = 6,
    W2N_STT_GNU_IFUNC = 10
};

typedef struct w2n_elf_section {
    const char *name; /* NUL-terminated, inside the object */
    uint32_t type;
    uint64_t flags;
    uint64_t offset; /* checked: offset + size <= file size unless NOBITS */
    uint64_t size;
    uint64_t align; /* 0 or a power of two; 0 is taken as 1 */
    uint64_t entsize;
    uint32_t link;
    uint32_t info;
    const uint8_t *data; /* the contents, or NULL for NOBITS */
} w2n_elf_section;

typedef struct w2n_elf_symbol {
    const char *name; /* "" when unnamed */
    uint64_t value;
    uint64_t size;
    uint16_t shndx; /* section index (checked < nsections) or SHN_* */
    uint8_t bind;   /* STB_* */
    uint8_t type;   /* STT_* */
} w2n_elf_symbol;

typedef struct w2n_elf_rela {
    uint64_t offset; /* in the target section (not yet checked against a width) */
    uint32_t type;
    uint32_t sym; /* checked < nsymbols */
    int64_t addend;
} w2n_elf_rela;

typedef struct w2n_elf {
    const uint8_t *bytes;
    size_t size;
    uint16_t machine; /* e_machine */
    uint32_t flags;   /* e_flags */
    uint32_t nsections;
    w2n_elf_section *sections;
    uint32_t nsymbols; /* including the null symbol 0 */
    w2n_elf_symbol *symbols;
    uint32_t symtab; /* index of the SHT_SYMTAB section, 0 if none */
} w2n_elf;

/* Parse and check.  On failure *out is zeroed and nothing leaks; errors are
 * W2N_ERR_BAD_OBJECT (offset = the byte offset at fault) or W2N_ERR_NOMEM. */
w2n_status w2n_elf_read(const uint8_t *bytes, size_t size, w2n_elf *out, w2n_error *err);
/* The same, but each relocation section is checked as a whole (entry size,
 * links, target) and not entry by entry: for a reader that uses only some
 * entries (the loader, of an object that lists the few left to apply) and
 * checks each one with w2n_elf_rela_check before it reads it. */
w2n_status w2n_elf_read_headers(const uint8_t *bytes, size_t size, w2n_elf *out, w2n_error *err);
void w2n_elf_free(w2n_elf *elf);

/* For a checked SHT_RELA section: number of entries and entry i (inline:
 * the loader reads every relocation it applies through them). */
#define W2N_ELF_RELA_SIZE 24u
static inline size_t w2n_elf_rela_count(const w2n_elf *elf, uint32_t section) {
    return elf->sections[section].size / W2N_ELF_RELA_SIZE;
}
static inline w2n_elf_rela w2n_elf_rela_get(const w2n_elf *elf, uint32_t section, size_t i) {
    const uint8_t *p = elf->sections[section].data + i * W2N_ELF_RELA_SIZE;
    uint64_t info = w2n_reloc_rd64(p + 8);
    w2n_elf_rela r = {.offset = w2n_reloc_rd64(p),
                      .type = (uint32_t)info,
                      .sym = (uint32_t)(info >> 32),
                      .addend = (int64_t)w2n_reloc_rd64(p + 16)};
    return r;
}
/* Entry i of such a section (i < its count): symbol index in range, place
 * inside the target section.  What w2n_elf_read checks of every entry. */
w2n_status w2n_elf_rela_check(const w2n_elf *elf, uint32_t section, size_t i, w2n_error *err);

/* Index of the section called name, or 0. */
uint32_t w2n_elf_find_section(const w2n_elf *elf, const char *name);

/* The name of an ELF machine we know ("x86_64"), or NULL. */
const char *w2n_elf_machine_name(uint16_t machine);

#endif
