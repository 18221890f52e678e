/*
 * oracle_spec.c — the specification's reference interpreter as the oracle
 * of w2n-fuzz-run, for modules wabt's wasm-interp cannot run (tail calls,
 * multiple memories, 64-bit memories, extended constants, exceptions,
 * typed function references).
 *
 * One process runs one script: a marker module, the module under test, and
 * each function export in export order, each followed by a call to the
 * marker, which prints `[0 K] : [f32 i32]`.  A result line belongs to the
 * export before the next marker; an export without results prints nothing.
 * A trap ends the script ("runtime trap: MESSAGE"), so the export after the
 * last marker trapped.  The script then runs again with that export under
 * assert_trap (assert_exhaustion for a stack overflow), which goes on past
 * it: one more process per trapping export, each replaying the same
 * deterministic calls on a fresh instance.  To spare most of those
 * processes, the first script already expects each trap w2n reported, with
 * its message (assert_trap checks it); a wrong guess fails an assertion,
 * and the module runs again without guesses.  An uncaught exception ends
 * the script too ("uncaught exception with args ..."): that export runs
 * under assert_exception next time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "oracle.h"

/* The reference interpreter's trap texts (prefixes; some go on with an
 * index or the types) in w2n's vocabulary. */
static const struct {
    const char *spec;
    w2n_trap_code code;
} spec_traps[] = {
    {"unreachable executed", W2N_TRAP_UNREACHABLE},
    {"out of bounds memory access", W2N_TRAP_MEMORY_OOB},
    {"out of bounds table access", W2N_TRAP_TABLE_OOB},
    {"undefined element", W2N_TRAP_UNDEFINED_ELEMENT},
    {"uninitialized element", W2N_TRAP_UNINITIALIZED},
    {"indirect call type mismatch", W2N_TRAP_INDIRECT_TYPE},
    {"integer divide by zero", W2N_TRAP_INT_DIV_ZERO},
    {"integer overflow", W2N_TRAP_INT_OVERFLOW},
    {"invalid conversion to integer", W2N_TRAP_INVALID_CONVERSION},
    {"call stack exhausted", W2N_TRAP_STACK_EXHAUSTED},
    {"null function reference", W2N_TRAP_NULL_FUNC_REF},
    {"null reference", W2N_TRAP_NULL_REF},
    {"null exception reference", W2N_TRAP_NULL_EXCEPTION},
    {"null structure reference", W2N_TRAP_NULL_STRUCT},
    {"null array reference", W2N_TRAP_NULL_ARRAY},
    {"null i31 reference", W2N_TRAP_NULL_I31},
    {"out of bounds array access", W2N_TRAP_ARRAY_OOB},
    {"cast failure", W2N_TRAP_CAST_FAILURE},
    {"out of memory", W2N_TRAP_GC_OUT_OF_MEMORY},
};

typedef enum {
    EXPECT_RUN,
    EXPECT_TRAP,
    EXPECT_EXHAUSTION,
    EXPECT_EXCEPTION
} expectation;

/* ---- the module's function exports ------------------------------------------------ */

static bool read_leb(const uint8_t *b, size_t n, size_t *at, uint64_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; *at < n && shift < 64; shift += 7) {
        uint8_t byte = b[(*at)++];
        v |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* The names of the function exports, in order; false when the binary is
 * not framed well enough to find them (the interpreter will say why). */
static bool function_exports(const uint8_t *b, size_t n, run *r) {
    size_t at = 8;
    while (at < n) {
        uint8_t id = b[at++];
        uint64_t size;
        if (!read_leb(b, n, &at, &size) || size > n - at)
            return false;
        size_t end = at + (size_t)size;
        if (id != 7) {
            at = end;
            continue;
        }
        uint64_t count;
        if (!read_leb(b, end, &at, &count))
            return false;
        for (uint64_t i = 0; i < count; i++) {
            uint64_t len, index;
            if (!read_leb(b, end, &at, &len) || len > end - at || len >= sizeof r->o[0].name)
                return false;
            const uint8_t *name = b + at;
            at += (size_t)len;
            if (at >= end)
                return false;
            uint8_t kind = b[at++];
            if (!read_leb(b, end, &at, &index))
                return false;
            if (kind != 0 || r->n == MAX_EXPORTS)
                continue;
            memcpy(r->o[r->n].name, name, (size_t)len);
            r->o[r->n++].name[len] = 0;
        }
        return true;
    }
    return true;
}

/* ---- the script --------------------------------------------------------------------- */

static void put_bytes(FILE *f, const uint8_t *b, size_t n) {
    fputc('"', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "\\%02x", b[i]);
    fputc('"', f);
}

static bool write_script(const char *path, const uint8_t *wasm, size_t n, const run *r,
                         const expectation *expect, const char *const *words) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fputs("(module $M (func (export \"m\") (param i32) (result f32 i32)"
          " (f32.const 0) (local.get 0)))\n(module $T binary ",
          f);
    put_bytes(f, wasm, n);
    fputs(")\n(invoke $M \"m\" (i32.const -1))\n", f);
    for (size_t k = 0; k < r->n; k++) {
        const char *wrap = expect[k] == EXPECT_TRAP         ? "(assert_trap "
                           : expect[k] == EXPECT_EXHAUSTION ? "(assert_exhaustion "
                           : expect[k] == EXPECT_EXCEPTION  ? "(assert_exception "
                                                            : "";
        fprintf(f, "%s(invoke $T ", wrap);
        put_bytes(f, (const uint8_t *)r->o[k].name, strlen(r->o[k].name));
        if (expect[k] == EXPECT_EXCEPTION)
            fputs("))", f);
        else if (*wrap)
            fprintf(f, ") \"%s\")", words[k] ? words[k] : "");
        else
            fputs(")", f);
        fprintf(f, "\n(invoke $M \"m\" (i32.const %zu))\n", k);
    }
    return fclose(f) == 0;
}

/* ---- its output ---------------------------------------------------------------------- */

/* "5 : [i32]" or "[5 -1] : [i32 i64]" (digits grouped by '_') in wabt's
 * words; false if the line is not a result. */
static bool format_result(const char *line, char *out, size_t size) {
    const char *colon = strstr(line, " : [");
    if (!colon)
        return false;
    char vals[512], types[512];
    snprintf(vals, sizeof vals, "%.*s", (int)(colon - line), line);
    snprintf(types, sizeof types, "%s", colon + 4);
    char *vsave = NULL, *tsave = NULL, *v = strtok_r(vals, "[] ", &vsave);
    char *t = strtok_r(types, "[] \n", &tsave);
    size_t len = 0;
    out[0] = 0;
    for (bool first = true; v && t && len < size; first = false) {
        char digits[64];
        size_t d = 0;
        for (const char *c = v; *c && d + 1 < sizeof digits; c++)
            if (*c != '_')
                digits[d++] = *c;
        digits[d] = 0;
        const char *sep = first ? "" : ", ";
        if (!strcmp(t, "i32"))
            len += (size_t)snprintf(out + len, size - len, "%si32:%u", sep,
                                    (unsigned)(uint32_t)strtoll(digits, NULL, 10));
        else if (!strcmp(t, "i64"))
            len += (size_t)snprintf(out + len, size - len, "%si64:%llu", sep,
                                    (unsigned long long)(digits[0] == '-'
                                                             ? (uint64_t)strtoll(digits, NULL, 10)
                                                             : strtoull(digits, NULL, 10)));
        else
            len += (size_t)snprintf(out + len, size - len, "%s?", sep);
        v = strtok_r(NULL, "[] ", &vsave);
        t = strtok_r(NULL, "[] \n", &tsave);
    }
    return true;
}

/* A marker line: its K, or -2. */
static long marker(const char *line) {
    if (strncmp(line, "[0 ", 3) || !strstr(line, "] : [f32 i32]"))
        return -2;
    return strtol(line + 3, NULL, 10);
}

/* "...: uncaught exception with args A" (one value) or "[An ... A1]"
 * (several, last first): the outcome in fuzz_float_text's words. */
static bool exception_line(const char *line, char *out, size_t size) {
    static const char key[] = "uncaught exception with args ";
    const char *m = strstr(line, key);
    if (!m)
        return false;
    char args[512], *tok[16], *save = NULL;
    size_t n = 0, d = 0;
    for (const char *c = m + sizeof key - 1; *c && *c != '\n' && d + 1 < sizeof args; c++)
        if (*c != '_')
            args[d++] = *c;
    args[d] = 0;
    for (char *t = strtok_r(args, "[] ", &save); t && n < 16; t = strtok_r(NULL, "[] ", &save))
        tok[n++] = t;
    size_t len = (size_t)snprintf(out, size, EXCEPTION_PREFIX);
    for (size_t i = n; i-- > 0 && len < size;) {
        char v[64], *end;
        errno = 0;
        long long x = strtoll(tok[i], &end, 10);
        if (!*end && !errno)
            snprintf(v, sizeof v, "%lld", x);
        else if (strstr(tok[i], "nan"))
            snprintf(v, sizeof v, "nan");
        else
            fuzz_float_text(v, sizeof v, strtod(tok[i], NULL));
        len += (size_t)snprintf(out + len, size - len, "%s%s", i + 1 == n ? "" : " ", v);
    }
    return true;
}

/* "...: runtime trap: MESSAGE": the trap in w2n's words and what to expect
 * of that export next time; false if the line is no trap. */
static bool trap_line(const char *line, char *out, size_t size, expectation *e) {
    if (exception_line(line, out, size)) {
        *e = EXPECT_EXCEPTION;
        return true;
    }
    const char *m = strstr(line, ": runtime trap: ");
    *e = EXPECT_TRAP;
    if (!m) {
        m = strstr(line, ": resource exhaustion: ");
        *e = EXPECT_EXHAUSTION;
    }
    if (!m)
        return false;
    m = strchr(m + 2, ':') + 2;
    for (size_t i = 0; i < sizeof spec_traps / sizeof spec_traps[0]; i++)
        if (!strncmp(m, spec_traps[i].spec, strlen(spec_traps[i].spec))) {
            fuzz_trap_text(out, size, spec_traps[i].code);
            return true;
        }
    snprintf(out, size, "trap:(spec) %.*s", (int)strcspn(m, "\n"), m);
    return true;
}

/* One process: fills outcomes up to the first export that traps; returns
 * the index of that export (r->n when all ran), or -1 when the module did
 * not start or the run ended some other way (r->why says how). */
static long run_once(const char *interp, const char *script, run *r, expectation *expect) {
    char cmd[4096], line[2048], pending[256] = "", trap[256] = "";
    snprintf(cmd, sizeof cmd, "timeout 60 %s -b 1000 %s 2>&1", interp, script);
    FILE *p = popen(cmd, "r");
    if (!p) {
        snprintf(r->why, sizeof r->why, "cannot run %s", interp);
        return -1;
    }
    long last = -2;
    expectation e = EXPECT_RUN;
    while (fgets(line, sizeof line, p)) {
        long k = marker(line);
        if (k >= 0 && k < (long)r->n) {
            if (expect[k] == EXPECT_RUN) /* else it keeps its trap */
                snprintf(r->o[k].text, sizeof r->o[k].text, "%s", pending);
            pending[0] = 0;
            last = k;
        } else if (k == -1) {
            last = -1;
        } else if (format_result(line, pending, sizeof pending)) {
            continue;
        } else if (!trap_line(line, trap, sizeof trap, &e) && !r->why[0]) {
            snprintf(r->why, sizeof r->why, "%.*s", (int)strcspn(line, "\n"), line);
        }
    }
    int status = pclose(p);
    if (last == -2)
        return -1; /* refused, or instantiation trapped */
    long next = last + 1;
    if (next == (long)r->n && status == 0)
        return next;
    if (!trap[0] || next >= (long)r->n || expect[next] != EXPECT_RUN)
        return -1;
    snprintf(r->o[next].text, sizeof r->o[next].text, "%s", trap);
    expect[next] = e;
    return next;
}

/* The reference interpreter's words for a trap in w2n's, or NULL. */
static const char *spec_words(const char *text) {
    for (size_t i = 0; i < sizeof spec_traps / sizeof spec_traps[0]; i++) {
        char t[128];
        fuzz_trap_text(t, sizeof t, spec_traps[i].code);
        if (!strcmp(t, text))
            return spec_traps[i].spec;
    }
    return NULL;
}

/* Expect each export to trap where the hint (w2n's run) trapped, with its
 * message, so that one process usually does; false if the hint says
 * nothing. */
static bool guess(const run *hint, run *r, expectation *expect, const char **words) {
    bool any = false;
    if (!hint || hint->failed || hint->n != r->n)
        return false;
    for (size_t k = 0; k < r->n; k++) {
        const char *w = spec_words(hint->o[k].text);
        if (strcmp(hint->o[k].name, r->o[k].name))
            return false;
        if (!w)
            continue;
        expect[k] = !strcmp(w, "call stack exhausted") ? EXPECT_EXHAUSTION : EXPECT_TRAP;
        words[k] = w;
        snprintf(r->o[k].text, sizeof r->o[k].text, "%s", hint->o[k].text);
        any = true;
    }
    return any;
}

void fuzz_oracle_spec(const char *interp, const char *script_path, const uint8_t *wasm, size_t n,
                      const run *hint, run *r) {
    memset(r, 0, sizeof *r);
    expectation expect[MAX_EXPORTS] = {0};
    const char *words[MAX_EXPORTS] = {0};
    if (!function_exports(wasm, n, r)) {
        r->n = 0;
        r->failed = true;
        snprintf(r->why, sizeof r->why, "malformed export section");
        return;
    }
    bool guessed = guess(hint, r, expect, words);
    for (;;) {
        if (!write_script(script_path, wasm, n, r, expect, words)) {
            r->failed = true;
            snprintf(r->why, sizeof r->why, "cannot write %s", script_path);
            return;
        }
        r->why[0] = 0;
        long k = run_once(interp, script_path, r, expect);
        if (k < 0 && guessed) { /* a guess was wrong (or the run failed): start over */
            guessed = false;
            for (size_t i = 0; i < r->n; i++)
                expect[i] = EXPECT_RUN, words[i] = NULL, r->o[i].text[0] = 0;
            continue;
        }
        if (k < 0) {
            r->failed = true;
            if (!r->why[0])
                snprintf(r->why, sizeof r->why, "the reference interpreter stopped early");
            return;
        }
        if (k == (long)r->n)
            return;
    }
}
