/*
 * initial_memory.c — the memory every instance starts with, computed once.
 *
 * wasm-ld writes a program's static data as hundreds of active segments
 * (353 in the database benchmark), which instantiation copies one by one
 * into fresh pages.  When nothing about them depends on the instance
 * (constant offsets, one defined memory that does not move, every segment
 * within its minimum size, so none can trap), their result is known here:
 * the pages from the first segment's to the last one's end, written in
 * segment order.  The runtime maps those pages of the object file into the
 * new memory, private and copy-on-write, instead of copying anything
 * (common/memory_image.h).
 *
 * Only guard-mode objects get one (compile.c): an explicit-mode memory moves
 * as it grows and never takes the pages.
 *
 * An image much larger than the data it holds (segments far apart) is not
 * worth its file pages: then there is none, and instantiation copies the
 * segments as before.
 */
#include "initial_memory.h"

#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "memory_image.h"
#include "meta.h"
#include "xalloc.h"

/* At most this many bytes of image per byte of data, plus a page per
 * segment's ends; and never past this size. */
#define SPARSENESS 2
#define IMAGE_MAX ((uint64_t)64 << 20)

/* The range the active segments cover, if an image may hold them. */
static bool image_range(const w2n_module *m, w2n_memory_image *out) {
    uint64_t lo = UINT64_MAX, hi = 0, data = 0;
    bool any = false;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_data_segment *d = &m->datas[i];
        if (d->mode != W2N_SEGMENT_ACTIVE)
            continue;
        if (any && d->memory != out->memory)
            return false;
        out->memory = d->memory;
        any = true;
        if (d->offset.value.kind != W2N_CONST_I32)
            return false; /* global.get or an extended constant: per instance */
        uint64_t at = (uint32_t)d->offset.value.bits[0];
        lo = at < lo ? at : lo;
        hi = at + d->size > hi ? at + d->size : hi;
        data += d->size;
    }
    if (!any || data == 0 || out->memory < m->nimported_memories)
        return false;
    const w2n_limits *limits = &m->memories[out->memory];
    if (limits->shared || limits->is64 || hi > limits->min * W2N_PAGE_SIZE)
        return false; /* shared or moving, or a segment that traps */
    out->offset = lo / W2N_MEMORY_IMAGE_PAGE * W2N_MEMORY_IMAGE_PAGE;
    uint64_t end = (hi + W2N_MEMORY_IMAGE_PAGE - 1) / W2N_MEMORY_IMAGE_PAGE * W2N_MEMORY_IMAGE_PAGE;
    out->length = end - out->offset;
    return out->length <= IMAGE_MAX &&
           out->length <= SPARSENESS * data + 2 * (uint64_t)W2N_MEMORY_IMAGE_PAGE;
}

bool w2n_initial_memory_add(LLVMModuleRef mod, const w2n_module *m) {
    w2n_memory_image image = {0};
    if (!image_range(m, &image))
        return false;
    size_t size = W2N_MEMORY_IMAGE_PAGE + (size_t)image.length;
    uint8_t *bytes = w2n_xcalloc(size, 1);
    w2n_memory_image_write_header(bytes, &image);
    uint8_t *pages = bytes + W2N_MEMORY_IMAGE_PAGE;
    for (uint32_t i = 0; i < m->ndatas; i++) { /* in order: a later one wins */
        const w2n_data_segment *d = &m->datas[i];
        if (d->mode == W2N_SEGMENT_ACTIVE && d->size)
            memcpy(pages + ((uint32_t)d->offset.value.bits[0] - image.offset), d->bytes, d->size);
    }
    w2n_codegen_excluded_blob(mod, "w2n_memory_image", W2N_MEMORY_IMAGE_SECTION, bytes, size,
                              W2N_MEMORY_IMAGE_PAGE);
    free(bytes);
    return true;
}
