/*
 * image_layout.c — the parts of image_layout.h that the compiler (which
 * lays the object out) and the loader (which maps it) must agree on.
 */
#include "image_layout.h"

#include <string.h>

#include "reloc.h"

bool w2n_layout_is_relro(const w2n_elf_section *s) {
    return !strncmp(s->name, W2N_LAYOUT_RELRO, strlen(W2N_LAYOUT_RELRO));
}

w2n_region w2n_layout_region(const w2n_elf_section *s) {
    if (s->flags & W2N_SHF_EXECINSTR)
        return W2N_REGION_RX;
    if (w2n_layout_is_relro(s))
        return W2N_REGION_RO;
    return (s->flags & W2N_SHF_WRITE) ? W2N_REGION_RW : W2N_REGION_RO;
}

bool w2n_layout_needs_terminator(const w2n_elf_section *s) { return !strcmp(s->name, ".eh_frame"); }

int64_t w2n_layout_count(const uint8_t *bytes, size_t size) {
    if (!bytes || size < W2N_LAYOUT_HEADER || w2n_reloc_rd32(bytes) != W2N_LAYOUT_VERSION)
        return -1;
    uint64_t n = w2n_reloc_rd32(bytes + 4);
    if (n > (size - W2N_LAYOUT_HEADER) / W2N_LAYOUT_ENTRY ||
        size != W2N_LAYOUT_HEADER + n * W2N_LAYOUT_ENTRY)
        return -1;
    return (int64_t)n;
}
