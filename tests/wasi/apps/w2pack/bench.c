/* bench.c — the benchmark workload: generate a mixed corpus in memory,
 * then compress and decompress it block by block, ROUNDS times.
 *
 * Everything printed on stdout depends only on the options (sizes and
 * checksums), so a benchmark run can double as a correctness check.  The
 * clock is read around each phase; speeds go to stderr, and only with -t.
 * The clock must never run backwards, which is checked on every run. */
#include "cmds.h"

#include "block.h"
#include "crc.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK (64u << 10)

static int now_ns(uint64_t *ns, pk_err *e) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return pk_fail_errno(e, PK_EIO, "cannot read the monotonic clock");
    uint64_t t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    if (t < *ns)
        return pk_fail(e, PK_EIO, "the monotonic clock went backwards");
    *ns = t;
    return PK_OK;
}

/* A corpus of the given size, 64 KiB chunks of kinds picked at random. */
static int make_corpus(const pk_bench_opts *o, pk_buf *out, pk_err *e) {
    static const int kinds[] = {PK_GEN_TEXT,   PK_GEN_TEXT,   PK_GEN_CSV,   PK_GEN_CSV,
                                PK_GEN_BINARY, PK_GEN_SPARSE, PK_GEN_NOISE, PK_GEN_TEXT};
    pk_rng r;
    pk_rng_seed(&r, o->seed);
    size_t want = o->mib << 20;
    int st = pk_buf_reserve(out, want, e);
    while (!st && out->len < want) {
        size_t n = want - out->len < CHUNK ? want - out->len : CHUNK;
        st = pk_gen_data(&r, kinds[pk_rng_below(&r, 8)], n, out, e);
    }
    return st;
}

typedef struct stream {
    pk_buf coded; /* method byte, u32 sizes, payload; per block */
    size_t blocks;
} stream;

static int compress_all(const pk_bench_opts *o, const pk_buf *in, stream *s, pk_err *e) {
    s->coded.len = 0;
    s->blocks = 0;
    for (size_t at = 0; at < in->len; at += o->block_size) {
        size_t n = in->len - at < o->block_size ? in->len - at : o->block_size;
        size_t head = s->coded.len;
        int method = 0;
        int st = pk_buf_append(&s->coded, "\0\0\0\0\0\0\0\0\0", 9, e);
        if (!st)
            st = pk_block_encode(in->data + at, n, o->level, &s->coded, &method, e);
        if (st)
            return st;
        s->coded.data[head] = (uint8_t)method;
        pk_put_u32(s->coded.data + head + 1, (uint32_t)n);
        pk_put_u32(s->coded.data + head + 5, (uint32_t)(s->coded.len - head - 9));
        s->blocks++;
    }
    return PK_OK;
}

static int decompress_all(const stream *s, pk_buf *out, pk_err *e) {
    out->len = 0;
    const uint8_t *p = s->coded.data, *end = p + s->coded.len;
    while (p < end) {
        uint32_t raw = pk_get_u32(p + 1), clen = pk_get_u32(p + 5);
        int st = pk_buf_reserve(out, raw, e);
        if (!st)
            st = pk_block_decode(p[0], p + 9, clen, out->data + out->len, raw, e);
        if (st)
            return st;
        out->len += raw;
        p += 9 + clen;
    }
    return PK_OK;
}

static void report(const char *what, size_t bytes, uint64_t ns) {
    uint64_t kib_s = ns ? (uint64_t)bytes * 1000000000u / 1024 / ns : 0;
    fprintf(stderr, "bench: %-10s %8.3f ms  %8llu KiB/s\n", what, (double)ns / 1e6,
            (unsigned long long)kib_s);
}

int pk_cmd_bench(const pk_bench_opts *o, pk_err *e) {
    pk_buf in = {0}, back = {0};
    stream s = {{0}, 0};
    uint64_t t0 = 0, t1, t2, t3, gen_ns, c_ns = 0, d_ns = 0;
    int st = now_ns(&t0, e);
    if (!st)
        st = make_corpus(o, &in, e);
    t1 = t0;
    if (!st)
        st = now_ns(&t1, e);
    gen_ns = t1 - t0;
    for (unsigned round = 0; !st && round < o->rounds; round++) {
        t2 = t1;
        st = now_ns(&t2, e);
        if (!st)
            st = compress_all(o, &in, &s, e);
        t3 = t2;
        if (!st)
            st = now_ns(&t3, e);
        c_ns += t3 - t2;
        if (!st)
            st = decompress_all(&s, &back, e);
        t1 = t3;
        if (!st)
            st = now_ns(&t1, e);
        d_ns += t1 - t3;
        if (!st && (back.len != in.len || memcmp(back.data, in.data, in.len) != 0))
            st = pk_fail(e, PK_ECORRUPT, "round %u: decompressed data differs", round);
    }
    if (!st) {
        unsigned r = in.len ? (unsigned)((uint64_t)s.coded.len * 1000 / in.len) : 1000;
        printf("bench: %zu bytes in %zu blocks, level %d -> %zu bytes (%u.%u%%)\n", in.len,
               s.blocks, o->level, s.coded.len, r / 10, r % 10);
        printf("bench: input crc %08x, coded crc %08x, %u rounds ok\n",
               (unsigned)pk_crc32(0, in.data, in.len),
               (unsigned)pk_crc32(0, s.coded.data, s.coded.len), o->rounds);
        if (o->timing) {
            report("generate", in.len, gen_ns);
            report("compress", in.len * o->rounds, c_ns);
            report("decompress", in.len * o->rounds, d_ns);
        }
    }
    pk_buf_free(&in);
    pk_buf_free(&back);
    pk_buf_free(&s.coded);
    return st;
}
