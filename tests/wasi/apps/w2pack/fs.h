/* fs.h — the file-system side of w2pack: walking an input tree in a fixed
 * order, reading and writing whole files, creating directory paths.
 *
 * The walk sorts names with strcmp at every level, so the entry order (and
 * hence the archive bytes) is the same whatever order readdir returns. */
#ifndef W2PACK_FS_H
#define W2PACK_FS_H

#include "pk.h"

typedef struct pk_fsent {
    char *name; /* relative to the walked root, '/'-separated */
    int is_dir;
    uint64_t size; /* from stat; 0 for directories */
} pk_fsent;

typedef struct pk_fslist {
    pk_fsent *v;
    size_t n, cap;
} pk_fslist;

/* Every directory and regular file below ROOT, parents before children;
 * other kinds of files (sockets, devices) are skipped. */
int pk_fs_walk(const char *root, pk_fslist *out, pk_err *e);
void pk_fs_list_free(pk_fslist *l);

/* "A/B", freshly allocated; NULL when out of memory. */
char *pk_fs_join(const char *a, const char *b);
/* mkdir each component of PATH that does not exist yet. */
int pk_fs_mkdirs(const char *path, pk_err *e);
/* 1 if PATH is a directory, 0 if it does not exist, else an error. */
int pk_fs_dir_exists(const char *path, int *exists, pk_err *e);
int pk_fs_write_file(const char *path, const uint8_t *p, size_t n, pk_err *e);
int pk_fs_read_file(const char *path, pk_buf *out, pk_err *e);

#endif
