/*
 * run_args.c — parsing the `run` command line and the values of --invoke
 * (formats in run_args.h).  Everything here is pure: no I/O but the usage
 * text, no runtime calls.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "run_args.h"

void w2n_run_usage(FILE *out, const char *prog, bool can_compile) {
    fprintf(out,
            "usage: %s [OPTIONS] FILE [ARGS...]\n"
            "\n"
            "Run %s as a WASI command (its _start),\n"
            "or call one of its exports with --invoke.\n"
            "Options go before FILE; everything after FILE is passed to the program.\n"
            "\n"
            "  --dir HOST[::GUEST]   preopen directory HOST, seen by the program as GUEST\n"
            "                        (default: the same path); repeatable\n"
            "  --env K=V             set an environment variable; repeatable\n"
            "  --inherit-env         pass this process's environment (before --env)\n"
            "  --invoke NAME         call export NAME with ARGS parsed by its parameter\n"
            "                        types and print each result on its own line\n"
            "  --stack-size N        native stack for Wasm code in bytes (K, M suffixes)\n"
            "  --huge-pages=WHERE    where linear memories ask for transparent huge\n"
            "                        pages: grown (the default: only what memory.grow\n"
            "                        adds, below 64 MiB), always, or never; fewer page\n"
            "                        faults, but RAM taken in 2 MiB steps\n"
            "  --no-huge-pages       --huge-pages=never, and none for the GC heap\n"
            "  --perf-map            name the compiled functions for perf, in\n"
            "                        /tmp/perf-PID.map (see docs/cli.md)\n"
            "  --timeout=SECONDS     stop the program after SECONDS (a decimal number),\n"
            "                        with or without --interruptible code; exit 124\n"
            "  --fuel=N              stop the program with the trap 'all fuel consumed'\n"
            "                        once it has run N Wasm instructions (the object must\n"
            "                        be compiled with 'w2n compile --fuel'%s)\n"
            "  --time-instantiate    run nothing; print the median time to load the object\n"
            "                        (load_us=) and to instantiate it (instantiate_us=)\n"
            "  --trust PUBKEYFILE    run only an object signed by this key (from\n"
            "                        'w2n keygen'; see 'w2n compile --sign')\n"
            "  --bounds-checks=guard|explicit\n"
            "                        bounds mode to compile a .wasm with (a compiled\n"
            "                        object keeps the mode it was compiled with)\n"
            "  --max-memory=BYTES    the most linear memory the program may have (K, M, G\n"
            "                        suffixes); memory.grow past it returns -1, a module\n"
            "                        whose initial memory exceeds it is refused (exit 4)\n"
            "  --max-gc-heap=BYTES   the most bytes of GC objects (structs, arrays) the\n"
            "                        program may hold (K, M, G; default 1G); an allocation\n"
            "                        past it after a collection traps \"out of memory\"\n"
            "  --gc-stats            at the end, print the GC heap's figures on stderr\n"
            "                        (collections, live and peak bytes, pauses)\n"
            "  --max-table-elements=N\n"
            "                        the most elements of any one table; table.grow past\n"
            "                        it returns -1, a larger initial table is refused\n"
            "  --max-open-files=N    the most descriptors the program may have open,\n"
            "                        stdio and --dir included (default 1024)\n"
            "%s"
            "  --wasm-features=LIST  Wasm proposals a .wasm may use: +NAME enables,\n"
            "                        -NAME disables (default: all w2n implements)\n"
            "  -h, --help            show this text\n"
            "  --version             print the version\n"
            "\n"
            "Exit status: the program's own, 134 when it traps (fuel included), 124 when\n"
            "--timeout ends it, 130/143 when SIGINT/SIGTERM does, 1 on other errors\n"
            "(a corrupt, unsigned or wrongly signed object among them), 2 on a bad\n"
            "command line, 3 for --trust in a build without signing support or a .wasm\n"
            "using a feature w2n does not support or --wasm-features disables, 4 when a\n"
            "limit refuses the module%s.\n",
            prog, can_compile ? "a .wasm module or a compiled object" : "a compiled object",
            can_compile ? ";\n                        a .wasm is compiled so" : "",
            can_compile ? "  --max-compile-memory=BYTES\n"
                          "                        refuse a .wasm whose compile needs more memory\n"
                          "                        (K, M, G suffixes; default 4G, 0: none)\n"
                          "  --max-compile-time=SECONDS\n"
                          "                        refuse a .wasm whose compile takes more CPU\n"
                          "                        time (default 120, 0: none)\n"
                        : "",
            can_compile ? ", 4 when a .wasm exceeds a limit of w2n's or a compile budget" : "");
}

static bool fail(char *msg, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return false;
}

/* The one parser of the sizes and counts of the command line: an unsigned
 * decimal number, with `suffixes` optionally followed by K, M or G (times
 * 2^10, 2^20, 2^30).  False when s is anything else, when it is 0 and not
 * `zero_ok`, or when the value exceeds `max`; the caller's message then says
 * what the option needs. */
static bool parse_number(const char *s, bool suffixes, bool zero_ok, uint64_t max, uint64_t *out) {
    if (!isdigit((unsigned char)*s)) /* strtoull would take spaces and signs */
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (suffixes && *end) {
        const char *units = "kKmMgG", *u = strchr(units, *end);
        shift = u ? 10 * (unsigned)((u - units) / 2 + 1) : 0;
        end += shift != 0;
    }
    if (errno || *end || (v == 0 && !zero_ok) || v > (max >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Seconds for --timeout: a positive decimal number, at most a year. */
static bool parse_seconds(const char *s, double *out) {
    if (!isdigit((unsigned char)*s) && *s != '.')
        return false;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > 366.0 * 86400)
        return false;
    *out = v;
    return true;
}

int w2n_compile_budget_option(const char *arg, w2n_compile_budget *b, char *msg, size_t msg_size) {
    static const char mem[] = "--max-compile-memory=", time[] = "--max-compile-time=";
    if (!strncmp(arg, mem, sizeof mem - 1)) {
        if (parse_number(arg + sizeof mem - 1, true, true, SIZE_MAX, &b->max_memory))
            return 1;
        return fail(msg, msg_size,
                    "--max-compile-memory needs a size in bytes such as 512M "
                    "(0: none), got '%s'",
                    arg + sizeof mem - 1),
               -1;
    }
    if (!strncmp(arg, time, sizeof time - 1)) {
        if (parse_number(arg + sizeof time - 1, false, true, 1u << 30, &b->max_seconds))
            return 1;
        return fail(msg, msg_size,
                    "--max-compile-time needs whole CPU seconds (0: none), "
                    "got '%s'",
                    arg + sizeof time - 1),
               -1;
    }
    return 0;
}

/* Option `name` with its value either "=VALUE" or in the next argument. */
static const char *option_value(const char *name, int argc, char **argv, int *i, bool *matched) {
    size_t n = strlen(name);
    const char *a = argv[*i];
    *matched = false;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=') {
        *matched = true;
        return a + n + 1;
    }
    if (a[n] != 0)
        return NULL;
    *matched = true;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* The options without a value: each sets one flag. */
static bool *flag_option(const char *a, w2n_run_options *o) {
    return !strcmp(a, "--time-instantiate") ? &o->time_instantiate
           : !strcmp(a, "--inherit-env")    ? &o->inherit_env
           : !strcmp(a, "--no-huge-pages")  ? &o->no_huge_pages
           : !strcmp(a, "--perf-map")       ? &o->perf_map
           : !strcmp(a, "--gc-stats")       ? &o->gc_stats
           : !strcmp(a, "--version")        ? &o->version
                                            : NULL;
}

/* The resource limits (--max-*): 1 matched, 0 not one of them, -1 matched
 * with a bad value (msg says why).  Each sets a uint64_t of the options. */
static int limit_option(int argc, char **argv, int *i, w2n_run_options *o, char *msg, size_t size) {
    static const struct {
        const char *name, *what;
        size_t off;
        uint64_t max;
    } opts[] = {
        {"--max-memory", "a positive size in bytes such as 64M",
         offsetof(w2n_run_options, limits.max_memory), UINT64_MAX},
        {"--max-gc-heap", "a positive size in bytes such as 128M",
         offsetof(w2n_run_options, limits.max_gc_heap), UINT64_MAX},
        {"--max-table-elements", "a positive number of elements",
         offsetof(w2n_run_options, limits.max_table_elements), UINT64_MAX},
        {"--max-open-files", "a positive number of descriptors below 2^32",
         offsetof(w2n_run_options, max_open_files), UINT32_MAX},
    };
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        bool m;
        const char *v = option_value(opts[k].name, argc, argv, i, &m);
        if (!m)
            continue;
        uint64_t n;
        if (!v || !parse_number(v, true, false, opts[k].max, &n)) {
            fail(msg, size, "%s needs %s, got '%s'", opts[k].name, opts[k].what, v ? v : "");
            return -1;
        }
        *(uint64_t *)((char *)o + opts[k].off) = n;
        return 1;
    }
    return 0;
}

static bool huge_pages_parse(const char *v, w2n_huge_pages *out) {
    *out = !v                     ? W2N_HUGE_PAGES_DEFAULT
           : !strcmp(v, "grown")  ? W2N_HUGE_PAGES_GROWN
           : !strcmp(v, "always") ? W2N_HUGE_PAGES_ALWAYS
           : !strcmp(v, "never")  ? W2N_HUGE_PAGES_NEVER
                                  : W2N_HUGE_PAGES_DEFAULT;
    return *out != W2N_HUGE_PAGES_DEFAULT;
}

static bool push(const char ***list, int *n, const char *v) {
    const char **l = realloc(*list, ((size_t)*n + 1) * sizeof *l);
    if (!l)
        return false;
    l[(*n)++] = v;
    *list = l;
    return true;
}

bool w2n_run_parse(int argc, char **argv, w2n_run_options *o, char *msg, size_t size) {
    memset(o, 0, sizeof *o);
    o->bounds = W2N_BOUNDS_GUARD;
    o->compile_budget.max_memory = W2N_RUN_DEFAULT_COMPILE_MEMORY;
    o->compile_budget.max_seconds = W2N_RUN_DEFAULT_COMPILE_SECONDS;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        bool m;
        const char *v;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == 0)
            break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
            return true;
        }
        bool *flag = flag_option(a, o);
        if (flag) {
            *flag = true;
            continue;
        }
        int budget = w2n_compile_budget_option(a, &o->compile_budget, msg, size);
        if (budget < 0)
            return false;
        if (budget > 0)
            continue;
        int limit = limit_option(argc, argv, &i, o, msg, size);
        if (limit < 0)
            return false;
        if (limit)
            continue;
        if ((v = option_value("--dir", argc, argv, &i, &m)), m) {
            if (!v || !*v)
                return fail(msg, size, "--dir needs HOST[::GUEST]");
            if (!push(&o->dirs, &o->ndirs, v))
                return fail(msg, size, "out of memory");
        } else if ((v = option_value("--env", argc, argv, &i, &m)), m) {
            if (!v || !strchr(v, '=') || v[0] == '=')
                return fail(msg, size, "--env needs KEY=VALUE, got '%s'", v ? v : "");
            if (!push(&o->envs, &o->nenvs, v))
                return fail(msg, size, "out of memory");
        } else if ((v = option_value("--invoke", argc, argv, &i, &m)), m) {
            if (!v || !*v)
                return fail(msg, size, "--invoke needs an export name");
            o->invoke = v;
        } else if ((v = option_value("--stack-size", argc, argv, &i, &m)), m) {
            uint64_t n;
            if (!v || !parse_number(v, true, false, SIZE_MAX, &n))
                return fail(msg, size, "--stack-size needs a positive size such as 8M, got '%s'",
                            v ? v : "");
            o->stack_size = (size_t)n;
        } else if ((v = option_value("--trust", argc, argv, &i, &m)), m) {
            if (!v || !*v)
                return fail(msg, size, "--trust needs a public key file");
            o->trust = v;
        } else if ((v = option_value("--timeout", argc, argv, &i, &m)), m) {
            if (!v || !parse_seconds(v, &o->timeout))
                return fail(msg, size, "--timeout needs a positive number of seconds, got '%s'",
                            v ? v : "");
        } else if ((v = option_value("--fuel", argc, argv, &i, &m)), m) {
            /* 0 is allowed: the trap comes at the first charge. */
            if (!v || !parse_number(v, false, true, UINT64_MAX, &o->fuel))
                return fail(msg, size, "--fuel needs a count of instructions, got '%s'",
                            v ? v : "");
            o->has_fuel = true;
        } else if ((v = option_value("--wasm-features", argc, argv, &i, &m)), m) {
            if (!v || !*v)
                return fail(msg, size, "--wasm-features needs a list such as -simd,+bulk-memory");
            o->wasm_features = v;
        } else if ((v = option_value("--huge-pages", argc, argv, &i, &m)), m) {
            if (!huge_pages_parse(v, &o->huge_pages))
                return fail(msg, size, "--huge-pages must be grown, always or never, got '%s'",
                            v ? v : "");
        } else if ((v = option_value("--bounds-checks", argc, argv, &i, &m)), m) {
            if (!w2n_bounds_mode_parse(v, &o->bounds))
                return fail(msg, size, "--bounds-checks must be guard or explicit, got '%s'",
                            v ? v : "");
        } else {
            return fail(msg, size, "unknown option '%s'", a);
        }
    }
    if (i >= argc && o->version)
        return true;
    if (i >= argc)
        return fail(msg, size, "no FILE to run");
    o->file = argv[i];
    o->args = argv + i + 1;
    o->nargs = argc - i - 1;
    return true;
}

void w2n_run_options_free(w2n_run_options *o) {
    free(o->dirs);
    free(o->envs);
    memset(o, 0, sizeof *o);
}

/* An integer of `bits` bits, signed or unsigned, decimal or 0x hex. */
static bool parse_int(const char *s, unsigned bits, uint64_t *out) {
    bool neg = *s == '-';
    if (neg || *s == '+')
        s++;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!isxdigit((unsigned char)*s)) /* strtoull would take spaces and signs */
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end)
        return false;
    uint64_t max = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    if (neg) {
        if (v > (UINT64_C(1) << (bits - 1)))
            return false;
        v = (0 - v) & max;
    } else if (v > max) {
        return false;
    }
    *out = v;
    return true;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool w2n_run_parse_value(const char *s, w2n_valtype t, w2n_value *out) {
    memset(out, 0, sizeof *out);
    out->type = t;
    uint64_t u;
    char *end;
    switch (t) {
    case W2N_I32:
        if (!parse_int(s, 32, &u))
            return false;
        out->of.i32 = (int32_t)(uint32_t)u;
        return true;
    case W2N_I64:
        if (!parse_int(s, 64, &u))
            return false;
        out->of.i64 = (int64_t)u;
        return true;
    case W2N_F32:
        if (!*s || isspace((unsigned char)*s))
            return false;
        out->of.f32 = strtof(s, &end);
        return *end == 0;
    case W2N_F64:
        if (!*s || isspace((unsigned char)*s))
            return false;
        out->of.f64 = strtod(s, &end);
        return *end == 0;
    case W2N_V128: {
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            s += 2;
        size_t n = strlen(s);
        if (n == 0 || n > 32)
            return false;
        for (size_t k = 0; k < n; k++) { /* digit k from the right is nibble k */
            int d = hexval(s[n - 1 - k]);
            if (d < 0)
                return false;
            out->of.v128[k / 2] |= (uint8_t)(d << (4 * (k % 2)));
        }
        return true;
    }
    default: out->of.ref = NULL; return w2n_valtype_is_ref(t) && !strcmp(s, "null");
    }
}

/* The shortest %g form that reads back as the same value. */
static void format_float(double v, bool single, char *buf, size_t size) {
    if (isnan(v)) {
        snprintf(buf, size, "%snan", signbit(v) ? "-" : "");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            return;
    }
}

void w2n_run_format_value(const w2n_value *v, char *buf, size_t size) {
    switch (v->type) {
    case W2N_I32: snprintf(buf, size, "%d", v->of.i32); break;
    case W2N_I64: snprintf(buf, size, "%lld", (long long)v->of.i64); break;
    case W2N_F32: format_float(v->of.f32, true, buf, size); break;
    case W2N_F64: format_float(v->of.f64, false, buf, size); break;
    case W2N_V128: {
        if (size < 35) {
            snprintf(buf, size, "?");
            break;
        }
        buf[0] = '0';
        buf[1] = 'x';
        for (int k = 0; k < 16; k++)
            snprintf(buf + 2 + 2 * k, 3, "%02x", v->of.v128[15 - k]);
        break;
    }
    default:
        snprintf(buf, size, "%s", !w2n_valtype_is_ref(v->type) ? "?" : v->of.ref ? "ref" : "null");
        break;
    }
}
