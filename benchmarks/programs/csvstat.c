/* csvstat.c: a CSV parser and aggregator over a workload file.
 *
 * usage: csvstat IN OUT
 * IN is RFC 4180-style CSV with a header line: fields may be quoted, quoted
 * fields may hold commas, newlines and doubled quotes.  The columns used are
 * id, name, city, price (decimal with two places) and qty; others are parsed
 * and skipped.  Per city it aggregates the count, quantity, revenue in cents
 * and the most expensive item, then writes one line per city, sorted by name,
 * to OUT and prints totals.  Numbers are parsed by hand (no strtod), so
 * every libc gives the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16
#define MAX_FIELD 256
#define CITY_SLOTS 1024

struct city {
    char name[64];
    uint64_t count, qty, cents, max_cents;
    uint32_t name_hash; /* hash over the item names seen in the city */
    char top_item[64];
};

struct record {
    int nfields;
    size_t len[MAX_FIELDS];
    char field[MAX_FIELDS][MAX_FIELD];
};

static struct city cities[CITY_SLOTS];
static int ncities;

static uint32_t fnv1a(const char *s, size_t n, uint32_t h) {
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* Parses one record starting at *pos; returns 0 at the end of input, -1 on
 * a malformed record. */
static int parse_record(const char *buf, size_t len, size_t *pos, struct record *rec) {
    size_t i = *pos;
    if (i >= len)
        return 0;
    rec->nfields = 0;
    for (;;) {
        if (rec->nfields == MAX_FIELDS)
            return -1;
        char *out = rec->field[rec->nfields];
        size_t n = 0;
        if (i < len && buf[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return -1; /* unterminated quote */
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        i += 2;
                        if (n < MAX_FIELD - 1)
                            out[n++] = '"';
                        continue;
                    }
                    i++;
                    break;
                }
                if (n < MAX_FIELD - 1)
                    out[n++] = buf[i];
                i++;
            }
        } else {
            while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                if (n < MAX_FIELD - 1)
                    out[n++] = buf[i];
                i++;
            }
        }
        out[n] = 0;
        rec->len[rec->nfields++] = n;
        if (i < len && buf[i] == ',') {
            i++;
            continue;
        }
        if (i < len && buf[i] == '\r')
            i++;
        if (i < len && buf[i] == '\n')
            i++;
        else if (i < len)
            return -1; /* junk after a closing quote */
        *pos = i;
        return 1;
    }
}

static int parse_uint(const char *s, uint64_t *v) {
    uint64_t x = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = x;
    return 0;
}

/* "12.34" -> 1234; exactly two decimals required. */
static int parse_cents(const char *s, uint64_t *v) {
    const char *dot = strchr(s, '.');
    char whole[32];
    uint64_t w, f;
    if (!dot || strlen(dot + 1) != 2 || (size_t)(dot - s) >= sizeof whole)
        return -1;
    memcpy(whole, s, (size_t)(dot - s));
    whole[dot - s] = 0;
    if (parse_uint(whole, &w) || parse_uint(dot + 1, &f))
        return -1;
    *v = w * 100 + f;
    return 0;
}

static struct city *find_city(const char *name, size_t n) {
    uint32_t h = fnv1a(name, n, 2166136261u) & (CITY_SLOTS - 1);
    while (cities[h].name[0]) {
        if (strcmp(cities[h].name, name) == 0)
            return &cities[h];
        h = (h + 1) & (CITY_SLOTS - 1);
    }
    if (ncities >= CITY_SLOTS / 2 || n >= sizeof cities[h].name)
        return NULL;
    ncities++;
    memcpy(cities[h].name, name, n + 1);
    cities[h].name_hash = 2166136261u;
    return &cities[h];
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct city *)a)->name, ((const struct city *)b)->name);
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
    static struct record rec;
    size_t len, pos = 0;
    uint64_t records = 0, bad = 0, fields = 0, chars = 0;
    int col_name = -1, col_city = -1, col_price = -1, col_qty = -1;

    if (argc != 3) {
        fprintf(stderr, "usage: csvstat IN OUT\n");
        return 2;
    }
    char *buf = read_file(argv[1], &len);
    if (!buf) {
        fprintf(stderr, "csvstat: cannot read %s\n", argv[1]);
        return 1;
    }
    if (parse_record(buf, len, &pos, &rec) != 1) {
        fprintf(stderr, "csvstat: no header\n");
        return 1;
    }
    for (int i = 0; i < rec.nfields; i++) {
        const char *f = rec.field[i];
        if (!strcmp(f, "name"))
            col_name = i;
        if (!strcmp(f, "city"))
            col_city = i;
        if (!strcmp(f, "price"))
            col_price = i;
        if (!strcmp(f, "qty"))
            col_qty = i;
    }
    if (col_name < 0 || col_city < 0 || col_price < 0 || col_qty < 0) {
        fprintf(stderr, "csvstat: missing columns\n");
        return 1;
    }
    int got;
    while ((got = parse_record(buf, len, &pos, &rec)) != 0) {
        uint64_t cents, qty;
        struct city *c;
        if (got < 0) {
            /* resynchronise at the next line */
            bad++;
            while (pos < len && buf[pos] != '\n')
                pos++;
            pos++;
            continue;
        }
        records++;
        fields += (uint64_t)rec.nfields;
        for (int i = 0; i < rec.nfields; i++)
            chars += rec.len[i];
        if (rec.nfields <= col_qty || parse_cents(rec.field[col_price], &cents) ||
            parse_uint(rec.field[col_qty], &qty) ||
            !(c = find_city(rec.field[col_city], rec.len[col_city]))) {
            bad++;
            continue;
        }
        c->count++;
        c->qty += qty;
        c->cents += cents * qty;
        c->name_hash = fnv1a(rec.field[col_name], rec.len[col_name], c->name_hash);
        if (cents > c->max_cents) {
            c->max_cents = cents;
            snprintf(c->top_item, sizeof c->top_item, "%s", rec.field[col_name]);
        }
    }
    /* compact the table and sort by city name */
    int k = 0;
    for (int i = 0; i < CITY_SLOTS; i++)
        if (cities[i].name[0])
            cities[k++] = cities[i];
    qsort(cities, (size_t)k, sizeof cities[0], by_name);

    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fprintf(stderr, "csvstat: cannot write %s\n", argv[2]);
        return 1;
    }
    fprintf(out, "city,count,qty,revenue,max_price,top_item,names\n");
    uint64_t total_cents = 0;
    for (int i = 0; i < k; i++) {
        const struct city *c = &cities[i];
        total_cents += c->cents;
        fprintf(out, "%s,%llu,%llu,%llu.%02llu,%llu.%02llu,\"%s\",%08x\n", c->name,
                (unsigned long long)c->count, (unsigned long long)c->qty,
                (unsigned long long)(c->cents / 100), (unsigned long long)(c->cents % 100),
                (unsigned long long)(c->max_cents / 100), (unsigned long long)(c->max_cents % 100),
                c->top_item, c->name_hash);
    }
    if (fclose(out) != 0)
        return 1;
    printf("records=%llu bad=%llu fields=%llu chars=%llu cities=%d revenue=%llu.%02llu\n",
           (unsigned long long)records, (unsigned long long)bad, (unsigned long long)fields,
           (unsigned long long)chars, k, (unsigned long long)(total_cents / 100),
           (unsigned long long)(total_cents % 100));
    free(buf);
    return 0;
}
