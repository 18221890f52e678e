/*
 * w2n/features.h — WebAssembly proposals ("features") as data.
 *
 * Every instruction (compiler/front/opcodes.def), value type, section and module
 * construct belongs to one feature.  A feature set is a bit mask of enabled
 * features; only features w2n implements can be enabled, and MVP (Wasm 1.0)
 * is always on.  A module that uses a feature outside the set is refused
 * with W2N_ERR_UNSUPPORTED and "X requires the 'NAME' feature, which w2n
 * does not support" (not implemented) or "..., which is disabled".
 *
 * Names are those of wasm-tools and Wasmtime (`--wasm-features`).
 */
#ifndef W2N_FEATURES_H
#define W2N_FEATURES_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stdint.h>

#include "w2n/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* W2N_FEATURE_LIST(X): X(ID, "name", implemented) for every feature. */
#define W2N_FEATURE_LIST(X)                                     \
    X(MVP, "mvp", true)                                         \
    X(MUTABLE_GLOBAL, "mutable-global", true)                   \
    X(SATURATING_FLOAT_TO_INT, "saturating-float-to-int", true) \
    X(SIGN_EXTENSION, "sign-extension", true)                   \
    X(MULTI_VALUE, "multi-value", true)                         \
    X(BULK_MEMORY, "bulk-memory", true)                         \
    X(REFERENCE_TYPES, "reference-types", true)                 \
    X(SIMD, "simd", true)                                       \
    X(TAIL_CALL, "tail-call", true)                             \
    X(EXTENDED_CONST, "extended-const", true)                   \
    X(MULTI_MEMORY, "multi-memory", true)                       \
    X(MEMORY64, "memory64", true)                               \
    X(RELAXED_SIMD, "relaxed-simd", true)                       \
    X(THREADS, "threads", true)                                 \
    X(EXCEPTIONS, "exceptions", true)                           \
    X(LEGACY_EXCEPTIONS, "legacy-exceptions", true)             \
    X(FUNCTION_REFERENCES, "function-references", true)         \
    X(GC, "gc", true)

typedef enum w2n_feature {
#define W2N_FEATURE_ENUM(id, name, impl) W2N_FEATURE_##id,
    W2N_FEATURE_LIST(W2N_FEATURE_ENUM)
#undef W2N_FEATURE_ENUM
    W2N_FEATURE_COUNT
} w2n_feature;

typedef uint32_t w2n_features; /* bit (1u << w2n_feature) set = enabled */

#define W2N_FEATURE_BIT(f) ((w2n_features)1u << (f))

/* Every feature w2n implements but the opt-in ones: the default set. */
W2N_API w2n_features w2n_features_default(void);

/* Features w2n implements in part, off unless asked for
 * (`--wasm-features=+NAME`): `w2n validate` (and w2n_validate) judge their
 * modules by the spec, `w2n compile` compiles them when asked and refuses
 * what it does not lower yet with W2N_ERR_UNSUPPORTED.  None today: GC was
 * the last, until all of it compiled (issue 17). */
#define W2N_FEATURES_OPT_IN ((w2n_features)0)

/* What validation accepts by default: w2n_features_default() and the
 * opt-in features. */
W2N_API w2n_features w2n_features_validation_default(void);

/* The wasm-tools name of a feature ("threads"), or "?" for a bad value. */
W2N_API const char *w2n_feature_name(w2n_feature f);

/* Whether w2n implements the feature at all. */
W2N_API bool w2n_feature_implemented(w2n_feature f);

static inline bool w2n_features_has(w2n_features set, w2n_feature f) {
    return (set & W2N_FEATURE_BIT(f)) != 0;
}

/* Apply a `--wasm-features` list such as "+tail-call,-simd" (a name without a
 * sign means +) to *set.  W2N_ERR_ARGUMENT for an unknown name, for enabling
 * a feature w2n does not implement, or for disabling mvp. */
W2N_API w2n_status w2n_features_parse(const char *spec, w2n_features *set, w2n_error *err);

/* Fill *err with W2N_ERR_UNSUPPORTED: "WHAT requires the 'NAME' feature,
 * which w2n does not support" (or "..., which is disabled" when w2n
 * implements it).  Returns W2N_ERR_UNSUPPORTED. */
W2N_API w2n_status w2n_feature_refuse(w2n_error *err, uint64_t offset, w2n_feature f,
                                      const char *what);

#ifdef __cplusplus
}
#endif
#endif
