/* cmds.h — the commands of the w2pack tool; each returns a pk_status that
 * main turns into the exit code, after printing E's message. */
#ifndef W2PACK_CMDS_H
#define W2PACK_CMDS_H

#include "pk.h"

int pk_cmd_list(const char *archive, pk_err *e);
int pk_cmd_extract(const char *archive, const char *dir, int verbose, pk_err *e);
int pk_cmd_verify(const char *archive, pk_err *e);
int pk_cmd_print(const char *archive, const char *name, pk_err *e);

/* File edits for test scripts (edit.c). */
int pk_cmd_copy(const char *from, const char *to, pk_err *e);
int pk_cmd_damage(const char *path, uint64_t offset, pk_err *e);
int pk_cmd_cut(const char *path, uint64_t size, pk_err *e);

typedef struct pk_bench_opts {
    size_t mib; /* input size */
    int level;
    size_t block_size;
    unsigned rounds; /* compress + decompress this many times */
    int timing;      /* report speeds on stderr */
    uint64_t seed;
} pk_bench_opts;

int pk_cmd_bench(const pk_bench_opts *o, pk_err *e);

#endif
