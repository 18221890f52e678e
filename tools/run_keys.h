/*
 * run_keys.h — Ed25519 key files for signing (`w2n compile --sign`) and
 * trusting (`--trust` of `w2n run` and `w2n-run`) objects.
 *
 * A key file is one line of text: a label, a space, the key in lowercase
 * hex.  KEYFILE holds "w2n-ed25519-secret-key HEX128" (the 64-byte libsodium
 * secret key: seed, then public key), KEYFILE.pub "w2n-ed25519-public-key
 * HEX64".  The label makes swapping the two a clear error rather than a
 * confusing signature failure.
 */
#ifndef W2N_RUN_KEYS_H
#define W2N_RUN_KEYS_H

#include <stdint.h>

#include "seal.h"
#include "w2n/error.h"

/* Read KEYFILE.pub (or any public key file) into key[32]. */
w2n_status w2n_keys_read_public(const char *path, uint8_t key[W2N_SIGN_PUBLIC_SIZE],
                                w2n_error *err);
/* Read a secret key file into key[64]. */
w2n_status w2n_keys_read_secret(const char *path, uint8_t key[W2N_SIGN_SECRET_SIZE],
                                w2n_error *err);
/* Make a key pair: `path` (secret, mode 0600, never overwritten) and
 * `path`.pub. */
w2n_status w2n_keys_generate(const char *path, w2n_error *err);

#endif
