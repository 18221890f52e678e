/*
 * meta_stub.c — stand-ins for w2n_meta_encode and w2n_meta_hash, linked into
 * w2n-fuzz-compile only while runtime/meta.c is still a placeholder (see
 * CMakeLists.txt), so the lowering can be fuzzed before the runtime lands.
 *
 * The stub still reads every array the meta points to, so a bad pointer or a
 * wrong count from meta_build.c shows up as a sanitizer report; it encodes
 * only a checksum of what it read.
 */
#include <stdlib.h>
#include <string.h>

#include "meta.h"

uint64_t w2n_meta_hash(const uint8_t *bytes, size_t size) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ bytes[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t mix(uint64_t h, const void *p, size_t n) {
    return h ^ w2n_meta_hash(p, n);
}

static uint64_t mix_str(uint64_t h, const char *s) { return s ? mix(h, s, strlen(s)) : h; }

w2n_status w2n_meta_encode(const w2n_meta *meta, uint8_t **out_bytes, size_t *out_size,
                           w2n_error *err) {
    uint64_t h = mix(meta->module_hash, &meta->abi_version, sizeof meta->abi_version);
    h = mix_str(mix_str(h, meta->cpu), meta->features);
    for (uint32_t i = 0; i < meta->ntypes; i++) {
        h = mix(h, meta->types[i].params, meta->types[i].nparams);
        h = mix(h, meta->types[i].results, meta->types[i].nresults);
    }
    for (uint32_t i = 0; i < meta->nimports; i++)
        h = mix_str(mix_str(h, meta->imports[i].module), meta->imports[i].name);
    h = mix(h, meta->func_types, meta->nfuncs * sizeof *meta->func_types);
    /* Structs with padding are read field by field, so the sum stays
     * deterministic (the fuzzer compares objects byte for byte). */
    for (uint32_t i = 0; i < meta->ntables; i++)
        h = mix(h, &meta->tables[i].limits.min, sizeof meta->tables[i].limits.min);
    for (uint32_t i = 0; i < meta->nmemories; i++)
        h = mix(h, &meta->memories[i].min, sizeof meta->memories[i].min);
    for (uint32_t i = 0; i < meta->nglobals; i++)
        h = mix(h, &meta->globals[i].type.type, sizeof meta->globals[i].type.type);
    for (uint32_t i = 0; i < meta->nexports; i++)
        h = mix_str(h, meta->exports[i].name);
    for (uint32_t i = 0; i < meta->nelems; i++)
        for (uint32_t j = 0; j < meta->elems[i].count; j++)
            h = mix(h, &meta->elems[i].items[j].kind, sizeof meta->elems[i].items[j].kind);
    for (uint32_t i = 0; i < meta->ndatas; i++)
        h = mix(h, meta->datas[i].bytes, meta->datas[i].size);
    *out_bytes = malloc(sizeof h);
    if (!*out_bytes)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    memcpy(*out_bytes, &h, sizeof h);
    *out_size = sizeof h;
    return W2N_OK;
}
