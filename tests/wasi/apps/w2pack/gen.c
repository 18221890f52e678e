/* gen.c — deterministic data and input trees (see gen.h).
 *
 * Prose draws words from a vocabulary built out of syllables, choosing
 * low-numbered words far more often (roughly Zipf-like), which gives text
 * the skewed statistics real compressors are tuned for. */
#include "gen.h"

#include "fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 256
#define LINE_WIDTH 72

void pk_rng_seed(pk_rng *r, uint64_t seed) {
    r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!r->s)
        r->s = 1;
}

uint64_t pk_rng_next(pk_rng *r) {
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

uint32_t pk_rng_below(pk_rng *r, uint32_t n) { return (uint32_t)((pk_rng_next(r) >> 32) % n); }

static const char *const syllables[] = {
    "ka",  "lo", "ri", "ten", "mar", "os",  "ve", "lin", "dra", "su", "no",  "pe",
    "qua", "th", "ex", "im",  "bor", "gal", "an", "ce",  "du",  "fi", "hor", "ly",
};
#define NSYL (sizeof syllables / sizeof syllables[0])

typedef struct vocab {
    char words[VOCAB][16];
} vocab;

static void make_vocab(pk_rng *r, vocab *v) {
    for (unsigned w = 0; w < VOCAB; w++) {
        unsigned parts = 1 + pk_rng_below(r, w < 16 ? 2 : 4);
        v->words[w][0] = '\0';
        for (unsigned k = 0; k < parts; k++)
            strcat(v->words[w], syllables[pk_rng_below(r, NSYL)]);
    }
}

static int gen_text(pk_rng *r, size_t n, pk_buf *out, pk_err *e) {
    vocab v;
    make_vocab(r, &v);
    size_t end = out->len + n, col = 0;
    int start = 1, st = pk_buf_reserve(out, n + 32, e);
    while (!st && out->len < end) {
        /* The product of two uniform picks favours small indices. */
        unsigned w = pk_rng_below(r, VOCAB);
        w = w * pk_rng_below(r, VOCAB) / VOCAB;
        char word[24];
        snprintf(word, sizeof word, "%s", v.words[w]);
        if (start)
            word[0] = (char)(word[0] - 'a' + 'A');
        size_t len = strlen(word);
        if (col + len + 1 > LINE_WIDTH) {
            st = pk_buf_put_u8(out, '\n', e);
            col = 0;
        } else if (col > 0) {
            st = pk_buf_put_u8(out, ' ', e);
            col++;
        }
        if (!st)
            st = pk_buf_append(out, word, len, e);
        col += len;
        start = 0;
        unsigned p = pk_rng_below(r, 16);
        if (!st && p == 0) {
            st = pk_buf_append(out, ".", 1, e);
            start = 1;
        } else if (!st && p == 1) {
            st = pk_buf_append(out, ",", 1, e);
        }
        col++;
    }
    out->len = st ? out->len : end;
    return st;
}

static int gen_csv(pk_rng *r, size_t n, pk_buf *out, pk_err *e) {
    static const char *const cities[] = {"Oslo", "Lima", "Pune", "Kyiv", "Cork", "Bern"};
    size_t end = out->len + n;
    int st = pk_buf_reserve(out, n + 128, e);
    unsigned long id = 1000;
    while (!st && out->len < end) {
        /* One draw per statement: argument evaluation order is unspecified
         * (gcc and clang differ), and the bytes must not depend on it. */
        char line[128];
        uint32_t f[7];
        static const uint32_t range[7] = {6, 5000, 100, 25, 12, 28, 4};
        for (int k = 0; k < 7; k++)
            f[k] = pk_rng_below(r, range[k]);
        int len = snprintf(line, sizeof line, "%lu,%s,%u.%02u,%u-%02u-%02u,%s\n", id++,
                           cities[f[0]], (unsigned)f[1], (unsigned)f[2], (unsigned)(2000 + f[3]),
                           (unsigned)(1 + f[4]), (unsigned)(1 + f[5]), f[6] ? "ok" : "late");
        st = pk_buf_append(out, line, (size_t)len, e);
    }
    out->len = st ? out->len : end;
    return st;
}

static int gen_binary(pk_rng *r, size_t n, pk_buf *out, pk_err *e) {
    int st = pk_buf_reserve(out, n + 16, e);
    uint32_t value = 0;
    size_t end = out->len + n;
    while (!st && out->len < end) {
        /* Records: a counter, a slowly varying value, a tag, some noise. */
        uint8_t rec[16];
        value += pk_rng_below(r, 8);
        pk_put_u32(rec, (uint32_t)(out->len / 16));
        pk_put_u32(rec + 4, value);
        memcpy(rec + 8, "REC1", 4);
        pk_put_u32(rec + 12, pk_rng_below(r, 4) ? 0 : (uint32_t)pk_rng_next(r));
        st = pk_buf_append(out, rec, sizeof rec, e);
    }
    out->len = st ? out->len : end;
    return st;
}

int pk_gen_data(pk_rng *r, int kind, size_t n, pk_buf *out, pk_err *e) {
    switch (kind) {
    case PK_GEN_TEXT: return gen_text(r, n, out, e);
    case PK_GEN_CSV: return gen_csv(r, n, out, e);
    case PK_GEN_BINARY: return gen_binary(r, n, out, e);
    case PK_GEN_NOISE:
    case PK_GEN_SPARSE: {
        int st = pk_buf_reserve(out, n, e);
        if (st)
            return st;
        for (size_t i = 0; i < n; i++) {
            uint8_t b = (uint8_t)pk_rng_next(r);
            if (kind == PK_GEN_SPARSE)
                b = pk_rng_below(r, 512) == 0 ? b : 0;
            out->data[out->len++] = b;
        }
        return PK_OK;
    }
    default: return pk_fail(e, PK_EUSAGE, "unknown data kind %d", kind);
    }
}

typedef struct plan_item {
    const char *path; /* a trailing '/' makes a directory */
    int kind;
    unsigned share; /* per mille of the total size */
} plan_item;

static const plan_item plan[] = {
    {"docs/", 0, 0},
    {"docs/intro.txt", PK_GEN_TEXT, 120},
    {"docs/manual.txt", PK_GEN_TEXT, 280},
    {"docs/notes/", 0, 0},
    {"docs/notes/short.txt", PK_GEN_TEXT, 2},
    {"data/", 0, 0},
    {"data/records.csv", PK_GEN_CSV, 250},
    {"data/table.bin", PK_GEN_BINARY, 150},
    {"data/sparse.img", PK_GEN_SPARSE, 100},
    {"noise.bin", PK_GEN_NOISE, 60},
    {"empty.txt", PK_GEN_TEXT, 0},
    {"emptydir/", 0, 0},
    {"deep/", 0, 0},
    {"deep/a/", 0, 0},
    {"deep/a/b/", 0, 0},
    {"deep/a/b/c/", 0, 0},
    {"deep/a/b/c/leaf.csv", PK_GEN_CSV, 38},
};

int pk_gen_tree(const char *dir, uint64_t seed, size_t kb, pk_err *e) {
    pk_rng r;
    pk_buf data = {0};
    int st = pk_fs_mkdirs(dir, e);
    for (size_t i = 0; !st && i < sizeof plan / sizeof plan[0]; i++) {
        const plan_item *it = &plan[i];
        char *path = pk_fs_join(dir, it->path);
        if (!path)
            return pk_fail(e, PK_ENOMEM, "out of memory");
        size_t len = strlen(path);
        if (path[len - 1] == '/') {
            path[len - 1] = '\0';
            st = pk_fs_mkdirs(path, e);
        } else {
            pk_rng_seed(&r, seed * 131 + i);
            data.len = 0;
            st = pk_gen_data(&r, it->kind, kb * 1024 / 1000 * it->share, &data, e);
            if (!st)
                st = pk_fs_write_file(path, data.data, data.len, e);
        }
        free(path);
    }
    pk_buf_free(&data);
    return st;
}
