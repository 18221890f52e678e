/*
 * linker.c — name-based import resolution.
 *
 * A flat list of (module, name) -> extern definitions; a later definition
 * of the same pair replaces the earlier one (the spec test scripts
 * "register" the same name again).  Lookup is linear: import lists are
 * short and instantiation dominates anyway.
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "internal.h"

typedef struct definition {
    char *module;
    char *name;
    w2n_extern ext;
} definition;

struct w2n_linker {
    w2n_store *store;
    definition *defs;
    uint32_t count;
    size_t cap;
};

w2n_linker *w2n_linker_new(w2n_store *store) {
    w2n_linker *l = calloc(1, sizeof *l);
    if (l)
        l->store = store;
    return l;
}

void w2n_linker_free(w2n_linker *l) {
    if (!l)
        return;
    for (uint32_t i = 0; i < l->count; i++) {
        free(l->defs[i].module);
        free(l->defs[i].name);
    }
    free(l->defs);
    free(l);
}

static definition *find(w2n_linker *l, const char *module, const char *name) {
    for (uint32_t i = 0; i < l->count; i++)
        /* Name first: WASI's 46 share one module name of 22 bytes. */
        if (strcmp(l->defs[i].name, name) == 0 && strcmp(l->defs[i].module, module) == 0)
            return &l->defs[i];
    return NULL;
}

w2n_status w2n_linker_define(w2n_linker *l, const char *module, const char *name, w2n_extern ext,
                             w2n_error *err) {
    if (!l || !module || !name)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null argument");
    definition *d = find(l, module, name);
    if (d) {
        d->ext = ext;
        return W2N_OK;
    }
    if (l->count == l->cap) {
        definition *defs = w2n_grow(l->defs, &l->cap, (size_t)l->count + 1, sizeof *defs, 16);
        if (!defs)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        l->defs = defs;
    }
    d = &l->defs[l->count];
    d->module = strdup(module);
    d->name = strdup(name);
    if (!d->module || !d->name) {
        free(d->module);
        free(d->name);
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    d->ext = ext;
    l->count++;
    return W2N_OK;
}

w2n_status w2n_linker_define_instance(w2n_linker *l, const char *module, w2n_instance *inst,
                                      w2n_error *err) {
    if (!l || !inst)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null argument");
    const w2n_meta *m = inst->meta;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const w2n_meta_export *e = &m->exports[i];
        w2n_extern ext;
        /* A name with a NUL byte cannot be a C-string definition: skip it
         * rather than register it under a prefix that may shadow another. */
        if (strlen(e->name) != e->name_len ||
            w2n_instance_export_n(inst, e->name, e->name_len, &ext) != W2N_OK)
            continue;
        w2n_status st = w2n_linker_define(l, module, m->exports[i].name, ext, err);
        if (st != W2N_OK)
            return st;
    }
    return W2N_OK;
}

w2n_status w2n_linker_instantiate(w2n_linker *l, const w2n_object *obj, w2n_instance **out,
                                  w2n_trap *trap, w2n_error *err) {
    *out = NULL;
    if (!l || !obj)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null argument");
    const w2n_meta *m = &obj->meta;
    w2n_extern *imports = calloc(m->nimports ? m->nimports : 1, sizeof *imports);
    if (!imports)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    w2n_status st = W2N_OK;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const definition *d = find(l, m->imports[i].module, m->imports[i].name);
        if (!d) {
            st = w2n_error_set(err, W2N_ERR_LINK, W2N_NO_OFFSET, "unknown import \"%s\" \"%s\"",
                               m->imports[i].module, m->imports[i].name);
            goto fail;
        }
        imports[i] = d->ext;
    }
    st = w2n_instantiate(l->store, obj, imports, m->nimports, out, trap, err);
fail:
    free(imports);
    return st;
}
