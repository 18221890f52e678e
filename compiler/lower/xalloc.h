/*
 * xalloc.h — the lowering's allocation policy: allocate or abort.
 *
 * The compiler has two policies, one per half (docs/architecture.md,
 * "Invariants and allocation"):
 *   - the front end (reader, decode, validate) and the metadata builder
 *     check every allocation and return W2N_ERR_NOMEM, because their sizes
 *     come from the input, and a hostile count must be an error value;
 *   - the lowering and loop versioning (lower*.c, loop_*.c) allocate through
 *     these functions, which print one line and abort when memory runs out.
 *     Their sizes are bounded by what decode already allocated, they run
 *     inside LLVM, which aborts on exhaustion itself, and threading a
 *     failure through every IR builder call would hide the code for nothing.
 * A size of zero still gives a unique, non-NULL block, and n * size is
 * checked for overflow.  The runtime never aborts: it returns errors.
 */
#ifndef W2N_XALLOC_H
#define W2N_XALLOC_H

#include <stddef.h>

void *w2n_xmalloc(size_t size);
/* n zeroed elements of `size` bytes. */
void *w2n_xcalloc(size_t n, size_t size);
/* Resize p to n elements of `size` bytes (p may be NULL). */
void *w2n_xrealloc(void *p, size_t n, size_t size);
/* Room for `need` elements in p, its capacity *cap doubled as common/grow.h's
 * w2n_grow does. */
void *w2n_xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
