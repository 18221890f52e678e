/*
 * seal.h — the seal every object carries: a SHA-256 of its content and an
 * optional Ed25519 signature.
 *
 * The seal is a fixed-size trailer after the ELF bytes (ELF readers go by
 * offsets, so trailing bytes are invisible to them), which lets the runtime
 * check it before it parses a single ELF header.  Layout, little-endian:
 *
 *     0   magic   "W2NSEAL" + NUL          8 bytes
 *     8   version W2N_SEAL_VERSION         u32
 *     12  flags   W2N_SEAL_SIGNED          u32
 *     16  hash    SHA-256                  32 bytes
 *     48  key     Ed25519 public key       32 bytes (zero if unsigned)
 *     80  sig     Ed25519 signature        64 bytes (zero if unsigned)
 *
 * hash = SHA-256 of the whole file with the hash field zeroed (so it covers
 * the flags, key and signature too: a flipped bit anywhere is caught).  The
 * signature signs W2N_SEAL_CONTEXT followed by SHA-256 of the whole file
 * with both the hash and the signature fields zeroed.
 */
#ifndef W2N_SEAL_H
#define W2N_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "w2n/error.h"

#define W2N_SEAL_MAGIC "W2NSEAL" /* 8 bytes with the NUL */
#define W2N_SEAL_VERSION 1u
#define W2N_SEAL_SIZE 144u
#define W2N_SEAL_HASH_AT 16u
#define W2N_SEAL_KEY_AT 48u
#define W2N_SEAL_SIG_AT 80u
#define W2N_SEAL_SIGNED 1u
#define W2N_SEAL_CONTEXT "w2n object signature v1" /* signed with its NUL */
#define W2N_SIGN_PUBLIC_SIZE 32u
#define W2N_SIGN_SECRET_SIZE 64u
#define W2N_SIGN_SIG_SIZE 64u

/* What a seal says, for `w2n inspect` and the loader. */
typedef struct w2n_seal_info {
    uint8_t hash[W2N_SHA256_SIZE];
    bool is_signed;
    uint8_t key[W2N_SIGN_PUBLIC_SIZE];
    size_t content_size; /* bytes before the seal: the ELF object */
} w2n_seal_info;

/* Append an unsigned seal to a malloc'd object (realloc'ing it). */
w2n_status w2n_seal_append(uint8_t **io_bytes, size_t *io_size, w2n_error *err);

/* Recompute the hash field of a sealed object in place (after the caller
 * changed its content or its signature fields). */
w2n_status w2n_seal_update(uint8_t *bytes, size_t size, w2n_error *err);

/* Read the seal without verifying anything (W2N_ERR_BAD_OBJECT if absent). */
w2n_status w2n_seal_read(const uint8_t *bytes, size_t size, w2n_seal_info *out, w2n_error *err);

/* Verify the hash; with `trusted_key` (32 bytes) also require a signature by
 * that key.  Fills *out on success. */
w2n_status w2n_seal_check(const uint8_t *bytes, size_t size, const uint8_t *trusted_key,
                          w2n_seal_info *out, w2n_error *err);

/* Sign a sealed object in place with a 64-byte Ed25519 secret key (which
 * holds its public key in its second half) and update the hash. */
w2n_status w2n_seal_sign(uint8_t *bytes, size_t size, const uint8_t *secret_key, w2n_error *err);

/* ---- Ed25519, from sign/sign_sodium.c (W2N_SIGNING) or sign_none.c ------------ */

/* Was this build made with signing support? */
bool w2n_sign_available(void);
w2n_status w2n_sign_keygen(uint8_t public_key[W2N_SIGN_PUBLIC_SIZE],
                           uint8_t secret_key[W2N_SIGN_SECRET_SIZE], w2n_error *err);
w2n_status w2n_sign_detached(const uint8_t *msg, size_t len, const uint8_t *secret_key,
                             uint8_t sig[W2N_SIGN_SIG_SIZE], w2n_error *err);
/* W2N_OK if sig is key's signature of msg, else W2N_ERR_BAD_OBJECT. */
w2n_status w2n_sign_verify(const uint8_t *msg, size_t len, const uint8_t *sig,
                           const uint8_t *public_key, w2n_error *err);

#endif
