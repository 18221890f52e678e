/* arc.h — the .w2p container: a header, the coded blocks of every file,
 * and an index of entries at the end.  All integers little-endian.
 *
 * Header (32 bytes):
 *   0  "W2PK"         4  u16 version (1)    6  u16 flags (0)
 *   8  u32 entries    12 u32 CRC-32 of the index
 *   16 u64 index offset                     24 u32 index size
 *   28 u32 CRC-32 of bytes 0..27
 * Block: u8 method, u32 raw size, u32 coded size, u32 CRC-32 of the raw
 *   bytes, then the coded bytes.
 * Index entry: u8 type (1 file, 2 directory), u16 name length, the name,
 *   u64 size, u64 offset of the first block, u32 block count,
 *   u64 archived bytes (blocks with headers), u32 CRC-32, u32 Adler-32.
 * The writer emits a blank header first and seeks back to fill it in once
 * the index is written. */
#ifndef W2PACK_ARC_H
#define W2PACK_ARC_H

#include "pk.h"

#include <stdio.h>

#define PK_ARC_MAGIC "W2PK"
#define PK_ARC_VERSION 1
#define PK_ARC_HEADER 32
#define PK_ARC_BLOCK_HEADER 13

enum {
    PK_TYPE_FILE = 1,
    PK_TYPE_DIR = 2
};

typedef struct pk_entry {
    char *name;
    int type;
    uint64_t size, offset, stored;
    uint32_t blocks, crc, adler;
} pk_entry;

typedef struct pk_archive {
    FILE *f;
    char *path;
    uint64_t file_size;
    pk_entry *entries;
    uint32_t count;
} pk_archive;

typedef struct pk_write_opts {
    int level;         /* 0 store .. 9 best */
    size_t block_size; /* bytes of input per block */
    int verbose;       /* print one line per entry to stdout */
} pk_write_opts;

/* Archive every entry below DIR into a new file ARCHIVE. */
int pk_arc_create(const char *archive, const char *dir, const pk_write_opts *o, pk_err *e);

/* Open ARCHIVE and read and check its header and index. */
int pk_arc_open(pk_archive *a, const char *path, pk_err *e);
void pk_arc_close(pk_archive *a);
/* Index of the entry called NAME, or -1. */
long pk_arc_find(const pk_archive *a, const char *name);

/* Receives decoded data in order. */
typedef int (*pk_sink)(void *ctx, const uint8_t *p, size_t n, pk_err *e);
/* Decode entry EN, passing its bytes to SINK, checking every checksum. */
int pk_arc_read_entry(pk_archive *a, const pk_entry *en, pk_sink sink, void *ctx, pk_err *e);

#endif
