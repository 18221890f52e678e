/*
 * lf_decode.c — libFuzzer target "decode": decode + validate any bytes.
 *
 * Invariants checked beyond "no crash, no sanitizer report, no leak": a
 * rejection is MALFORMED or INVALID (never INTERNAL, never NOMEM for a
 * small input) with a one-line message and an offset inside the input or
 * W2N_NO_OFFSET.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2n/compiler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    w2n_error err;
    memset(&err, 0, sizeof err);
    w2n_status st = w2n_validate(data, size, &err);
    if (st == W2N_OK)
        return 0;
    /* Unsupported (a valid feature w2n lacks) and limits are clean refusals too. */
    if (st != W2N_ERR_MALFORMED && st != W2N_ERR_INVALID && st != W2N_ERR_UNSUPPORTED &&
        st != W2N_ERR_LIMIT) {
        fprintf(stderr, "decode: status %d (%s) for a bad module\n", (int)st, err.message);
        abort();
    }
    if (err.offset != W2N_NO_OFFSET && err.offset > size) {
        fprintf(stderr, "decode: offset 0x%llx past the end (size %zu): %s\n",
                (unsigned long long)err.offset, size, err.message);
        abort();
    }
    if (!err.message[0] || strchr(err.message, '\n')) {
        fprintf(stderr, "decode: message not one line: \"%s\"\n", err.message);
        abort();
    }
    return 0;
}
