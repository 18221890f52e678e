/*
 * compile_cache.c — the content-addressed object cache of `w2n compile`
 * (compile_cache.h says what a key covers and why a hit is trusted).
 */
#include "compile_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "seal.h"
#include "sha256.h"
#include "w2n/file.h"
#include "w2n/version.h"

/* Strings go in with their length, so "ab"+"c" and "a"+"bc" differ. */
static void add_string(w2n_sha256 *h, const char *s) {
    uint64_t len = s ? strlen(s) + 1 : 0;
    w2n_sha256_update(h, &len, sizeof len);
    if (s)
        w2n_sha256_update(h, s, len);
}

static void add_u64(w2n_sha256 *h, uint64_t v) { w2n_sha256_update(h, &v, sizeof v); }

void w2n_compile_cache_key(const w2n_compile_options *opts, const uint8_t *sign_key,
                           size_t sign_key_size, const uint8_t *wasm, size_t size,
                           char key[W2N_CACHE_KEY_SIZE]) {
    w2n_sha256 h;
    w2n_sha256_init(&h);
    add_string(&h, "w2n compile cache v1");
    add_string(&h, W2N_VERSION);
    add_string(&h, opts->target);
    add_string(&h, opts->cpu);
    add_string(&h, opts->features);
    add_u64(&h, (uint64_t)opts->opt_level);
    add_u64(&h, (uint64_t)opts->bounds);
    add_u64(&h, opts->interruptible);
    add_u64(&h, opts->fuel);
    add_u64(&h, opts->wasm_features);
    add_u64(&h, opts->partitions);
    add_u64(&h, opts->debug_info);
    add_u64(&h, sign_key ? sign_key_size : 0);
    if (sign_key) /* hashed, never stored: the key names the signer */
        w2n_sha256_update(&h, sign_key, sign_key_size);
    add_u64(&h, size);
    w2n_sha256_update(&h, wasm, size);
    uint8_t digest[W2N_SHA256_SIZE];
    w2n_sha256_final(&h, digest);
    for (int i = 0; i < W2N_SHA256_SIZE; i++)
        snprintf(key + 2 * i, 3, "%02x", digest[i]);
}

static char *entry_path(const char *dir, const char *key) {
    size_t n = strlen(dir) + strlen(key) + 4;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s.o", dir, key);
    return path;
}

bool w2n_compile_cache_get(const char *dir, const char *key, uint8_t **obj, size_t *size) {
    char *path = entry_path(dir, key);
    w2n_error err;
    bool hit = path && access(path, R_OK) == 0 && w2n_read_file(path, obj, size, &err) == W2N_OK;
    free(path);
    w2n_seal_info seal;
    if (hit && w2n_seal_check(*obj, *size, NULL, &seal, &err) != W2N_OK) {
        free(*obj); /* damaged: compile again, and the put replaces it */
        hit = false;
    }
    return hit;
}

bool w2n_compile_cache_put(const char *dir, const char *key, const uint8_t *obj, size_t size) {
    char *path = entry_path(dir, key);
    w2n_error err;
    bool ok = path && w2n_write_file_atomic(path, obj, size, &err) == W2N_OK;
    free(path);
    return ok;
}
