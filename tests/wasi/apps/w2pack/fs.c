/* fs.c — directory walk and whole-file helpers (see fs.h).
 *
 * The walk is recursive over opendir/readdir/stat; its depth is bounded so
 * a pathological tree cannot exhaust the stack. */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

char *pk_fs_join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

static int push(pk_fslist *l, char *name, int is_dir, uint64_t size, pk_err *e) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        pk_fsent *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(name);
            return pk_fail(e, PK_ENOMEM, "out of memory listing files");
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (pk_fsent){name, is_dir, size};
    return PK_OK;
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in DIR except . and .., sorted. */
static int read_names(const char *dir, char ***names, size_t *count, pk_err *e) {
    DIR *d = opendir(dir);
    if (!d)
        return pk_fail_errno(e, PK_EIO, "cannot open directory %s", dir);
    char **v = NULL;
    size_t n = 0, cap = 0;
    int st = PK_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                st = pk_fail(e, PK_ENOMEM, "out of memory reading %s", dir);
                break;
            }
            v = nv;
        }
        if (!(v[n] = strdup(de->d_name))) {
            st = pk_fail(e, PK_ENOMEM, "out of memory reading %s", dir);
            break;
        }
        n++;
        errno = 0;
    }
    if (!st && errno)
        st = pk_fail_errno(e, PK_EIO, "cannot read directory %s", dir);
    closedir(d);
    if (st) {
        while (n)
            free(v[--n]);
        free(v);
        return st;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, name_cmp);
    *names = v;
    *count = n;
    return PK_OK;
}

static int walk(const char *host, const char *rel, int depth, pk_fslist *out, pk_err *e) {
    if (depth > MAX_DEPTH)
        return pk_fail(e, PK_EIO, "%s: directories nested too deeply", host);
    char **names = NULL;
    size_t n = 0;
    int st = read_names(host, &names, &n, e);
    if (st)
        return st;
    for (size_t i = 0; i < n && !st; i++) {
        char *path = pk_fs_join(host, names[i]);
        char *name = rel ? pk_fs_join(rel, names[i]) : strdup(names[i]);
        struct stat sb;
        if (!path || !name) {
            st = pk_fail(e, PK_ENOMEM, "out of memory walking %s", host);
            free(name);
        } else if (stat(path, &sb) != 0) {
            st = pk_fail_errno(e, PK_EIO, "cannot stat %s", path);
            free(name);
        } else if (S_ISDIR(sb.st_mode)) {
            st = push(out, name, 1, 0, e);
            if (!st)
                st = walk(path, out->v[out->n - 1].name, depth + 1, out, e);
        } else if (S_ISREG(sb.st_mode)) {
            st = push(out, name, 0, (uint64_t)sb.st_size, e);
        } else {
            free(name);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

int pk_fs_walk(const char *root, pk_fslist *out, pk_err *e) {
    memset(out, 0, sizeof *out);
    int st = walk(root, NULL, 0, out, e);
    if (st)
        pk_fs_list_free(out);
    return st;
}

void pk_fs_list_free(pk_fslist *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int pk_fs_dir_exists(const char *path, int *exists, pk_err *e) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT) {
            *exists = 0;
            return PK_OK;
        }
        return pk_fail_errno(e, PK_EIO, "cannot stat %s", path);
    }
    if (!S_ISDIR(sb.st_mode))
        return pk_fail(e, PK_EIO, "%s exists and is not a directory", path);
    *exists = 1;
    return PK_OK;
}

static int mkdir_one(const char *path, pk_err *e) {
    int exists = 0;
    int st = pk_fs_dir_exists(path, &exists, e);
    if (st || exists)
        return st;
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return pk_fail_errno(e, PK_EIO, "cannot create directory %s", path);
    return PK_OK;
}

int pk_fs_mkdirs(const char *path, pk_err *e) {
    char *p = strdup(path);
    if (!p)
        return pk_fail(e, PK_ENOMEM, "out of memory");
    int st = PK_OK;
    for (char *s = p + 1; *s && !st; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        st = mkdir_one(p, e);
        *s = '/';
    }
    if (!st)
        st = mkdir_one(p, e);
    free(p);
    return st;
}

int pk_fs_write_file(const char *path, const uint8_t *p, size_t n, pk_err *e) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return pk_fail_errno(e, PK_EIO, "cannot create %s", path);
    int st = PK_OK;
    if (n && fwrite(p, 1, n, f) != n)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", path);
    if (fclose(f) != 0 && !st)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", path);
    return st;
}

int pk_fs_read_file(const char *path, pk_buf *out, pk_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return pk_fail_errno(e, PK_EIO, "cannot open %s", path);
    int st = PK_OK;
    for (;;) {
        if ((st = pk_buf_reserve(out, 65536, e)))
            break;
        size_t got = fread(out->data + out->len, 1, out->cap - out->len, f);
        out->len += got;
        if (got == 0) {
            if (ferror(f))
                st = pk_fail_errno(e, PK_EIO, "cannot read %s", path);
            break;
        }
    }
    fclose(f);
    return st;
}
