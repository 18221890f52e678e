/*
 * mutate.c — the mutator shared by the fuzz drivers (see mutate.h).
 *
 * Raw mutations stress the decoder's framing; the structured one rewrites the
 * contents of one section or one function body and re-encodes the sizes
 * around it, so mutants get past the framing and reach validation and the
 * lowering.  All randomness comes from one xorshift64* stream, so a run is a
 * pure function of its seed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mutate.h"

static uint64_t rng_state;

void fuzz_rng_seed(uint64_t seed) { rng_state = seed * 0x9E3779B97F4A7C15ull + 1; }
uint64_t fuzz_rng_state(void) { return rng_state; }
void fuzz_rng_restore(uint64_t state) { rng_state = state; }

uint64_t fuzz_rnd(void) {
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

size_t fuzz_below(size_t n) { return n ? (size_t)(fuzz_rnd() % n) : 0; }

/* Takes ownership of buf (frees it on failure). */
static bool add_owned(fuzz_corpus *c, uint8_t *buf, size_t size) {
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        fuzz_input *p = realloc(c->items, cap * sizeof *p);
        if (!p) {
            free(buf);
            return false;
        }
        c->items = p;
        c->cap = cap;
    }
    c->items[c->n++] = (fuzz_input){buf, size};
    return true;
}

static bool add_file(fuzz_corpus *c, const char *path, const char *prog) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
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
    return add_owned(c, buf, size);
}

bool fuzz_write_file(const char *path, const uint8_t *b, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(b, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

bool fuzz_corpus_add_path(fuzz_corpus *c, const char *path, const char *prog) {
    struct stat sb;
    if (stat(path, &sb) < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(sb.st_mode))
        return add_file(c, path, prog);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
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
        ok = add_file(c, full, prog) && ok;
        free(names[i]);
    }
    free(names);
    return ok;
}

void fuzz_buf_reserve(fuzz_buf *m, size_t n) {
    if (n <= m->cap)
        return;
    size_t cap = m->cap ? m->cap : 256;
    while (cap < n)
        cap *= 2;
    uint8_t *p = realloc(m->b, cap);
    if (!p) {
        fprintf(stderr, "w2n-fuzz: out of memory\n");
        exit(2);
    }
    m->b = p;
    m->cap = cap;
}

void fuzz_buf_insert(fuzz_buf *m, size_t at, const uint8_t *src, size_t n) {
    fuzz_buf_reserve(m, m->n + n + 1); /* never NULL, even for an empty insert */
    memmove(m->b + at + n, m->b + at, m->n - at);
    memcpy(m->b + at, src, n);
    m->n += n;
}

static void erase(fuzz_buf *m, size_t at, size_t n) {
    if (at + n > m->n)
        n = m->n - at;
    memmove(m->b + at, m->b + at + n, m->n - at - n);
    m->n -= n;
}

/* LEB128 encodings at and past the limits of the format. */
static size_t interesting_leb(uint8_t out[16]) {
    static const uint64_t values[] = {
        0,      1,       0x3F,       0x40,       0x7F,       0x80,           0x3FFF,    0x4000,
        0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000ull, UINT64_MAX};
    size_t n = 0;
    switch (fuzz_below(4)) {
    case 0: { /* minimal encoding of a boundary value */
        uint64_t v = values[fuzz_below(sizeof values / sizeof values[0])];
        do {
            uint8_t b = v & 0x7F;
            v >>= 7;
            out[n++] = b | (v ? 0x80 : 0);
        } while (v && n < 10);
        return n;
    }
    case 1: /* overlong zero: 5..11 bytes */
        n = 5 + fuzz_below(7);
        memset(out, 0x80, n - 1);
        out[n - 1] = 0;
        return n;
    case 2: /* five bytes with unused bits set */
        memset(out, 0xFF, 4);
        out[4] = (uint8_t)(0x10 | fuzz_below(0x70));
        return 5;
    default: /* a run of continuation bytes with no end */
        n = 1 + fuzz_below(12);
        memset(out, 0x80 | (uint8_t)fuzz_below(0x80), n);
        return n;
    }
}

void fuzz_mutate_once(fuzz_buf *m, const fuzz_corpus *c) {
    static const uint8_t bytes[] = {0x00, 0x01, 0x0B, 0x40, 0x41, 0x60, 0x6F,
                                    0x70, 0x7B, 0x7F, 0x80, 0xFC, 0xFD, 0xFF};
    uint8_t tmp[16];
    size_t at = fuzz_below(m->n + 1);
    switch (fuzz_below(9)) {
    case 0: /* bit flip */
        if (m->n)
            m->b[fuzz_below(m->n)] ^= (uint8_t)(1u << fuzz_below(8));
        break;
    case 1: /* set an interesting byte */
        if (m->n)
            m->b[fuzz_below(m->n)] = bytes[fuzz_below(sizeof bytes)];
        break;
    case 2: /* set a random byte */
        if (m->n)
            m->b[fuzz_below(m->n)] = (uint8_t)fuzz_rnd();
        break;
    case 3: { /* insert random bytes */
        size_t n = 1 + fuzz_below(4);
        for (size_t i = 0; i < n; i++)
            tmp[i] = (uint8_t)fuzz_rnd();
        fuzz_buf_insert(m, at, tmp, n);
        break;
    }
    case 4: /* delete a range */
        if (at < m->n)
            erase(m, at, 1 + fuzz_below(8));
        break;
    case 5: { /* replace a byte (often a LEB) with a boundary LEB */
        size_t n = interesting_leb(tmp);
        if (at < m->n && fuzz_below(2))
            erase(m, at, 1);
        fuzz_buf_insert(m, at, tmp, n);
        break;
    }
    case 6: /* truncate */ m->n = fuzz_below(m->n + 1); break;
    case 7: /* copy a chunk elsewhere */
        if (m->n > 1) {
            size_t from = fuzz_below(m->n), len = 1 + fuzz_below(16);
            if (from + len > m->n)
                len = m->n - from;
            uint8_t chunk[16];
            memcpy(chunk, m->b + from, len);
            fuzz_buf_insert(m, fuzz_below(m->n + 1), chunk, len);
        }
        break;
    default: { /* splice the tail of another seed */
        const fuzz_input *o = &c->items[fuzz_below(c->n)];
        if (!o->size)
            break;
        size_t from = fuzz_below(o->size);
        m->n = at;
        fuzz_buf_reserve(m, m->n + (o->size - from));
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

void fuzz_buf_put_leb(fuzz_buf *m, uint64_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        if (v)
            b |= 0x80;
        fuzz_buf_insert(m, m->n, &b, 1);
    } while (v);
}

/* Structure-aware mutation: mutate the contents of one section (for the
 * code section, of one function body) and re-encode the sizes around it, so
 * that the mutant gets past the section framing and reaches the deeper
 * checks.  False if `src` is not framed well enough to do this. */
static bool structured(fuzz_buf *out, const uint8_t *src, size_t n, const fuzz_corpus *c) {
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
    size_t k = fuzz_below(nsec);
    /* Inside the code section, pick one body. */
    size_t lo = starts[k], hi = ends[k], body_lo = 0, body_hi = 0;
    bool in_body = false;
    if (ids[k] == 10 && fuzz_below(4)) {
        size_t p = lo;
        uint32_t count, size;
        if (read_leb(src, hi, &p, &count) && count) {
            uint32_t pick = (uint32_t)fuzz_below(count);
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
    fuzz_buf part = {0};
    fuzz_buf_reserve(&part, mhi - mlo + 1);
    memcpy(part.b, src + mlo, mhi - mlo);
    part.n = mhi - mlo;
    size_t times = 1 + fuzz_below(3);
    for (size_t i = 0; i < times; i++) {
        if (in_body && part.n > 1 && fuzz_below(2)) {
            /* Swap in a numeric opcode without immediates: a well-formed
             * body that the validator must judge by types. */
            size_t at = 1 + fuzz_below(part.n - 1);
            part.b[at] = (uint8_t)(0x45 + fuzz_below(0xC5 - 0x45));
        } else {
            fuzz_mutate_once(&part, c);
        }
    }
    /* Re-emit: everything before section k, its header with the new size,
     * the (possibly re-framed) contents, everything after. */
    fuzz_buf sec = {0};
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
        fuzz_buf_insert(&sec, 0, src + lo, size_field - lo);
        fuzz_buf_put_leb(&sec, (uint32_t)part.n);
        fuzz_buf_insert(&sec, sec.n, part.b, part.n);
        fuzz_buf_insert(&sec, sec.n, src + body_hi, hi - body_hi);
    } else {
        fuzz_buf_insert(&sec, 0, part.b, part.n);
    }
    out->n = 0;
    /* the prefix up to section k's id byte */
    size_t id_at = 8;
    for (size_t i = 0; i < k; i++)
        id_at = ends[i];
    fuzz_buf_insert(out, 0, src, id_at + 1);
    fuzz_buf_put_leb(out, (uint32_t)sec.n);
    fuzz_buf_insert(out, out->n, sec.b, sec.n);
    fuzz_buf_insert(out, out->n, src + ends[k], n - ends[k]);
    free(part.b);
    free(sec.b);
    return true;
}

bool fuzz_mutate_structured(fuzz_buf *m, const fuzz_corpus *c) {
    fuzz_buf out = {0};
    if (!structured(&out, m->b, m->n, c)) {
        free(out.b);
        return false;
    }
    free(m->b);
    *m = out;
    return true;
}

void fuzz_mutate_next(fuzz_buf *m, const fuzz_corpus *c, bool fresh) {
    /* Mostly fresh copies of a seed, sometimes keep stacking mutations. */
    if (fresh || fuzz_below(4) != 0) {
        const fuzz_input *s = &c->items[fuzz_below(c->n)];
        fuzz_buf_set(m, s->bytes, s->size);
    }
    if (!(fuzz_below(2) && fuzz_mutate_structured(m, c))) {
        size_t k = 1 + fuzz_below(4);
        for (size_t j = 0; j < k; j++)
            fuzz_mutate_once(m, c);
    }
    if (m->n > (1u << 20))
        m->n = 1u << 20;
}

bool fuzz_corpus_add_bytes(fuzz_corpus *c, const uint8_t *bytes, size_t size) {
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return false;
    memcpy(copy, bytes, size);
    return add_owned(c, copy, size);
}

void fuzz_corpus_free(fuzz_corpus *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].bytes);
    free(c->items);
    c->items = NULL;
    c->n = c->cap = 0;
}

void fuzz_buf_set(fuzz_buf *m, const uint8_t *src, size_t n) {
    fuzz_buf_reserve(m, n + 1);
    if (n)
        memcpy(m->b, src, n);
    m->n = n;
}
