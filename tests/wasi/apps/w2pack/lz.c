/* lz.c — the LZ77 match finder (see lz.h).
 *
 * head[h] is the latest position whose next three bytes hash to h, and
 * prev[pos % WINDOW] the position before it with the same hash, so walking
 * prev visits ever older candidates.  A slot of prev is only overwritten by
 * a position a full window later, after every search that could reach the
 * old value.  Matches never look outside the block: blocks decode alone. */
#include "lz.h"

#include <stdlib.h>

#define HASH_BITS 15
#define HASH_SIZE (1u << HASH_BITS)
#define WMASK (PK_LZ_WINDOW - 1)

typedef struct params {
    unsigned chain; /* candidates examined per search */
    unsigned nice;  /* a match this long ends the search */
    int lazy;       /* try the next position before taking a match */
} params;

static const params levels[10] = {
    {0, 0, 0},    {4, 16, 0},   {8, 32, 0},    {16, 32, 0},   {16, 64, 1},
    {32, 128, 1}, {64, 128, 1}, {128, 258, 1}, {512, 258, 1}, {2048, 258, 1},
};

typedef struct finder {
    const uint8_t *src;
    size_t n;
    params p;
    int32_t *head, *prev;
} finder;

static unsigned hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void insert(finder *f, size_t pos) {
    if (pos + PK_LZ_MIN > f->n)
        return;
    unsigned h = hash3(f->src + pos);
    f->prev[pos & WMASK] = f->head[h];
    f->head[h] = (int32_t)pos;
}

/* The longest match for POS among the chain's candidates; 0 if none. */
static unsigned find(const finder *f, size_t pos, unsigned *dist) {
    if (pos + PK_LZ_MIN > f->n)
        return 0;
    const uint8_t *cur = f->src + pos;
    size_t room = f->n - pos;
    unsigned maxlen = room < PK_LZ_MAX ? (unsigned)room : PK_LZ_MAX;
    unsigned best = 0;
    int32_t cand = f->head[hash3(cur)];
    for (unsigned tries = f->p.chain; cand >= 0 && tries > 0; tries--) {
        size_t d = pos - (size_t)cand;
        if (d > PK_LZ_WINDOW)
            break;
        const uint8_t *old = f->src + cand;
        if (old[best] == cur[best] && old[0] == cur[0]) {
            unsigned l = 0;
            while (l < maxlen && old[l] == cur[l])
                l++;
            if (l > best) {
                best = l;
                *dist = (unsigned)d;
                if (l >= f->p.nice || l == maxlen)
                    break;
            }
        }
        int32_t next = f->prev[cand & WMASK];
        if (next >= cand)
            break;
        cand = next;
    }
    return best >= PK_LZ_MIN ? best : 0;
}

static uint32_t match_token(unsigned len, unsigned dist) {
    return PK_LZ_MATCH | (uint32_t)len << 16 | (dist & 0xffff);
}

/* Insert the positions a match covers, after the ones already inserted. */
static void insert_run(finder *f, size_t from, size_t to) {
    for (size_t i = from; i < to; i++)
        insert(f, i);
}

static size_t parse(finder *f, uint32_t *toks) {
    const uint8_t *src = f->src;
    size_t i = 0, nt = 0;
    unsigned prev_len = 0, prev_dist = 0;
    int pending = 0; /* a match for i-1 waits to see whether i does better */
    while (i < f->n) {
        unsigned dist = 0, len = find(f, i, &dist);
        insert(f, i);
        if (pending) {
            if (len > prev_len) {
                toks[nt++] = src[i - 1];
                prev_len = len;
                prev_dist = dist;
                i++;
                continue;
            }
            toks[nt++] = match_token(prev_len, prev_dist);
            insert_run(f, i + 1, i - 1 + prev_len);
            i = i - 1 + prev_len;
            pending = 0;
            continue;
        }
        if (len == 0) {
            toks[nt++] = src[i++];
            continue;
        }
        if (f->p.lazy && len < f->p.nice) {
            prev_len = len;
            prev_dist = dist;
            pending = 1;
            i++;
            continue;
        }
        toks[nt++] = match_token(len, dist);
        insert_run(f, i + 1, i + len);
        i += len;
    }
    if (pending)
        toks[nt++] = match_token(prev_len, prev_dist);
    return nt;
}

int pk_lz_parse(const uint8_t *src, size_t n, int level, uint32_t *toks, size_t *ntok, pk_err *e) {
    if (level < 1)
        level = 1;
    if (level > 9)
        level = 9;
    finder f = {src, n, levels[level], NULL, NULL};
    f.head = malloc(HASH_SIZE * sizeof(int32_t));
    f.prev = malloc(PK_LZ_WINDOW * sizeof(int32_t));
    if (!f.head || !f.prev) {
        free(f.head);
        free(f.prev);
        return pk_fail(e, PK_ENOMEM, "out of memory for the match finder");
    }
    for (unsigned i = 0; i < HASH_SIZE; i++)
        f.head[i] = -1;
    for (unsigned i = 0; i < PK_LZ_WINDOW; i++)
        f.prev[i] = -1;
    *ntok = parse(&f, toks);
    free(f.head);
    free(f.prev);
    return PK_OK;
}
