/*
 * rt_fake_image.h — a stand-in for the ELF loader in runtime-core tests.
 *
 * Include from exactly one test file per executable.  Every definition is
 * weak and covers every image.h symbol the runtime core references, so no
 * real loader member is pulled from the static library and the fake is used
 * whether or not the real loader is built.  The fake "object" is just an
 * encoded w2n_meta: w2n_image_load copies it and serves it as the
 * ".w2n.module" section; symbols come from fake_symbols[] (set by the test,
 * with their sizes); code is the range fake_code_start..fake_code_end.  The
 * fake stands for guard-mode code: it defines W2N_SYM_BOUNDS_MODE as the
 * guard constant unless fake_symbols[] names it.  w2n_object_load verifies a
 * seal first, so fake objects are made with fake_object_bytes.
 */
#ifndef W2N_RT_FAKE_IMAGE_H
#define W2N_RT_FAKE_IMAGE_H

#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "meta.h"
#include "seal.h"

#define FAKE_WEAK __attribute__((weak))

struct w2n_image {
    uint8_t *bytes;
    size_t size;
};

typedef struct fake_symbol {
    const char *name;
    void *addr;
    uint64_t size;
} fake_symbol;

static fake_symbol fake_symbols[8];
static uintptr_t fake_code_start, fake_code_end;
static int fake_images_live;

FAKE_WEAK w2n_status w2n_image_load(const uint8_t *bytes, size_t size, w2n_arch arch,
                                    w2n_image **out, w2n_error *err) {
    (void)arch;
    *out = NULL;
    if (size < 8 || memcmp(bytes, W2N_META_MAGIC, 8) != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 0, "not an ELF file (fake loader)");
    w2n_image *img = calloc(1, sizeof *img);
    img->bytes = malloc(size);
    memcpy(img->bytes, bytes, size);
    img->size = size;
    fake_images_live++;
    *out = img;
    return W2N_OK;
}

FAKE_WEAK w2n_status w2n_image_load_at(const uint8_t *bytes, size_t size, w2n_arch arch,
                                       uintptr_t hint, w2n_image **out, w2n_error *err) {
    (void)hint;
    return w2n_image_load(bytes, size, arch, out, err);
}

FAKE_WEAK w2n_status w2n_image_load_file(const uint8_t *bytes, size_t size, int fd, w2n_arch arch,
                                         uintptr_t hint, w2n_image **out, w2n_error *err) {
    (void)fd;
    (void)hint;
    return w2n_image_load(bytes, size, arch, out, err);
}

FAKE_WEAK bool w2n_image_mapped_from_file(const w2n_image *img) {
    (void)img;
    return false;
}

FAKE_WEAK bool w2n_image_memory_image(const w2n_image *img, w2n_memory_image *out, int *fd,
                                      uint64_t *file_offset, const uint8_t **bytes) {
    (void)img, (void)out, (void)fd, (void)file_offset, (void)bytes;
    return false;
}

FAKE_WEAK void w2n_image_free(w2n_image *img) {
    if (!img)
        return;
    fake_images_live--;
    free(img->bytes);
    free(img);
}

FAKE_WEAK void *w2n_image_symbol_sized(const w2n_image *img, const char *name, uint64_t *out_size) {
    static const uint64_t guard_mode = W2N_BOUNDS_MODE_GUARD;
    (void)img;
    for (size_t i = 0; i < sizeof fake_symbols / sizeof fake_symbols[0]; i++)
        if (fake_symbols[i].name && strcmp(fake_symbols[i].name, name) == 0) {
            if (out_size)
                *out_size = fake_symbols[i].size;
            return fake_symbols[i].addr;
        }
    bool mode = strcmp(name, W2N_SYM_BOUNDS_MODE) == 0;
    if (out_size)
        *out_size = mode ? sizeof guard_mode : 0;
    return mode ? (void *)&guard_mode : NULL;
}

FAKE_WEAK void *w2n_image_symbol(const w2n_image *img, const char *name) {
    return w2n_image_symbol_sized(img, name, NULL);
}

/* A fake object: the encoded meta, sealed as w2n_object_load requires. */
static inline void fake_object_bytes(const w2n_meta *m, uint8_t **bytes, size_t *size) {
    w2n_error err;
    if (w2n_meta_encode(m, bytes, size, &err) != W2N_OK ||
        w2n_seal_append(bytes, size, &err) != W2N_OK) {
        *bytes = NULL;
        *size = 0;
    }
}

FAKE_WEAK const uint8_t *w2n_image_section(const w2n_image *img, const char *name,
                                           size_t *out_size) {
    if (strcmp(name, W2N_META_SECTION) != 0)
        return NULL;
    *out_size = img->size;
    return img->bytes;
}

/* Fake objects have no GC stack maps. */
FAKE_WEAK const uint8_t *w2n_image_stackmaps(const w2n_image *img, size_t *out_size) {
    (void)img;
    *out_size = 0;
    return NULL;
}

FAKE_WEAK int w2n_image_contains_code(const w2n_image *img, uintptr_t pc) {
    (void)img;
    return pc >= fake_code_start && pc < fake_code_end;
}

/* The fake's "mapping" is its code range (what the exception unwinder asks). */
FAKE_WEAK uintptr_t w2n_image_base(const w2n_image *img, size_t *out_size) {
    (void)img;
    if (out_size)
        *out_size = fake_code_end - fake_code_start;
    return fake_code_start;
}

FAKE_WEAK const char *w2n_image_symbolize(const w2n_image *img, uintptr_t pc) {
    (void)img;
    (void)pc;
    return NULL;
}

/* The fake's code has no symbols: one unnamed range. */
/* Fake code handles no exceptions, and has no line table. */
FAKE_WEAK bool w2n_image_handles_exceptions(const w2n_image *img) {
    (void)img;
    return false;
}

FAKE_WEAK uintptr_t w2n_image_function_start(const w2n_image *img, uintptr_t pc) {
    (void)img;
    return w2n_image_contains_code(img, pc) ? fake_code_start : 0;
}

FAKE_WEAK const struct w2n_line_row *w2n_image_line(const w2n_image *img, uintptr_t pc,
                                                    const char **out_file) {
    (void)img;
    (void)pc;
    *out_file = NULL;
    return NULL;
}

FAKE_WEAK bool w2n_image_write_perf_map(const w2n_image *img, FILE *out) {
    (void)img;
    return fprintf(out, "%lx %lx fake_code\n", (unsigned long)fake_code_start,
                   (unsigned long)(fake_code_end - fake_code_start)) > 0;
}

/* The tests only ever run on the build host; x86-64 is what the fake claims
 * unless the test overrides fake_arch. */
static w2n_arch fake_arch = W2N_ARCH_X86_64;

FAKE_WEAK w2n_arch w2n_host_arch(void) { return fake_arch; }

FAKE_WEAK const char *w2n_arch_name(w2n_arch arch) {
    switch (arch) {
    case W2N_ARCH_X86_64: return "x86_64";
    case W2N_ARCH_AARCH64: return "aarch64";
    case W2N_ARCH_RISCV64: return "riscv64";
    }
    return "unknown";
}

#endif
