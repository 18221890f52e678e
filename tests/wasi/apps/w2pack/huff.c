/* huff.c — building and decoding canonical Huffman codes (see huff.h).
 *
 * Lengths come from the classic two-queue construction over the used
 * symbols sorted by (frequency, symbol): the merged nodes are produced in
 * non-decreasing weight order, so no heap is needed, and the tie rules make
 * the result identical on every platform.  Codes longer than the limit are
 * then clipped and the Kraft sum repaired by lengthening the longest codes
 * that still may grow. */
#include "huff.h"

#include <stdlib.h>
#include <string.h>

typedef struct leaf {
    uint32_t freq;
    uint16_t sym;
} leaf;

static int leaf_cmp(const void *a, const void *b) {
    const leaf *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? -1 : 1;
    return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/* Take the lighter of the next leaf and the next merged node; leaves win
 * ties, which keeps trees shallow and the choice deterministic. */
static unsigned take(const leaf *leaves, unsigned m, unsigned *li, const uint64_t *weight,
                     unsigned *ni, unsigned nn) {
    if (*li < m && (*ni >= nn || leaves[*li].freq <= weight[m + *ni]))
        return (*li)++;
    return m + (*ni)++;
}

/* Clip to MAXBITS and restore sum(2^-len) <= 1. */
static void limit_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *len) {
    uint32_t cap = 1u << maxbits, kraft = 0;
    for (unsigned s = 0; s < n; s++) {
        if (len[s] > maxbits)
            len[s] = (uint8_t)maxbits;
        if (len[s])
            kraft += cap >> len[s];
    }
    while (kraft > cap) {
        /* Lengthen the longest code below the limit, least frequent first. */
        int best = -1;
        for (unsigned s = 0; s < n; s++) {
            if (!len[s] || len[s] >= maxbits)
                continue;
            if (best < 0 || len[s] > len[best] || (len[s] == len[best] && freq[s] < freq[best]))
                best = (int)s;
        }
        if (best < 0)
            break; /* cannot happen while n <= 2^maxbits */
        kraft -= cap >> (len[best] + 1);
        len[best]++;
    }
}

void pk_huff_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *len) {
    leaf leaves[PK_HUFF_MAXSYMS];
    uint64_t weight[2 * PK_HUFF_MAXSYMS];
    unsigned parent[2 * PK_HUFF_MAXSYMS], depth[2 * PK_HUFF_MAXSYMS];
    unsigned m = 0;

    memset(len, 0, n);
    for (unsigned s = 0; s < n; s++)
        if (freq[s])
            leaves[m++] = (leaf){freq[s], (uint16_t)s};
    if (m == 0)
        return;
    if (m == 1) {
        len[leaves[0].sym] = 1;
        return;
    }
    qsort(leaves, m, sizeof leaves[0], leaf_cmp);
    for (unsigned i = 0; i < m; i++)
        weight[i] = leaves[i].freq;

    /* Nodes 0..m-1 are leaves, m..2m-2 merged nodes in creation order. */
    unsigned li = 0, ni = 0, nn = 0;
    while (nn < m - 1) {
        unsigned a = take(leaves, m, &li, weight, &ni, nn);
        unsigned b = take(leaves, m, &li, weight, &ni, nn);
        unsigned node = m + nn++;
        weight[node] = weight[a] + weight[b];
        parent[a] = parent[b] = node;
    }
    unsigned root = 2 * m - 2;
    depth[root] = 0;
    for (unsigned i = root; i-- > 0;)
        depth[i] = depth[parent[i]] + 1;
    for (unsigned i = 0; i < m; i++)
        len[leaves[i].sym] = (uint8_t)(depth[i] > 255 ? 255 : depth[i]);
    limit_lengths(freq, n, maxbits, len);
}

static uint16_t reverse_bits(uint16_t code, unsigned bits) {
    uint16_t r = 0;
    for (unsigned i = 0; i < bits; i++) {
        r = (uint16_t)(r << 1 | (code & 1));
        code >>= 1;
    }
    return r;
}

int pk_huff_codes(const uint8_t *len, unsigned n, uint16_t *code) {
    unsigned count[PK_HUFF_MAXBITS + 1] = {0};
    uint32_t next[PK_HUFF_MAXBITS + 2];
    for (unsigned s = 0; s < n; s++) {
        if (len[s] > PK_HUFF_MAXBITS)
            return -1;
        count[len[s]]++;
    }
    count[0] = 0;
    int32_t left = 1;
    for (unsigned b = 1; b <= PK_HUFF_MAXBITS; b++) {
        left = left * 2 - (int32_t)count[b];
        if (left < 0)
            return -1;
    }
    next[1] = 0;
    for (unsigned b = 1; b < PK_HUFF_MAXBITS; b++)
        next[b + 1] = (next[b] + count[b]) << 1;
    for (unsigned s = 0; s < n; s++)
        code[s] = len[s] ? reverse_bits((uint16_t)next[len[s]]++, len[s]) : 0;
    return 0;
}

int pk_huff_dec_build(pk_huff_dec *d, const uint8_t *len, unsigned n) {
    uint16_t code[PK_HUFF_MAXSYMS];
    if (n > PK_HUFF_MAXSYMS || pk_huff_codes(len, n, code) < 0)
        return -1;
    unsigned bits = 0;
    for (unsigned s = 0; s < n; s++)
        if (len[s] > bits)
            bits = len[s];
    d->bits = bits;
    memset(d->table, 0, sizeof(uint16_t) << bits);
    for (unsigned s = 0; s < n; s++) {
        if (!len[s])
            continue;
        uint16_t entry = (uint16_t)(s << 4 | len[s]);
        for (uint32_t i = code[s]; i < (1u << bits); i += 1u << len[s])
            d->table[i] = entry;
    }
    return 0;
}

int pk_huff_decode(const pk_huff_dec *d, pk_bitr *r) {
    uint16_t entry = d->table[pk_bitr_peek(r, d->bits)];
    if (!entry)
        return -1;
    pk_bitr_skip(r, entry & 15);
    return entry >> 4;
}
