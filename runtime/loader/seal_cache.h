/*
 * seal_cache.h — remember which object files' seals were verified, so that
 * starting the same file again need not hash it again (docs/security.md,
 * "The seal cache").
 *
 * An entry says: the file with this device, inode, size, modification and
 * change time (nanoseconds) had, when it was last hashed, contents whose
 * SHA-256 is the hash its seal holds.  A write to the file changes its
 * change time, which no user can set back; so while those five agree, the
 * contents are the verified ones.  Entries are written only for files whose
 * change time is at least W2N_SEAL_CACHE_SETTLED seconds old (a write in the
 * same clock tick as the hashing would otherwise go unseen), or, by
 * w2n_seal_cache_add_file, for a file read back and hashed after the file
 * system's clock was seen to pass its change time, and read only
 * from a directory and files that the running user owns and nobody else can
 * write.  The cache lives in $W2N_SEAL_CACHE (a directory; empty: no
 * cache), or when that is unset in the directory of
 * w2n_seal_cache_set_default (w2n/runtime.h; none unless a host sets one).
 * A load with a trusted key never uses it: the signature is verified every
 * time.
 */
#ifndef W2N_SEAL_CACHE_H
#define W2N_SEAL_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sha256.h"

#define W2N_SEAL_CACHE_SETTLED 2

/* Does the cache vouch that the file `st` describes hashes to `hash`? */
bool w2n_seal_cache_vouches(const struct stat *st, const uint8_t hash[W2N_SHA256_SIZE]);

/* Remember that it did (after a full check of a file whose change time was
 * W2N_SEAL_CACHE_SETTLED seconds old); failures are ignored. */
void w2n_seal_cache_remember(const struct stat *st, const uint8_t hash[W2N_SHA256_SIZE]);

/* Is there a cache directory named (whether or not it exists yet)? */
bool w2n_seal_cache_enabled(void);

/* Write the entry, whatever the file's age: for callers that made sure
 * that no write can keep the change time in `st` (seal_cache_add.c).
 * False when no entry was written. */
bool w2n_seal_cache_write(const struct stat *st, const uint8_t hash[W2N_SHA256_SIZE]);

#endif
