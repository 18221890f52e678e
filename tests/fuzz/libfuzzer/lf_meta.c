/*
 * lf_meta.c — libFuzzer target "meta": the ".w2n.module" codec alone
 * (common/meta.c), seeded with the sections of real objects.
 *
 * Beyond "no crash, no leak": what decodes re-encodes, the encoding decodes
 * again, and encoding that gives the same bytes (the codec has one format,
 * so decode and encode agree on every field).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    w2n_meta m1, m2;
    w2n_error err;
    memset(&m1, 0, sizeof m1);
    memset(&m2, 0, sizeof m2);
    if (w2n_meta_decode(data, size, &m1, &err) != W2N_OK)
        return 0; /* the decoder freed what it had */
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    if (w2n_meta_encode(&m1, &b1, &n1, &err) != W2N_OK) {
        fprintf(stderr, "meta: decoded metadata does not encode: %s\n", err.message);
        abort();
    }
    if (w2n_meta_decode(b1, n1, &m2, &err) != W2N_OK) {
        fprintf(stderr, "meta: re-encoded metadata does not decode: %s\n", err.message);
        abort();
    }
    if (w2n_meta_encode(&m2, &b2, &n2, &err) != W2N_OK || n1 != n2 || memcmp(b1, b2, n1)) {
        fprintf(stderr, "meta: encode(decode(encode(m))) differs from encode(m)\n");
        abort();
    }
    free(b1);
    free(b2);
    w2n_meta_free(&m1);
    w2n_meta_free(&m2);
    return 0;
}
