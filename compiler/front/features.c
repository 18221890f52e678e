/*
 * features.c — the feature table of w2n/features.h: names, which features
 * w2n implements, `--wasm-features` parsing and the refusal message.
 *
 * Invariant: a feature set never holds a feature w2n does not implement and
 * always holds MVP, so "not in the set" plus "implemented" means "disabled"
 * (the opt-in ones are implemented, in part, and disabled by default).
 */
#include "w2n/features.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    bool implemented;
} features[W2N_FEATURE_COUNT] = {
#define W2N_FEATURE_ROW(id, name, impl) [W2N_FEATURE_##id] = {name, impl},
    W2N_FEATURE_LIST(W2N_FEATURE_ROW)
#undef W2N_FEATURE_ROW
};

w2n_features w2n_features_default(void) {
    w2n_features set = 0;
    for (int f = 0; f < W2N_FEATURE_COUNT; f++)
        if (features[f].implemented)
            set |= W2N_FEATURE_BIT(f);
    return set & ~W2N_FEATURES_OPT_IN;
}

w2n_features w2n_features_validation_default(void) {
    return w2n_features_default() | W2N_FEATURES_OPT_IN;
}

const char *w2n_feature_name(w2n_feature f) {
    return (unsigned)f < W2N_FEATURE_COUNT ? features[f].name : "?";
}

bool w2n_feature_implemented(w2n_feature f) {
    return (unsigned)f < W2N_FEATURE_COUNT && features[f].implemented;
}

static int find(const char *name, size_t len) {
    for (int f = 0; f < W2N_FEATURE_COUNT; f++)
        if (strlen(features[f].name) == len && !memcmp(features[f].name, name, len))
            return f;
    return -1;
}

w2n_status w2n_features_parse(const char *spec, w2n_features *set, w2n_error *err) {
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool on = true;
        const char *name = p;
        if (len && (*name == '+' || *name == '-')) {
            on = *name == '+';
            name++;
            len--;
        }
        int f = find(name, len);
        if (f < 0)
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "unknown feature '%.*s'",
                                 (int)len, name);
        if (f == W2N_FEATURE_MVP && !on)
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "mvp cannot be disabled");
        if (on && !features[f].implemented)
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                                 "w2n does not support the '%s' feature", features[f].name);
        if (on)
            *set |= W2N_FEATURE_BIT(f);
        else
            *set &= ~W2N_FEATURE_BIT(f);
        p = end ? end + 1 : name + len;
    }
    return W2N_OK;
}

w2n_status w2n_feature_refuse(w2n_error *err, uint64_t offset, w2n_feature f, const char *what) {
    if (w2n_feature_implemented(f) && (W2N_FEATURE_BIT(f) & W2N_FEATURES_OPT_IN))
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, offset,
                             "%s requires the '%s' feature, which is disabled (w2n supports it "
                             "in part: --wasm-features=+%s)",
                             what, w2n_feature_name(f), w2n_feature_name(f));
    return w2n_error_set(err, W2N_ERR_UNSUPPORTED, offset, "%s requires the '%s' feature, which %s",
                         what, w2n_feature_name(f),
                         w2n_feature_implemented(f) ? "is disabled" : "w2n does not support");
}
