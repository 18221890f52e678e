/*
 * module.c — releasing a decoded module.
 *
 * w2n_module_free accepts a module in any state decode can leave it in: the
 * counts say how many entries of each array were filled, and arrays beyond
 * them are zeroed, so freeing a half-decoded module is safe.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"

void w2n_module_free(w2n_module *m) {
    if (!m)
        return;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        free(m->types[i].params);
        free(m->types[i].results);
    }
    free(m->types);
    if (m->typedefs)
        for (uint32_t i = 0; i < m->ntypes; i++)
            free(m->typedefs[i].fields);
    free(m->typedefs);
    free(m->type_canon);
    free(m->table_inits);
    for (uint32_t i = 0; i < m->nimports; i++) {
        free((char *)m->imports[i].module);
        free((char *)m->imports[i].name);
    }
    free(m->imports);
    free(m->func_types);
    free(m->tables);
    free(m->memories);
    free(m->global_types);
    free(m->tag_types);
    free(m->globals);
    free(m->const_ops);
    for (uint32_t i = 0; i < m->nexports; i++)
        free((char *)m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; i < m->nelems; i++)
        free(m->elems[i].items);
    free(m->elems);
    free(m->datas);
    if (m->codes) {
        /* Decode clears codes itself when it fails half-way, so here every
         * defined function has its entry. */
        for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
            free(m->codes[i - m->nimported_funcs].locals);
    }
    free(m->codes);
    if (m->func_names) {
        for (uint32_t i = 0; i < m->nfuncs; i++)
            free(m->func_names[i]);
        free(m->func_names);
    }
    free(m->module_name);
    memset(m, 0, sizeof *m);
}
