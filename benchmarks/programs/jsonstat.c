/* jsonstat.c: a JSON parser, aggregator and serialiser over a workload file.
 *
 * usage: jsonstat IN OUT
 * Parses IN (RFC 8259: objects, arrays, strings with every escape including
 * \uXXXX surrogate pairs, numbers, literals) into a tree allocated from a
 * bump arena, aggregates it (node counts, maximum depth, string bytes, the sum
 * of price * qty over every object that has both, a histogram of the strings
 * in "tags" arrays), writes the document back to OUT in minified form and
 * prints the statistics.  Numbers are kept as decimal fixed point with six
 * fractional digits, parsed by hand, so every libc gives the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind {
    J_NULL,
    J_FALSE,
    J_TRUE,
    J_NUMBER,
    J_STRING,
    J_ARRAY,
    J_OBJECT
};

struct node {
    enum kind kind;
    int64_t micros;  /* J_NUMBER: value * 10^6 */
    const char *str; /* J_STRING: decoded UTF-8; object member key */
    size_t len;
    const char *key; /* set when the node is an object member */
    size_t key_len;
    struct node *first, *next; /* children of arrays and objects */
};

struct parser {
    const char *p, *end;
    int depth, max_depth;
    uint64_t nodes;
    const char *error;
};

/* ---- bump arena: chunks are never freed before exit ---- */

static char *arena_cur, *arena_end;

static void *arena_alloc(size_t size) {
    size = (size + 7) & ~(size_t)7;
    if ((size_t)(arena_end - arena_cur) < size) {
        size_t chunk = size > (1u << 20) ? size : (1u << 20);
        arena_cur = malloc(chunk);
        if (!arena_cur) {
            fprintf(stderr, "jsonstat: out of memory\n");
            exit(1);
        }
        arena_end = arena_cur + chunk;
    }
    void *r = arena_cur;
    arena_cur += size;
    return r;
}

/* ---- parsing ---- */

static void skip_ws(struct parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

static struct node *new_node(struct parser *ps, enum kind k) {
    struct node *n = arena_alloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    ps->nodes++;
    return n;
}

static int hex4(const char *p, uint32_t *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        uint32_t d = c >= '0' && c <= '9'   ? (uint32_t)(c - '0')
                     : c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (uint32_t)(c - 'A' + 10)
                                            : 16u;
        if (d == 16)
            return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

static size_t put_utf8(char *out, uint32_t cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a string at ps->p (on the opening quote); the decoded bytes are
 * never longer than the source, so one allocation of the source length fits. */
static int parse_string(struct parser *ps, const char **str, size_t *len) {
    const char *s = ++ps->p;
    const char *q = s;
    while (q < ps->end && *q != '"')
        q += *q == '\\' ? 2 : 1;
    if (q >= ps->end)
        return ps->error = "unterminated string", -1;
    char *out = arena_alloc((size_t)(q - s) + 1);
    size_t n = 0;
    while (ps->p < q) {
        unsigned char c = (unsigned char)*ps->p++;
        if (c < 0x20)
            return ps->error = "control character in string", -1;
        if (c != '\\') {
            out[n++] = (char)c;
            continue;
        }
        char e = *ps->p++;
        switch (e) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (q - ps->p < 4 || hex4(ps->p, &cp))
                return ps->error = "bad \\u escape", -1;
            ps->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && q - ps->p >= 6 && ps->p[0] == '\\' &&
                ps->p[1] == 'u' && !hex4(ps->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ps->p += 6;
            }
            n += put_utf8(out + n, cp);
            break;
        }
        default: return ps->error = "bad escape", -1;
        }
    }
    ps->p = q + 1;
    out[n] = 0;
    *str = out;
    *len = n;
    return 0;
}

static int parse_number(struct parser *ps, int64_t *micros) {
    int neg = 0, digits = 0;
    int64_t whole = 0, frac = 0, scale = 1000000;
    if (ps->p < ps->end && *ps->p == '-') {
        neg = 1;
        ps->p++;
    }
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        whole = whole * 10 + (*ps->p++ - '0');
        digits++;
    }
    if (!digits || whole > 9000000000000LL)
        return ps->error = "bad number", -1;
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        digits = 0;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            if (scale > 1) {
                scale /= 10;
                frac += (*ps->p - '0') * scale;
            }
            ps->p++;
            digits++;
        }
        if (!digits)
            return ps->error = "bad fraction", -1;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
        return ps->error = "exponents are not supported", -1;
    *micros = (whole * 1000000 + frac) * (neg ? -1 : 1);
    return 0;
}

static struct node *parse_value(struct parser *ps);

static struct node *parse_container(struct parser *ps, int object) {
    struct node *n = new_node(ps, object ? J_OBJECT : J_ARRAY), **link = &n->first;
    char close = object ? '}' : ']';
    if (++ps->depth > ps->max_depth)
        ps->max_depth = ps->depth;
    if (ps->depth > 512)
        return ps->error = "nesting too deep", NULL;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return n;
    }
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        skip_ws(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"' || parse_string(ps, &key, &key_len))
                return ps->error = ps->error ? ps->error : "expected a key", NULL;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p++ != ':')
                return ps->error = "expected ':'", NULL;
        }
        struct node *child = parse_value(ps);
        if (!child)
            return NULL;
        child->key = key;
        child->key_len = key_len;
        *link = child;
        link = &child->next;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            ps->depth--;
            return n;
        }
        return ps->error = "expected ',' or a closing bracket", NULL;
    }
}

static struct node *parse_value(struct parser *ps) {
    skip_ws(ps);
    if (ps->p >= ps->end)
        return ps->error = "unexpected end of input", NULL;
    char c = *ps->p;
    if (c == '{' || c == '[')
        return parse_container(ps, c == '{');
    if (c == '"') {
        struct node *n = new_node(ps, J_STRING);
        return parse_string(ps, &n->str, &n->len) ? NULL : n;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        struct node *n = new_node(ps, J_NUMBER);
        return parse_number(ps, &n->micros) ? NULL : n;
    }
    static const struct {
        const char *word;
        enum kind kind;
    } lits[] = {{"null", J_NULL}, {"true", J_TRUE}, {"false", J_FALSE}};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(lits[i].word);
        if ((size_t)(ps->end - ps->p) >= l && !memcmp(ps->p, lits[i].word, l)) {
            ps->p += l;
            return new_node(ps, lits[i].kind);
        }
    }
    return ps->error = "unexpected character", NULL;
}

/* ---- aggregation ---- */

#define TAG_SLOTS 4096

struct stats {
    uint64_t strings, string_bytes, numbers, objects, arrays;
    int64_t revenue_micros; /* sum of price * qty */
    struct {
        const char *s;
        size_t len;
        uint64_t count;
    } tags[TAG_SLOTS];
    int ntags;
};

static const struct node *member(const struct node *obj, const char *key) {
    size_t l = strlen(key);
    for (const struct node *c = obj->first; c; c = c->next)
        if (c->key_len == l && !memcmp(c->key, key, l))
            return c;
    return NULL;
}

static void count_tag(struct stats *st, const struct node *s) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < s->len; i++)
        h = (h ^ (uint8_t)s->str[i]) * 16777619u;
    for (uint32_t i = h % TAG_SLOTS;; i = (i + 1) % TAG_SLOTS) {
        if (!st->tags[i].s) {
            if (st->ntags >= TAG_SLOTS / 2)
                return;
            st->tags[i].s = s->str;
            st->tags[i].len = s->len;
            st->ntags++;
        }
        if (st->tags[i].len == s->len && !memcmp(st->tags[i].s, s->str, s->len)) {
            st->tags[i].count++;
            return;
        }
    }
}

static void aggregate(struct stats *st, const struct node *n) {
    switch (n->kind) {
    case J_STRING:
        st->strings++;
        st->string_bytes += n->len;
        break;
    case J_NUMBER: st->numbers++; break;
    case J_ARRAY:
        st->arrays++;
        for (const struct node *c = n->first; c; c = c->next)
            aggregate(st, c);
        break;
    case J_OBJECT: {
        st->objects++;
        const struct node *price = member(n, "price"), *qty = member(n, "qty");
        if (price && qty && price->kind == J_NUMBER && qty->kind == J_NUMBER)
            st->revenue_micros += price->micros * (qty->micros / 1000000);
        const struct node *tags = member(n, "tags");
        if (tags && tags->kind == J_ARRAY)
            for (const struct node *t = tags->first; t; t = t->next)
                if (t->kind == J_STRING)
                    count_tag(st, t);
        for (const struct node *c = n->first; c; c = c->next)
            aggregate(st, c);
        break;
    }
    default: break;
    }
}

/* ---- serialising ---- */

static void write_string(FILE *f, const char *s, size_t len) {
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_number(FILE *f, int64_t micros) {
    uint64_t m = micros < 0 ? (uint64_t)-micros : (uint64_t)micros;
    char frac[8];
    int digits = 6;
    snprintf(frac, sizeof frac, "%06llu", (unsigned long long)(m % 1000000));
    while (digits > 0 && frac[digits - 1] == '0')
        frac[--digits] = 0;
    fprintf(f, "%s%llu%s%s", micros < 0 ? "-" : "", (unsigned long long)(m / 1000000),
            digits ? "." : "", frac);
}

static void write_value(FILE *f, const struct node *n) {
    switch (n->kind) {
    case J_NULL: fputs("null", f); break;
    case J_TRUE: fputs("true", f); break;
    case J_FALSE: fputs("false", f); break;
    case J_NUMBER: write_number(f, n->micros); break;
    case J_STRING: write_string(f, n->str, n->len); break;
    case J_ARRAY:
    case J_OBJECT:
        fputc(n->kind == J_ARRAY ? '[' : '{', f);
        for (const struct node *c = n->first; c; c = c->next) {
            if (c != n->first)
                fputc(',', f);
            if (n->kind == J_OBJECT) {
                write_string(f, c->key, c->key_len);
                fputc(':', f);
            }
            write_value(f, c);
        }
        fputc(n->kind == J_ARRAY ? ']' : '}', f);
        break;
    }
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!f || !buf)
        return NULL;
    for (;;) {
        if (n == cap && !(buf = realloc(buf, cap *= 2)))
            return NULL;
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    static struct stats st;
    size_t len;

    if (argc != 3) {
        fprintf(stderr, "usage: jsonstat IN OUT\n");
        return 2;
    }
    char *buf = read_file(argv[1], &len);
    if (!buf) {
        fprintf(stderr, "jsonstat: cannot read %s\n", argv[1]);
        return 1;
    }
    struct parser ps = {buf, buf + len, 0, 0, 0, NULL};
    struct node *root = parse_value(&ps);
    skip_ws(&ps);
    if (!root || ps.p != ps.end) {
        fprintf(stderr, "jsonstat: %s at byte %zu\n", ps.error ? ps.error : "trailing data",
                (size_t)(ps.p - buf));
        return 1;
    }
    aggregate(&st, root);
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fprintf(stderr, "jsonstat: cannot write %s\n", argv[2]);
        return 1;
    }
    write_value(out, root);
    fputc('\n', out);
    if (fclose(out) != 0)
        return 1;
    uint64_t top = 0;
    int top_i = -1;
    for (int i = 0; i < TAG_SLOTS; i++)
        if (st.tags[i].s && st.tags[i].count > top) {
            top = st.tags[i].count;
            top_i = i;
        }
    printf("nodes=%llu depth=%d objects=%llu arrays=%llu strings=%llu string_bytes=%llu "
           "numbers=%llu tags=%d top_tag=%s:%llu revenue=",
           (unsigned long long)ps.nodes, ps.max_depth, (unsigned long long)st.objects,
           (unsigned long long)st.arrays, (unsigned long long)st.strings,
           (unsigned long long)st.string_bytes, (unsigned long long)st.numbers, st.ntags,
           top_i >= 0 ? st.tags[top_i].s : "-", (unsigned long long)top);
    write_number(stdout, st.revenue_micros);
    putchar('\n');
    return 0;
}
