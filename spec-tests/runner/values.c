/*
 * values.c — comparing results with the script's expectations, and printing
 * values for failure messages.
 *
 * Floats compare by bits (so -0 differs from +0 and a NaN payload must
 * match), except for the spec's two NaN classes: canonical (only the quiet
 * bit set in the payload, either sign) and arithmetic (quiet bit set, any
 * other payload).  A v128 with a lane shape compares lane by lane so that
 * float lanes may carry a class.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

bool spec_f32_is_canonical_nan(uint32_t bits) { return (bits & 0x7fffffffu) == 0x7fc00000u; }

bool spec_f32_is_arithmetic_nan(uint32_t bits) { return (bits & 0x7fc00000u) == 0x7fc00000u; }

bool spec_f64_is_canonical_nan(uint64_t bits) {
    return (bits & UINT64_C(0x7fffffffffffffff)) == UINT64_C(0x7ff8000000000000);
}

bool spec_f64_is_arithmetic_nan(uint64_t bits) {
    return (bits & UINT64_C(0x7ff8000000000000)) == UINT64_C(0x7ff8000000000000);
}

/* Distinct non-null pointers for ref.extern N: the runtime treats externref
 * as opaque, so any injective map that avoids NULL will do.  N + 1 keeps
 * the values readable in a debugger. */
void *spec_extern_ref(uint64_t n) { return (void *)(uintptr_t)(n + 1); }

static uint64_t extern_ref_number(void *ref) { return (uint64_t)(uintptr_t)ref - 1; }

w2n_value spec_to_runtime(const spec_value *v) {
    w2n_value out;
    memset(&out, 0, sizeof out);
    out.type = v->type;
    switch (v->type) {
    case W2N_I32:
    case W2N_F32: {
        uint32_t bits = (uint32_t)v->bits;
        memcpy(&out.of, &bits, sizeof bits);
        break;
    }
    case W2N_I64:
    case W2N_F64: memcpy(&out.of, &v->bits, sizeof v->bits); break;
    case W2N_V128: memcpy(out.of.v128, v->v128, 16); break;
    default: out.of.ref = v->pattern == SPEC_REF_NULL ? NULL : spec_extern_ref(v->bits); break;
    }
    return out;
}

static uint64_t load_le(const uint8_t *p, unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* One float of `bytes` bytes against an exact value or a NaN class. */
static bool float_matches(spec_pattern pattern, uint64_t expected, uint64_t actual,
                          unsigned bytes) {
    bool wide = bytes == 8;
    switch (pattern) {
    case SPEC_NAN_CANONICAL:
        return wide ? spec_f64_is_canonical_nan(actual)
                    : spec_f32_is_canonical_nan((uint32_t)actual);
    case SPEC_NAN_ARITHMETIC:
        return wide ? spec_f64_is_arithmetic_nan(actual)
                    : spec_f32_is_arithmetic_nan((uint32_t)actual);
    default: return expected == actual;
    }
}

static unsigned shape_lane_bytes(spec_shape shape) {
    static const unsigned bytes[] = {16, 1, 2, 4, 8, 4, 8};
    return bytes[shape];
}

static bool v128_matches(const spec_value *e, const uint8_t *actual) {
    if (e->shape == SPEC_SHAPE_NONE)
        return !memcmp(e->v128, actual, 16);
    unsigned bytes = shape_lane_bytes(e->shape);
    bool is_float = e->shape == SPEC_SHAPE_F32 || e->shape == SPEC_SHAPE_F64;
    for (unsigned lane = 0; lane < 16 / bytes; lane++) {
        uint64_t want = load_le(e->v128 + lane * bytes, bytes);
        uint64_t got = load_le(actual + lane * bytes, bytes);
        spec_pattern pattern = is_float ? (spec_pattern)e->lane_pattern[lane] : SPEC_EXACT;
        if (!float_matches(pattern, want, got, bytes))
            return false;
    }
    return true;
}

/* A reference type's hierarchy (funcref for `(ref $t)`), what scripts
 * compare; other types as they are. */
static w2n_valtype family(w2n_valtype t) {
    return w2n_valtype_is_ref(t) ? w2n_heaptype_top(w2n_valtype_heap_type(t)) : t;
}

bool spec_arg_to_runtime(w2n_store *store, const spec_value *v, w2n_value *out, w2n_error *err) {
    if (v->pattern != SPEC_REF_HOST) {
        *out = spec_to_runtime(v);
        return true;
    }
    /* The host value, internalised as any.convert_extern would: the
     * round trip through extern.convert_any gives back spec_extern_ref(N). */
    w2n_gc_ref *ref = NULL;
    out->type = W2N_ANYREF;
    out->of.ref = NULL;
    if (w2n_gc_any_from_extern(store, spec_extern_ref(v->bits), &ref, err) != W2N_OK)
        return false;
    out->of.ref = ref;
    return true;
}

bool spec_value_matches(w2n_store *store, const spec_value *e, const w2n_value *a) {
    if (e->pattern == SPEC_REF_ANY_NULL || family(e->type) == W2N_ANYREF)
        return spec_gc_value_matches(store, e, a);
    if (family(e->type) != family(a->type))
        return false;
    switch (e->type) {
    case W2N_I32: return (uint32_t)a->of.i32 == (uint32_t)e->bits;
    case W2N_I64: return (uint64_t)a->of.i64 == e->bits;
    case W2N_F32: {
        uint32_t bits;
        memcpy(&bits, &a->of.f32, sizeof bits);
        return float_matches(e->pattern, e->bits, bits, 4);
    }
    case W2N_F64: {
        uint64_t bits;
        memcpy(&bits, &a->of.f64, sizeof bits);
        return float_matches(e->pattern, e->bits, bits, 8);
    }
    case W2N_V128: return v128_matches(e, a->of.v128);
    default:
        if (e->pattern == SPEC_REF_NULL)
            return a->of.ref == NULL;
        if (e->pattern == SPEC_REF_NONNULL)
            return a->of.ref != NULL;
        return a->of.ref == spec_extern_ref(e->bits);
    }
}

/* As the reference interpreter's harness: the expected text is a prefix of
 * the actual one. */
bool spec_message_matches(const char *expected, const char *actual) {
    return !strncmp(actual, expected, strlen(expected));
}

static const char *pattern_text(spec_pattern p) {
    return p == SPEC_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

/* Lanes of 16 bytes as "shape:l0,l1,..." using the given lane patterns
 * (NULL: all exact). */
static void format_lanes(const uint8_t *v128, spec_shape shape, const uint8_t *patterns, char *buf,
                         size_t size) {
    static const char *names[] = {"i32", "i8", "i16", "i32", "i64", "f32", "f64"};
    unsigned bytes = shape == SPEC_SHAPE_NONE ? 4 : shape_lane_bytes(shape);
    size_t used = (size_t)snprintf(buf, size, "v128:%s:", names[shape]);
    for (unsigned lane = 0; lane < 16 / bytes && used < size; lane++) {
        const char *sep = lane ? "," : "";
        spec_pattern p = patterns ? (spec_pattern)patterns[lane] : SPEC_EXACT;
        if (p == SPEC_NAN_CANONICAL || p == SPEC_NAN_ARITHMETIC)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", sep, pattern_text(p));
        else
            used += (size_t)snprintf(buf + used, size - used, "%s%" PRIx64, sep,
                                     load_le(v128 + lane * bytes, bytes));
    }
}

void spec_format_value(w2n_store *store, const w2n_value *v, char *buf, size_t size) {
    switch (family(v->type)) {
    case W2N_I32:
    case W2N_F32: {
        uint32_t bits;
        memcpy(&bits, &v->of, sizeof bits);
        snprintf(buf, size, "%s:%" PRIx32, w2n_valtype_name(v->type), bits);
        break;
    }
    case W2N_I64:
    case W2N_F64: {
        uint64_t bits;
        memcpy(&bits, &v->of, sizeof bits);
        snprintf(buf, size, "%s:%" PRIx64, w2n_valtype_name(v->type), bits);
        break;
    }
    case W2N_V128: format_lanes(v->of.v128, SPEC_SHAPE_I32, NULL, buf, size); break;
    case W2N_FUNCREF:
    case W2N_EXNREF:
        snprintf(buf, size, "%s:%s", w2n_valtype_name(v->type), v->of.ref ? "nonnull" : "null");
        break;
    case W2N_EXTERNREF:
        if (v->of.ref)
            snprintf(buf, size, "externref:%" PRIx64, extern_ref_number(v->of.ref));
        else
            snprintf(buf, size, "externref:null");
        break;
    case W2N_ANYREF: spec_gc_format_value(store, v, buf, size); break;
    default: snprintf(buf, size, "type-%s", w2n_valtype_name(v->type)); break;
    }
}

void spec_format_expected(const spec_value *v, char *buf, size_t size) {
    if ((v->type == W2N_F32 || v->type == W2N_F64) && v->pattern != SPEC_EXACT) {
        snprintf(buf, size, "%s:%s", w2n_valtype_name(v->type), pattern_text(v->pattern));
        return;
    }
    if (v->type == W2N_V128) {
        format_lanes(v->v128, v->shape, v->lane_pattern, buf, size);
        return;
    }
    if (v->pattern == SPEC_REF_ANY_NULL) {
        snprintf(buf, size, "ref:null");
        return;
    }
    if (v->pattern == SPEC_REF_HOST) {
        snprintf(buf, size, "hostref:%" PRIx64, v->bits);
        return;
    }
    if (w2n_valtype_is_ref(v->type)) {
        if (v->pattern == SPEC_REF_NULL || v->pattern == SPEC_REF_NONNULL) {
            snprintf(buf, size, "%s:%s", w2n_valtype_name(v->type),
                     v->pattern == SPEC_REF_NULL ? "null" : "nonnull");
            return;
        }
    }
    w2n_value rt = spec_to_runtime(v);
    spec_format_value(NULL, &rt, buf, size);
}
