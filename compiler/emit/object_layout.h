/*
 * object_layout.h — lay an emitted object out so that the loader can map
 * its code and read-only data from the file (common/image_layout.h).
 */
#ifndef W2N_OBJECT_LAYOUT_H
#define W2N_OBJECT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

/* Rewrite the object in *io_bytes (before the seal is appended): allocated
 * sections grouped by protection on page boundaries, the relocations the
 * layout fixes applied, the others listed in W2N_LAYOUT_SECTION.  Sections
 * keep their indices, symbols and relocations are unchanged. */
w2n_status w2n_object_layout(uint8_t **io_bytes, size_t *io_size, w2n_error *err);

#endif
