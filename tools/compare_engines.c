/*
 * compare_engines.c — the engines `w2n compare` knows: where to find them,
 * their command lines, and how to read the results they print.
 *
 * Each engine runs the .wasm itself except w2n, which runs the object
 * compiled once beforehand (its compile time is reported apart).  Engines
 * that cannot run a job say why and are skipped: wabt's interpreter passes
 * no arguments to an export and runs every export (so an invoke needs the
 * export to take no parameters, and runs a copy of the module that exports
 * only that function: compare_module.c);
 * iwasm and wasm3 are compared on WASI commands only.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "w2n/version.h"

/* ---- finding programs -------------------------------------------------- */

static bool on_path(const char *program, char *out, size_t size) {
    const char *path = getenv("PATH");
    if (!path)
        return false;
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        snprintf(out, size, "%.*s/%s", (int)len, len ? p : ".", program);
        if (access(out, X_OK) == 0)
            return true;
        p += len + (end != NULL);
    }
    return false;
}

/* The first line of `program FLAG`, trimmed to a version-looking word. */
static void read_version(const char *program, const char *flag, char *out, size_t size) {
    const char *argv[] = {program, flag, NULL};
    cmp_outcome o;
    snprintf(out, size, "?");
    if (!cmp_spawn(argv, 10.0, &o))
        return;
    char *line = o.out;
    line[strcspn(line, "\n")] = '\0';
    const char *word = line;
    for (const char *w = line; *w; w++) /* the first word that starts with a digit or 'v' + digit */
        if ((w == line || w[-1] == ' ') &&
            ((*w >= '0' && *w <= '9') || (*w == 'v' && w[1] >= '0' && w[1] <= '9'))) {
            word = w;
            break;
        }
    snprintf(out, size, "%.*s", (int)strcspn(word, " "), word);
    cmp_outcome_free(&o);
}

/* ---- command lines ----------------------------------------------------- */

typedef struct argv_builder {
    const char **argv;
    int n, max;
} argv_builder;

static void push(argv_builder *b, const char *s) {
    if (b->n < b->max - 1)
        b->argv[b->n++] = s;
    b->argv[b->n] = NULL;
}

static void push_words(argv_builder *b, const char *words) {
    /* Split a copy at spaces; the copies live as long as the process. */
    char *copy = strdup(words);
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        push(b, w);
}

static void push_args(argv_builder *b, const cmp_job *job) {
    for (int i = 0; i < job->nargs; i++)
        push(b, job->args[i]);
}

/* w2n, and engines with its command line (--engine): run [--dir D]... FILE ARGS. */
static const char *argv_w2n_like(const cmp_engine *e, const cmp_job *job, const char **argv,
                                 int max, const char *file) {
    argv_builder b = {argv, 0, max};
    push_words(&b, e->program);
    for (int i = 0; i < job->ndirs; i++) {
        push(&b, "--dir");
        push(&b, job->dirs[i]);
    }
    if (job->invoke) {
        push(&b, "--invoke");
        push(&b, job->export_name);
    }
    push(&b, file);
    push_args(&b, job);
    return NULL;
}

static const char *argv_w2n(const cmp_engine *e, const cmp_job *job, const char **argv, int max) {
    return argv_w2n_like(e, job, argv, max, job->object);
}

static const char *argv_custom(const cmp_engine *e, const cmp_job *job, const char **argv,
                               int max) {
    return argv_w2n_like(e, job, argv, max, job->wasm);
}

static const char *argv_node(const cmp_engine *e, const cmp_job *job, const char **argv, int max) {
    argv_builder b = {argv, 0, max};
    push(&b, e->program);
    push(&b, "--no-warnings");
    push(&b, job->node_runner);
    push(&b, job->invoke ? "invoke" : "wasi");
    push(&b, job->wasm);
    if (job->invoke) {
        static char types[4 * CMP_MAX_ARGV];
        size_t len = 0;
        types[0] = '\0';
        for (uint32_t i = 0; i < job->nparams && len + 8 < sizeof types; i++)
            len += (size_t)snprintf(types + len, sizeof types - len, "%s%s", i ? "," : "",
                                    w2n_valtype_name(job->params[i]));
        push(&b, job->export_name);
        push(&b, types);
    } else {
        for (int i = 0; i < job->ndirs; i++) {
            push(&b, "--dir");
            push(&b, job->dirs[i]);
        }
        push(&b, "--");
    }
    push_args(&b, job);
    return NULL;
}

static const char *argv_wasm_interp(const cmp_engine *e, const cmp_job *job, const char **argv,
                                    int max) {
    argv_builder b = {argv, 0, max};
    push(&b, e->program);
    if (job->invoke) {
        if (job->nparams)
            return "wasm-interp passes no arguments to an export";
        push(&b, "--enable-all");
        push(&b, job->wasm_one_export);
        push(&b, "--run-all-exports");
        return NULL;
    }
    push(&b, "--enable-all");
    push(&b, "--wasi");
    for (int i = 0; i < job->ndirs; i++) {
        push(&b, "--dir");
        push(&b, job->dirs[i]);
    }
    push(&b, job->wasm);
    push_args(&b, job);
    return NULL;
}

static const char *argv_wasmtime(const cmp_engine *e, const cmp_job *job, const char **argv,
                                 int max) {
    argv_builder b = {argv, 0, max};
    push(&b, e->program);
    push(&b, "run");
    for (int i = 0; i < job->ndirs; i++) {
        static char spec[CMP_MAX_ARGV][512];
        snprintf(spec[i % CMP_MAX_ARGV], sizeof spec[0], "--dir=%s::%s", job->dirs[i],
                 job->dirs[i]);
        push(&b, spec[i % CMP_MAX_ARGV]);
    }
    if (job->invoke) {
        push(&b, "--invoke");
        push(&b, job->export_name);
    }
    push(&b, job->wasm);
    push_args(&b, job);
    return NULL;
}

/* iwasm (WAMR) and wasm3: `PROGRAM [--dir=D] FILE ARGS`, WASI only. */
static const char *argv_wasi_only(const cmp_engine *e, const cmp_job *job, const char **argv,
                                  int max) {
    if (job->invoke)
        return "w2n compare runs this engine on WASI commands only";
    argv_builder b = {argv, 0, max};
    push(&b, e->program);
    for (int i = 0; i < job->ndirs; i++) {
        static char spec[CMP_MAX_ARGV][512];
        snprintf(spec[i % CMP_MAX_ARGV], sizeof spec[0], "--dir=%s", job->dirs[i]);
        push(&b, spec[i % CMP_MAX_ARGV]);
    }
    push(&b, job->wasm);
    push_args(&b, job);
    return NULL;
}

/* ---- the table --------------------------------------------------------- */

static const struct known_engine {
    const char *name, *program, *version_flag;
    cmp_argv_fn *argv_for;
    bool wabt_results;
} known[] = {
    {"node", "node", "--version", argv_node, false},
    {"wasm-interp", "wasm-interp", "--version", argv_wasm_interp, true},
    {"wasmtime", "wasmtime", "--version", argv_wasmtime, false},
    {"iwasm", "iwasm", "--version", argv_wasi_only, false},
    {"wasm3", "wasm3", "--version", argv_wasi_only, false},
};

int cmp_engines_find(const char *self, cmp_engine *out, int max) {
    int n = 0;
    cmp_engine *w = &out[n++];
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "w2n");
    /* Objects run on the runtime alone (w2n-run beside w2n, as deployed);
     * `w2n run` would add the start-up of the LLVM libraries it links. */
    char runner[512];
    const char *slash = strrchr(self, '/');
    snprintf(runner, sizeof runner, "%.*sw2n-run", slash ? (int)(slash - self + 1) : 0, self);
    if (access(runner, X_OK) == 0)
        snprintf(w->program, sizeof w->program, "%s", runner);
    else
        snprintf(w->program, sizeof w->program, "%s run", self);
    snprintf(w->version, sizeof w->version, "%s", W2N_VERSION);
    w->argv_for = argv_w2n;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && n < max; i++) {
        char path[512];
        if (!on_path(known[i].program, path, sizeof path))
            continue;
        cmp_engine *e = &out[n++];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%s", known[i].name);
        snprintf(e->program, sizeof e->program, "%s", path);
        read_version(path, known[i].version_flag, e->version, sizeof e->version);
        e->argv_for = known[i].argv_for;
        e->wabt_results = known[i].wabt_results;
    }
    return n;
}

bool cmp_engine_custom(const char *spec, cmp_engine *out) {
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof out->name)
        return false;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%.*s", (int)(eq - spec), spec);
    snprintf(out->program, sizeof out->program, "%s", eq + 1);
    snprintf(out->version, sizeof out->version, "-");
    out->argv_for = argv_custom;
    return true;
}

/* ---- results ----------------------------------------------------------- */

/* One value in w2n's form; false when `text` is not a value of `type`. */
static bool canonical_value(w2n_valtype type, const char *text, char *buf, size_t size) {
    char *end;
    errno = 0;
    switch (type) {
    case W2N_I32:
    case W2N_I64: {
        /* Engines print integers signed or unsigned: wrap to the type's width. */
        unsigned long long u =
            *text == '-' ? (unsigned long long)strtoll(text, &end, 10) : strtoull(text, &end, 10);
        if (end == text || *end || errno)
            return false;
        if (type == W2N_I32)
            snprintf(buf, size, "%d", (int32_t)(uint32_t)u);
        else
            snprintf(buf, size, "%lld", (long long)u);
        return true;
    }
    case W2N_F32:
    case W2N_F64: {
        double v = strtod(text, &end);
        if (end == text || *end)
            return false;
        if (isnan(v)) {
            snprintf(buf, size, "nan"); /* NaN signs and payloads may differ by engine */
            return true;
        }
        if (isinf(v)) {
            snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
            return true;
        }
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, size, "%.*g", prec, v);
            if (type == W2N_F32 ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
                return true;
        }
        return true;
    }
    default: snprintf(buf, size, "%s", text); return true;
    }
}

/* The values after "NAME(...) => " on wabt's line for the export:
 * "t:V, t:V" with each type prefix dropped. */
static const char *wabt_values(const cmp_job *job, const char *out, char *line, size_t size) {
    size_t name_len = strlen(job->export_name);
    for (const char *p = out; *p;) {
        size_t len = strcspn(p, "\n");
        if (len > name_len && !strncmp(p, job->export_name, name_len) && p[name_len] == '(') {
            snprintf(line, size, "%.*s", (int)len, p);
            char *arrow = strstr(line, "=> ");
            return arrow ? arrow + 3 : "";
        }
        p += len + (p[len] == '\n');
    }
    return NULL;
}

bool cmp_results_normalize(const cmp_engine *e, const cmp_job *job, const char *out, char *buf,
                           size_t size) {
    char line[4096], value[128];
    const char *p = out;
    if (e->wabt_results && !(p = wabt_values(job, out, line, sizeof line)))
        return false;
    size_t len = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < job->nresults; i++) {
        while (*p == ' ' || *p == ',' || *p == '\n')
            p++;
        size_t n = e->wabt_results ? strcspn(p, ",\n") : strcspn(p, "\n");
        const char *text = p;
        if (e->wabt_results && memchr(p, ':', n)) { /* "i32:5" */
            const char *colon = memchr(p, ':', n);
            n -= (size_t)(colon + 1 - p);
            text = colon + 1;
        }
        if (!n || n >= sizeof value)
            return false;
        snprintf(value, sizeof value, "%.*s", (int)n, text);
        if (!strcmp(value, "NaN") || !strcmp(value, "-NaN") || !strcmp(value, "-nan"))
            snprintf(value, sizeof value, "nan");
        char canon[128];
        if (!canonical_value(job->results[i], value, canon, sizeof canon))
            return false;
        len += (size_t)snprintf(buf + len, size > len ? size - len : 0, "%s\n", canon);
        p = text + n;
    }
    return len < size;
}

bool cmp_results_equal(const cmp_job *job, const char *reference, const char *other,
                       bool six_decimals) {
    if (!six_decimals)
        return !strcmp(reference, other);
    for (uint32_t i = 0; i < job->nresults; i++) {
        size_t a = strcspn(reference, "\n"), b = strcspn(other, "\n");
        bool is_float = job->results[i] == W2N_F32 || job->results[i] == W2N_F64;
        if (is_float && strncmp(reference, "nan", a) && strncmp(other, "nan", b)) {
            /* The other side kept six decimals: compare at that precision. */
            char x[64], y[64];
            snprintf(x, sizeof x, "%.6f", strtod(reference, NULL));
            snprintf(y, sizeof y, "%.6f", strtod(other, NULL));
            if (strcmp(x, y))
                return false;
        } else if (a != b || strncmp(reference, other, a)) {
            return false;
        }
        reference += a + (reference[a] == '\n');
        other += b + (other[b] == '\n');
    }
    return true;
}
