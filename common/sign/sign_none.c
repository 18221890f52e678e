/*
 * sign_none.c — the signing interface of a build without W2N_SIGNING.
 *
 * The minimal runtime stays free of dependencies: every signing operation
 * fails with W2N_ERR_UNSUPPORTED, so a required signature is never taken
 * as verified.
 */
#include "seal.h"

static w2n_status unsupported(w2n_error *err) {
    return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                         "this build of w2n has no signing support (configure with "
                         "-DW2N_SIGNING=ON and libsodium-dev installed)");
}

bool w2n_sign_available(void) { return false; }

w2n_status w2n_sign_keygen(uint8_t public_key[W2N_SIGN_PUBLIC_SIZE],
                           uint8_t secret_key[W2N_SIGN_SECRET_SIZE], w2n_error *err) {
    return unsupported(err);
}

w2n_status w2n_sign_detached(const uint8_t *msg, size_t len, const uint8_t *secret_key,
                             uint8_t sig[W2N_SIGN_SIG_SIZE], w2n_error *err) {
    return unsupported(err);
}

w2n_status w2n_sign_verify(const uint8_t *msg, size_t len, const uint8_t *sig,
                           const uint8_t *public_key, w2n_error *err) {
    return unsupported(err);
}
