/*
 * compile_cache.h — `w2n compile --cache-dir DIR`: a content-addressed
 * store of objects, so that CI re-runs of an unchanged build compile nothing.
 *
 * The key is the SHA-256 of everything the object depends on: the w2n
 * version, every compile option that changes the code, the signer's key,
 * and the module's bytes.  An entry is DIR/KEY.o.  A hit is used only when
 * its seal (the SHA-256 the object carries) still matches, so a truncated
 * or damaged entry is compiled again and replaced, never handed out.
 * Writers put an entry in place by rename, so concurrent builds sharing
 * DIR never see half a file.
 */
#ifndef W2N_COMPILE_CACHE_H
#define W2N_COMPILE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/compiler.h"

#define W2N_CACHE_KEY_SIZE 65 /* 64 hex digits and a NUL */

/* `sign_key`: the secret key objects are signed with, or NULL. */
void w2n_compile_cache_key(const w2n_compile_options *opts, const uint8_t *sign_key,
                           size_t sign_key_size, const uint8_t *wasm, size_t size,
                           char key[W2N_CACHE_KEY_SIZE]);

/* The entry for `key` if DIR has an intact one (malloc'd bytes), else false. */
bool w2n_compile_cache_get(const char *dir, const char *key, uint8_t **obj, size_t *size);

/* Add an entry; failures (a read-only DIR, a full disk) only cost the next
 * run a compile, so they are reported by the return value, not fatal. */
bool w2n_compile_cache_put(const char *dir, const char *key, const uint8_t *obj, size_t size);

#endif
