/* cmds.c — list, extract, verify and print an archive's entries.
 *
 * Output goes to stdout in a fixed format, with sizes as integers and the
 * ratio in integer per mille, so two builds print the same bytes. */
#include "cmds.h"

#include "arc.h"
#include "fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned per_mille(uint64_t part, uint64_t whole) {
    return whole ? (unsigned)(part * 1000 / whole) : 1000;
}

int pk_cmd_list(const char *archive, pk_err *e) {
    pk_archive a;
    int st = pk_arc_open(&a, archive, e);
    if (st)
        return st;
    uint64_t total = 0, stored = 0;
    for (uint32_t i = 0; i < a.count; i++) {
        const pk_entry *en = &a.entries[i];
        if (en->type == PK_TYPE_DIR) {
            printf("d %10s %10s %8s  %s/\n", "-", "-", "-", en->name);
            continue;
        }
        printf("f %10llu %10llu %08x  %s\n", (unsigned long long)en->size,
               (unsigned long long)en->stored, (unsigned)en->crc, en->name);
        total += en->size;
        stored += en->stored;
    }
    unsigned r = per_mille(stored, total);
    printf("%u entries, %llu bytes, %llu archived (%u.%u%%)\n", (unsigned)a.count,
           (unsigned long long)total, (unsigned long long)stored, r / 10, r % 10);
    pk_arc_close(&a);
    return PK_OK;
}

typedef struct file_sink {
    FILE *f;
    const char *path;
} file_sink;

static int to_file(void *ctx, const uint8_t *p, size_t n, pk_err *e) {
    file_sink *s = ctx;
    if (n && fwrite(p, 1, n, s->f) != n)
        return pk_fail_errno(e, PK_EIO, "cannot write %s", s->path);
    return PK_OK;
}

static int to_nowhere(void *ctx, const uint8_t *p, size_t n, pk_err *e) {
    (void)ctx, (void)p, (void)n, (void)e;
    return PK_OK;
}

static int extract_file(pk_archive *a, const pk_entry *en, const char *path, pk_err *e) {
    char *parent = strdup(path);
    if (!parent)
        return pk_fail(e, PK_ENOMEM, "out of memory");
    char *slash = strrchr(parent, '/');
    int st = PK_OK;
    if (slash && slash != parent) {
        *slash = '\0';
        st = pk_fs_mkdirs(parent, e);
    }
    free(parent);
    if (st)
        return st;
    file_sink s = {fopen(path, "wb"), path};
    if (!s.f)
        return pk_fail_errno(e, PK_EIO, "cannot create %s", path);
    st = pk_arc_read_entry(a, en, to_file, &s, e);
    if (fclose(s.f) != 0 && !st)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", path);
    return st;
}

int pk_cmd_extract(const char *archive, const char *dir, int verbose, pk_err *e) {
    pk_archive a;
    int st = pk_arc_open(&a, archive, e);
    if (st)
        return st;
    st = pk_fs_mkdirs(dir, e);
    for (uint32_t i = 0; !st && i < a.count; i++) {
        const pk_entry *en = &a.entries[i];
        char *path = pk_fs_join(dir, en->name);
        if (!path) {
            st = pk_fail(e, PK_ENOMEM, "out of memory");
            break;
        }
        if (en->type == PK_TYPE_DIR)
            st = pk_fs_mkdirs(path, e);
        else
            st = extract_file(&a, en, path, e);
        if (!st && verbose)
            printf("x %s%s\n", en->name, en->type == PK_TYPE_DIR ? "/" : "");
        free(path);
    }
    pk_arc_close(&a);
    return st;
}

int pk_cmd_verify(const char *archive, pk_err *e) {
    pk_archive a;
    int st = pk_arc_open(&a, archive, e);
    if (st)
        return st;
    unsigned bad = 0, files = 0;
    for (uint32_t i = 0; i < a.count; i++) {
        const pk_entry *en = &a.entries[i];
        if (en->type != PK_TYPE_FILE)
            continue;
        files++;
        pk_err why = {0, ""};
        int rc = pk_arc_read_entry(&a, en, to_nowhere, NULL, &why);
        if (rc == PK_OK) {
            printf("ok   %s\n", en->name);
        } else {
            printf("BAD  %s: %s\n", en->name, why.msg);
            bad++;
            if (rc != PK_ECORRUPT) { /* an I/O or memory failure ends the run */
                *e = why;
                pk_arc_close(&a);
                return rc;
            }
        }
    }
    printf("%u of %u files intact\n", files - bad, files);
    pk_arc_close(&a);
    if (bad)
        return pk_fail(e, PK_ECORRUPT, "%s: %u damaged files", archive, bad);
    return PK_OK;
}

int pk_cmd_print(const char *archive, const char *name, pk_err *e) {
    pk_archive a;
    int st = pk_arc_open(&a, archive, e);
    if (st)
        return st;
    long i = pk_arc_find(&a, name);
    if (i < 0 || a.entries[i].type != PK_TYPE_FILE) {
        st = pk_fail(e, PK_EIO, "%s: no file %s", archive, name);
    } else {
        file_sink s = {stdout, "standard output"};
        st = pk_arc_read_entry(&a, &a.entries[i], to_file, &s, e);
        if (!st && fflush(stdout) != 0)
            st = pk_fail_errno(e, PK_EIO, "cannot write standard output");
    }
    pk_arc_close(&a);
    return st;
}
