/* util.c — errors, byte buffers and little-endian helpers (see pk.h).
 *
 * The archive format is little-endian whatever the host is, so every field
 * goes through these helpers instead of memcpy of native integers. */
#include "pk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our own words for the errnos a user is likely to meet: the two libcs'
 * strerror texts differ, and the outputs of both builds must not. */
static const char *reason(int err) {
    switch (err) {
    case ENOENT: return "no such file or directory";
    case EEXIST: return "already exists";
    case ENOTDIR: return "not a directory";
    case EISDIR: return "is a directory";
    case EACCES:
    case EPERM: return "permission denied";
    case ENOSPC: return "no space left";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "permission denied";
#endif
    default: return "input/output error";
    }
}

int pk_fail(pk_err *e, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->status = status;
    return status;
}

int pk_fail_errno(pk_err *e, int status, const char *fmt, ...) {
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    size_t used = strlen(e->msg);
    snprintf(e->msg + used, sizeof e->msg - used, " (%s)", reason(saved));
    e->status = status;
    return status;
}

int pk_buf_reserve(pk_buf *b, size_t extra, pk_err *e) {
    if (b->cap - b->len >= extra)
        return PK_OK;
    size_t want = b->len + extra;
    if (want < b->len)
        return pk_fail(e, PK_ENOMEM, "buffer size overflow");
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return pk_fail(e, PK_ENOMEM, "out of memory (%zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return PK_OK;
}

int pk_buf_append(pk_buf *b, const void *p, size_t n, pk_err *e) {
    if (n == 0)
        return PK_OK;
    int st = pk_buf_reserve(b, n, e);
    if (st)
        return st;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return PK_OK;
}

int pk_buf_put_u8(pk_buf *b, uint8_t v, pk_err *e) { return pk_buf_append(b, &v, 1, e); }

int pk_buf_put_u16(pk_buf *b, uint16_t v, pk_err *e) {
    uint8_t t[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return pk_buf_append(b, t, 2, e);
}

int pk_buf_put_u32(pk_buf *b, uint32_t v, pk_err *e) {
    uint8_t t[4];
    pk_put_u32(t, v);
    return pk_buf_append(b, t, 4, e);
}

int pk_buf_put_u64(pk_buf *b, uint64_t v, pk_err *e) {
    uint8_t t[8];
    pk_put_u64(t, v);
    return pk_buf_append(b, t, 8, e);
}

void pk_buf_free(pk_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint16_t pk_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

uint32_t pk_get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t pk_get_u64(const uint8_t *p) {
    return (uint64_t)pk_get_u32(p) | (uint64_t)pk_get_u32(p + 4) << 32;
}

void pk_put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void pk_put_u64(uint8_t *p, uint64_t v) {
    pk_put_u32(p, (uint32_t)v);
    pk_put_u32(p + 4, (uint32_t)(v >> 32));
}
