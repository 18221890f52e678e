/*
 * memory_image.h — a module's initial linear memory, laid out by the
 * compiler as whole pages of the object file, so that instantiation maps
 * them instead of copying each data segment (runtime/core/instance.c).
 *
 * `w2n compile` writes the section W2N_MEMORY_IMAGE_SECTION (SHT_PROGBITS,
 * SHF_EXCLUDE, not allocated, aligned to W2N_MEMORY_IMAGE_PAGE in the file)
 * when every active data segment has a constant offset into one defined,
 * unshared 32-bit memory and ends within its minimum size, so that applying
 * them cannot trap.  Page 0 is the header (little-endian): the magic
 * "W2NMIMG\0", u32 version (1), u32 memory index, u64 guest offset and u64
 * length, both multiples of the page; then `length` bytes: the memory's
 * contents from that offset once every active segment is applied, in
 * order.  The segments stay in the metadata too, so a runtime that ignores
 * the section (or cannot map it) applies them as before; one that applies
 * the image skips the active segments of that memory.
 */
#ifndef W2N_MEMORY_IMAGE_H
#define W2N_MEMORY_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define W2N_MEMORY_IMAGE_SECTION ".w2n.memimage"
#define W2N_MEMORY_IMAGE_MAGIC "W2NMIMG" /* 8 bytes with the NUL */
#define W2N_MEMORY_IMAGE_VERSION 1u
#define W2N_MEMORY_IMAGE_PAGE 4096u
/* From this length on a runtime maps the pages from the object's file,
 * keeping the file open while the object lives; a shorter image it copies. */
#define W2N_MEMORY_IMAGE_MAP_MIN 65536u

typedef struct w2n_memory_image {
    uint32_t memory;
    uint64_t offset; /* guest address of the first byte */
    uint64_t length;
} w2n_memory_image;

/* Write the header page of `image` to `page` (W2N_MEMORY_IMAGE_PAGE bytes). */
void w2n_memory_image_write_header(uint8_t *page, const w2n_memory_image *image);

/* Read the header of a section of `size` bytes; false when it is not one
 * of this version or its sizes disagree. */
bool w2n_memory_image_read_header(const uint8_t *section, size_t size, w2n_memory_image *out);

#endif
