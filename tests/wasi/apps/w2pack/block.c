/* block.c — the block codec (see block.h for the payload layout).
 *
 * Length and distance symbols follow one rule: a few symbols of exact
 * values, then groups of symbols whose extra-bit count grows by one per
 * group, so the base tables are computed instead of written out.  Decoding
 * checks every length, distance and the final size against RAW, so a
 * corrupt payload is reported, never followed out of the buffer. */
#include "block.h"

#include "bits.h"
#include "huff.h"
#include "lz.h"

#include <stdlib.h>
#include <string.h>

#define NLEN 28
#define NDIST 30
#define SYM_END 256
#define SYM_LEN0 257
#define NLITLEN (SYM_LEN0 + NLEN)

static uint16_t len_base[NLEN];
static uint8_t len_extra[NLEN];
static uint32_t dist_base[NDIST];
static uint8_t dist_extra[NDIST];
static uint8_t len_sym[PK_LZ_MAX + 1];
static int tables_ready;

static void tables_init(void) {
    unsigned base = PK_LZ_MIN;
    for (unsigned i = 0; i < NLEN; i++) {
        len_extra[i] = (uint8_t)(i < 8 ? 0 : i / 4 - 1);
        len_base[i] = (uint16_t)base;
        for (unsigned k = 0; k < (1u << len_extra[i]) && base + k <= PK_LZ_MAX; k++)
            len_sym[base + k] = (uint8_t)i;
        base += 1u << len_extra[i];
    }
    base = 1;
    for (unsigned i = 0; i < NDIST; i++) {
        dist_extra[i] = (uint8_t)(i < 4 ? 0 : i / 2 - 1);
        dist_base[i] = base;
        base += 1u << dist_extra[i];
    }
    tables_ready = 1;
}

static unsigned dist_sym(unsigned dist) {
    unsigned lo = 0, hi = NDIST - 1; /* the last base <= dist */
    while (lo < hi) {
        unsigned mid = (lo + hi + 1) / 2;
        if (dist_base[mid] <= dist)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

typedef struct coder {
    uint8_t lit_len[NLITLEN], dist_len[NDIST];
    uint16_t lit_code[NLITLEN], dist_code[NDIST];
} coder;

static void count_symbols(const uint32_t *toks, size_t nt, uint32_t *lf, uint32_t *df) {
    memset(lf, 0, NLITLEN * sizeof *lf);
    memset(df, 0, NDIST * sizeof *df);
    for (size_t i = 0; i < nt; i++) {
        uint32_t t = toks[i];
        if (PK_LZ_IS_MATCH(t)) {
            lf[SYM_LEN0 + len_sym[PK_LZ_LEN(t)]]++;
            df[dist_sym(PK_LZ_DIST(t))]++;
        } else {
            lf[t]++;
        }
    }
    lf[SYM_END] = 1;
}

static int write_header(pk_bitw *w, const coder *c, pk_err *e) {
    unsigned nlit = NLITLEN, ndist = NDIST;
    while (nlit > SYM_END + 1 && !c->lit_len[nlit - 1])
        nlit--;
    while (ndist > 1 && !c->dist_len[ndist - 1])
        ndist--;
    int st = pk_bitw_put(w, nlit, 9, e);
    if (!st)
        st = pk_bitw_put(w, ndist - 1, 5, e);
    for (unsigned s = 0; !st && s < nlit; s++)
        st = pk_bitw_put(w, c->lit_len[s], 4, e);
    for (unsigned s = 0; !st && s < ndist; s++)
        st = pk_bitw_put(w, c->dist_len[s], 4, e);
    return st;
}

static int write_tokens(pk_bitw *w, const coder *c, const uint32_t *toks, size_t nt, pk_err *e) {
    for (size_t i = 0; i < nt; i++) {
        uint32_t t = toks[i];
        int st;
        if (!PK_LZ_IS_MATCH(t)) {
            st = pk_bitw_put(w, c->lit_code[t], c->lit_len[t], e);
        } else {
            unsigned len = PK_LZ_LEN(t), dist = PK_LZ_DIST(t);
            unsigned ls = len_sym[len], ds = dist_sym(dist);
            st = pk_bitw_put(w, c->lit_code[SYM_LEN0 + ls], c->lit_len[SYM_LEN0 + ls], e);
            if (!st)
                st = pk_bitw_put(w, len - len_base[ls], len_extra[ls], e);
            if (!st)
                st = pk_bitw_put(w, c->dist_code[ds], c->dist_len[ds], e);
            if (!st)
                st = pk_bitw_put(w, dist - dist_base[ds], dist_extra[ds], e);
        }
        if (st)
            return st;
    }
    int st = pk_bitw_put(w, c->lit_code[SYM_END], c->lit_len[SYM_END], e);
    return st ? st : pk_bitw_flush(w, e);
}

static int encode_lzh(const uint8_t *src, size_t n, int level, pk_buf *out, pk_err *e) {
    coder c;
    uint32_t lf[NLITLEN], df[NDIST];
    size_t nt = 0;
    uint32_t *toks = malloc((n ? n : 1) * sizeof *toks);
    if (!toks)
        return pk_fail(e, PK_ENOMEM, "out of memory for %zu tokens", n);
    int st = pk_lz_parse(src, n, level, toks, &nt, e);
    if (st)
        goto fail;
    count_symbols(toks, nt, lf, df);
    pk_huff_lengths(lf, NLITLEN, PK_HUFF_MAXBITS, c.lit_len);
    pk_huff_lengths(df, NDIST, PK_HUFF_MAXBITS, c.dist_len);
    if (pk_huff_codes(c.lit_len, NLITLEN, c.lit_code) < 0 ||
        pk_huff_codes(c.dist_len, NDIST, c.dist_code) < 0) {
        st = pk_fail(e, PK_ECORRUPT, "internal error: invalid Huffman lengths");
        goto fail;
    }
    pk_bitw w;
    pk_bitw_init(&w, out);
    st = write_header(&w, &c, e);
    if (!st)
        st = write_tokens(&w, &c, toks, nt, e);
fail:
    free(toks);
    return st;
}

int pk_block_encode(const uint8_t *src, size_t n, int level, pk_buf *out, int *method, pk_err *e) {
    if (!tables_ready)
        tables_init();
    size_t start = out->len;
    if (level > 0) {
        int st = encode_lzh(src, n, level, out, e);
        if (st)
            return st;
        if (out->len - start < n) {
            *method = PK_METHOD_LZH;
            return PK_OK;
        }
        out->len = start; /* no gain: store instead */
    }
    *method = PK_METHOD_STORED;
    return pk_buf_append(out, src, n, e);
}

typedef struct decoder {
    pk_huff_dec lit, dist;
} decoder;

static int read_header(pk_bitr *r, decoder *d, pk_err *e) {
    uint8_t lit_len[NLITLEN] = {0}, dist_len[NDIST] = {0};
    unsigned nlit = pk_bitr_get(r, 9), ndist = pk_bitr_get(r, 5) + 1;
    if (nlit <= SYM_END || nlit > NLITLEN || ndist > NDIST)
        return pk_fail(e, PK_ECORRUPT, "bad code table size (%u, %u)", nlit, ndist);
    for (unsigned s = 0; s < nlit; s++)
        lit_len[s] = (uint8_t)pk_bitr_get(r, 4);
    for (unsigned s = 0; s < ndist; s++)
        dist_len[s] = (uint8_t)pk_bitr_get(r, 4);
    if (r->overrun)
        return pk_fail(e, PK_ECORRUPT, "block ends inside its code table");
    if (pk_huff_dec_build(&d->lit, lit_len, NLITLEN) < 0 ||
        pk_huff_dec_build(&d->dist, dist_len, NDIST) < 0)
        return pk_fail(e, PK_ECORRUPT, "over-subscribed Huffman code");
    return PK_OK;
}

static int decode_lzh(const uint8_t *src, size_t n, uint8_t *dst, size_t raw, pk_err *e) {
    decoder *d = malloc(sizeof *d);
    if (!d)
        return pk_fail(e, PK_ENOMEM, "out of memory for a decoder");
    pk_bitr r;
    pk_bitr_init(&r, src, n);
    size_t at = 0;
    int st = read_header(&r, d, e);
    while (!st) {
        int sym = pk_huff_decode(&d->lit, &r);
        if (sym < 0 || r.overrun) {
            st = pk_fail(e, PK_ECORRUPT, "bad symbol at output byte %zu", at);
        } else if (sym < SYM_END) {
            if (at >= raw)
                st = pk_fail(e, PK_ECORRUPT, "block decodes to more than %zu bytes", raw);
            else
                dst[at++] = (uint8_t)sym;
        } else if (sym == SYM_END) {
            if (at != raw)
                st = pk_fail(e, PK_ECORRUPT, "block decodes to %zu bytes, not %zu", at, raw);
            break;
        } else {
            unsigned ls = (unsigned)sym - SYM_LEN0;
            size_t len = len_base[ls] + pk_bitr_get(&r, len_extra[ls]);
            int ds = pk_huff_decode(&d->dist, &r);
            if (ds < 0) {
                st = pk_fail(e, PK_ECORRUPT, "bad distance symbol at output byte %zu", at);
                break;
            }
            size_t dist = dist_base[ds] + pk_bitr_get(&r, dist_extra[ds]);
            if (r.overrun || dist > at || len > raw - at) {
                st = pk_fail(e, PK_ECORRUPT, "bad match (length %zu, distance %zu) at %zu", len,
                             dist, at);
                break;
            }
            /* Byte by byte: source and destination may overlap. */
            for (size_t k = 0; k < len; k++, at++)
                dst[at] = dst[at - dist];
        }
    }
    if (!st && pk_bitr_left(&r) != 0)
        st = pk_fail(e, PK_ECORRUPT, "%zu stray bytes after the block", pk_bitr_left(&r));
    free(d);
    return st;
}

int pk_block_decode(int method, const uint8_t *src, size_t n, uint8_t *dst, size_t raw, pk_err *e) {
    if (!tables_ready)
        tables_init();
    if (method == PK_METHOD_STORED) {
        if (n != raw)
            return pk_fail(e, PK_ECORRUPT, "stored block of %zu bytes claims %zu", n, raw);
        memcpy(dst, src, n);
        return PK_OK;
    }
    if (method != PK_METHOD_LZH)
        return pk_fail(e, PK_ECORRUPT, "unknown block method %d", method);
    return decode_lzh(src, n, dst, raw, e);
}
