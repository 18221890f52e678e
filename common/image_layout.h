/*
 * image_layout.h — the contract that lets the loader map an object's code
 * and read-only data straight from its file.
 *
 * `w2n compile` lays the allocated sections of the object out in the file
 * by final protection, each group starting on a W2N_LAYOUT_PAGE boundary:
 * code (R+X), then read-only data (R, `.data.rel.ro*` included), then
 * writable data (R+W); `.eh_frame` is followed by four zero bytes, its
 * terminator.  Every relocation whose value that layout fixes (the
 * PC-relative ones between the object's own sections) is applied in the
 * file already; the rest, the ones that depend on where the image or a
 * library call lands, are listed in the section W2N_LAYOUT_SECTION.  A
 * loader that finds the section (and a host page no larger than the
 * layout's) maps the code and read-only groups from the file at their
 * file offsets relative to each other and applies only the listed
 * relocations: pages without one stay clean file-backed pages.  The ELF
 * stays an ordinary relocatable object: every relocation is still in its
 * RELA section, and RELA relocations overwrite the field, so a linker
 * (w2n_add_wasm_module's EMBED) gets the same result as before.
 *
 * W2N_LAYOUT_SECTION (SHT_PROGBITS, SHF_EXCLUDE, not allocated; little-
 * endian): u32 version (1), u32 count, then count entries of u32 RELA
 * section index and u32 entry index in that section, in section order.
 */
#ifndef W2N_IMAGE_LAYOUT_H
#define W2N_IMAGE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_object.h"

#define W2N_LAYOUT_SECTION ".w2n.loadrel"
#define W2N_LAYOUT_VERSION 1u
#define W2N_LAYOUT_PAGE 4096u
#define W2N_LAYOUT_HEADER 8u
#define W2N_LAYOUT_ENTRY 8u

/* Final protection of an allocated section. */
typedef enum w2n_region {
    W2N_REGION_RX,
    W2N_REGION_RO,
    W2N_REGION_RW,
    W2N_NREGIONS
} w2n_region;

/* Sections of pointers the loader fills in, read-only afterwards (RELRO):
 * named W2N_LAYOUT_RELRO or starting so. */
#define W2N_LAYOUT_RELRO ".data.rel.ro"
bool w2n_layout_is_relro(const w2n_elf_section *s);

w2n_region w2n_layout_region(const w2n_elf_section *s);

/* Does the unwinder need a zero word after this section (.eh_frame)? */
bool w2n_layout_needs_terminator(const w2n_elf_section *s);

/* Entry i of a table of `count` entries (checked by the caller). */
typedef struct w2n_layout_entry {
    uint32_t rela_section;
    uint32_t index;
} w2n_layout_entry;

/* The table's entry count, or -1 when `bytes` is not a table of this
 * version whose size matches its count. */
int64_t w2n_layout_count(const uint8_t *bytes, size_t size);
static inline w2n_layout_entry w2n_layout_entry_at(const uint8_t *bytes, size_t i) {
    const uint8_t *p = bytes + W2N_LAYOUT_HEADER + i * W2N_LAYOUT_ENTRY;
    return (w2n_layout_entry){w2n_reloc_rd32(p), w2n_reloc_rd32(p + 4)};
}

#endif
