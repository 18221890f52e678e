/*
 * test_rt_seal.c — SHA-256 against the NIST example vectors (FIPS 180-4,
 * the SHAVS short and long messages), and the object seal on plain bytes:
 * append, verify, every flipped byte refused, signatures.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"
#include "sha256.h"

static void hex(const uint8_t *d, char *out) {
    for (int i = 0; i < W2N_SHA256_SIZE; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect_digest(const void *msg, size_t n, const char *want) {
    uint8_t d[W2N_SHA256_SIZE];
    char got[2 * W2N_SHA256_SIZE + 1];
    w2n_sha256_digest(msg, n, d);
    hex(d, got);
    cr_assert_str_eq(got, want, "message of %zu bytes", n);
}

static void nist_vectors(void) {
    expect_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expect_digest(two, strlen(two),
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    expect_digest(four, strlen(four),
                  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    expect_digest(million, 1000000,
                  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* With the CPU's SHA-256 instructions where it has them, and without. */
Test(sha256, nist_vectors) { nist_vectors(); }

Test(sha256, nist_vectors_portable) {
    w2n_sha256_use_portable(true);
    nist_vectors();
    w2n_sha256_use_portable(false);
}

/* The accelerated blocks give the portable digest for every length up to
 * a few blocks and for a large message, whatever the alignment. */
Test(sha256, accelerated_equals_portable) {
    enum {
        big = 1 << 20
    };
    uint8_t *msg = malloc(big + 1), want[W2N_SHA256_SIZE], got[W2N_SHA256_SIZE];
    uint32_t x = 12345;
    for (size_t i = 0; i <= big; i++) {
        x = x * 1103515245u + 12345u;
        msg[i] = (uint8_t)(x >> 16);
    }
    size_t lens[600], n = 0;
    for (size_t len = 0; len < 520; len++)
        lens[n++] = len;
    lens[n++] = big;
    for (size_t i = 0; i < n; i++)
        for (size_t misalign = 0; misalign < 2; misalign++) {
            w2n_sha256_use_portable(true);
            w2n_sha256_digest(msg + misalign, lens[i], want);
            w2n_sha256_use_portable(false);
            w2n_sha256_digest(msg + misalign, lens[i], got);
            cr_assert_eq(memcmp(got, want, sizeof got), 0, "len %zu", lens[i]);
        }
    free(msg);
}

/* Where /proc/cpuinfo says the CPU has the instructions, they are used. */
Test(sha256, instructions_used_where_present) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        cr_skip_test("no /proc/cpuinfo");
    char line[4096];
    bool has = false;
    while (fgets(line, sizeof line, f)) {
#if defined(__x86_64__)
        if (!strncmp(line, "flags", 5) && strstr(line, " sha_ni"))
            has = true;
#elif defined(__aarch64__)
        if (!strncmp(line, "Features", 8) && strstr(line, " sha2"))
            has = true;
#endif
    }
    fclose(f);
    if (!has)
        cr_skip_test("this CPU has no SHA-256 instructions w2n uses");
    cr_assert(w2n_sha256_accelerated());
}

/* Feeding the message in pieces of every size gives the one-shot digest
 * (the padding boundaries at 55, 56 and 64 bytes included). */
Test(sha256, streaming_equals_one_shot) {
    uint8_t msg[300], want[W2N_SHA256_SIZE], got[W2N_SHA256_SIZE];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof msg; len += 1 + len / 8) {
        w2n_sha256_digest(msg, len, want);
        for (size_t piece = 1; piece <= 70; piece += 23) {
            w2n_sha256 s;
            w2n_sha256_init(&s);
            for (size_t at = 0; at < len; at += piece)
                w2n_sha256_update(&s, msg + at, len - at < piece ? len - at : piece);
            w2n_sha256_final(&s, got);
            cr_assert_eq(memcmp(got, want, sizeof got), 0, "len %zu piece %zu", len, piece);
        }
    }
}

static uint8_t *sealed(size_t content, size_t *size) {
    uint8_t *b = malloc(content);
    for (size_t i = 0; i < content; i++)
        b[i] = (uint8_t)(i * 13);
    *size = content;
    cr_assert_eq(w2n_seal_append(&b, size, NULL), W2N_OK);
    return b;
}

Test(seal, append_then_check) {
    size_t size;
    uint8_t *b = sealed(1000, &size);
    cr_assert_eq(size, 1000 + W2N_SEAL_SIZE);
    w2n_seal_info info;
    w2n_error err;
    cr_assert_eq(w2n_seal_check(b, size, NULL, &info, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(info.content_size, 1000);
    cr_assert_not(info.is_signed);
    /* The hash is that of the file with the hash field zeroed. */
    uint8_t *z = malloc(size), d[W2N_SHA256_SIZE];
    memcpy(z, b, size);
    memset(z + 1000 + W2N_SEAL_HASH_AT, 0, W2N_SHA256_SIZE);
    w2n_sha256_digest(z, size, d);
    cr_assert_eq(memcmp(d, info.hash, sizeof d), 0);
    free(z);
    free(b);
}

Test(seal, every_byte_flip_refused) {
    size_t size;
    uint8_t *b = sealed(300, &size);
    w2n_seal_info info;
    w2n_error err;
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            b[i] ^= (uint8_t)(1 << bit);
            cr_assert_eq(w2n_seal_check(b, size, NULL, &info, &err), W2N_ERR_BAD_OBJECT,
                         "flip of bit %d at %zu accepted", bit, i);
            cr_assert_null(strchr(err.message, '\n'));
            b[i] ^= (uint8_t)(1 << bit);
        }
    }
    cr_assert_eq(w2n_seal_check(b, size, NULL, &info, &err), W2N_OK);
    free(b);
}

Test(seal, missing_or_truncated_refused) {
    size_t size;
    uint8_t *b = sealed(64, &size);
    w2n_seal_info info;
    w2n_error err;
    cr_assert_eq(w2n_seal_check(b, size - 1, NULL, &info, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "no seal"), "%s", err.message);
    cr_assert_eq(w2n_seal_check(b, 10, NULL, &info, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_eq(w2n_seal_check(NULL, 0, NULL, &info, &err), W2N_ERR_BAD_OBJECT);
    free(b);
}

Test(seal, signatures) {
    size_t size;
    uint8_t *b = sealed(500, &size);
    uint8_t pk[W2N_SIGN_PUBLIC_SIZE], sk[W2N_SIGN_SECRET_SIZE];
    w2n_seal_info info;
    w2n_error err;
    if (!w2n_sign_available()) {
        /* Without signing support a required signature is never taken. */
        memset(pk, 1, sizeof pk);
        cr_assert_eq(w2n_seal_check(b, size, pk, &info, &err), W2N_ERR_UNSUPPORTED);
        cr_assert(strstr(err.message, "no signing support"), "%s", err.message);
        cr_assert_eq(w2n_sign_keygen(pk, sk, &err), W2N_ERR_UNSUPPORTED);
        free(b);
        return;
    }
    cr_assert_eq(w2n_sign_keygen(pk, sk, &err), W2N_OK);
    cr_assert_eq(w2n_seal_check(b, size, pk, &info, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "not signed"), "%s", err.message);
    cr_assert_eq(w2n_seal_sign(b, size, sk, &err), W2N_OK);
    cr_assert_eq(w2n_seal_check(b, size, pk, &info, &err), W2N_OK, "%s", err.message);
    cr_assert(info.is_signed);
    /* Any flipped byte, signed part or seal, is refused. */
    for (size_t i = 0; i < size; i += 7) {
        b[i] ^= 0x20;
        cr_assert_eq(w2n_seal_check(b, size, pk, &info, &err), W2N_ERR_BAD_OBJECT, "at %zu", i);
        b[i] ^= 0x20;
    }
    free(b);
}
