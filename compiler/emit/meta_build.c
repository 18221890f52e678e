/*
 * meta_build.c — describe a decoded module as the runtime's w2n_meta.
 *
 * The meta borrows the module's strings and arrays; only the arrays made
 * here (the typedefs and their fields among them) are owned, and w2n_meta_build_free releases just those.
 */
#include "meta_build.h"
#include "w2n_assert.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "w2n/version.h"

/* What decode and validate guarantee of the module; the metadata's counts
 * are differences of these, so a broken guarantee would wrap around. */
static void assert_module_counts(const w2n_module *m) {
    W2N_ASSERT(m->nimported_funcs <= m->nfuncs && m->nimported_tables <= m->ntables);
    W2N_ASSERT(m->nimported_memories <= m->nmemories && m->nimported_globals <= m->nglobals);
    W2N_ASSERT(m->nimported_tags <= m->ntags);
    W2N_ASSERT(m->start < (int64_t)m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        W2N_ASSERT(m->func_types[i] < m->ntypes);
    const uint32_t counts[] = {[W2N_EXTERN_FUNC] = m->nfuncs,
                               [W2N_EXTERN_TABLE] = m->ntables,
                               [W2N_EXTERN_MEMORY] = m->nmemories,
                               [W2N_EXTERN_GLOBAL] = m->nglobals,
                               [W2N_EXTERN_TAG] = m->ntags};
    for (uint32_t i = 0; i < m->nexports; i++)
        W2N_ASSERT(m->exports[i].kind <= W2N_EXTERN_TAG &&
                   m->exports[i].index < counts[m->exports[i].kind]);
    (void)counts;
}

/* The GC facts of every type; the fields are the module's, borrowed (a
 * w2n_fieldtype and a w2n_meta_field differ in layout, so copied). */
static w2n_meta_typedef *build_typedefs(const w2n_module *m) {
    w2n_meta_typedef *out = calloc(m->ntypes ? m->ntypes : 1, sizeof *out);
    if (!out)
        return NULL;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const w2n_typedef *d = &m->typedefs[i];
        w2n_meta_typedef *t = &out[i];
        t->kind = d->kind == W2N_TYPE_STRUCT  ? W2N_META_TYPE_STRUCT
                  : d->kind == W2N_TYPE_ARRAY ? W2N_META_TYPE_ARRAY
                                              : W2N_META_TYPE_FUNC;
        t->is_final = d->is_final;
        t->supertype = d->supertype == W2N_NO_SUPERTYPE ? W2N_META_NO_SUPERTYPE : d->supertype;
        t->rec_start = d->rec_start;
        t->rec_size = d->rec_size;
        t->canon = m->type_canon ? m->type_canon[i] : i;
        t->nfields = d->kind == W2N_TYPE_FUNC ? 0 : d->nfields;
        if (t->nfields) {
            t->fields = calloc(t->nfields, sizeof *t->fields);
            if (!t->fields) {
                for (uint32_t k = 0; k < i; k++)
                    free(out[k].fields);
                free(out);
                return NULL;
            }
        }
        for (uint32_t k = 0; k < t->nfields; k++) {
            t->fields[k].storage = d->fields[k].storage;
            t->fields[k].is_mutable = d->fields[k].is_mutable;
        }
    }
    return out;
}

w2n_status w2n_meta_build(const w2n_module *m, const w2n_target *t, const w2n_compile_options *opts,
                          w2n_meta *out, w2n_error *err) {
    assert_module_counts(m);
    memset(out, 0, sizeof *out);
    out->abi_version = W2N_ABI_VERSION;
    out->arch = t->arch;
    out->flags = (opts->bounds == W2N_BOUNDS_EXPLICIT ? W2N_FLAG_EXPLICIT_BOUNDS : 0) |
                 (opts->interruptible ? W2N_FLAG_INTERRUPTIBLE : 0) |
                 (opts->fuel ? W2N_FLAG_FUEL : 0);
    out->cpu = (char *)(opts->cpu ? opts->cpu : "");
    out->features = (char *)(opts->features ? opts->features : "");
    out->module_hash = w2n_meta_hash(m->bytes, m->size);
    out->abi_minor = W2N_ABI_MINOR;
    out->w2n_version = (char *)W2N_VERSION;
    out->target = (char *)t->name;
    out->opt_level = (uint8_t)opts->opt_level;
    out->wasm_features = opts->wasm_features;
    w2n_sha256_digest(m->bytes, m->size, out->module_sha256);
    out->ntypes = m->ntypes;
    out->types = m->types;

    out->nimports = m->nimports;
    out->imports = calloc(m->nimports ? m->nimports : 1, sizeof *out->imports);
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    out->nfuncs = ndefined;
    out->func_types = m->func_types + m->nimported_funcs;
    out->ntables = m->ntables - m->nimported_tables;
    out->tables = m->tables + m->nimported_tables;
    out->nmemories = m->nmemories - m->nimported_memories;
    out->memories = m->memories + m->nimported_memories;
    out->nconst_ops = m->nconst_ops;
    out->const_ops = m->const_ops;
    out->nglobals = m->nglobals - m->nimported_globals;
    out->globals = calloc(out->nglobals ? out->nglobals : 1, sizeof *out->globals);
    out->ntags = m->ntags - m->nimported_tags;
    out->tag_types = m->tag_types + m->nimported_tags;
    out->nexports = m->nexports;
    out->exports = calloc(m->nexports ? m->nexports : 1, sizeof *out->exports);
    out->start = m->start;
    out->nelems = m->nelems;
    out->elems = calloc(m->nelems ? m->nelems : 1, sizeof *out->elems);
    out->ndatas = m->ndatas;
    out->datas = calloc(m->ndatas ? m->ndatas : 1, sizeof *out->datas);
    out->table_inits = calloc(out->ntables ? out->ntables : 1, sizeof *out->table_inits);
    out->typedefs = build_typedefs(m);
    if (!out->imports || !out->globals || !out->exports || !out->elems || !out->datas ||
        !out->table_inits || !out->typedefs) {
        w2n_meta_build_free(out);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }

    for (uint32_t i = 0; i < m->nimports; i++) {
        const w2n_import *im = &m->imports[i];
        w2n_meta_import *o = &out->imports[i];
        o->module = (char *)im->module;
        o->name = (char *)im->name;
        o->kind = im->kind;
        o->func_type = im->kind == W2N_EXTERN_TAG ? im->tag_type : im->func_type;
        o->table = im->table;
        o->memory = im->memory;
        o->global = im->global;
    }
    for (uint32_t i = 0; i < out->nglobals; i++) {
        out->globals[i].type = m->globals[i].type;
        out->globals[i].init = m->globals[i].init.value;
    }
    for (uint32_t i = 0; i < out->ntables; i++)
        if (m->table_inits[i].present)
            out->table_inits[i] = m->table_inits[i].expr.value;
    for (uint32_t i = 0; i < m->nexports; i++) {
        out->exports[i].name = (char *)m->exports[i].name;
        out->exports[i].name_len = m->exports[i].name_len;
        out->exports[i].kind = m->exports[i].kind;
        out->exports[i].index = m->exports[i].index;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const w2n_elem_segment *s = &m->elems[i];
        w2n_meta_elem *o = &out->elems[i];
        o->mode = s->mode;
        o->type = s->type;
        o->table = s->table;
        o->offset = s->offset.value;
        o->count = s->count;
        W2N_ASSERT(s->mode != W2N_SEGMENT_ACTIVE || s->table < m->ntables);
        o->items = calloc(s->count ? s->count : 1, sizeof *o->items);
        if (!o->items) {
            w2n_meta_build_free(out);
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        }
        for (uint32_t k = 0; k < s->count; k++)
            o->items[k] = s->items[k].value;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const w2n_data_segment *s = &m->datas[i];
        w2n_meta_data *o = &out->datas[i];
        o->mode = s->mode;
        o->memory = s->memory;
        o->offset = s->offset.value;
        o->size = s->size;
        o->bytes = (uint8_t *)s->bytes;
        W2N_ASSERT(s->mode != W2N_SEGMENT_ACTIVE || s->memory < m->nmemories);
    }
    W2N_ASSERT(out->nfuncs + m->nimported_funcs == m->nfuncs);
    return W2N_OK;
}

void w2n_meta_build_free(w2n_meta *meta) {
    free(meta->imports);
    free(meta->globals);
    free(meta->exports);
    if (meta->elems)
        for (uint32_t i = 0; i < meta->nelems; i++)
            free(meta->elems[i].items);
    free(meta->elems);
    free(meta->datas);
    free(meta->table_inits);
    for (uint32_t i = 0; meta->typedefs && i < meta->ntypes; i++)
        free(meta->typedefs[i].fields);
    free(meta->typedefs);
    memset(meta, 0, sizeof *meta);
}
