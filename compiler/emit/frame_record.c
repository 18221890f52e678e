/*
 * frame_record.c — write the largest native stack frame into the metadata
 * of the object LLVM just emitted.
 *
 * The metadata is part of the LLVM module, so it is encoded before code
 * generation, when no frame size is known yet.  Its frame fields sit at a
 * fixed offset (W2N_META_FRAME_OFFSET) and are patched here, in the object's
 * bytes, before the seal is computed.  The sizes come from the emitted code
 * itself (common/frame.c), the same measure the loader repeats; code the
 * decoder cannot account for fails the compile rather than leave a frame
 * unmeasured.
 */
#include "frame_record.h"

#include <string.h>

#include "elf_object.h"
#include "frame.h"
#include "meta.h"

static void put_le(uint8_t *p, uint64_t v, unsigned width) {
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A refusal of LLVM's own output is w2n's fault, not the module's. */
static w2n_status as_internal(w2n_status st, w2n_error *err) {
    if (st != W2N_ERR_BAD_OBJECT)
        return st;
    if (err)
        err->code = W2N_ERR_INTERNAL;
    return W2N_ERR_INTERNAL;
}

static w2n_status record(w2n_elf *elf, uint8_t *object, w2n_arch arch, w2n_error *err) {
    w2n_frame_size f;
    w2n_status st = w2n_frame_measure_object(elf, arch, &f, err);
    if (st != W2N_OK)
        return as_internal(st, err);
    if (f.bytes > W2N_FRAME_MAX || f.vlenb > W2N_FRAME_VLENB_MAX)
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "a function's stack frame of %llu bytes + %llu vector registers "
                             "exceeds w2n's limit of %llu bytes + %u",
                             (unsigned long long)f.bytes, (unsigned long long)f.vlenb,
                             (unsigned long long)W2N_FRAME_MAX, W2N_FRAME_VLENB_MAX);
    uint32_t sec = w2n_elf_find_section(elf, W2N_META_SECTION);
    const w2n_elf_section *meta = sec ? &elf->sections[sec] : NULL;
    if (!meta || meta->size < W2N_META_FRAME_OFFSET + 12 ||
        memcmp(meta->data, W2N_META_MAGIC, 8) != 0)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "the emitted object has no %s section to record frames in",
                             W2N_META_SECTION);
    uint8_t *field = object + meta->offset + W2N_META_FRAME_OFFSET;
    put_le(field, f.bytes, 8);
    put_le(field + 8, f.vlenb, 4);
    return W2N_OK;
}

w2n_status w2n_frame_record(w2n_arch arch, uint8_t *object, size_t size, w2n_error *err) {
    w2n_elf elf;
    w2n_status st = w2n_elf_read(object, size, &elf, err);
    if (st != W2N_OK)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "LLVM emitted an object w2n cannot read: %s", err ? err->message : "");
    st = record(&elf, object, arch, err);
    w2n_elf_free(&elf);
    return st;
}
