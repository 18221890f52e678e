/* lz77.c: an LZ77 compressor and decompressor, round trip over a file.
 *
 * usage: lz77 IN OUT
 * Reads IN, compresses it (hash chains over a 64 KiB window, greedy
 * matching with one step of lazy evaluation), writes the compressed stream
 * to OUT, decompresses it again, checks that the round trip is exact and
 * prints the sizes and a checksum of the compressed bytes.
 *
 * Stream format: groups of up to eight items, each group led by a flag
 * byte (bit i set: item i is a match).  A literal is one byte; a match is a
 * 16-bit little-endian distance (1..65535) and one byte of length - MIN_MATCH.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MATCH 4
#define MAX_MATCH (MIN_MATCH + 255)
#define WINDOW 65535
#define HASH_BITS 15
#define MAX_CHAIN 48

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);

    if (!f || !buf) {
        fprintf(stderr, "lz77: cannot read %s\n", path);
        exit(1);
    }
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                exit(1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

static inline uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

struct matcher {
    int32_t head[1 << HASH_BITS];
    int32_t *prev; /* prev[i]: the previous position with i's hash */
    const uint8_t *in;
    size_t len;
};

static void insert_pos(struct matcher *m, size_t i) {
    if (i + MIN_MATCH > m->len)
        return;
    uint32_t h = hash4(m->in + i);
    m->prev[i] = m->head[h];
    m->head[h] = (int32_t)i;
}

/* The longest match for position i; its distance in *dist. */
static size_t longest_match(const struct matcher *m, size_t i, size_t *dist) {
    size_t best = 0, limit = m->len - i;
    if (limit > MAX_MATCH)
        limit = MAX_MATCH;
    if (limit < MIN_MATCH)
        return 0;
    int32_t cand = m->head[hash4(m->in + i)];
    for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
        if (i - (size_t)cand > WINDOW)
            break;
        const uint8_t *a = m->in + cand, *b = m->in + i;
        if (a[best] == b[best]) {
            size_t k = 0;
            while (k < limit && a[k] == b[k])
                k++;
            if (k > best) {
                best = k;
                *dist = i - (size_t)cand;
                if (k == limit)
                    break;
            }
        }
        cand = m->prev[cand];
    }
    return best >= MIN_MATCH ? best : 0;
}

struct writer {
    uint8_t *out;
    size_t n, flag_pos;
    int items;
};

static void emit(struct writer *w, int is_match, size_t dist, size_t length, uint8_t lit) {
    if (w->items == 8 || w->n == 0) {
        w->flag_pos = w->n;
        w->out[w->n++] = 0;
        w->items = 0;
    }
    if (is_match) {
        w->out[w->flag_pos] |= (uint8_t)(1u << w->items);
        w->out[w->n++] = (uint8_t)dist;
        w->out[w->n++] = (uint8_t)(dist >> 8);
        w->out[w->n++] = (uint8_t)(length - MIN_MATCH);
    } else {
        w->out[w->n++] = lit;
    }
    w->items++;
}

static size_t compress(const uint8_t *in, size_t len, uint8_t *out) {
    struct matcher *m = malloc(sizeof *m);
    struct writer w = {out, 0, 0, 0};
    size_t i = 0;

    if (!m || !(m->prev = malloc(sizeof(int32_t) * (len + 1))))
        exit(1);
    memset(m->head, 0xff, sizeof m->head);
    m->in = in;
    m->len = len;
    while (i < len) {
        size_t dist = 0, next_dist = 0;
        size_t best = longest_match(m, i, &dist);
        insert_pos(m, i);
        if (best && i + 1 < len) {
            /* lazy step: prefer a longer match starting one byte later */
            size_t next = longest_match(m, i + 1, &next_dist);
            if (next > best + 1)
                best = 0;
        }
        if (!best) {
            emit(&w, 0, 0, 0, in[i]);
            i++;
            continue;
        }
        emit(&w, 1, dist, best, 0);
        for (size_t k = 1; k < best; k++)
            insert_pos(m, i + k);
        i += best;
    }
    free(m->prev);
    free(m);
    return w.n;
}

/* Decompresses into out (capacity cap); returns the length, or SIZE_MAX if
 * the stream is malformed. */
static size_t decompress(const uint8_t *in, size_t len, uint8_t *out, size_t cap) {
    size_t i = 0, n = 0;
    while (i < len) {
        uint8_t flags = in[i++];
        for (int item = 0; item < 8 && i < len; item++) {
            if (flags & (1u << item)) {
                if (i + 3 > len)
                    return SIZE_MAX;
                size_t dist = in[i] | (size_t)in[i + 1] << 8;
                size_t length = (size_t)in[i + 2] + MIN_MATCH;
                i += 3;
                if (dist == 0 || dist > n || n + length > cap)
                    return SIZE_MAX;
                for (size_t k = 0; k < length; k++, n++)
                    out[n] = out[n - dist];
            } else {
                if (n == cap)
                    return SIZE_MAX;
                out[n++] = in[i++];
            }
        }
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: lz77 IN OUT\n");
        return 2;
    }
    size_t len;
    uint8_t *in = read_file(argv[1], &len);
    uint8_t *packed = malloc(len + len / 8 + 16);
    uint8_t *unpacked = malloc(len + 1);
    if (!packed || !unpacked)
        return 1;
    size_t plen = compress(in, len, packed);
    size_t ulen = decompress(packed, plen, unpacked, len);
    if (ulen != len || memcmp(in, unpacked, len) != 0) {
        fprintf(stderr, "lz77: round trip failed\n");
        return 1;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(packed, 1, plen, f) != plen || fclose(f) != 0) {
        fprintf(stderr, "lz77: cannot write %s\n", argv[2]);
        return 1;
    }
    uint32_t fnv = 2166136261u;
    for (size_t i = 0; i < plen; i++)
        fnv = (fnv ^ packed[i]) * 16777619u;
    printf("in=%zu out=%zu fnv=%08x roundtrip=ok\n", len, plen, fnv);
    free(in);
    free(packed);
    free(unpacked);
    return 0;
}
