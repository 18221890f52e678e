/*
 * sign_sodium.c — Ed25519 through libsodium (built when W2N_SIGNING is ON).
 *
 * No curve arithmetic lives in w2n: key generation, signing and
 * verification are libsodium's crypto_sign_* calls.  sodium_init is
 * idempotent and thread-safe, so each entry point calls it.
 */
#include <sodium.h>

#include "../seal.h"

_Static_assert(crypto_sign_PUBLICKEYBYTES == W2N_SIGN_PUBLIC_SIZE, "Ed25519 public key size");
_Static_assert(crypto_sign_SECRETKEYBYTES == W2N_SIGN_SECRET_SIZE, "Ed25519 secret key size");
_Static_assert(crypto_sign_BYTES == W2N_SIGN_SIG_SIZE, "Ed25519 signature size");

static w2n_status init(w2n_error *err) {
    if (sodium_init() < 0)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "libsodium failed to start");
    return W2N_OK;
}

bool w2n_sign_available(void) { return true; }

w2n_status w2n_sign_keygen(uint8_t public_key[W2N_SIGN_PUBLIC_SIZE],
                           uint8_t secret_key[W2N_SIGN_SECRET_SIZE], w2n_error *err) {
    w2n_status st = init(err);
    if (st == W2N_OK && crypto_sign_keypair(public_key, secret_key) != 0)
        st = w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "key generation failed");
    return st;
}

w2n_status w2n_sign_detached(const uint8_t *msg, size_t len, const uint8_t *secret_key,
                             uint8_t sig[W2N_SIGN_SIG_SIZE], w2n_error *err) {
    w2n_status st = init(err);
    if (st == W2N_OK && crypto_sign_detached(sig, NULL, msg, len, secret_key) != 0)
        st = w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "signing failed");
    return st;
}

w2n_status w2n_sign_verify(const uint8_t *msg, size_t len, const uint8_t *sig,
                           const uint8_t *public_key, w2n_error *err) {
    w2n_status st = init(err);
    if (st == W2N_OK && crypto_sign_verify_detached(sig, msg, len, public_key) != 0)
        st = w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET, "bad signature");
    return st;
}
