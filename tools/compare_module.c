/*
 * compare_module.c — a copy of a module that exports one function only.
 *
 * wabt's interpreter runs every export (--run-all-exports); to time one
 * export under it, `w2n compare` gives it a copy whose export section keeps
 * that function and the module's non-function exports (a memory, say) and
 * drops the other functions.  Every other byte is copied as it is.  The
 * input has been validated by w2n already, so a malformed section only
 * needs to fail, not to be explained.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"

typedef struct cursor {
    const uint8_t *p, *end;
} cursor;

static bool leb_u32(cursor *c, uint32_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35 && c->p < c->end; shift += 7) {
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (uint32_t)v;
            return v <= UINT32_MAX;
        }
    }
    return false;
}

static size_t put_leb_u32(uint8_t *out, uint32_t v) {
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out[n++] = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
    return n;
}

/* The kept entries of an export section's body, into `out` (count first). */
static bool filter_exports(cursor body, const char *name, uint8_t *out, size_t *out_len) {
    uint32_t count, kept = 0;
    if (!leb_u32(&body, &count))
        return false;
    uint8_t *entries = malloc((size_t)(body.end - body.p) + 1);
    size_t len = 0;
    if (!entries)
        return false;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *start = body.p;
        uint32_t name_len, index;
        if (!leb_u32(&body, &name_len) || (size_t)(body.end - body.p) < name_len + 1u)
            break;
        bool same = name_len == strlen(name) && !memcmp(body.p, name, name_len);
        body.p += name_len;
        uint8_t kind = *body.p++;
        if (!leb_u32(&body, &index))
            break;
        if (kind != 0 || same) { /* 0: a function */
            memcpy(entries + len, start, (size_t)(body.p - start));
            len += (size_t)(body.p - start);
            kept++;
        }
        if (i + 1 == count) {
            size_t n = put_leb_u32(out, kept);
            memcpy(out + n, entries, len);
            *out_len = n + len;
            free(entries);
            return true;
        }
    }
    free(entries);
    return false;
}

bool cmp_module_one_export(const uint8_t *wasm, size_t size, const char *name, uint8_t **out,
                           size_t *out_size) {
    uint8_t *copy = malloc(size + 16);
    if (!copy || size < 8) {
        free(copy);
        return false;
    }
    memcpy(copy, wasm, 8);
    size_t len = 8;
    cursor c = {wasm + 8, wasm + size};
    while (c.p < c.end) {
        const uint8_t *start = c.p;
        uint8_t id = *c.p++;
        uint32_t body_len;
        if (!leb_u32(&c, &body_len) || (size_t)(c.end - c.p) < body_len)
            break;
        cursor body = {c.p, c.p + body_len};
        c.p += body_len;
        uint8_t *filtered = id == 7 ? malloc(body_len + 8) : NULL;
        size_t filtered_len;
        if (filtered && filter_exports(body, name, filtered, &filtered_len)) {
            copy[len++] = 7;
            len += put_leb_u32(copy + len, (uint32_t)filtered_len);
            memcpy(copy + len, filtered, filtered_len);
            len += filtered_len;
        } else {
            memcpy(copy + len, start, (size_t)(c.p - start));
            len += (size_t)(c.p - start);
        }
        free(filtered);
    }
    if (c.p != c.end) {
        free(copy);
        return false;
    }
    *out = copy;
    *out_size = len;
    return true;
}
