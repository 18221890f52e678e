/*
 * check.c — the public w2n_validate(): decode, validate, release.
 *
 * Its own file because it is the one place that needs both halves of the
 * front end; decode.c and validate.c need only the module (module.c).
 */
#include "module.h"
#include "w2n/compiler.h"

w2n_status w2n_validate(const uint8_t *wasm, size_t size, w2n_error *err) {
    return w2n_validate_features(wasm, size, w2n_features_validation_default(), err);
}

w2n_status w2n_validate_features(const uint8_t *wasm, size_t size, w2n_features features,
                                 w2n_error *err) {
    w2n_module m;
    w2n_status st = w2n_decode_features(wasm, size, features, &m, err);
    if (st != W2N_OK)
        return st;
    st = w2n_validate_module(&m, err);
    w2n_module_free(&m);
    return st;
}
