/*
 * fuzz_compile.c — w2n-fuzz-compile: mutation fuzzing of the whole compiler.
 *
 *     w2n-fuzz-compile [--seed N] [--iterations N] [--cross-every N]
 *                      [--determinism-every N] [--max-seconds S]
 *                      [--generate PERCENT] [--allow-unsupported]
 *                      [--keep-going DIR] [--verbose] [SEED.wasm|DIR...]
 *
 * Each iteration makes either a random valid module (gen.c; --generate
 * percent of the iterations, default 50, or 100 without seeds), sometimes
 * mutated further, or one mutant of the seeds (the mutator of
 * w2n-fuzz-validate, mutate.c).  Mutants that validate go through the full
 * w2n_compile for x86_64 at -O0 and -O2, and every Nth valid mutant
 * (--cross-every, default 8) also for aarch64 and riscv64.  Every compile
 * must either succeed with a non-empty ELF relocatable object for the right
 * machine, or fail cleanly: a status that is not MALFORMED/INVALID (the input
 * validated), not INTERNAL (LLVM refused our IR: always a w2n bug), with a
 * one-line message and an offset inside the input.  W2N_ERR_UNSUPPORTED is
 * accepted only with --allow-unsupported, and counted per instruction.
 * Every Nth valid mutant (--determinism-every, default 4) is compiled a
 * second time (x86_64 -O2, and the cross targets when they run) and the two
 * objects must be byte-identical.  Every
 * third module is compiled with explicit bounds checks, every fourth
 * interruptible, every fifth with --fuel.
 *
 * The current input is written to fuzz-compile-current.wasm before it is
 * compiled, so a crash or sanitizer report leaves its reproducer behind.  An
 * invariant failure writes fuzz-compile-failure.wasm and stops, or with
 * --keep-going DIR saves DIR/fail-NNNNNNN.wasm and continues.
 * Exit 0 when every check held, 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "mutate.h"
#include "w2n/compiler.h"

/* SIGINT/SIGTERM end the loop after the current input, so a long run
 * still prints its summary. */
static volatile sig_atomic_t stop_requested;
static void request_stop(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* SIGALRM: one compile took far too long. */
static void hang(int sig) {
    static const char msg[] = "w2n-fuzz-compile: a compile took over 120 s "
                              "(input in fuzz-compile-current.wasm)\n";
    (void)sig;
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(1);
}

#define PROG "w2n-fuzz-compile"

typedef struct target_info {
    const char *triple;
    uint16_t e_machine;
} target_info;

static const target_info targets[] = {
    {"x86_64-linux-gnu", 62},
    {"aarch64-linux-gnu", 183},
    {"riscv64-linux-gnu", 243},
};

/* Instructions the lowering refused, by name. */
typedef struct unsupported_count {
    char name[64];
    unsigned long long count;
} unsupported_count;

typedef struct stats {
    unsigned long long mutants, valid, compiles, ok, unsupported, determinism_checks;
    unsigned long long failures;
    unsupported_count *unsup;
    size_t nunsup;
} stats;

typedef struct config {
    unsigned long long cross_every, determinism_every;
    bool allow_unsupported, verbose;
    const char *keep_going;
} config;

static void count_unsupported(stats *st, const char *message) {
    /* "instruction NAME is not supported yet"; any other wording counts whole. */
    char name[64];
    const char *p = strstr(message, "instruction ");
    if (p && sscanf(p + 12, "%63s", name) == 1) {
        /* keep the name */
    } else {
        snprintf(name, sizeof name, "%.63s", message);
    }
    for (size_t i = 0; i < st->nunsup; i++)
        if (!strcmp(st->unsup[i].name, name)) {
            st->unsup[i].count++;
            return;
        }
    unsupported_count *u = realloc(st->unsup, (st->nunsup + 1) * sizeof *u);
    if (!u)
        return;
    st->unsup = u;
    snprintf(u[st->nunsup].name, sizeof u[st->nunsup].name, "%s", name);
    u[st->nunsup++].count = 1;
}

static bool elf_ok(const uint8_t *obj, size_t size, uint16_t machine) {
    static const uint8_t magic[] = {0x7F, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */};
    if (size < 64 || memcmp(obj, magic, sizeof magic))
        return false;
    uint16_t type = (uint16_t)(obj[16] | obj[17] << 8);
    uint16_t mach = (uint16_t)(obj[18] | obj[19] << 8);
    return type == 1 /* ET_REL */ && mach == machine;
}

/* One compile; checks the outcome.  On success with want_obj, hands the
 * object to the caller; otherwise frees it. */
/* The modes a module is compiled in besides target and level. */
typedef struct variant {
    w2n_bounds_mode bounds;
    bool interruptible;
    bool fuel;
} variant;

static bool compile_one(const uint8_t *wasm, size_t n, const target_info *t, int opt,
                        const variant *v, const config *cfg, stats *st, uint8_t **keep_obj,
                        size_t *keep_size) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.target = t->triple;
    opts.opt_level = opt;
    opts.bounds = v->bounds;
    opts.interruptible = v->interruptible;
    opts.fuel = v->fuel;
    uint8_t *obj = NULL;
    size_t size = 0;
    w2n_error err;
    memset(&err, 0xA5, sizeof err);
    alarm(120);
    w2n_status s = w2n_compile(wasm, n, &opts, &obj, &size, &err);
    alarm(0);
    st->compiles++;
    bool ok = true;
    if (s == W2N_OK) {
        st->ok++;
        if (!obj || !elf_ok(obj, size, t->e_machine)) {
            fprintf(stderr, PROG ": %s -O%d: W2N_OK but no ELF relocatable object (%zu bytes)\n",
                    t->triple, opt, size);
            ok = false;
        }
        if (ok && keep_obj) {
            *keep_obj = obj;
            *keep_size = size;
            return true;
        }
        free(obj);
        return ok;
    }
    if (obj || size) {
        fprintf(stderr, PROG ": %s -O%d: failed but returned an object\n", t->triple, opt);
        ok = false;
    }
    free(obj);
    bool message_ok =
        memchr(err.message, 0, sizeof err.message) && err.message[0] && !strchr(err.message, '\n');
    if (!message_ok || err.code != s || (err.offset != W2N_NO_OFFSET && err.offset > n)) {
        fprintf(stderr,
                PROG ": %s -O%d: bad error record (status %d, code %d, offset %llu of %zu)\n",
                t->triple, opt, s, err.code, (unsigned long long)err.offset, n);
        return false;
    }
    if (cfg->verbose)
        printf("%s -O%d: %s: offset %llu: %s\n", t->triple, opt, w2n_status_name(s),
               (unsigned long long)err.offset, err.message);
    switch (s) {
    case W2N_ERR_UNSUPPORTED:
        st->unsupported++;
        count_unsupported(st, err.message);
        if (!cfg->allow_unsupported) {
            fprintf(stderr, PROG ": %s -O%d: unsupported: %s\n", t->triple, opt, err.message);
            ok = false;
        }
        break;
    case W2N_ERR_NOMEM: break;
    default:
        /* MALFORMED/INVALID after w2n_validate said OK, INTERNAL, anything else. */
        fprintf(stderr, PROG ": %s -O%d: %s: offset %llu: %s\n", t->triple, opt, w2n_status_name(s),
                (unsigned long long)err.offset, err.message);
        ok = false;
    }
    return ok;
}

/* Compile at `opt` for t; with `twice`, compile again and compare the objects. */
static bool compile_checked(const uint8_t *wasm, size_t n, const target_info *t, int opt,
                            const variant *v, bool twice, const config *cfg, stats *st) {
    uint8_t *first = NULL, *second = NULL;
    size_t first_size = 0, second_size = 0;
    bool ok = compile_one(wasm, n, t, opt, v, cfg, st, twice ? &first : NULL, &first_size);
    if (!first)
        return ok;
    st->determinism_checks++;
    ok = compile_one(wasm, n, t, opt, v, cfg, st, &second, &second_size) && ok;
    if (second && (second_size != first_size || memcmp(first, second, first_size))) {
        fprintf(stderr, PROG ": %s -O%d: two compiles differ (%zu vs %zu bytes)\n", t->triple, opt,
                first_size, second_size);
        ok = false;
    }
    free(second);
    free(first);
    return ok;
}

/* All the compiles of one valid mutant. */
static bool check_valid(const uint8_t *wasm, size_t n, const config *cfg, stats *st) {
    bool ok = true;
    bool determinism = cfg->determinism_every && st->valid % cfg->determinism_every == 0;
    /* Every third module with explicit bounds checks, every fourth
     * interruptible, every fifth with fuel. */
    variant v = {st->valid % 3 == 1 ? W2N_BOUNDS_EXPLICIT : W2N_BOUNDS_GUARD, st->valid % 4 == 3,
                 st->valid % 5 == 2};
    ok = compile_checked(wasm, n, &targets[0], 0, &v, false, cfg, st) && ok;
    ok = compile_checked(wasm, n, &targets[0], 2, &v, determinism, cfg, st) && ok;
    if (cfg->cross_every && st->valid % cfg->cross_every == 0) {
        int rv_opt = (int)(st->valid / cfg->cross_every % 2) * 2;
        ok = compile_checked(wasm, n, &targets[1], 2, &v, determinism, cfg, st) && ok;
        ok = compile_checked(wasm, n, &targets[2], rv_opt, &v, determinism, cfg, st) && ok;
    }
    return ok;
}

/* Validate, then (if valid) compile; false when an invariant broke. */
static bool check_one(const uint8_t *src, size_t n, const config *cfg, stats *st) {
    /* Exactly sized, so that a read past the end is an ASan report. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return true;
    if (n)
        memcpy(copy, src, n);
    bool ok = true;
    w2n_error err;
    st->mutants++;
    /* Compilable features only: w2n_validate also accepts GC, which the
     * compiler refuses as unsupported. */
    if (w2n_validate_features(copy, n, w2n_features_default(), &err) == W2N_OK) {
        fuzz_write_file("fuzz-compile-current.wasm", copy, n);
        ok = check_valid(copy, n, cfg, st);
        st->valid++;
    }
    free(copy);
    return ok;
}

static void usage(FILE *out) {
    fprintf(out, "usage: " PROG " [--seed N] [--iterations N] [--cross-every N] "
                 "[--determinism-every N]\n"
                 "       [--max-seconds S] [--generate PERCENT] [--allow-unsupported]\n"
                 "       [--keep-going DIR] [--verbose] [SEED.wasm|DIR...]\n");
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_count(const void *a, const void *b) {
    const unsupported_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void report(stats *st, unsigned long long iterations, uint64_t seed, double secs) {
    printf(PROG ": seed %llu, %llu iterations in %.1f s: %llu mutants, %llu valid, %llu compiles "
                "(%llu ok, %llu unsupported), %llu determinism checks, %llu failures\n",
           (unsigned long long)seed, iterations, secs, st->mutants, st->valid, st->compiles, st->ok,
           st->unsupported, st->determinism_checks, st->failures);
    if (st->nunsup) /* qsort must not get NULL, even for no items */
        qsort(st->unsup, st->nunsup, sizeof *st->unsup, by_count);
    for (size_t i = 0; i < st->nunsup; i++)
        printf("  unsupported %-28s %llu\n", st->unsup[i].name, st->unsup[i].count);
    /* Before LeakSanitizer's exit-time report, which ends the process. */
    fflush(stdout);
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    unsigned long long iterations = 1000;
    double max_seconds = 0;
    long generate = -1;
    config cfg = {.cross_every = 8, .determinism_every = 4};
    fuzz_corpus c = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_arg = i + 1 < argc;
        if (!strcmp(a, "--seed") && has_arg) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--iterations") && has_arg) {
            iterations = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--cross-every") && has_arg) {
            cfg.cross_every = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--determinism-every") && has_arg) {
            cfg.determinism_every = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--max-seconds") && has_arg) {
            max_seconds = strtod(argv[++i], NULL);
        } else if (!strcmp(a, "--generate") && has_arg) {
            generate = strtol(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--keep-going") && has_arg) {
            cfg.keep_going = argv[++i];
        } else if (!strcmp(a, "--allow-unsupported")) {
            cfg.allow_unsupported = true;
        } else if (!strcmp(a, "--verbose")) {
            cfg.verbose = true;
        } else if (!strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            usage(stderr);
            return 2;
        } else if (!fuzz_corpus_add_path(&c, a, PROG)) {
            return 2;
        }
    }
    if (generate < 0)
        generate = c.n ? 50 : 100;
    if (!c.n && generate < 100) {
        usage(stderr);
        return 2;
    }
    signal(SIGINT, request_stop);
    signal(SIGTERM, request_stop);
    signal(SIGALRM, hang);
    fuzz_rng_seed(seed);
    /* Generated modules use the Wasm 3.0 features too (tail calls, several
     * and 64-bit memories, extended constants, exceptions, typed function
     * references) and atomics: all three targets compile them. */
    fuzz_gen_options gen_opts = {.simd = true,
                                 .tail_calls = true,
                                 .multi_memory = true,
                                 .memory64 = true,
                                 .extended_const = true,
                                 .exceptions = true,
                                 .func_refs = true,
                                 .atomics = true};
    stats st = {0};
    fuzz_buf m = {0};
    double start = now();
    /* The seeds themselves first: they must compile. */
    for (size_t i = 0; i < c.n; i++)
        if (!check_one(c.items[i].bytes, c.items[i].size, &cfg, &st))
            st.failures++;
    unsigned long long it = 0;
    for (; it < iterations && (!st.failures || cfg.keep_going) && !stop_requested; it++) {
        if (max_seconds > 0 && now() - start > max_seconds)
            break;
        if ((long)fuzz_below(100) < generate) {
            fuzz_gen_module(&m, &gen_opts);
            if (c.n && !fuzz_below(4))
                fuzz_mutate_structured(&m, &c);
        } else {
            fuzz_mutate_next(&m, &c, it == 0);
        }
        if (check_one(m.b, m.n, &cfg, &st))
            continue;
        st.failures++;
        char path[4096];
        if (cfg.keep_going)
            snprintf(path, sizeof path, "%s/fail-%07llu.wasm", cfg.keep_going, it);
        else
            snprintf(path, sizeof path, "fuzz-compile-failure.wasm");
        if (!fuzz_write_file(path, m.b, m.n))
            fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        fprintf(stderr, PROG ": iteration %llu failed (input in %s)\n", it, path);
    }
    report(&st, it, seed, now() - start);
    remove("fuzz-compile-current.wasm");
    fuzz_corpus_free(&c);
    free(m.b);
    free(st.unsup);
    return st.failures ? 1 : 0;
}
