/*
 * cpu.c — expand an object's --cpu/--features into LLVM feature names and
 * check each against a probe (see cpu.h).
 *
 * The expansion is a set: the CPU's implied features, then each "+x" adds
 * and each "-x" removes, in order, as LLVM applies them.  Names are short
 * and few; the set is a fixed array, and an object asking for more than it
 * holds is refused rather than partly checked.
 */
#include "cpu.h"
#include "names.h"

#include <stdio.h>
#include <string.h>

#define MAX_FEATURES 96
#define MAX_NAME 40

typedef struct feature_set {
    char names[MAX_FEATURES][MAX_NAME];
    size_t n;
} feature_set;

const w2n_cpu_arch *w2n_cpu_arch_get(w2n_arch arch) {
    switch (arch) {
    case W2N_ARCH_X86_64: return &w2n_cpu_x86_64;
    case W2N_ARCH_AARCH64: return &w2n_cpu_aarch64;
    case W2N_ARCH_RISCV64: return &w2n_cpu_riscv64;
    default: return NULL;
    }
}

const w2n_cpu_model *w2n_cpu_model_find(w2n_arch arch, const char *name) {
    const w2n_cpu_arch *a = w2n_cpu_arch_get(arch);
    for (size_t i = 0; a && name && i < a->nmodels; i++)
        if (!strcmp(a->models[i].name, name))
            return &a->models[i];
    return NULL;
}

void w2n_cpu_model_names(w2n_arch arch, char *buf, size_t size) {
    const w2n_cpu_arch *a = w2n_cpu_arch_get(arch);
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; a && i < a->nmodels; i++)
        w2n_names_append(buf, size, a->models[i].name);
}

static size_t find(const feature_set *s, const char *name, size_t len) {
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->names[i]) == len && !memcmp(s->names[i], name, len))
            return i;
    return s->n;
}

/* Is `name` (len bytes) one of the comma-separated words of `list`? */
static int in_list(const char *list, const char *name, size_t len) {
    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        if (n == len && !memcmp(list, name, len))
            return 1;
        list = end ? end + 1 : NULL;
    }
    return 0;
}

/* Apply one comma-separated list: words without a sign count as "+". */
static w2n_status apply(feature_set *s, const char *list, w2n_error *err) {
    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        const char *w = list;
        while (n && (*w == ' ' || *w == '\t'))
            w++, n--;
        while (n && (w[n - 1] == ' ' || w[n - 1] == '\t'))
            n--;
        int remove = n && *w == '-';
        if (n && (*w == '+' || *w == '-'))
            w++, n--;
        if (n >= MAX_NAME)
            return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                                 "object names a CPU feature of %zu bytes, longer than any "
                                 "this runtime knows",
                                 n);
        size_t at = find(s, w, n);
        if (n && remove && at < s->n) {
            memcpy(s->names[at], s->names[s->n - 1], MAX_NAME);
            s->n--;
        } else if (n && !remove && at == s->n) {
            if (s->n == MAX_FEATURES)
                return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                                     "object needs more than %d CPU features", MAX_FEATURES);
            memcpy(s->names[s->n], w, n);
            s->names[s->n++][n] = '\0';
        }
        list = end ? end + 1 : NULL;
    }
    return W2N_OK;
}

/* Append ", name" (or "name") to buf, truncating with "..." when full. */
static void append(char *buf, size_t cap, const char *name) {
    size_t len = strlen(buf);
    if (len + strlen(name) + 6 >= cap) {
        if (len + 4 < cap && strcmp(buf + (len >= 3 ? len - 3 : 0), "..."))
            strcat(buf, "...");
        return;
    }
    if (len)
        strcat(buf, ", ");
    strcat(buf, name);
}

static void describe_flags(char *out, size_t cap, const char *cpu, const char *features) {
    snprintf(out, cap, "%s%s%s%s%s", cpu && *cpu ? "--cpu=" : "", cpu && *cpu ? cpu : "",
             cpu && *cpu && features && *features ? " " : "",
             features && *features ? "--features=" : "", features && *features ? features : "");
}

w2n_status w2n_cpu_check(w2n_arch arch, const char *cpu, const char *features,
                         w2n_cpu_probe_fn probe, void *data, w2n_error *err) {
    const w2n_cpu_arch *a = w2n_cpu_arch_get(arch);
    char flags[96];
    describe_flags(flags, sizeof flags, cpu, features);
    if (!a)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "no CPU feature table for architecture %d", (int)arch);
    feature_set local; /* ~4 KiB: fine on any thread that loads */
    feature_set *s = &local;
    s->n = 0;
    if (cpu && *cpu) {
        const w2n_cpu_model *m = w2n_cpu_model_find(arch, cpu);
        if (!m)
            return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                                 "object was compiled with --cpu=%s, a CPU this runtime does "
                                 "not know, so it cannot check that this machine runs the code; "
                                 "compile with a --cpu it knows or with --features",
                                 cpu);
        w2n_status st = apply(s, m->features, err);
        if (st != W2N_OK)
            return st;
    }
    w2n_status st = apply(s, features, err);
    if (st != W2N_OK)
        return st;

    char missing[160] = "", unknown[96] = "";
    for (size_t i = 0; i < s->n; i++) {
        const char *name = s->names[i];
        if (in_list(a->no_requirement, name, strlen(name)))
            continue;
        int r = probe(name, data);
        if (r == 0)
            append(missing, sizeof missing, name);
        else if (r < 0)
            append(unknown, sizeof unknown, name);
    }
    if (*missing)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "this machine lacks CPU features the object needs: %s%s%s "
                             "(compiled with %s)",
                             missing, *unknown ? "; unknown: " : "", unknown, flags);
    if (*unknown)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "object needs CPU features this runtime cannot check: %s "
                             "(compiled with %s)",
                             unknown, flags);
    return W2N_OK;
}
