/*
 * script.c — the lexical layer of the runner's command file: tokens,
 * hex-encoded strings and typed values.
 *
 * Values are "type:payload" with every number in hex (the driver converts
 * the decimal strings of wast2json), so parsing never depends on locale or
 * float formatting:
 *     i32:2a  i64:ffffffffffffffff  f32:7fc00000  f64:nan:canonical
 *     v128:i16:1,2,3,4,5,6,7,8       (lanes in hex, lane 0 first)
 *     v128:f32:nan:arithmetic,0,0,3f800000
 *     funcref:null  externref:null  externref:2a  funcref:nonnull
 *     anyref:null  nullref:null  i31ref:nonnull  structref:nonnull
 *     hostref:2  (the anyref of host value 2)  ref:null  (null of any type)
 * NaN classes, per-lane NaN classes, TYPE:nonnull and ref:null are allowed
 * only in expected values.  Every parser rejects what it does not fully consume.
 */
#include <stdlib.h>
#include <string.h>

#include "runner.h"

char *spec_token(spec_cursor *cur) {
    char *p = cur->next;
    while (*p == ' ')
        p++;
    if (*p == '\0' || *p == '\n') {
        cur->next = p;
        return NULL;
    }
    char *start = p;
    while (*p && *p != ' ' && *p != '\n')
        p++;
    if (*p)
        *p++ = '\0';
    cur->next = p;
    return start;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool spec_parse_string(const char *tok, char **out, size_t *len) {
    *out = NULL;
    if (len)
        *len = 0;
    if (!strcmp(tok, "-"))
        return true;
    if (tok[0] != 'x')
        return false;
    size_t digits = strlen(tok + 1);
    if (digits % 2)
        return false;
    char *s = malloc(digits / 2 + 1);
    if (!s)
        return false;
    for (size_t i = 0; i < digits / 2; i++) {
        int hi = hex_digit(tok[1 + 2 * i]), lo = hex_digit(tok[2 + 2 * i]);
        if (hi < 0 || lo < 0) {
            free(s);
            return false;
        }
        s[i] = (char)(hi << 4 | lo);
    }
    s[digits / 2] = '\0';
    *out = s;
    if (len)
        *len = digits / 2;
    return true;
}

/* Parse hex digits from *p up to a delimiter in `stops` (or the end);
 * at most `max_digits`.  Advances *p past the digits. */
static bool parse_hex(const char **p, const char *stops, unsigned max_digits, uint64_t *out) {
    uint64_t v = 0;
    unsigned n = 0;
    const char *s = *p;
    while (*s && !strchr(stops, *s)) {
        int d = hex_digit(*s);
        if (d < 0 || ++n > max_digits)
            return false;
        v = v << 4 | (uint64_t)d;
        s++;
    }
    if (n == 0)
        return false;
    *p = s;
    *out = v;
    return true;
}

/* A whole payload that is one hex number of at most max_digits. */
static bool parse_hex_all(const char *s, unsigned max_digits, uint64_t *out) {
    return parse_hex(&s, "", max_digits, out) && *s == '\0';
}

static bool parse_nan_class(const char **p, spec_pattern *out) {
    static const struct {
        const char *text;
        spec_pattern pattern;
    } classes[] = {{"nan:canonical", SPEC_NAN_CANONICAL}, {"nan:arithmetic", SPEC_NAN_ARITHMETIC}};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        size_t n = strlen(classes[i].text);
        if (!strncmp(*p, classes[i].text, n) && ((*p)[n] == '\0' || (*p)[n] == ',')) {
            *p += n;
            *out = classes[i].pattern;
            return true;
        }
    }
    return false;
}

static const struct {
    const char *name;
    spec_shape shape;
    unsigned lanes, bytes;
    bool is_float;
} shapes[] = {
    {"i8", SPEC_SHAPE_I8, 16, 1, false},  {"i16", SPEC_SHAPE_I16, 8, 2, false},
    {"i32", SPEC_SHAPE_I32, 4, 4, false}, {"i64", SPEC_SHAPE_I64, 2, 8, false},
    {"f32", SPEC_SHAPE_F32, 4, 4, true},  {"f64", SPEC_SHAPE_F64, 2, 8, true},
};

/* "SHAPE:l0,l1,..." into out->v128 (little-endian lanes) and lane patterns. */
static bool parse_v128(const char *payload, bool expected, spec_value *out) {
    const char *colon = strchr(payload, ':');
    if (!colon)
        return false;
    size_t k = 0, nshapes = sizeof shapes / sizeof shapes[0];
    while (k < nshapes && !(strlen(shapes[k].name) == (size_t)(colon - payload) &&
                            !strncmp(payload, shapes[k].name, (size_t)(colon - payload))))
        k++;
    if (k == nshapes)
        return false;
    out->shape = shapes[k].shape;
    const char *p = colon + 1;
    for (unsigned lane = 0; lane < shapes[k].lanes; lane++) {
        if (lane > 0 && *p++ != ',')
            return false;
        spec_pattern pattern = SPEC_EXACT;
        uint64_t bits = 0;
        if (shapes[k].is_float && expected && parse_nan_class(&p, &pattern)) {
            /* bits stay 0: the class decides */
        } else if (!parse_hex(&p, ",", shapes[k].bytes * 2, &bits)) {
            return false;
        }
        out->lane_pattern[lane] = (uint8_t)pattern;
        for (unsigned b = 0; b < shapes[k].bytes; b++)
            out->v128[lane * shapes[k].bytes + b] = (uint8_t)(bits >> (8 * b));
    }
    return *p == '\0';
}

/* The bottom types (nullref, nullfuncref, ...) have no non-null value. */
static bool is_bottom_type(w2n_valtype t) {
    return t == W2N_NULLREF || t == W2N_NULLFUNCREF || t == W2N_NULLEXTERNREF ||
           t == W2N_NULLEXNREF;
}

static bool parse_ref(const char *payload, bool expected, spec_value *out) {
    if (!strcmp(payload, "null")) {
        out->pattern = SPEC_REF_NULL;
        return true;
    }
    if (!strcmp(payload, "nonnull")) {
        /* A script cannot name a function, an exception or a GC object; it
         * can only ask for "some function", "some struct", ... */
        out->pattern = SPEC_REF_NONNULL;
        return expected && !is_bottom_type(out->type);
    }
    if (out->type != W2N_EXTERNREF) /* only host values have numbers */
        return false;
    out->pattern = SPEC_EXACT;
    return parse_hex_all(payload, 16, &out->bits);
}

/* The two forms that are not "type:payload" of one value type:
 * "hostref:N" (the anyref of host value N, as argument or result) and
 * "ref:null" (a null of any type, expected only).  -1: neither. */
static int parse_untyped_ref(const char *tok, bool expected, spec_value *out) {
    if (!strncmp(tok, "hostref:", 8)) {
        out->type = W2N_ANYREF;
        out->pattern = SPEC_REF_HOST;
        return parse_hex_all(tok + 8, 8, &out->bits);
    }
    if (!strcmp(tok, "ref:null")) {
        out->type = W2N_ANYREF;
        out->pattern = SPEC_REF_ANY_NULL;
        return expected;
    }
    return -1;
}

bool spec_parse_value(const char *tok, bool expected, spec_value *out) {
    static const struct {
        const char *name;
        w2n_valtype type;
        unsigned digits;
    } types[] = {
        {"i32", W2N_I32, 8},
        {"i64", W2N_I64, 16},
        {"f32", W2N_F32, 8},
        {"f64", W2N_F64, 16},
        {"v128", W2N_V128, 0},
        {"funcref", W2N_FUNCREF, 0},
        {"externref", W2N_EXTERNREF, 0},
        {"exnref", W2N_EXNREF, 0},
        {"anyref", W2N_ANYREF, 0},
        {"eqref", W2N_EQREF, 0},
        {"i31ref", W2N_I31REF, 0},
        {"structref", W2N_STRUCTREF, 0},
        {"arrayref", W2N_ARRAYREF, 0},
        {"nullref", W2N_NULLREF, 0},
        {"nullfuncref", W2N_NULLFUNCREF, 0},
        {"nullexternref", W2N_NULLEXTERNREF, 0},
        {"nullexnref", W2N_NULLEXNREF, 0},
    };
    memset(out, 0, sizeof *out);
    int untyped = parse_untyped_ref(tok, expected, out);
    if (untyped >= 0)
        return untyped;
    const char *colon = strchr(tok, ':');
    if (!colon)
        return false;
    size_t n = (size_t)(colon - tok), k = 0, ntypes = sizeof types / sizeof types[0];
    while (k < ntypes && !(strlen(types[k].name) == n && !strncmp(tok, types[k].name, n)))
        k++;
    if (k == ntypes)
        return false;
    out->type = types[k].type;
    const char *payload = colon + 1;
    switch (out->type) {
    case W2N_I32:
    case W2N_I64: return parse_hex_all(payload, types[k].digits, &out->bits);
    case W2N_F32:
    case W2N_F64:
        if (expected) {
            const char *p = payload;
            if (parse_nan_class(&p, &out->pattern))
                return *p == '\0';
        }
        return parse_hex_all(payload, types[k].digits, &out->bits);
    case W2N_V128: return parse_v128(payload, expected, out);
    default: return parse_ref(payload, expected, out);
    }
}
