/*
 * lf_compile.c — libFuzzer target "compile": the whole compiler.
 *
 * Input: one option byte (lf_options.h: -O0/-O2, bounds mode,
 * interruptible, target) then the module.  A module that validates must
 * compile to a non-empty ELF relocatable object for the chosen machine, or
 * fail cleanly: never INTERNAL (LLVM refused our IR), never MALFORMED or
 * INVALID after w2n_validate said OK, never "not supported" (all of Wasm 2.0
 * is); LIMIT and NOMEM are clean refusals.  Every rejection has a one-line
 * message and an offset inside the module or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lf_options.h"

static void fail(const char *what, const w2n_compile_options *o, const w2n_error *err) {
    fprintf(stderr, "compile: %s (%s -O%d bounds %d interruptible %d): status %d: %s\n", what,
            o->target, o->opt_level, (int)o->bounds, (int)o->interruptible, (int)err->code,
            err->message);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    w2n_compile_options o;
    uint16_t machine;
    lf_options_from_byte(data[0], &o, &machine);
    const uint8_t *wasm = data + 1;
    size_t n = size - 1;
    w2n_error err;
    memset(&err, 0, sizeof err);
    /* The features the compiler implements, not the wider set that
     * w2n_validate accepts (GC validates but does not yet compile). */
    if (w2n_validate_features(wasm, n, o.wasm_features, &err) != W2N_OK)
        return 0;
    uint8_t *obj = NULL;
    size_t obj_size = 0;
    w2n_status st = w2n_compile(wasm, n, &o, &obj, &obj_size, &err);
    if (st == W2N_OK) {
        if (!obj || obj_size < 64 || memcmp(obj, "\177ELF", 4) != 0 || obj[16] != 1 /* ET_REL */ ||
            (uint16_t)(obj[18] | obj[19] << 8) != machine)
            fail("not an ELF relocatable object for the target", &o, &err);
        free(obj);
        return 0;
    }
    if (obj)
        fail("failed but returned an object", &o, &err);
    if (!err.message[0] || strchr(err.message, '\n') ||
        (err.offset != W2N_NO_OFFSET && err.offset > n))
        fail("bad error record", &o, &err);
    if (st != W2N_ERR_LIMIT && st != W2N_ERR_NOMEM)
        fail("a valid module did not compile", &o, &err);
    return 0;
}
