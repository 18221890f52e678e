/*
 * valtype.c — reference types: their hierarchies, subtyping and text names.
 * Shared by the compiler (validation) and the runtime (import matching),
 * so both judge `(ref $t) <: (ref null func)` alike.
 *
 * The hierarchies of Wasm 3.0 (each with its bottom):
 *   func  > function types > nofunc
 *   extern > noextern
 *   exn > noexn
 *   any > eq > {i31, struct, array} > none
 * Concrete heap types are compared by index: callers map module indices to
 * canonical ones first, and related here only when equal: the compiler's
 * front end adds GC's declared supertypes (compiler/front/subtype.c), the
 * runtime its type descriptors' (runtime/core/functype.c).
 */
#include <stdio.h>

#include "w2n/types.h"

w2n_heaptype w2n_heaptype_top(w2n_heaptype ht) {
    if (w2n_heaptype_is_concrete(ht))
        return W2N_FUNCREF;
    switch (ht) {
    case W2N_FUNCREF:
    case W2N_NULLFUNCREF: return W2N_FUNCREF;
    case W2N_EXTERNREF:
    case W2N_NULLEXTERNREF: return W2N_EXTERNREF;
    case W2N_EXNREF:
    case W2N_NULLEXNREF: return W2N_EXNREF;
    case W2N_ANYREF:
    case W2N_EQREF:
    case W2N_I31REF:
    case W2N_STRUCTREF:
    case W2N_ARRAYREF:
    case W2N_NULLREF: return W2N_ANYREF;
    }
    return W2N_HEAPTYPE_BOTTOM;
}

static bool is_bottom_of_hierarchy(w2n_heaptype ht) {
    return ht == W2N_NULLFUNCREF || ht == W2N_NULLEXTERNREF || ht == W2N_NULLEXNREF ||
           ht == W2N_NULLREF;
}

bool w2n_heaptype_sub(w2n_heaptype a, w2n_heaptype b) {
    if (a == b || a == W2N_HEAPTYPE_BOTTOM)
        return true;
    w2n_heaptype top = w2n_heaptype_top(a);
    if (top == W2N_HEAPTYPE_BOTTOM || top != w2n_heaptype_top(b))
        return false;
    if (b == top || is_bottom_of_hierarchy(a))
        return true;
    /* Within any: i31, struct and array are below eq. */
    return b == W2N_EQREF && (a == W2N_I31REF || a == W2N_STRUCTREF || a == W2N_ARRAYREF);
}

bool w2n_valtype_sub(w2n_valtype a, w2n_valtype b) {
    if (a == b)
        return true;
    return w2n_valtype_refs_may_sub(a, b) &&
           w2n_heaptype_sub(w2n_valtype_heap_type(a), w2n_valtype_heap_type(b));
}

/* The text name of an abstract heap type ("func"), or NULL. */
static const char *heap_name(w2n_heaptype ht) {
    static const char *const names[] = {
        [0x69 - 0x69] = "exn",      [0x6A - 0x69] = "array",  [0x6B - 0x69] = "struct",
        [0x6C - 0x69] = "i31",      [0x6D - 0x69] = "eq",     [0x6E - 0x69] = "any",
        [0x6F - 0x69] = "extern",   [0x70 - 0x69] = "func",   [0x71 - 0x69] = "none",
        [0x72 - 0x69] = "noextern", [0x73 - 0x69] = "nofunc", [0x74 - 0x69] = "noexn",
    };
    return w2n_heaptype_is_abstract_code(ht) ? names[ht - 0x69] : NULL;
}

/* The shorthand of a nullable abstract reference ("funcref"), or NULL. */
static const char *shorthand(w2n_valtype t) {
    switch (t) {
    case W2N_FUNCREF: return "funcref";
    case W2N_EXTERNREF: return "externref";
    case W2N_EXNREF: return "exnref";
    case W2N_ANYREF: return "anyref";
    case W2N_EQREF: return "eqref";
    case W2N_I31REF: return "i31ref";
    case W2N_STRUCTREF: return "structref";
    case W2N_ARRAYREF: return "arrayref";
    case W2N_NULLREF: return "nullref";
    case W2N_NULLEXTERNREF: return "nullexternref";
    case W2N_NULLFUNCREF: return "nullfuncref";
    case W2N_NULLEXNREF: return "nullexnref";
    }
    return NULL;
}

static const char *number_name(w2n_valtype t) {
    switch (t) {
    case W2N_I32: return "i32";
    case W2N_I64: return "i64";
    case W2N_F32: return "f32";
    case W2N_F64: return "f64";
    case W2N_V128: return "v128";
    }
    return NULL;
}

void w2n_valtype_format(w2n_valtype t, char *buf, size_t size) {
    const char *name = number_name(t);
    if (!name)
        name = shorthand(t);
    if (name) {
        snprintf(buf, size, "%s", name);
        return;
    }
    if (!w2n_valtype_is_ref(t)) {
        snprintf(buf, size, "unknown");
        return;
    }
    const char *null = w2n_valtype_is_nullable(t) ? "null " : "";
    w2n_heaptype ht = w2n_valtype_heap_type(t);
    if (w2n_heaptype_is_concrete(ht))
        snprintf(buf, size, "(ref %s%u)", null, w2n_valtype_type_index(t));
    else if (heap_name(ht))
        snprintf(buf, size, "(ref %s%s)", null, heap_name(ht));
    else
        snprintf(buf, size, "(ref %sbot)", null);
}

const char *w2n_valtype_name(w2n_valtype t) {
    const char *name = number_name(t);
    if (!name)
        name = shorthand(t);
    if (name)
        return name;
    if (!w2n_valtype_is_ref(t))
        return "unknown";
    /* A ring, so that a message may name a few types at once. */
    static _Thread_local char ring[8][32];
    static _Thread_local unsigned next;
    char *buf = ring[next++ % 8];
    w2n_valtype_format(t, buf, sizeof ring[0]);
    return buf;
}
