/*
 * inspect_json.c — `w2n inspect --json`: the report of inspect_report.c as
 * one JSON object, for scripts and CI.  docs/inspect.schema.json is its
 * schema (tests/objects/inspect_json_test.py validates against it); field
 * meanings are those of docs/object-format.md.  Names are the module's
 * UTF-8 bytes, control characters escaped; fields an object of ABI 3.0 does
 * not record are null.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "inspect_report.h"
#include "reloc.h"
#include "w2n/compiler_flags.h"
#include "w2n/features.h"

/* A writer that puts the commas and the indentation. */
typedef struct jw {
    FILE *out;
    int depth;
    bool first; /* no member written yet at this depth */
} jw;

static void next(jw *w) {
    if (w->depth > 0)
        fprintf(w->out, "%s\n%*s", w->first ? "" : ",", 2 * w->depth, "");
    w->first = false;
}

static void str_n(jw *w, const char *s, size_t n) {
    fputc('"', w->out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(w->out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(w->out, "\\u%04x", c);
        else
            fputc(c, w->out);
    }
    fputc('"', w->out);
}

static void key(jw *w, const char *k) {
    next(w);
    str_n(w, k, strlen(k));
    fputs(": ", w->out);
}

static void open_(jw *w, char bracket) {
    fputc(bracket, w->out);
    w->depth++;
    w->first = true;
}

static void close_(jw *w, char bracket) {
    w->depth--;
    if (!w->first)
        fprintf(w->out, "\n%*s", 2 * w->depth, "");
    fputc(bracket, w->out);
    w->first = false;
}

static void kv_str(jw *w, const char *k, const char *v) {
    key(w, k);
    if (v)
        str_n(w, v, strlen(v));
    else
        fputs("null", w->out);
}

static void kv_u64(jw *w, const char *k, uint64_t v) {
    key(w, k);
    fprintf(w->out, "%" PRIu64, v);
}

static void kv_bool(jw *w, const char *k, bool v) {
    key(w, k);
    fputs(v ? "true" : "false", w->out);
}

/* Hex digits of p[0..n), or null when !present. */
static void kv_hex(jw *w, const char *k, const uint8_t *p, size_t n, bool present) {
    key(w, k);
    if (!present) {
        fputs("null", w->out);
        return;
    }
    fputc('"', w->out);
    for (size_t i = 0; i < n; i++)
        fprintf(w->out, "%02x", p[i]);
    fputc('"', w->out);
}

static const char *kind_name(unsigned k) {
    static const char *names[] = {"func", "table", "memory", "global"};
    return k < 4 ? names[k] : "?";
}

static void limits(jw *w, const w2n_limits *l) {
    kv_u64(w, "min", l->min);
    key(w, "max");
    if (l->has_max)
        fprintf(w->out, "%" PRIu64, l->max);
    else
        fputs("null", w->out);
    key(w, "index_type");
    fputs(l->is64 ? "\"i64\"" : "\"i32\"", w->out);
    key(w, "shared");
    fputs(l->shared ? "true" : "false", w->out);
}

static void valtypes(jw *w, const char *k, const w2n_valtype *t, uint32_t n) {
    key(w, k);
    open_(w, '[');
    for (uint32_t i = 0; i < n; i++) {
        next(w);
        const char *name = w2n_valtype_name(t[i]);
        str_n(w, name, strlen(name));
    }
    close_(w, ']');
}

static void import(jw *w, const w2n_meta_import *im) {
    open_(w, '{');
    kv_str(w, "module", im->module);
    kv_str(w, "name", im->name);
    kv_str(w, "kind", kind_name(im->kind));
    if (im->kind == W2N_EXTERN_FUNC)
        kv_u64(w, "type", im->func_type);
    else if (im->kind == W2N_EXTERN_TABLE)
        kv_str(w, "element", w2n_valtype_name(im->table.elem)), limits(w, &im->table.limits);
    else if (im->kind == W2N_EXTERN_MEMORY)
        limits(w, &im->memory);
    else
        kv_str(w, "type", w2n_valtype_name(im->global.type)),
            kv_bool(w, "mutable", im->global.is_mutable);
    close_(w, '}');
}

static void provenance(jw *w, const w2n_meta *m) {
    bool has = m->w2n_version != NULL;
    kv_str(w, "w2n_version", has ? m->w2n_version : NULL);
    kv_str(w, "target", has ? m->target : NULL);
    key(w, "opt_level");
    if (has)
        fprintf(w->out, "%u", m->opt_level);
    else
        fputs("null", w->out);
    key(w, "wasm_features");
    if (has) {
        open_(w, '[');
        for (int f = 0; f < W2N_FEATURE_COUNT; f++)
            if (w2n_features_has(m->wasm_features, (w2n_feature)f)) {
                next(w);
                const char *name = w2n_feature_name((w2n_feature)f);
                str_n(w, name, strlen(name));
            }
        close_(w, ']');
    } else {
        fputs("null", w->out);
    }
    kv_hex(w, "module_sha256", m->module_sha256, sizeof m->module_sha256, has);
}

static void module_items(jw *w, const w2n_meta *m) {
    key(w, "types");
    open_(w, '[');
    for (uint32_t i = 0; i < m->ntypes; i++) {
        next(w);
        open_(w, '{');
        valtypes(w, "params", m->types[i].params, m->types[i].nparams);
        valtypes(w, "results", m->types[i].results, m->types[i].nresults);
        close_(w, '}');
    }
    close_(w, ']');
    key(w, "imports");
    open_(w, '[');
    for (uint32_t i = 0; i < m->nimports; i++)
        next(w), import(w, &m->imports[i]);
    close_(w, ']');
    key(w, "exports");
    open_(w, '[');
    for (uint32_t i = 0; i < m->nexports; i++) {
        next(w);
        open_(w, '{');
        key(w, "name");
        str_n(w, m->exports[i].name, m->exports[i].name_len);
        kv_str(w, "kind", kind_name(m->exports[i].kind));
        kv_u64(w, "index", m->exports[i].index);
        close_(w, '}');
    }
    close_(w, ']');
    key(w, "function_types");
    open_(w, '[');
    for (uint32_t i = 0; i < m->nfuncs; i++)
        next(w), fprintf(w->out, "%u", m->func_types[i]);
    close_(w, ']');
    key(w, "tables");
    open_(w, '[');
    for (uint32_t i = 0; i < m->ntables; i++) {
        next(w);
        open_(w, '{');
        kv_str(w, "element", w2n_valtype_name(m->tables[i].elem));
        limits(w, &m->tables[i].limits);
        close_(w, '}');
    }
    close_(w, ']');
    key(w, "memories");
    open_(w, '[');
    for (uint32_t i = 0; i < m->nmemories; i++) {
        next(w);
        open_(w, '{');
        limits(w, &m->memories[i]);
        close_(w, '}');
    }
    close_(w, ']');
    key(w, "globals");
    open_(w, '[');
    for (uint32_t i = 0; i < m->nglobals; i++) {
        next(w);
        open_(w, '{');
        kv_str(w, "type", w2n_valtype_name(m->globals[i].type.type));
        kv_bool(w, "mutable", m->globals[i].type.is_mutable);
        close_(w, '}');
    }
    close_(w, ']');
    key(w, "start");
    if (m->start >= 0)
        fprintf(w->out, "%" PRId64, m->start);
    else
        fputs("null", w->out);
    kv_u64(w, "element_segments", m->nelems);
    kv_u64(w, "data_segments", m->ndatas);
}

static void metadata(jw *w, const w2n_inspect_report *r) {
    const w2n_meta *m = &r->meta;
    open_(w, '{');
    kv_u64(w, "size", r->meta_size);
    key(w, "abi");
    open_(w, '{');
    kv_u64(w, "major", m->abi_version);
    kv_u64(w, "minor", m->abi_minor);
    close_(w, '}');
    provenance(w, m);
    /* Named by the common table (the loader's w2n_arch_name reads it too). */
    const w2n_reloc_arch *arch = w2n_reloc_arch_get((w2n_arch)m->arch);
    kv_str(w, "arch", arch ? arch->name : "unknown");
    kv_str(w, "cpu", m->cpu ? m->cpu : "");
    kv_str(w, "features", m->features ? m->features : "");
    kv_str(w, "bounds_checks",
           w2n_bounds_mode_name((m->flags & W2N_FLAG_EXPLICIT_BOUNDS) ? W2N_BOUNDS_EXPLICIT
                                                                      : W2N_BOUNDS_GUARD));
    kv_bool(w, "interruptible", m->flags & W2N_FLAG_INTERRUPTIBLE);
    kv_bool(w, "fuel", m->flags & W2N_FLAG_FUEL);
    key(w, "module_fnv1a64");
    fprintf(w->out, "\"%016" PRIx64 "\"", m->module_hash);
    module_items(w, m);
    close_(w, '}');
}

void w2n_inspect_print_json(const w2n_inspect_report *r, FILE *out) {
    jw w = {out, 0, true};
    open_(&w, '{');
    kv_str(&w, "object", r->path);
    kv_str(&w, "machine", w2n_inspect_machine_name(r->machine));
    kv_u64(&w, "elf_machine", r->machine);
    kv_u64(&w, "elf_flags", r->elf_flags);
    key(&w, "seal");
    open_(&w, '{');
    kv_bool(&w, "present", r->sealed);
    kv_hex(&w, "sha256", r->seal.hash, sizeof r->seal.hash, r->sealed);
    kv_bool(&w, "matches", r->seal_matches);
    kv_str(&w, "message", r->seal_matches ? NULL : r->seal_message);
    kv_bool(&w, "signed", r->seal.is_signed);
    kv_hex(&w, "public_key", r->seal.key, sizeof r->seal.key, r->seal.is_signed);
    close_(&w, '}');
    key(&w, "metadata");
    if (r->has_meta)
        metadata(&w, r);
    else
        fputs("null", out);
    key(&w, "sizes");
    open_(&w, '{');
    kv_u64(&w, "code", r->code_bytes);
    kv_u64(&w, "rodata", r->rodata_bytes);
    kv_u64(&w, "data", r->data_bytes);
    close_(&w, '}');
    key(&w, "load_layout");
    open_(&w, '{');
    kv_bool(&w, "mapped_from_file", r->mappable);
    kv_u64(&w, "relocations", r->relocations);
    kv_u64(&w, "applied_at_load", r->mappable ? r->load_relocations : r->relocations);
    if (r->mappable)
        kv_u64(&w, "applied_at_load_in_code", r->load_relocations_in_code);
    close_(&w, '}');
    key(&w, "memory_image");
    if (r->has_memory_image) {
        open_(&w, '{');
        kv_u64(&w, "memory", r->memory_image.memory);
        kv_u64(&w, "offset", r->memory_image.offset);
        kv_u64(&w, "length", r->memory_image.length);
        close_(&w, '}');
    } else {
        fputs("null", out);
    }
    key(&w, "functions");
    open_(&w, '[');
    for (size_t i = 0; i < r->nfunctions; i++) {
        const w2n_inspect_function *f = &r->functions[i];
        next(&w);
        open_(&w, '{');
        kv_str(&w, "name", f->name);
        kv_u64(&w, "size", f->size);
        kv_bool(&w, "global", f->global);
        kv_u64(&w, "relocations", f->relocations);
        close_(&w, '}');
    }
    close_(&w, ']');
    close_(&w, '}');
    fputc('\n', out);
}
