/* arc_read.c — opening a .w2p archive and decoding its entries.
 *
 * Nothing read from the archive is trusted: the header and index carry
 * CRCs, every offset and size is checked against the archive's size (from
 * fstat) before it is used, names must be plain relative paths, and each
 * block and each whole entry is checked against its recorded CRC. */
#include "arc.h"

#include "block.h"
#include "crc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_BLOCK (64u << 20)

static int read_at(pk_archive *a, uint64_t at, void *p, size_t n, pk_err *e) {
    if (at > a->file_size || n > a->file_size - at)
        return pk_fail(e, PK_ECORRUPT, "%s: %zu bytes at %llu run past the end", a->path, n,
                       (unsigned long long)at);
    if (at > (uint64_t)LONG_MAX || fseek(a->f, (long)at, SEEK_SET) != 0)
        return pk_fail_errno(e, PK_EIO, "cannot seek in %s", a->path);
    if (n && fread(p, 1, n, a->f) != n)
        return pk_fail_errno(e, PK_EIO, "cannot read %s", a->path);
    return PK_OK;
}

/* A name is safe to extract when it is relative and has no empty, "." or
 * ".." component. */
static int name_ok(const char *s, size_t len) {
    if (len == 0 || memchr(s, '\0', len))
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '/')
            continue;
        size_t n = i - start;
        if (n == 0 || (n == 1 && s[start] == '.') ||
            (n == 2 && s[start] == '.' && s[start + 1] == '.'))
            return 0;
        start = i + 1;
    }
    return 1;
}

static int parse_entry(pk_archive *a, const uint8_t *p, size_t size, size_t *at, pk_entry *en,
                       pk_err *e) {
    size_t i = *at;
    if (size - i < 3)
        return pk_fail(e, PK_ECORRUPT, "%s: index truncated", a->path);
    en->type = p[i];
    size_t nlen = pk_get_u16(p + i + 1);
    i += 3;
    if (size - i < nlen + 36)
        return pk_fail(e, PK_ECORRUPT, "%s: index truncated", a->path);
    if (!name_ok((const char *)p + i, nlen))
        return pk_fail(e, PK_ECORRUPT, "%s: unsafe entry name", a->path);
    if (!(en->name = malloc(nlen + 1)))
        return pk_fail(e, PK_ENOMEM, "out of memory");
    memcpy(en->name, p + i, nlen);
    en->name[nlen] = '\0';
    i += nlen;
    en->size = pk_get_u64(p + i);
    en->offset = pk_get_u64(p + i + 8);
    en->blocks = pk_get_u32(p + i + 16);
    en->stored = pk_get_u64(p + i + 20);
    en->crc = pk_get_u32(p + i + 28);
    en->adler = pk_get_u32(p + i + 32);
    *at = i + 36;
    if (en->type != PK_TYPE_FILE && en->type != PK_TYPE_DIR)
        return pk_fail(e, PK_ECORRUPT, "%s: entry %s has unknown type %d", a->path, en->name,
                       en->type);
    if (en->offset > a->file_size || en->stored > a->file_size - en->offset)
        return pk_fail(e, PK_ECORRUPT, "%s: entry %s lies outside the archive", a->path, en->name);
    return PK_OK;
}

static int read_index(pk_archive *a, const uint8_t *h, pk_err *e) {
    uint32_t count = pk_get_u32(h + 8), crc = pk_get_u32(h + 12);
    uint64_t at = pk_get_u64(h + 16);
    uint32_t size = pk_get_u32(h + 24);
    uint8_t *p = malloc(size ? size : 1);
    if (!p)
        return pk_fail(e, PK_ENOMEM, "out of memory for the index");
    int st = read_at(a, at, p, size, e);
    if (!st && pk_crc32(0, p, size) != crc)
        st = pk_fail(e, PK_ECORRUPT, "%s: index checksum mismatch", a->path);
    /* Each entry takes at least 40 bytes, which bounds the allocation. */
    if (!st && count > size / 40)
        st = pk_fail(e, PK_ECORRUPT, "%s: %u entries cannot fit the index", a->path, count);
    if (!st && !(a->entries = calloc(count ? count : 1, sizeof *a->entries)))
        st = pk_fail(e, PK_ENOMEM, "out of memory for the index");
    size_t pos = 0;
    for (uint32_t i = 0; !st && i < count; i++) {
        st = parse_entry(a, p, size, &pos, &a->entries[i], e);
        a->count = i + 1; /* so close frees a half-parsed name too */
    }
    if (!st && pos != size)
        st = pk_fail(e, PK_ECORRUPT, "%s: %zu stray bytes in the index", a->path,
                     (size_t)size - pos);
    free(p);
    return st;
}

int pk_arc_open(pk_archive *a, const char *path, pk_err *e) {
    memset(a, 0, sizeof *a);
    uint8_t h[PK_ARC_HEADER];
    struct stat sb;
    if (!(a->path = strdup(path)))
        return pk_fail(e, PK_ENOMEM, "out of memory");
    int st = PK_OK;
    if (!(a->f = fopen(path, "rb"))) {
        st = pk_fail_errno(e, PK_EIO, "cannot open %s", path);
        goto fail;
    }
    if (fstat(fileno(a->f), &sb) != 0) {
        st = pk_fail_errno(e, PK_EIO, "cannot stat %s", path);
        goto fail;
    }
    a->file_size = (uint64_t)sb.st_size;
    if ((st = read_at(a, 0, h, sizeof h, e)))
        goto fail;
    if (memcmp(h, PK_ARC_MAGIC, 4) != 0) {
        st = pk_fail(e, PK_ECORRUPT, "%s is not a w2pack archive", path);
        goto fail;
    }
    if (pk_crc32(0, h, 28) != pk_get_u32(h + 28)) {
        st = pk_fail(e, PK_ECORRUPT, "%s: header checksum mismatch", path);
        goto fail;
    }
    if (pk_get_u16(h + 4) != PK_ARC_VERSION) {
        st = pk_fail(e, PK_ECORRUPT, "%s: unsupported version %u", path, pk_get_u16(h + 4));
        goto fail;
    }
    st = read_index(a, h, e);
fail:
    if (st)
        pk_arc_close(a);
    return st;
}

void pk_arc_close(pk_archive *a) {
    if (a->f)
        fclose(a->f);
    for (uint32_t i = 0; i < a->count; i++)
        free(a->entries[i].name);
    free(a->entries);
    free(a->path);
    memset(a, 0, sizeof *a);
}

long pk_arc_find(const pk_archive *a, const char *name) {
    for (uint32_t i = 0; i < a->count; i++)
        if (!strcmp(a->entries[i].name, name))
            return (long)i;
    return -1;
}

/* Decode one block at *AT into RAW (grown as needed); advance *AT. */
static int read_block(pk_archive *a, const pk_entry *en, uint64_t *at, pk_buf *coded, pk_buf *raw,
                      pk_err *e) {
    uint8_t h[PK_ARC_BLOCK_HEADER];
    int st = read_at(a, *at, h, sizeof h, e);
    if (st)
        return st;
    uint32_t rlen = pk_get_u32(h + 1), clen = pk_get_u32(h + 5), crc = pk_get_u32(h + 9);
    if (rlen > MAX_BLOCK || clen > MAX_BLOCK)
        return pk_fail(e, PK_ECORRUPT, "%s: block of %s too large", a->path, en->name);
    coded->len = raw->len = 0;
    if ((st = pk_buf_reserve(coded, clen, e)) || (st = pk_buf_reserve(raw, rlen, e)))
        return st;
    if ((st = read_at(a, *at + sizeof h, coded->data, clen, e)))
        return st;
    st = pk_block_decode(h[0], coded->data, clen, raw->data, rlen, e);
    if (st) {
        char why[sizeof e->msg];
        memcpy(why, e->msg, sizeof why);
        return pk_fail(e, st, "%s: %s: %s", a->path, en->name, why);
    }
    raw->len = rlen;
    if (pk_crc32(0, raw->data, rlen) != crc)
        return pk_fail(e, PK_ECORRUPT, "%s: %s: block checksum mismatch", a->path, en->name);
    *at += sizeof h + clen;
    return PK_OK;
}

int pk_arc_read_entry(pk_archive *a, const pk_entry *en, pk_sink sink, void *ctx, pk_err *e) {
    pk_buf coded = {0}, raw = {0};
    uint64_t at = en->offset, total = 0;
    uint32_t crc = 0, adler = 1;
    int st = PK_OK;
    for (uint32_t b = 0; b < en->blocks && !st; b++) {
        st = read_block(a, en, &at, &coded, &raw, e);
        if (st)
            break;
        total += raw.len;
        crc = pk_crc32(crc, raw.data, raw.len);
        adler = pk_adler32(adler, raw.data, raw.len);
        st = sink(ctx, raw.data, raw.len, e);
    }
    if (!st && at - en->offset != en->stored)
        st = pk_fail(e, PK_ECORRUPT, "%s: %s: blocks do not add up", a->path, en->name);
    else if (!st && total != en->size)
        st = pk_fail(e, PK_ECORRUPT, "%s: %s: %llu bytes, expected %llu", a->path, en->name,
                     (unsigned long long)total, (unsigned long long)en->size);
    else if (!st && (crc != en->crc || adler != en->adler))
        st = pk_fail(e, PK_ECORRUPT, "%s: %s: checksum mismatch", a->path, en->name);
    pk_buf_free(&coded);
    pk_buf_free(&raw);
    return st;
}
