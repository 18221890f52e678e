/*
 * object.c — a loaded object: code image plus decoded, checked metadata.
 *
 * Loading maps and relocates the ELF image for the host architecture
 * (image.c), decodes ".w2n.module", refuses another ABI version, another
 * architecture, unknown compile flags or CPU features this machine lacks
 * (cpu.h) with a message naming both sides,
 * and finds the code-pointer arrays of abi.h.  Each entry of those arrays
 * must point into the image's code, which also catches an array shorter
 * than the metadata says in the common case.  The image is registered with
 * the fault handler for as long as the object lives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
#include "internal.h"

#define KNOWN_FLAGS (W2N_FLAG_EXPLICIT_BOUNDS | W2N_FLAG_INTERRUPTIBLE)

static w2n_status check_header(const w2n_meta *m, w2n_error *err) {
    if (m->abi_version != W2N_ABI_VERSION)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is for ABI version %u, this runtime supports %u",
                             m->abi_version, W2N_ABI_VERSION);
    w2n_arch host = w2n_host_arch();
    if (m->arch != (uint32_t)host) {
        const char *name = m->arch >= W2N_ARCH_X86_64 && m->arch <= W2N_ARCH_RISCV64
                               ? w2n_arch_name((w2n_arch)m->arch) : "an unknown architecture";
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is for %s, this runtime runs on %s", name,
                             w2n_arch_name(host));
    }
    if (m->flags & ~(uint32_t)KNOWN_FLAGS)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object uses compile flags 0x%x, this runtime knows only 0x%x",
                             m->flags, KNOWN_FLAGS);
    /* Code for CPU features this machine lacks would die of SIGILL. */
    w2n_status st = w2n_cpu_check(host, m->cpu, m->features, w2n_arch_cpu_has, NULL, err);
    if (st != W2N_OK)
        return st;
    if (m->nimported_memories + m->nmemories > 1)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "object has %u memories, this runtime supports at most 1",
                             m->nimported_memories + m->nmemories);
    return W2N_OK;
}

static w2n_status check_code_array(const w2n_image *img, const char *sym, void *const *arr,
                                   uint32_t n, bool nullable, w2n_error *err) {
    if (n && (uintptr_t)arr % sizeof(void *))   /* a moved symbol: reading it is UB */
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s is not aligned for code pointers", sym);
    for (uint32_t i = 0; i < n; i++) {
        if (!arr[i] && nullable)
            continue;
        if (!arr[i] || !w2n_image_contains_code(img, (uintptr_t)arr[i]))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "%s[%u] does not point into the object's code (metadata "
                                 "declares %u entries)", sym, i, n);
    }
    return W2N_OK;
}

static w2n_status find_arrays(w2n_object *obj, w2n_error *err) {
    const w2n_meta *m = &obj->meta;
    obj->functions = w2n_image_symbol(obj->image, W2N_SYM_FUNCTIONS);
    obj->trampolines = w2n_image_symbol(obj->image, W2N_SYM_TRAMPOLINES);
    obj->import_adapters = w2n_image_symbol(obj->image, W2N_SYM_IMPORT_ADAPTERS);
    if (m->nfuncs && (!obj->functions || !obj->trampolines))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object defines %u functions but lacks symbol %s", m->nfuncs,
                             obj->functions ? W2N_SYM_TRAMPOLINES : W2N_SYM_FUNCTIONS);
    if (m->nimported_funcs && !obj->import_adapters)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object imports %u functions but lacks symbol %s",
                             m->nimported_funcs, W2N_SYM_IMPORT_ADAPTERS);
    w2n_status st = check_code_array(obj->image, W2N_SYM_FUNCTIONS, obj->functions, m->nfuncs,
                                     false, err);
    if (st == W2N_OK)
        st = check_code_array(obj->image, W2N_SYM_TRAMPOLINES,
                              (void *const *)obj->trampolines, m->nfuncs, true, err);
    if (st == W2N_OK)
        st = check_code_array(obj->image, W2N_SYM_IMPORT_ADAPTERS, obj->import_adapters,
                              m->nimported_funcs, false, err);
    return st;
}

w2n_status w2n_object_load(const uint8_t *bytes, size_t size, w2n_object **out, w2n_error *err) {
    return w2n_object_load_at(bytes, size, 0, out, err);
}

w2n_status w2n_object_load_at(const uint8_t *bytes, size_t size, uintptr_t hint,
                              w2n_object **out, w2n_error *err) {
    *out = NULL;
    w2n_object *obj = calloc(1, sizeof *obj);
    if (!obj)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    obj->meta.start = -1;
    w2n_status st = hint ? w2n_image_load_at(bytes, size, w2n_host_arch(), hint, &obj->image, err)
                         : w2n_image_load(bytes, size, w2n_host_arch(), &obj->image, err);
    if (st != W2N_OK)
        goto fail;
    size_t meta_size = 0;
    const uint8_t *meta = w2n_image_section(obj->image, W2N_META_SECTION, &meta_size);
    if (!meta) {
        st = w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                           "object has no %s section (not made by w2n compile?)",
                           W2N_META_SECTION);
        goto fail;
    }
    st = w2n_meta_decode(meta, meta_size, &obj->meta, err);
    if (st != W2N_OK)
        goto fail;
    st = check_header(&obj->meta, err);
    if (st != W2N_OK)
        goto fail;
    st = find_arrays(obj, err);
    if (st != W2N_OK)
        goto fail;
    if (!w2n_trap_register_image(obj->image)) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                           "too many loaded objects for the fault handler's registry");
        goto fail;
    }
    *out = obj;
    return W2N_OK;
fail:
    w2n_meta_free(&obj->meta);
    if (obj->image)
        w2n_image_free(obj->image);
    free(obj);
    return st;
}

w2n_status w2n_object_load_file(const char *path, w2n_object **out, w2n_error *err) {
    *out = NULL;
    uint8_t *bytes = NULL;
    size_t size = 0;
    w2n_status st;
    FILE *f = fopen(path, "rb");
    if (!f)
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0 || ftell(f) < 0) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: cannot determine size", path);
        goto fail;
    }
    size = (size_t)ftell(f);
    rewind(f);
    bytes = malloc(size ? size : 1);
    if (!bytes) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "%s: out of memory", path);
        goto fail;
    }
    if (fread(bytes, 1, size, f) != size) {
        st = w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: read error", path);
        goto fail;
    }
    st = w2n_object_load(bytes, size, out, err);
fail:
    free(bytes);
    fclose(f);
    return st;
}

w2n_status w2n_object_from_parts(const w2n_meta *meta, void *const *functions,
                                 const w2n_tramp_fn *trampolines, void *const *import_adapters,
                                 w2n_object **out, w2n_error *err) {
    *out = NULL;
    uint8_t *bytes;
    size_t size;
    w2n_status st = w2n_meta_encode(meta, &bytes, &size, err);
    if (st != W2N_OK)
        return st;
    w2n_object *obj = calloc(1, sizeof *obj);
    if (!obj) {
        free(bytes);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    st = w2n_meta_decode(bytes, size, &obj->meta, err);
    free(bytes);
    if (st == W2N_OK && obj->meta.abi_version != W2N_ABI_VERSION)
        st = w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                           "object is for ABI version %u, this runtime supports %u",
                           obj->meta.abi_version, W2N_ABI_VERSION);
    if (st == W2N_OK && obj->meta.nimported_memories + obj->meta.nmemories > 1)
        st = w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                           "at most one memory is supported");
    if (st == W2N_OK && ((obj->meta.nfuncs && !functions) ||
                         (obj->meta.nimported_funcs && !import_adapters)))
        st = w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "missing code arrays");
    if (st != W2N_OK) {
        w2n_meta_free(&obj->meta);
        free(obj);
        return st;
    }
    obj->functions = functions;
    obj->trampolines = trampolines;
    obj->import_adapters = import_adapters;
    *out = obj;
    return W2N_OK;
}

void w2n_object_free(w2n_object *obj) {
    if (!obj)
        return;
    if (obj->image) {
        w2n_trap_unregister_image(obj->image);
        w2n_image_free(obj->image);
    }
    w2n_meta_free(&obj->meta);
    free(obj);
}

uint32_t w2n_object_import_count(const w2n_object *obj) { return obj->meta.nimports; }

void w2n_object_import(const w2n_object *obj, uint32_t index, const char **module,
                       const char **name, w2n_extern_kind *kind) {
    const w2n_meta_import *im = index < obj->meta.nimports ? &obj->meta.imports[index] : NULL;
    if (module)
        *module = im ? im->module : NULL;
    if (name)
        *name = im ? im->name : NULL;
    if (kind)
        *kind = im ? (w2n_extern_kind)im->kind : W2N_EXTERN_FUNC;
}

uint32_t w2n_object_export_count(const w2n_object *obj) { return obj->meta.nexports; }

void w2n_object_export(const w2n_object *obj, uint32_t index, const char **name,
                       w2n_extern_kind *kind) {
    const w2n_meta_export *ex = index < obj->meta.nexports ? &obj->meta.exports[index] : NULL;
    if (name)
        *name = ex ? ex->name : NULL;
    if (kind)
        *kind = ex ? (w2n_extern_kind)ex->kind : W2N_EXTERN_FUNC;
}

w2n_status w2n_object_write_perf_map(const w2n_object *obj, w2n_error *err) {
    if (!obj->image)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "this object was not loaded from ELF: no code to name");
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
    FILE *f = fopen(path, "a");
    if (!f)
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: %s", path, strerror(errno));
    bool ok = w2n_image_write_perf_map(obj->image, f);
    if (fclose(f) != 0 || !ok)
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: cannot write", path);
    return W2N_OK;
}
