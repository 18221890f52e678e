/*
 * memory_image.c — the header of a memory image section (memory_image.h).
 */
#include "memory_image.h"

#include <string.h>

#include "reloc.h"

void w2n_memory_image_write_header(uint8_t *page, const w2n_memory_image *image) {
    memset(page, 0, W2N_MEMORY_IMAGE_PAGE);
    memcpy(page, W2N_MEMORY_IMAGE_MAGIC, 8);
    w2n_reloc_wr32(page + 8, W2N_MEMORY_IMAGE_VERSION);
    w2n_reloc_wr32(page + 12, image->memory);
    w2n_reloc_wr64(page + 16, image->offset);
    w2n_reloc_wr64(page + 24, image->length);
}

bool w2n_memory_image_read_header(const uint8_t *section, size_t size, w2n_memory_image *out) {
    if (size < W2N_MEMORY_IMAGE_PAGE || memcmp(section, W2N_MEMORY_IMAGE_MAGIC, 8) ||
        w2n_reloc_rd32(section + 8) != W2N_MEMORY_IMAGE_VERSION)
        return false;
    out->memory = w2n_reloc_rd32(section + 12);
    out->offset = w2n_reloc_rd64(section + 16);
    out->length = w2n_reloc_rd64(section + 24);
    return out->offset % W2N_MEMORY_IMAGE_PAGE == 0 && out->length % W2N_MEMORY_IMAGE_PAGE == 0 &&
           out->length && out->length == size - W2N_MEMORY_IMAGE_PAGE;
}
