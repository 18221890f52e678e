/*
 * object.c — a loaded object: code image plus decoded, checked metadata.
 *
 * Loading first verifies the object's seal (seal.h: its SHA-256, and with a
 * trusted key its signature) before any ELF header is read; then maps and
 * relocates the ELF image for the host architecture (image.c), decodes
 * ".w2n.module", refuses another ABI version, another architecture, unknown
 * compile flags or CPU features this machine lacks (cpu.h) with a message
 * naming both sides, and checks the metadata's typing (meta_check.c).
 * Nothing the metadata says is taken on its word where the code can
 * confirm it: the bounds mode must match the code's own W2N_SYM_BOUNDS_MODE
 * constant, and each code-pointer array of abi.h must be exactly as large
 * as the metadata's count (its symbol size) with every entry pointing into
 * the image's code; where frames are not probed, the metadata's largest
 * stack frame must cover every function's frame as measured in the code
 * (frame.h), because the runtime keeps that much stack free.  The image is registered with the fault handler for as
 * long as the object lives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
#include "frame.h"
#include "internal.h"
#include "load_phases.h"
#include "object_source.h"
#include "seal.h"
#include "stackmap.h"

#define KNOWN_FLAGS (W2N_FLAG_EXPLICIT_BOUNDS | W2N_FLAG_INTERRUPTIBLE | W2N_FLAG_FUEL)

/* The ABI version was checked by w2n_meta_decode, before the rest was read. */
static w2n_status check_header(const w2n_meta *m, w2n_error *err) {
    w2n_arch host = w2n_host_arch();
    if (m->arch != (uint32_t)host) {
        const char *name = m->arch >= W2N_ARCH_X86_64 && m->arch <= W2N_ARCH_RISCV64
                               ? w2n_arch_name((w2n_arch)m->arch)
                               : "an unknown architecture";
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is for %s, this runtime runs on %s", name,
                             w2n_arch_name(host));
    }
    if (m->flags & ~(uint32_t)KNOWN_FLAGS)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object uses compile flags 0x%x, this runtime knows only 0x%x",
                             m->flags, KNOWN_FLAGS);
    /* Code for CPU features this machine lacks would die of SIGILL. */
    return w2n_cpu_check(host, m->cpu, m->features, w2n_arch_cpu_has, NULL, err);
}

static w2n_status check_code_array(const w2n_image *img, const char *sym, w2n_code_array arr,
                                   uint32_t n, bool nullable, w2n_error *err) {
    if (n && (uintptr_t)arr.entries % w2n_code_width(arr)) /* a moved symbol: reading it is UB */
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s is not aligned for code %s", sym,
                             arr.offsets ? "offsets" : "pointers");
    for (uint32_t i = 0; i < n; i++) {
        void *code = w2n_code_at(arr, i);
        if (!code && nullable)
            continue;
        if (!code || !w2n_image_contains_code(img, (uintptr_t)code))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "%s[%u] does not point into the object's code (metadata "
                                 "declares %u entries)",
                                 sym, i, n);
    }
    return W2N_OK;
}

/* The code states its bounds mode in a constant; the flag must agree, so a
 * flipped flag cannot give unchecked code an exact-size memory. */
static w2n_status check_bounds_mode(const w2n_object *obj, w2n_error *err) {
    uint64_t size = 0;
    const uint8_t *p = w2n_image_symbol_sized(obj->image, W2N_SYM_BOUNDS_MODE, &size);
    if (!p || size != 8)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object lacks the 8-byte symbol %s that states its bounds mode",
                             W2N_SYM_BOUNDS_MODE);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    bool explicit_flag = obj->meta.flags & W2N_FLAG_EXPLICIT_BOUNDS;
    if (v != W2N_BOUNDS_MODE_GUARD && v != W2N_BOUNDS_MODE_EXPLICIT)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object's %s holds 0x%016llx, which names no bounds mode",
                             W2N_SYM_BOUNDS_MODE, (unsigned long long)v);
    if ((v == W2N_BOUNDS_MODE_EXPLICIT) != explicit_flag)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object's metadata says %s bounds checks but its code was "
                             "compiled for %s",
                             explicit_flag ? "explicit" : "guard-page",
                             v == W2N_BOUNDS_MODE_EXPLICIT ? "explicit" : "guard-page");
    return W2N_OK;
}

/* Measured again here, on the object as given: the runtime's stack reserve
 * depends on the metadata's claim (call.c). */
static w2n_status check_frames(const uint8_t *bytes, size_t size, const w2n_meta *m,
                               w2n_error *err) {
    if (!w2n_frame_decoder((w2n_arch)m->arch))
        return W2N_OK;
    w2n_elf elf;
    w2n_status st = w2n_elf_read(bytes, size, &elf, err);
    if (st == W2N_OK)
        st = w2n_frame_check(&elf, m, err);
    w2n_elf_free(&elf);
    return st;
}

/* A code array must hold exactly the metadata's count of entries, each of
 * the width its ABI minor gives (w2n_code_array). */
static w2n_code_array sized_array(const w2n_object *obj, const char *sym, uint32_t n,
                                  w2n_status *st, w2n_error *err) {
    w2n_code_array arr = {.offsets = obj->meta.abi_minor >= W2N_ABI_MINOR_CODE_OFFSETS};
    size_t width = w2n_code_width(arr);
    uint64_t size = 0;
    arr.entries = w2n_image_symbol_sized(obj->image, sym, &size);
    if (*st == W2N_OK && arr.entries && size != (uint64_t)n * width)
        *st = w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                            "symbol %s has %llu bytes, but the metadata declares %u entries "
                            "(%llu bytes)",
                            sym, (unsigned long long)size, n, (unsigned long long)n * width);
    return arr;
}

static w2n_status find_arrays(w2n_object *obj, w2n_error *err) {
    const w2n_meta *m = &obj->meta;
    w2n_status st = W2N_OK;
    obj->functions = sized_array(obj, W2N_SYM_FUNCTIONS, m->nfuncs, &st, err);
    obj->trampolines = sized_array(obj, W2N_SYM_TRAMPOLINES, m->nfuncs, &st, err);
    obj->import_adapters = sized_array(obj, W2N_SYM_IMPORT_ADAPTERS, m->nimported_funcs, &st, err);
    if (st != W2N_OK)
        return st;
    if (m->nfuncs && (!obj->functions.entries || !obj->trampolines.entries))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object defines %u functions but lacks symbol %s", m->nfuncs,
                             obj->functions.entries ? W2N_SYM_TRAMPOLINES : W2N_SYM_FUNCTIONS);
    if (m->nimported_funcs && !obj->import_adapters.entries)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object imports %u functions but lacks symbol %s", m->nimported_funcs,
                             W2N_SYM_IMPORT_ADAPTERS);
    st = check_code_array(obj->image, W2N_SYM_FUNCTIONS, obj->functions, m->nfuncs, false, err);
    if (st == W2N_OK)
        st = check_code_array(obj->image, W2N_SYM_TRAMPOLINES, obj->trampolines, m->nfuncs, true,
                              err);
    if (st == W2N_OK)
        st = check_code_array(obj->image, W2N_SYM_IMPORT_ADAPTERS, obj->import_adapters,
                              m->nimported_funcs, false, err);
    return st;
}

w2n_status w2n_object_load(const uint8_t *bytes, size_t size, w2n_object **out, w2n_error *err) {
    return w2n_object_load_trusted(bytes, size, NULL, out, err);
}

w2n_status w2n_object_load_trusted(const uint8_t *bytes, size_t size, const uint8_t *trusted_key,
                                   w2n_object **out, w2n_error *err) {
    return w2n_object_load_at(bytes, size, trusted_key, 0, out, err);
}

w2n_status w2n_object_load_at(const uint8_t *bytes, size_t size, const uint8_t *trusted_key,
                              uintptr_t hint, w2n_object **out, w2n_error *err) {
    w2n_load_record rec;
    w2n_load_record_begin(&rec);
    w2n_object_source src = {.bytes = bytes, .size = size, .fd = -1};
    w2n_status st = w2n_object_load_source(&src, trusted_key, hint, out, err);
    w2n_load_record_begin(NULL);
    return st;
}

/* The load proper; its steps are timed into the record the caller began
 * (load_phases.h). */
w2n_status w2n_object_load_source(const w2n_object_source *src, const uint8_t *trusted_key,
                                  uintptr_t hint, w2n_object **out, w2n_error *err) {
    *out = NULL;
    const uint8_t *bytes = src->bytes;
    size_t size = src->size;
    w2n_seal_info seal;
    w2n_status st = src->seal_verified ? w2n_seal_read(bytes, size, &seal, err)
                                       : w2n_seal_check(bytes, size, trusted_key, &seal, err);
    w2n_load_mark("seal");
    if (st != W2N_OK)
        return st;
    size = seal.content_size;
    w2n_object *obj = calloc(1, sizeof *obj);
    if (!obj)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    obj->meta.start = -1;
    st = w2n_image_load_file(bytes, size, src->fd, w2n_host_arch(), hint, &obj->image, err);
    if (st != W2N_OK)
        goto fail;
    size_t meta_size = 0;
    const uint8_t *meta = w2n_image_section(obj->image, W2N_META_SECTION, &meta_size);
    if (!meta) {
        st = w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                           "object has no %s section (not made by w2n compile?)", W2N_META_SECTION);
        goto fail;
    }
    /* The section lives as long as the image, so its data segments need
     * no copy of their own. */
    st = w2n_meta_decode_borrowing(meta, meta_size, &obj->meta, err);
    w2n_load_mark("meta");
    if (st != W2N_OK)
        goto fail;
    st = check_header(&obj->meta, err);
    if (st == W2N_OK)
        st = w2n_meta_check(&obj->meta, err);
    if (st == W2N_OK)
        st = check_bounds_mode(obj, err);
    if (st == W2N_OK)
        st = check_frames(bytes, size, &obj->meta, err);
    if (st != W2N_OK)
        goto fail;
    st = find_arrays(obj, err);
    w2n_load_mark("checks");
    if (st != W2N_OK)
        goto fail;
    /* A module that uses GC carries stack maps: checked now, read by the
     * collector at every collection (runtime/gc/stack_walk.c). */
    size_t maps_size;
    const uint8_t *maps = w2n_image_stackmaps(obj->image, &maps_size);
    if (maps && (st = w2n_stackmap_parse(maps, maps_size, &obj->stackmap, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("stackmaps");
    if (!w2n_trap_register_image(obj->image)) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                           "too many loaded objects for the fault handler's registry");
        goto fail;
    }
    w2n_load_mark("register");
    w2n_load_record_copy(obj->load_phases, &obj->nload_phases);
    *out = obj;
    return W2N_OK;
fail:
    w2n_stackmap_free(obj->stackmap);
    w2n_meta_free(&obj->meta);
    if (obj->image)
        w2n_image_free(obj->image);
    free(obj);
    return st;
}

/* Through the tools' reader (w2n/file.h), so a pipe or /dev/stdin works. */
uint32_t w2n_object_load_phases(const w2n_object *obj, const w2n_load_phase **out) {
    *out = obj->load_phases;
    return obj->nload_phases;
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
    if (st == W2N_OK &&
        ((obj->meta.nfuncs && !functions) || (obj->meta.nimported_funcs && !import_adapters)))
        st = w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "missing code arrays");
    if (st != W2N_OK) {
        w2n_meta_free(&obj->meta);
        free(obj);
        return st;
    }
    obj->functions.entries = functions;
    obj->trampolines.entries = (const void *)trampolines;
    obj->import_adapters.entries = import_adapters;
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
    w2n_stackmap_free(obj->stackmap);
    w2n_meta_free(&obj->meta);
    free(obj);
}

uint32_t w2n_object_import_count(const w2n_object *obj) { return obj->meta.nimports; }

bool w2n_object_interruptible(const w2n_object *obj) {
    return obj->meta.flags & W2N_FLAG_INTERRUPTIBLE;
}

bool w2n_object_counts_fuel(const w2n_object *obj) { return obj->meta.flags & W2N_FLAG_FUEL; }

w2n_bounds_mode w2n_object_bounds_mode(const w2n_object *obj) {
    return (obj->meta.flags & W2N_FLAG_EXPLICIT_BOUNDS) ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD;
}

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

bool w2n_object_import_memory(const w2n_object *obj, uint32_t index, w2n_limits *limits) {
    if (index >= obj->meta.nimports || obj->meta.imports[index].kind != W2N_EXTERN_MEMORY)
        return false;
    *limits = obj->meta.imports[index].memory;
    return true;
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
