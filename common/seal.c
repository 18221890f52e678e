/*
 * seal.c — append, read, verify and sign the seal of seal.h.
 *
 * Verification reads only the bytes it was given and the fixed trailer; it
 * runs before the ELF parser sees anything, so a corrupt object is refused
 * on its hash before any of its headers are trusted.  Hashing skips a field
 * by feeding zeros in its place, so nothing is copied.
 */
#include <stdlib.h>
#include <string.h>

#include "seal.h"

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* SHA-256 of bytes[0, size) with the seal's hash field, and also its
 * signature field if `zero_sig`, counted as zeros. */
static void digest(const uint8_t *bytes, size_t size, bool zero_sig, uint8_t out[W2N_SHA256_SIZE]) {
    static const uint8_t zeros[W2N_SIGN_SIG_SIZE];
    size_t seal = size - W2N_SEAL_SIZE;
    w2n_sha256 s;
    w2n_sha256_init(&s);
    w2n_sha256_update(&s, bytes, seal + W2N_SEAL_HASH_AT);
    w2n_sha256_update(&s, zeros, W2N_SHA256_SIZE);
    w2n_sha256_update(&s, bytes + seal + W2N_SEAL_KEY_AT, W2N_SIGN_PUBLIC_SIZE);
    if (zero_sig)
        w2n_sha256_update(&s, zeros, W2N_SIGN_SIG_SIZE);
    else
        w2n_sha256_update(&s, bytes + seal + W2N_SEAL_SIG_AT, W2N_SIGN_SIG_SIZE);
    w2n_sha256_final(&s, out);
}

/* The message a signature signs: the context string, then the digest. */
static void signed_message(const uint8_t *bytes, size_t size,
                           uint8_t msg[sizeof W2N_SEAL_CONTEXT + W2N_SHA256_SIZE]) {
    memcpy(msg, W2N_SEAL_CONTEXT, sizeof W2N_SEAL_CONTEXT);
    digest(bytes, size, true, msg + sizeof W2N_SEAL_CONTEXT);
}

w2n_status w2n_seal_append(uint8_t **io_bytes, size_t *io_size, w2n_error *err) {
    uint8_t *p = realloc(*io_bytes, *io_size + W2N_SEAL_SIZE);
    if (!p)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    uint8_t *seal = p + *io_size;
    memset(seal, 0, W2N_SEAL_SIZE);
    memcpy(seal, W2N_SEAL_MAGIC, 8);
    wr32(seal + 8, W2N_SEAL_VERSION);
    *io_bytes = p;
    *io_size += W2N_SEAL_SIZE;
    return w2n_seal_update(p, *io_size, err);
}

w2n_status w2n_seal_read(const uint8_t *bytes, size_t size, w2n_seal_info *out, w2n_error *err) {
    memset(out, 0, sizeof *out);
    if (!bytes || size < W2N_SEAL_SIZE ||
        memcmp(bytes + size - W2N_SEAL_SIZE, W2N_SEAL_MAGIC, 8) != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object has no seal (not made by this version of w2n compile, "
                             "or truncated)");
    const uint8_t *seal = bytes + size - W2N_SEAL_SIZE;
    size_t at = size - W2N_SEAL_SIZE;
    if (rd32(seal + 8) != W2N_SEAL_VERSION)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at + 8,
                             "object seal version %u, this runtime knows %u", rd32(seal + 8),
                             W2N_SEAL_VERSION);
    uint32_t flags = rd32(seal + 12);
    if (flags & ~W2N_SEAL_SIGNED)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at + 12, "object seal has unknown flags 0x%x",
                             flags);
    memcpy(out->hash, seal + W2N_SEAL_HASH_AT, W2N_SHA256_SIZE);
    memcpy(out->key, seal + W2N_SEAL_KEY_AT, W2N_SIGN_PUBLIC_SIZE);
    out->is_signed = flags & W2N_SEAL_SIGNED;
    out->content_size = at;
    return W2N_OK;
}

w2n_status w2n_seal_update(uint8_t *bytes, size_t size, w2n_error *err) {
    w2n_seal_info info;
    w2n_status st = w2n_seal_read(bytes, size, &info, err);
    if (st != W2N_OK)
        return st;
    digest(bytes, size, false, bytes + info.content_size + W2N_SEAL_HASH_AT);
    return W2N_OK;
}

w2n_status w2n_seal_check(const uint8_t *bytes, size_t size, const uint8_t *trusted_key,
                          w2n_seal_info *out, w2n_error *err) {
    w2n_status st = w2n_seal_read(bytes, size, out, err);
    if (st != W2N_OK)
        return st;
    uint8_t h[W2N_SHA256_SIZE];
    digest(bytes, size, false, h);
    if (memcmp(h, out->hash, sizeof h) != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is corrupt: its SHA-256 does not match its seal");
    if (!trusted_key)
        return W2N_OK;
    if (!w2n_sign_available()) /* never take a required signature as verified */
        return w2n_sign_verify(NULL, 0, NULL, trusted_key, err);
    if (!out->is_signed)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is not signed, and a trusted key is required");
    if (memcmp(out->key, trusted_key, W2N_SIGN_PUBLIC_SIZE) != 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object is signed by another key than the trusted one");
    uint8_t msg[sizeof W2N_SEAL_CONTEXT + W2N_SHA256_SIZE];
    signed_message(bytes, size, msg);
    const uint8_t *sig = bytes + out->content_size + W2N_SEAL_SIG_AT;
    st = w2n_sign_verify(msg, sizeof msg, sig, trusted_key, err);
    if (st == W2N_ERR_BAD_OBJECT)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "object's signature does not verify with the trusted key");
    return st;
}

w2n_status w2n_seal_sign(uint8_t *bytes, size_t size, const uint8_t *secret_key, w2n_error *err) {
    w2n_seal_info info;
    w2n_status st = w2n_seal_read(bytes, size, &info, err);
    if (st != W2N_OK)
        return st;
    uint8_t *seal = bytes + info.content_size;
    wr32(seal + 12, W2N_SEAL_SIGNED);
    /* An Ed25519 secret key is the seed followed by the public key. */
    memcpy(seal + W2N_SEAL_KEY_AT, secret_key + 32, W2N_SIGN_PUBLIC_SIZE);
    uint8_t msg[sizeof W2N_SEAL_CONTEXT + W2N_SHA256_SIZE];
    signed_message(bytes, size, msg);
    st = w2n_sign_detached(msg, sizeof msg, secret_key, seal + W2N_SEAL_SIG_AT, err);
    if (st != W2N_OK)
        return st;
    return w2n_seal_update(bytes, size, err);
}
