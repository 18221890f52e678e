/* arc_write.c — creating a .w2p archive (format in arc.h).
 *
 * Files are read and coded one block at a time, so memory stays bounded by
 * the block size whatever the file size.  The size stat reported must match
 * what was read; a file that changes under us fails the archive. */
#include "arc.h"

#include "block.h"
#include "crc.h"
#include "fs.h"

#include <stdlib.h>
#include <string.h>

typedef struct writer {
    FILE *f;
    const char *path;
    uint64_t pos; /* bytes written so far; checked against ftell */
    pk_buf index;
    pk_buf raw, coded;
} writer;

static int put(writer *w, const void *p, size_t n, pk_err *e) {
    if (n && fwrite(p, 1, n, w->f) != n)
        return pk_fail_errno(e, PK_EIO, "cannot write %s", w->path);
    w->pos += n;
    return PK_OK;
}

static int write_block(writer *w, const pk_write_opts *o, pk_entry *en, pk_err *e) {
    int method = 0;
    w->coded.len = 0;
    int st = pk_block_encode(w->raw.data, w->raw.len, o->level, &w->coded, &method, e);
    if (st)
        return st;
    uint8_t h[PK_ARC_BLOCK_HEADER];
    h[0] = (uint8_t)method;
    pk_put_u32(h + 1, (uint32_t)w->raw.len);
    pk_put_u32(h + 5, (uint32_t)w->coded.len);
    pk_put_u32(h + 9, pk_crc32(0, w->raw.data, w->raw.len));
    if ((st = put(w, h, sizeof h, e)) || (st = put(w, w->coded.data, w->coded.len, e)))
        return st;
    en->blocks++;
    en->stored += sizeof h + w->coded.len;
    return PK_OK;
}

static int add_file(writer *w, const pk_write_opts *o, const char *host, pk_entry *en, pk_err *e) {
    FILE *in = fopen(host, "rb");
    if (!in)
        return pk_fail_errno(e, PK_EIO, "cannot open %s", host);
    int st = pk_buf_reserve(&w->raw, o->block_size, e);
    uint64_t total = 0;
    en->offset = w->pos;
    en->crc = 0;
    en->adler = 1;
    while (!st) {
        w->raw.len = fread(w->raw.data, 1, o->block_size, in);
        if (w->raw.len == 0) {
            if (ferror(in))
                st = pk_fail_errno(e, PK_EIO, "cannot read %s", host);
            break;
        }
        total += w->raw.len;
        en->crc = pk_crc32(en->crc, w->raw.data, w->raw.len);
        en->adler = pk_adler32(en->adler, w->raw.data, w->raw.len);
        st = write_block(w, o, en, e);
    }
    fclose(in);
    if (!st && total != en->size)
        st = pk_fail(e, PK_EIO, "%s changed size while being read", host);
    return st;
}

static int index_entry(writer *w, const pk_entry *en, pk_err *e) {
    size_t len = strlen(en->name);
    pk_buf *b = &w->index;
    int st = pk_buf_put_u8(b, (uint8_t)en->type, e);
    if (!st)
        st = pk_buf_put_u16(b, (uint16_t)len, e);
    if (!st)
        st = pk_buf_append(b, en->name, len, e);
    if (!st)
        st = pk_buf_put_u64(b, en->size, e);
    if (!st)
        st = pk_buf_put_u64(b, en->offset, e);
    if (!st)
        st = pk_buf_put_u32(b, en->blocks, e);
    if (!st)
        st = pk_buf_put_u64(b, en->stored, e);
    if (!st)
        st = pk_buf_put_u32(b, en->crc, e);
    if (!st)
        st = pk_buf_put_u32(b, en->adler, e);
    return st;
}

/* Write the index, then go back and fill in the header. */
static int finish(writer *w, uint32_t count, pk_err *e) {
    uint8_t h[PK_ARC_HEADER];
    uint64_t index_at = w->pos;
    int st = put(w, w->index.data, w->index.len, e);
    if (st)
        return st;
    long tell = ftell(w->f);
    if (tell < 0 || (uint64_t)tell != w->pos)
        return pk_fail(e, PK_EIO, "%s: position %ld, expected %llu", w->path, tell,
                       (unsigned long long)w->pos);
    memcpy(h, PK_ARC_MAGIC, 4);
    h[4] = PK_ARC_VERSION;
    h[5] = 0;
    h[6] = h[7] = 0;
    pk_put_u32(h + 8, count);
    pk_put_u32(h + 12, pk_crc32(0, w->index.data, w->index.len));
    pk_put_u64(h + 16, index_at);
    pk_put_u32(h + 24, (uint32_t)w->index.len);
    pk_put_u32(h + 28, pk_crc32(0, h, 28));
    if (fseek(w->f, 0, SEEK_SET) != 0)
        return pk_fail_errno(e, PK_EIO, "cannot seek in %s", w->path);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h)
        return pk_fail_errno(e, PK_EIO, "cannot write %s", w->path);
    return PK_OK;
}

static int add_entries(writer *w, const pk_write_opts *o, const char *dir, const pk_fslist *list,
                       pk_err *e) {
    int st = PK_OK;
    for (size_t i = 0; i < list->n && !st; i++) {
        const pk_fsent *fe = &list->v[i];
        pk_entry en = {fe->name, fe->is_dir ? PK_TYPE_DIR : PK_TYPE_FILE, fe->size, 0, 0, 0, 0, 1};
        if (strlen(fe->name) > 0xffff)
            return pk_fail(e, PK_EIO, "name too long: %.40s...", fe->name);
        if (!fe->is_dir) {
            char *host = pk_fs_join(dir, fe->name);
            if (!host)
                return pk_fail(e, PK_ENOMEM, "out of memory");
            st = add_file(w, o, host, &en, e);
            free(host);
        }
        if (!st)
            st = index_entry(w, &en, e);
        if (!st && o->verbose) {
            if (fe->is_dir)
                printf("a %s/\n", fe->name);
            else
                printf("a %s %llu -> %llu\n", fe->name, (unsigned long long)en.size,
                       (unsigned long long)en.stored);
        }
    }
    return st;
}

int pk_arc_create(const char *archive, const char *dir, const pk_write_opts *o, pk_err *e) {
    pk_fslist list;
    int st = pk_fs_walk(dir, &list, e);
    if (st)
        return st;
    if (list.n > 0xffffffffu) {
        pk_fs_list_free(&list);
        return pk_fail(e, PK_EIO, "too many files");
    }
    writer w = {NULL, archive, 0, {0}, {0}, {0}};
    uint8_t blank[PK_ARC_HEADER] = {0};
    if (!(w.f = fopen(archive, "wb"))) {
        st = pk_fail_errno(e, PK_EIO, "cannot create %s", archive);
        goto fail;
    }
    st = put(&w, blank, sizeof blank, e);
    if (!st)
        st = add_entries(&w, o, dir, &list, e);
    if (!st)
        st = finish(&w, (uint32_t)list.n, e);
fail:
    if (w.f && fclose(w.f) != 0 && !st)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", archive);
    pk_buf_free(&w.index);
    pk_buf_free(&w.raw);
    pk_buf_free(&w.coded);
    pk_fs_list_free(&list);
    return st;
}
