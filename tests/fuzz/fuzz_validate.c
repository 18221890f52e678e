/*
 * fuzz_validate.c — w2n-fuzz-validate: a mutation fuzzer for the front end.
 *
 *     w2n-fuzz-validate [--seed N] [--iterations N] [--verbose] [--dump DIR] SEED.wasm|DIR...
 *
 * Each iteration copies one seed module (or the previous mutant), applies a
 * few random mutations (bit flips, byte sets, inserts, deletes, LEB128
 * values at and beyond the format's limits, truncation, chunk copies,
 * splices from another seed) and runs decode + validate on an exactly-sized
 * heap buffer, so sanitizers see any read past the end.  The front end must
 * never crash, and every rejection must be a malformed/invalid error whose
 * offset lies within the input and whose message is a non-empty line.
 * --dump writes every mutant to DIR/NNNNNNN.wasm with its verdict in
 * DIR/verdicts.txt, for differential testing against other validators.
 * Deterministic for a given seed.  Exit 0 when all iterations pass, 1 if an
 * invariant broke (the offending input is written to fuzz-failure.wasm),
 * 2 on bad usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "module.h"
#include "w2n/compiler.h"

typedef struct input {
    uint8_t *bytes;
    size_t size;
} input;

typedef struct corpus {
    input *items;
    size_t n, cap;
} corpus;

static uint64_t rng_state;

static uint64_t rnd(void) {
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

static bool add_file(corpus *c, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "w2n-fuzz-validate: %s: %s\n", path, strerror(errno));
        return false;
    }
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return false;
            }
            buf = p;
        }
        size_t got = fread(buf + size, 1, cap - size, f);
        if (!got)
            break;
        size += got;
    }
    fclose(f);
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        input *p = realloc(c->items, c->cap * sizeof *p);
        if (!p) {
            free(buf);
            return false;
        }
        c->items = p;
    }
    c->items[c->n++] = (input){buf, size};
    return true;
}

static bool add_path(corpus *c, const char *path) {
    struct stat sb;
    if (stat(path, &sb) < 0) {
        fprintf(stderr, "w2n-fuzz-validate: %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(sb.st_mode))
        return add_file(c, path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "w2n-fuzz-validate: %s: %s\n", path, strerror(errno));
        return false;
    }
    /* Sorted names keep runs reproducible across file systems. */
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".wasm"))
            continue;
        char **p = realloc(names, (n + 1) * sizeof *p);
        if (!p)
            break;
        names = p;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        ok = add_file(c, full) && ok;
        free(names[i]);
    }
    free(names);
    return ok;
}

/* A growable mutation buffer. */
typedef struct mbuf {
    uint8_t *b;
    size_t n, cap;
} mbuf;

static void reserve(mbuf *m, size_t n) {
    if (n <= m->cap)
        return;
    size_t cap = m->cap ? m->cap : 256;
    while (cap < n)
        cap *= 2;
    uint8_t *p = realloc(m->b, cap);
    if (!p) {
        fprintf(stderr, "w2n-fuzz-validate: out of memory\n");
        exit(2);
    }
    m->b = p;
    m->cap = cap;
}

static void insert(mbuf *m, size_t at, const uint8_t *src, size_t n) {
    reserve(m, m->n + n + 1); /* never NULL, even for an empty insert */
    memmove(m->b + at + n, m->b + at, m->n - at);
    memcpy(m->b + at, src, n);
    m->n += n;
}

static void erase(mbuf *m, size_t at, size_t n) {
    if (at + n > m->n)
        n = m->n - at;
    memmove(m->b + at, m->b + at + n, m->n - at - n);
    m->n -= n;
}

/* LEB128 encodings at and past the limits of the format. */
static size_t interesting_leb(uint8_t out[16]) {
    static const uint64_t values[] = {0, 1, 0x3F, 0x40, 0x7F, 0x80, 0x3FFF, 0x4000, 0xFFFF,
                                      0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                                      0x100000000ull, UINT64_MAX};
    size_t n = 0;
    switch (below(4)) {
    case 0: { /* minimal encoding of a boundary value */
        uint64_t v = values[below(sizeof values / sizeof values[0])];
        do {
            uint8_t b = v & 0x7F;
            v >>= 7;
            out[n++] = b | (v ? 0x80 : 0);
        } while (v && n < 10);
        return n;
    }
    case 1: /* overlong zero: 5..11 bytes */
        n = 5 + below(7);
        memset(out, 0x80, n - 1);
        out[n - 1] = 0;
        return n;
    case 2: /* five bytes with unused bits set */
        memset(out, 0xFF, 4);
        out[4] = (uint8_t)(0x10 | below(0x70));
        return 5;
    default: /* a run of continuation bytes with no end */
        n = 1 + below(12);
        memset(out, 0x80 | (uint8_t)below(0x80), n);
        return n;
    }
}

static void mutate_once(mbuf *m, const corpus *c) {
    static const uint8_t bytes[] = {0x00, 0x01, 0x0B, 0x40, 0x41, 0x60, 0x6F, 0x70, 0x7B,
                                    0x7F, 0x80, 0xFC, 0xFD, 0xFF};
    uint8_t tmp[16];
    size_t at = below(m->n + 1);
    switch (below(9)) {
    case 0: /* bit flip */
        if (m->n)
            m->b[below(m->n)] ^= (uint8_t)(1u << below(8));
        break;
    case 1: /* set an interesting byte */
        if (m->n)
            m->b[below(m->n)] = bytes[below(sizeof bytes)];
        break;
    case 2: /* set a random byte */
        if (m->n)
            m->b[below(m->n)] = (uint8_t)rnd();
        break;
    case 3: { /* insert random bytes */
        size_t n = 1 + below(4);
        for (size_t i = 0; i < n; i++)
            tmp[i] = (uint8_t)rnd();
        insert(m, at, tmp, n);
        break;
    }
    case 4: /* delete a range */
        if (at < m->n)
            erase(m, at, 1 + below(8));
        break;
    case 5: { /* replace a byte (often a LEB) with a boundary LEB */
        size_t n = interesting_leb(tmp);
        if (at < m->n && below(2))
            erase(m, at, 1);
        insert(m, at, tmp, n);
        break;
    }
    case 6: /* truncate */
        m->n = below(m->n + 1);
        break;
    case 7: /* copy a chunk elsewhere */
        if (m->n > 1) {
            size_t from = below(m->n), len = 1 + below(16);
            if (from + len > m->n)
                len = m->n - from;
            uint8_t chunk[16];
            memcpy(chunk, m->b + from, len);
            insert(m, below(m->n + 1), chunk, len);
        }
        break;
    default: { /* splice the tail of another seed */
        const input *o = &c->items[below(c->n)];
        if (!o->size)
            break;
        size_t from = below(o->size);
        m->n = at;
        reserve(m, m->n + (o->size - from));
        memcpy(m->b + m->n, o->bytes + from, o->size - from);
        m->n += o->size - from;
        break;
    }
    }
}

static bool read_leb(const uint8_t *b, size_t n, size_t *pos, uint32_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*pos >= n)
            return false;
        uint8_t byte = b[(*pos)++];
        v |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *out = (uint32_t)v;
            return v <= UINT32_MAX;
        }
    }
    return false;
}

static void put_leb(mbuf *m, uint32_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        if (v)
            b |= 0x80;
        insert(m, m->n, &b, 1);
    } while (v);
}

/* Structure-aware mutation: mutate the contents of one section (for the
 * code section, of one function body) and re-encode the sizes around it, so
 * that the mutant gets past the section framing and reaches the deeper
 * checks.  False if `src` is not framed well enough to do this. */
static bool mutate_structured(mbuf *out, const uint8_t *src, size_t n, const corpus *c) {
    size_t starts[64], ends[64], nsec = 0, pos = 8;
    uint8_t ids[64];
    if (n < 8)
        return false;
    while (pos < n && nsec < 64) {
        uint32_t size;
        ids[nsec] = src[pos++];
        if (!read_leb(src, n, &pos, &size) || size > n - pos)
            return false;
        starts[nsec] = pos;
        ends[nsec] = pos + size;
        pos += size;
        nsec++;
    }
    if (!nsec || pos != n)
        return false;
    size_t k = below(nsec);
    /* Inside the code section, pick one body. */
    size_t lo = starts[k], hi = ends[k], body_lo = 0, body_hi = 0;
    bool in_body = false;
    if (ids[k] == 10 && below(4)) {
        size_t p = lo;
        uint32_t count, size;
        if (read_leb(src, hi, &p, &count) && count) {
            uint32_t pick = (uint32_t)below(count);
            for (uint32_t i = 0; i <= pick; i++) {
                if (!read_leb(src, hi, &p, &size) || size > hi - p)
                    return false;
                body_lo = p;
                body_hi = p + size;
                p += size;
            }
            in_body = true;
        }
    }
    size_t mlo = in_body ? body_lo : lo, mhi = in_body ? body_hi : hi;
    mbuf part = {0};
    reserve(&part, mhi - mlo + 1);
    memcpy(part.b, src + mlo, mhi - mlo);
    part.n = mhi - mlo;
    size_t times = 1 + below(3);
    for (size_t i = 0; i < times; i++) {
        if (in_body && part.n > 1 && below(2)) {
            /* Swap in a numeric opcode without immediates: a well-formed
             * body that the validator must judge by types. */
            size_t at = 1 + below(part.n - 1);
            part.b[at] = (uint8_t)(0x45 + below(0xC5 - 0x45));
        } else {
            mutate_once(&part, c);
        }
    }
    /* Re-emit: everything before section k, its header with the new size,
     * the (possibly re-framed) contents, everything after. */
    mbuf sec = {0};
    if (in_body) {
        /* the code section up to the size field of the chosen body */
        size_t p = lo, size_field = 0;
        uint32_t count = 0, size = 0;
        read_leb(src, hi, &p, &count);
        while (p < body_lo) {
            size_field = p;
            read_leb(src, hi, &p, &size);
            if (p != body_lo)
                p += size;
        }
        insert(&sec, 0, src + lo, size_field - lo);
        put_leb(&sec, (uint32_t)part.n);
        insert(&sec, sec.n, part.b, part.n);
        insert(&sec, sec.n, src + body_hi, hi - body_hi);
    } else {
        insert(&sec, 0, part.b, part.n);
    }
    out->n = 0;
    /* the prefix up to section k's id byte */
    size_t id_at = 8;
    for (size_t i = 0; i < k; i++)
        id_at = ends[i];
    insert(out, 0, src, id_at + 1);
    put_leb(out, (uint32_t)sec.n);
    insert(out, out->n, sec.b, sec.n);
    insert(out, out->n, src + ends[k], n - ends[k]);
    free(part.b);
    free(sec.b);
    return true;
}

static bool check_one(const uint8_t *src, size_t n, bool verbose, size_t counts[3]) {
    /* Exactly sized, so that a read past the end is an ASan report. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return false;
    if (n)
        memcpy(copy, src, n);
    w2n_error err;
    memset(&err, 0xA5, sizeof err);
    w2n_status st = w2n_validate(copy, n, &err);
    free(copy);
    if (st == W2N_OK) {
        counts[0]++;
        return true;
    }
    bool ok = true;
    if (st == W2N_ERR_MALFORMED)
        counts[1]++;
    else if (st == W2N_ERR_INVALID)
        counts[2]++;
    else if (st != W2N_ERR_NOMEM)
        ok = false;
    if (err.code != st || (err.offset != W2N_NO_OFFSET && err.offset > n))
        ok = false;
    if (!memchr(err.message, 0, sizeof err.message) || !err.message[0] ||
        strchr(err.message, '\n'))
        ok = false;
    if (verbose)
        printf("%s: offset %llu: %s\n", w2n_status_name(st), (unsigned long long)err.offset,
               err.message);
    if (!ok)
        fprintf(stderr, "w2n-fuzz-validate: bad rejection: status %d, code %d, offset %llu of %zu\n",
                st, err.code, (unsigned long long)err.offset, n);
    return ok;
}

static void usage(FILE *out) {
    fprintf(out, "usage: w2n-fuzz-validate [--seed N] [--iterations N] [--verbose] "
                 "[--dump DIR] SEED.wasm|DIR...\n");
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    unsigned long long iterations = 1000;
    bool verbose = false;
    const char *dump = NULL;
    FILE *verdicts = NULL;
    corpus c = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
            iterations = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--dump") && i + 1 < argc) {
            dump = argv[++i];
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            usage(stderr);
            return 2;
        } else if (!add_path(&c, argv[i])) {
            return 2;
        }
    }
    if (!c.n) {
        usage(stderr);
        return 2;
    }
    if (dump) {
        char path[4096];
        snprintf(path, sizeof path, "%s/verdicts.txt", dump);
        if (!(verdicts = fopen(path, "w"))) {
            fprintf(stderr, "w2n-fuzz-validate: %s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t counts[3] = {0};
    mbuf m = {0};
    int status = 0;
    for (size_t i = 0; i < c.n; i++)
        if (!check_one(c.items[i].bytes, c.items[i].size, verbose, counts))
            status = 1;
    for (unsigned long long it = 0; it < iterations && !status; it++) {
        /* Mostly fresh copies of a seed, sometimes keep stacking mutations. */
        if (it == 0 || below(4) != 0) {
            const input *s = &c.items[below(c.n)];
            reserve(&m, s->size);
            memcpy(m.b, s->bytes, s->size);
            m.n = s->size;
        }
        bool structured = false;
        if (below(2)) {
            mbuf out = {0};
            structured = mutate_structured(&out, m.b, m.n, &c);
            if (structured) {
                free(m.b);
                m = out;
            } else {
                free(out.b);
            }
        }
        if (!structured) {
            size_t k = 1 + below(4);
            for (size_t j = 0; j < k; j++)
                mutate_once(&m, &c);
        }
        if (m.n > (1u << 20))
            m.n = 1u << 20;
        size_t before_ok = counts[0];
        bool passed = check_one(m.b, m.n, verbose, counts);
        if (dump) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%07llu.wasm", dump, it);
            FILE *f = fopen(path, "wb");
            if (f) {
                fwrite(m.b, 1, m.n, f);
                fclose(f);
            }
            fprintf(verdicts, "%07llu %s\n", it, counts[0] > before_ok ? "valid" : "rejected");
        }
        if (!passed) {
            FILE *f = fopen("fuzz-failure.wasm", "wb");
            if (f) {
                fwrite(m.b, 1, m.n, f);
                fclose(f);
            }
            fprintf(stderr, "w2n-fuzz-validate: iteration %llu failed (input in fuzz-failure.wasm)\n", it);
            status = 1;
        }
    }
    printf("w2n-fuzz-validate: %zu seeds, %llu mutations (seed %llu): %zu valid, %zu malformed, "
           "%zu invalid\n",
           c.n, iterations, (unsigned long long)seed, counts[0], counts[1], counts[2]);
    if (verdicts)
        fclose(verdicts);
    for (size_t i = 0; i < c.n; i++)
        free(c.items[i].bytes);
    free(c.items);
    free(m.b);
    return status;
}
