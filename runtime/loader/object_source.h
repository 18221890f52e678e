/*
 * object_source.h — where the bytes of an object being loaded come from:
 * memory the host gave (object.c), or a file the loader mapped
 * (object_file.c), whose code it may then map instead of copying and
 * whose seal a cache may already have vouched for (seal_cache.h).
 */
#ifndef W2N_OBJECT_SOURCE_H
#define W2N_OBJECT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "internal.h"

typedef struct w2n_object_source {
    const uint8_t *bytes; /* the whole object, seal included */
    size_t size;
    int fd;             /* the file `bytes` map, or -1: copy code, never map it */
    bool seal_verified; /* the seal's hash is known to match (the cache said so) */
} w2n_object_source;

/* May the file `st` describes be mapped (and its seal cached)?  Only when
 * nobody but the running user or root can write it (object_file.c). */
bool w2n_file_only_trusted_writers(const struct stat *st);

/* Check the seal (unless verified), map, decode and check the object. */
w2n_status w2n_object_load_source(const w2n_object_source *src, const uint8_t *trusted_key,
                                  uintptr_t hint, w2n_object **out, w2n_error *err);

#endif
