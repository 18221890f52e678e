/*
 * names.c — the words for the enums that cross the API (value types,
 * bounds-check modes), in one place, so that `w2n inspect`, the run options,
 * the spec runner and every message spell them alike.  Shared by the
 * compiler and the runtime (w2n_common).
 */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "w2n/compiler_flags.h"
#include "w2n/types.h"

const char *w2n_valtype_name(w2n_valtype type) {
    switch (type) {
    case W2N_I32: return "i32";
    case W2N_I64: return "i64";
    case W2N_F32: return "f32";
    case W2N_F64: return "f64";
    case W2N_V128: return "v128";
    case W2N_FUNCREF: return "funcref";
    case W2N_EXTERNREF: return "externref";
    case W2N_EXNREF: return "exnref";
    default: return "unknown";
    }
}

const char *w2n_bounds_mode_name(w2n_bounds_mode mode) {
    return mode == W2N_BOUNDS_EXPLICIT ? "explicit" : "guard";
}

bool w2n_bounds_mode_parse(const char *name, w2n_bounds_mode *out) {
    if (name && !strcmp(name, "guard"))
        *out = W2N_BOUNDS_GUARD;
    else if (name && !strcmp(name, "explicit"))
        *out = W2N_BOUNDS_EXPLICIT;
    else
        return false;
    return true;
}

void w2n_names_append(char *buf, size_t size, const char *name) {
    size_t used = strnlen(buf, size);
    if (used + 1 < size)
        snprintf(buf + used, size - used, "%s%s", used ? ", " : "", name);
}
