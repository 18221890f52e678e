/*
 * fuzz_run.c — w2n-fuzz-run: differential fuzzing of compiled code against
 * wabt's interpreter or the specification's reference interpreter.
 *
 *     w2n-fuzz-run [--seed N] [--iterations N] [--max-seconds S]
 *                  [--interp PATH] [--keep DIR] [--opt N] [--bounds guard|explicit]
 *                  [--wasm3] [--exceptions] [--func-refs] [--atomics] [--gc] [--loop-shapes]
 *                  [--floats]
 *                  [--oracle auto|wabt|spec] [--spec-interp PATH] [--wabt-twin FILE]
 *                  [--tolerate-dead-loads] [--cross TRIPLE:RUNNER]... [--cross-every N]
 *                  [--require OUTCOME]...
 *                  [--verbose] [FILE.wasm...]
 *
 * Each iteration generates a module (gen.c, deterministic mode: no imports,
 * exports that take no parameters and return i32/i64 values, nothing whose
 * result the spec leaves open) or, with FILE arguments, takes those modules
 * instead.  w2n compiles it for the host (alternately -O0 and -O2 unless
 * --opt is given; every third module with explicit bounds checks unless
 * --bounds is given; every fourth interruptible; every fifth with --fuel and
 * no budget), loads it,
 * instantiates it and calls every export in export order on one instance,
 * like `wasm-interp --run-all-exports` does.  Both must agree, export by
 * export, on the values returned, or on trapping and the kind of trap.
 *
 * --wasm3 also generates tail calls, multiple and 64-bit memories and
 * extended constants (gen.h).  wabt 1.0.32 runs none of them, so the oracle
 * for such a module is the reference interpreter (oracle_spec.c; built by
 * CMake, --spec-interp): --oracle auto (the default) picks it for generated
 * modules that use a 3.0 feature and for FILE arguments wabt refuses.
 * --exceptions and --func-refs add tags, throw, try_table, throw_ref and
 * call_ref through typed references (reference interpreter; an uncaught
 * exception is an outcome of its own, compared with its payload);
 * --atomics a shared or unshared memory with every 0xFE instruction, run
 * by wasm-interp --enable-threads in a twin module (gen.h) that does what
 * wabt lacks (saved beside a mismatch as mismatch-NNNNNNN.wabt.wasm;
 * replay with --wabt-twin).  --loop-shapes adds nests of two counted loops
 * over rows, columns and cells of memory 0 (triangular bounds, reductions
 * into a cell), the shapes loop versioning proves apart (gen.c).
 * --floats adds signalling NaNs (constants, memory, reinterpreted integers,
 * arguments) and i32/i64 results that show float bits as far as Wasm fixes
 * them: exact for what passes bits through, the quiet bit of any NaN an
 * arithmetic op (scalar or a vector lane) returns (gen.c, observe_float).
 *
 * --gc adds GC types, allocation, field and element access, casts and
 * i31s (gen_gc.h), run by the reference interpreter, and compiles with
 * GC (on by default).  Every GC module is compared with the interpreter,
 * as any other; the summary counts them.  Every other module runs with a GC heap of 1 KiB, so that
 * collections move objects under the compiled code; a run that traps "out
 * of memory" only there is redone with the default heap.
 *
 * With --cross TRIPLE:RUNNER (e.g. "aarch64:qemu-aarch64 -L
 * /usr/aarch64-linux-gnu build-aarch64/tools/w2n-run"), every Nth module
 * (--cross-every) is also compiled for that target and its first export run
 * there by the cross-built w2n-run; the answer must be the host's.
 *
 * --require OUTCOME fails the run unless some export's outcome begins with
 * OUTCOME (e.g. "trap:unaligned atomic"): the smoke tests' check that the
 * generator still reaches what it is meant to.
 *
 * A mismatch prints both outcomes and saves the module to
 * DIR/mismatch-NNNNNNN.wasm (--keep DIR; default: the current directory).
 * The input is written to fuzz-run-current.wasm first, so a crash leaves its
 * reproducer.  Exit 0 when everything agreed, 1 on a mismatch or a w2n
 * error, 2 on bad usage or when the interpreter cannot be run.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "mutate.h"
#include "oracle.h"
#include "w2n/compiler.h"
#include "w2n/runtime.h"

/* SIGINT/SIGTERM end the loop after the current input, so a long run
 * still prints its summary. */
static volatile sig_atomic_t stop_requested;
static void request_stop(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* SIGALRM: a compile or a call ran far too long (the fuel bounds every run). */
static void hang(int sig) {
    static const char msg[] = "w2n-fuzz-run: a w2n compile or call took over 60 s "
                              "(input in "
                              "fuzz-run-current.wasm)\n";
    (void)sig;
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(1);
}

#define PROG "w2n-fuzz-run"
#define CURRENT "fuzz-run-current.wasm"
#define SCRIPT "fuzz-run-current.wast"
#define TWIN "fuzz-run-twin.wasm"

/* wasm-interp's trap texts (prefixes) and ours, to one vocabulary. */
static const struct {
    const char *interp;
    w2n_trap_code code;
} trap_names[] = {
    {"unreachable executed", W2N_TRAP_UNREACHABLE},
    {"out of bounds memory access", W2N_TRAP_MEMORY_OOB},
    {"out of bounds table access", W2N_TRAP_TABLE_OOB},
    {"undefined table index", W2N_TRAP_UNDEFINED_ELEMENT},
    {"uninitialized table element", W2N_TRAP_UNINITIALIZED},
    {"indirect call signature mismatch", W2N_TRAP_INDIRECT_TYPE},
    {"integer divide by zero", W2N_TRAP_INT_DIV_ZERO},
    {"integer overflow", W2N_TRAP_INT_OVERFLOW},
    {"invalid conversion to integer", W2N_TRAP_INVALID_CONVERSION},
    {"call stack exhausted", W2N_TRAP_STACK_EXHAUSTED},
};

#define trap_text fuzz_trap_text

static void format_values(char *buf, size_t size, const w2n_value *v, uint32_t n) {
    size_t len = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < n && len < size; i++) {
        const char *sep = i ? ", " : "";
        if (v[i].type == W2N_I32)
            len += (size_t)snprintf(buf + len, size - len, "%si32:%" PRIu32, sep,
                                    (uint32_t)v[i].of.i32);
        else if (v[i].type == W2N_I64)
            len += (size_t)snprintf(buf + len, size - len, "%si64:%" PRIu64, sep,
                                    (uint64_t)v[i].of.i64);
        else
            len += (size_t)snprintf(buf + len, size - len, "%s?", sep);
    }
}

/* "exception:" and the payload (oracle.h). */
static void exception_text(char *buf, size_t size, const w2n_exception *exn) {
    size_t len = (size_t)snprintf(buf, size, EXCEPTION_PREFIX);
    uint32_t n = w2n_exception_arity(exn);
    for (uint32_t i = 0; i < n && len < size; i++) {
        w2n_value v = w2n_exception_value(exn, i);
        char one[64];
        if (v.type == W2N_I32)
            snprintf(one, sizeof one, "%d", (int)v.of.i32);
        else if (v.type == W2N_I64)
            snprintf(one, sizeof one, "%lld", (long long)v.of.i64);
        else if (v.type == W2N_F32)
            fuzz_float_text(one, sizeof one, v.of.f32);
        else if (v.type == W2N_F64)
            fuzz_float_text(one, sizeof one, v.of.f64);
        else
            snprintf(one, sizeof one, "?");
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", one);
    }
}

/* Summed over every module compiled, to show that fast loop versions ran. */
static w2n_compile_stats loop_totals;
/* Summed over every store, to show that the collector ran (--gc). */
static unsigned long long gc_collections;

/* --gc: generate GC modules (GC is among the default features). */
static bool gc;

/* Compile, instantiate and call every export in order; `max_gc_heap` (0:
 * the default) bounds the store's GC heap. */
static void run_w2n(const uint8_t *wasm, size_t n, int opt, w2n_bounds_mode bounds,
                    bool interruptible, bool fuel, uint64_t max_gc_heap, run *r) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = bounds;
    opts.interruptible = interruptible; /* the checks must not change results */
    opts.fuel = fuel;                   /* nor must counting fuel */
    w2n_compile_stats stats = {0};
    opts.stats = &stats;
    uint8_t *obj = NULL;
    size_t obj_size = 0;
    w2n_error err;
    w2n_object *o = NULL;
    w2n_store *store = NULL;
    w2n_linker *linker = NULL;
    memset(r, 0, sizeof *r);
    r->failed = true;
    if (w2n_compile(wasm, n, &opts, &obj, &obj_size, &err) != W2N_OK) {
        snprintf(r->why, sizeof r->why, "compile: %.200s", err.message);
        return;
    }
    loop_totals.loops_checked += stats.loops_checked;
    loop_totals.accesses_covered += stats.accesses_covered;
    loop_totals.loops_separated += stats.loops_separated;
    if (w2n_object_load(obj, obj_size, &o, &err) != W2N_OK) {
        snprintf(r->why, sizeof r->why, "load: %.200s", err.message);
        goto fail;
    }
    w2n_store_options store_opts = {0};
    store_opts.limits.max_gc_heap = max_gc_heap;
    store = w2n_store_new(&store_opts);
    linker = store ? w2n_linker_new(store) : NULL;
    if (!linker) {
        snprintf(r->why, sizeof r->why, "out of memory");
        goto fail;
    }
    w2n_instance *inst;
    w2n_trap trap;
    w2n_status s = w2n_linker_instantiate(linker, o, &inst, &trap, &err);
    if (s != W2N_OK) {
        snprintf(r->why, sizeof r->why, "instantiate: %.200s",
                 s == W2N_ERR_TRAP ? trap.message : err.message);
        goto fail;
    }
    r->failed = false;
    uint32_t nexports = w2n_object_export_count(o);
    for (uint32_t i = 0; i < nexports && r->n < MAX_EXPORTS; i++) {
        const char *name;
        w2n_extern_kind kind;
        w2n_object_export(o, i, &name, &kind);
        w2n_extern ext;
        if (kind != W2N_EXTERN_FUNC || w2n_instance_export(inst, name, &ext) != W2N_OK)
            continue;
        outcome *out = &r->o[r->n++];
        snprintf(out->name, sizeof out->name, "%.31s", name);
        w2n_functype t = w2n_func_type(store, ext.of.func);
        w2n_value results[8];
        if (t.nparams || t.nresults > 8) {
            snprintf(out->text, sizeof out->text, "unsupported signature");
            continue;
        }
        s = w2n_func_call(store, ext.of.func, NULL, 0, results, t.nresults, &trap, &err);
        if (s == W2N_ERR_TRAP)
            trap_text(out->text, sizeof out->text, trap.code);
        else if (s == W2N_ERR_EXCEPTION)
            exception_text(out->text, sizeof out->text, trap.exception);
        else if (s != W2N_OK)
            snprintf(out->text, sizeof out->text, "error: %.200s", err.message);
        else
            format_values(out->text, sizeof out->text, results, t.nresults);
    }
fail:
    if (linker)
        w2n_linker_free(linker);
    if (store) {
        w2n_gc_stats gc;
        w2n_gc_get_stats(store, &gc);
        gc_collections += gc.collections;
        w2n_store_free(store);
    }
    if (o)
        w2n_object_free(o);
    free(obj);
}

/* What a twin module's (gen.h) wabt errors mean: an alignment check
 * threw, a wait on an unshared memory ran, or (aligned) out of bounds. */
static const struct {
    const char *interp;
    w2n_trap_code code;
} twin_names[] = {
    {"uncaught exception", W2N_TRAP_UNALIGNED_ATOMIC},
    {"not implemented", W2N_TRAP_EXPECTED_SHARED},
    {"invalid atomic access", W2N_TRAP_MEMORY_OOB},
};

/* "NAME() => VALUES" or "NAME() => error: MESSAGE". */
static bool parse_interp_line(char *line, outcome *out, bool twin) {
    char *arrow = strstr(line, "() =>");
    if (!arrow)
        return false;
    *arrow = 0;
    snprintf(out->name, sizeof out->name, "%.31s", line);
    char *rest = arrow + 5;
    while (*rest == ' ')
        rest++;
    rest[strcspn(rest, "\n")] = 0;
    if (strncmp(rest, "error: ", 7)) {
        snprintf(out->text, sizeof out->text, "%.200s", rest);
        return true;
    }
    rest += 7;
    for (size_t i = 0; twin && i < sizeof twin_names / sizeof twin_names[0]; i++)
        if (!strncmp(rest, twin_names[i].interp, strlen(twin_names[i].interp))) {
            trap_text(out->text, sizeof out->text, twin_names[i].code);
            return true;
        }
    for (size_t i = 0; i < sizeof trap_names / sizeof trap_names[0]; i++)
        if (!strncmp(rest, trap_names[i].interp, strlen(trap_names[i].interp))) {
            trap_text(out->text, sizeof out->text, trap_names[i].code);
            return true;
        }
    snprintf(out->text, sizeof out->text, "trap:(interp) %.200s", rest);
    return true;
}

static void run_interp(const char *interp, const char *path, bool twin, run *r) {
    char cmd[4096];
    memset(r, 0, sizeof *r);
    /* A deep call stack, so that only the fuel limits recursion. */
    snprintf(cmd, sizeof cmd,
             "timeout 30 %s -C 100000 --enable-threads --enable-exceptions --run-all-exports %s "
             "2>&1",
             interp, path);
    FILE *p = popen(cmd, "r");
    if (!p) {
        r->failed = true;
        snprintf(r->why, sizeof r->why, "cannot run %s: %s", interp, strerror(errno));
        return;
    }
    char line[1024];
    while (fgets(line, sizeof line, p)) {
        outcome o;
        if (r->n < MAX_EXPORTS && parse_interp_line(line, &o, twin))
            r->o[r->n++] = o;
        else if (!r->why[0])
            snprintf(r->why, sizeof r->why, "%.*s", (int)strcspn(line, "\n"), line);
    }
    int st = pclose(p);
    if (st != 0 && r->n == 0) {
        r->failed = true;
        if (!r->why[0])
            snprintf(r->why, sizeof r->why, "exit status %d", st);
    }
}

/* With --tolerate-dead-loads: in guard mode, w2n (LLVM) drops loads whose
 * value is unused, so an out-of-bounds one does not trap.  Such a mismatch
 * (the interpreter trapped out of bounds, w2n did not, or trapped
 * differently later) is counted apart instead of failing the run. */
static bool tolerate_dead_loads;
static unsigned long long dead_load_mismatches;

static bool dead_load_case(const outcome *w, const outcome *ref) {
    char oob[64];
    trap_text(oob, sizeof oob, W2N_TRAP_MEMORY_OOB);
    return tolerate_dead_loads && !strcmp(ref->text, oob) && strcmp(w->text, oob);
}

/* Print where they differ; true when they agree. */
/* ---- GC before the lowering (--gc) ------------------------------------------------ */

/* The GC heap of every other --gc module: 1 KiB, so that most modules
 * that allocate collect. */
#define GC_TINY_HEAP 1024

/* Did w2n trap "out of memory" (the tiny heap's limit) where the oracle
 * did not?  The run is then redone with the default heap. */
static bool out_of_memory_only_here(const run *w, const run *ref) {
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->o[i].text, "trap:out of memory") &&
            (i >= ref->n || strcmp(ref->o[i].text, w->o[i].text)))
            return true;
    return false;
}

static bool compare(const run *w, const run *ref, const char *oracle, const char *label) {
    if (w->failed || ref->failed) {
        if (w->failed && ref->failed)
            return true; /* both refused: not a difference in execution */
        fprintf(stderr, PROG ": %s: w2n %s, %s %s\n", label, w->failed ? w->why : "ran", oracle,
                ref->failed ? ref->why : "ran");
        return false;
    }
    bool same = w->n == ref->n;
    for (size_t i = 0; i < w->n && i < ref->n; i++) {
        if (!strcmp(w->o[i].name, ref->o[i].name) && dead_load_case(&w->o[i], &ref->o[i])) {
            /* Later exports see different state: stop comparing here. */
            dead_load_mismatches++;
            return same;
        }
        if (strcmp(w->o[i].name, ref->o[i].name) || strcmp(w->o[i].text, ref->o[i].text)) {
            fprintf(stderr, PROG ": %s: %s(): w2n '%s', %s '%s'\n", label, w->o[i].name,
                    w->o[i].text, oracle, ref->o[i].text);
            same = false;
        }
    }
    if (w->n != ref->n)
        fprintf(stderr, PROG ": %s: w2n ran %zu exports, %s %zu\n", label, w->n, oracle, ref->n);
    return same;
}

/* ---- the other targets (--cross) --------------------------------------------------
 *
 * A cross-built w2n-run under qemu runs the object compiled for its target;
 * its answer for the module's first export on a fresh instance must be the
 * host's (itself checked against wasm-interp).  w2n-run --invoke prints each
 * result as signed decimal on its own line, or "w2n: trap: MESSAGE" with
 * exit status 134. */

typedef struct cross_target {
    const char *triple;
    const char *runner; /* shell words before "--invoke NAME OBJ" */
} cross_target;

/* The host's outcome in w2n-run's words, plus the exit status. */
static void expected_output(const outcome *o, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = 0;
    if (!strncmp(o->text, "trap:", 5)) {
        snprintf(buf, size, "w2n: trap: %s\nexit 134\n", o->text + 5);
        return;
    }
    const char *p = o->text;
    while (*p && len < size) {
        unsigned long long v = 0;
        int bits = 0;
        if (sscanf(p, "i32:%llu", &v) == 1)
            bits = 32;
        else if (sscanf(p, "i64:%llu", &v) == 1)
            bits = 64;
        if (!bits)
            break;
        long long sv = bits == 32 ? (long long)(int32_t)(uint32_t)v : (long long)(int64_t)v;
        len += (size_t)snprintf(buf + len, size - len, "%lld\n", sv);
        p = strchr(p, ',');
        if (!p)
            break;
        p += 2;
    }
    if (len < size)
        snprintf(buf + len, size - len, "exit 0\n");
}

/* w2n-run's output against the expected one: a trap message may go on
 * after the spec's words ("undefined element 7": the index). */
static bool same_output(const char *got, const char *want) {
    if (!strcmp(got, want))
        return true;
    const char *nl = strchr(want, '\n');
    size_t head = nl ? (size_t)(nl - want) : strlen(want);
    if (strncmp(want, "w2n: trap: ", 11) || strncmp(got, want, head) || got[head] != ' ')
        return false;
    const char *rest = strchr(got + head, '\n');
    return rest && nl && !strcmp(rest, nl);
}

/* Compile for t, run the first export under its runner; true when it agrees. */
static bool run_cross(const cross_target *t, const uint8_t *wasm, size_t n, int opt,
                      w2n_bounds_mode bounds, const run *host, const char *label) {
    if (host->failed || !host->n)
        return true;
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.target = t->triple;
    opts.opt_level = opt;
    opts.bounds = bounds;
    uint8_t *obj;
    size_t obj_size;
    w2n_error err;
    if (w2n_compile(wasm, n, &opts, &obj, &obj_size, &err) != W2N_OK) {
        fprintf(stderr, PROG ": %s: %s: compile: %s\n", label, t->triple, err.message);
        return false;
    }
    bool wrote = fuzz_write_file("fuzz-run-cross.o", obj, obj_size);
    free(obj);
    if (!wrote)
        return false;
    char cmd[4096], got[2048] = "", want[2048];
    snprintf(cmd, sizeof cmd, "timeout 120 %s --invoke %s fuzz-run-cross.o 2>&1; echo \"exit $?\"",
             t->runner, host->o[0].name);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    size_t len = fread(got, 1, sizeof got - 1, p);
    got[len] = 0;
    pclose(p);
    expected_output(&host->o[0], want, sizeof want);
    if (same_output(got, want))
        return true;
    /* An uncaught exception: w2n-run names the tag and payload its own way. */
    if (!strncmp(host->o[0].text, EXCEPTION_PREFIX, strlen(EXCEPTION_PREFIX)) &&
        !strncmp(got, "w2n: uncaught exception", 23))
        return true;
    for (char *c = got; *c; c++)
        if (*c == '\n')
            *c = '|';
    for (char *c = want; *c; c++)
        if (*c == '\n')
            *c = '|';
    fprintf(stderr, PROG ": %s: %s %s(): got '%s', the host says '%s'\n", label, t->triple,
            host->o[0].name, got, want);
    return false;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: " PROG " [--seed N] [--iterations N] [--max-seconds S] [--interp PATH]\n"
            "       [--keep DIR] [--opt N] [--bounds guard|explicit] [--tolerate-dead-loads]\n"
            "       [--wasm3] [--exceptions] [--func-refs] [--atomics] [--gc] [--loop-shapes]\n"
            "       [--floats]\n"
            "       [--oracle auto|wabt|spec] [--spec-interp PATH] [--wabt-twin FILE]\n"
            "       [--cross TRIPLE:RUNNER]... [--cross-every N] [--require OUTCOME]...\n"
            "       [--verbose] [FILE.wasm...]\n");
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    unsigned long long iterations = 200;
    double max_seconds = 0;
    const char *interp = "wasm-interp", *keep = ".", *spec_interp = W2N_FUZZ_SPEC_INTERP;
    const char *oracle = "auto";
    bool wasm3 = false, exceptions = false, func_refs = false, atomics = false;
    bool loop_shapes = false, floats = false;
    int fixed_opt = -1, fixed_bounds = -1;
    bool verbose = false;
    fuzz_corpus files = {0}, twin_file = {0};
    cross_target cross[4];
    size_t ncross = 0;
    unsigned long long cross_every = 1;
    const char *required[8];
    bool reached[8] = {0};
    size_t nrequired = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_arg = i + 1 < argc;
        if (!strcmp(a, "--seed") && has_arg)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--iterations") && has_arg)
            iterations = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--max-seconds") && has_arg)
            max_seconds = strtod(argv[++i], NULL);
        else if (!strcmp(a, "--interp") && has_arg)
            interp = argv[++i];
        else if (!strcmp(a, "--spec-interp") && has_arg)
            spec_interp = argv[++i];
        else if (!strcmp(a, "--oracle") && has_arg)
            oracle = argv[++i];
        else if (!strcmp(a, "--wasm3"))
            wasm3 = true;
        else if (!strcmp(a, "--exceptions"))
            exceptions = true;
        else if (!strcmp(a, "--func-refs"))
            func_refs = true;
        else if (!strcmp(a, "--gc"))
            gc = true;
        else if (!strcmp(a, "--atomics"))
            atomics = true;
        else if (!strcmp(a, "--loop-shapes"))
            loop_shapes = true;
        else if (!strcmp(a, "--floats"))
            floats = true;
        else if (!strcmp(a, "--wabt-twin") && has_arg) {
            if (!fuzz_corpus_add_path(&twin_file, argv[++i], PROG))
                return 2;
        } else if (!strcmp(a, "--keep") && has_arg)
            keep = argv[++i];
        else if (!strcmp(a, "--cross") && has_arg && ncross < 4) {
            /* TRIPLE:RUNNER, e.g. "aarch64:qemu-aarch64 -L /usr/aarch64-linux-gnu w2n-run" */
            char *spec = argv[++i], *colon = strchr(spec, ':');
            if (!colon) {
                usage(stderr);
                return 2;
            }
            *colon = 0;
            cross[ncross++] = (cross_target){spec, colon + 1};
        } else if (!strcmp(a, "--require") && has_arg && nrequired < 8)
            required[nrequired++] = argv[++i];
        else if (!strcmp(a, "--cross-every") && has_arg)
            cross_every = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--opt") && has_arg)
            fixed_opt = atoi(argv[++i]);
        else if (!strcmp(a, "--bounds") && has_arg) {
            w2n_bounds_mode b;
            if (!w2n_bounds_mode_parse(argv[++i], &b)) {
                usage(stderr);
                return 2;
            }
            fixed_bounds = (int)b;
        } else if (!strcmp(a, "--tolerate-dead-loads"))
            tolerate_dead_loads = true;
        else if (!strcmp(a, "--verbose"))
            verbose = true;
        else if (!strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            usage(stderr);
            return 2;
        } else if (!fuzz_corpus_add_path(&files, a, PROG))
            return 2;
    }
    bool use_wabt = strcmp(oracle, "spec") != 0, use_spec = strcmp(oracle, "wabt") != 0;
    if (!use_wabt && !use_spec && strcmp(oracle, "auto")) {
        usage(stderr);
        return 2;
    }
    char probe[4096];
    snprintf(probe, sizeof probe, "%s --version >/dev/null 2>&1", interp);
    if (use_wabt && system(probe) != 0) {
        fprintf(stderr, PROG ": cannot run '%s' (install wabt, or pass --interp)\n", interp);
        return 2;
    }
    snprintf(probe, sizeof probe, "%s -v >/dev/null 2>&1", spec_interp);
    if (use_spec && system(probe) != 0) {
        fprintf(stderr, PROG ": cannot run the reference interpreter '%s' (pass --spec-interp)\n",
                spec_interp);
        return 2;
    }
    if (files.n)
        iterations = files.n;
    signal(SIGINT, request_stop);
    signal(SIGTERM, request_stop);
    signal(SIGALRM, hang);
    fuzz_rng_seed(seed);
    fuzz_gen_options gopts = {.deterministic = true,
                              .no_params = true,
                              .simd = true,
                              .tail_calls = wasm3,
                              .multi_memory = wasm3,
                              .memory64 = wasm3,
                              .extended_const = wasm3,
                              .exceptions = exceptions,
                              .func_refs = func_refs,
                              .atomics = atomics,
                              .gc = gc,
                              .loop_shapes = loop_shapes,
                              .floats = floats};
    fuzz_buf m = {0};
    unsigned long long it = 0, agreed = 0, mismatches = 0, refused = 0, exports = 0, traps = 0;
    unsigned long long cross_runs = 0, spec_runs = 0, gc_oom_reruns = 0;
    unsigned long long gc_modules = 0, gc_compared = 0; /* generated with GC; compiled too */
    double start = now();
    static run w, ref;
    for (; it < iterations && !stop_requested; it++) {
        if (max_seconds > 0 && now() - start > max_seconds)
            break;
        if (files.n)
            fuzz_buf_set(&m, files.items[it].bytes, files.items[it].size);
        else
            fuzz_gen_module(&m, &gopts);
        if (!fuzz_write_file(CURRENT, m.b, m.n)) {
            fprintf(stderr, PROG ": " CURRENT ": %s\n", strerror(errno));
            return 2;
        }
        int opt = fixed_opt >= 0 ? fixed_opt : (it % 2 ? 0 : 2);
        w2n_bounds_mode bounds = fixed_bounds >= 0 ? (w2n_bounds_mode)fixed_bounds
                                 : it % 3 == 2     ? W2N_BOUNDS_EXPLICIT
                                                   : W2N_BOUNDS_GUARD;
        alarm(60); /* a hang in w2n is a failure too (SIGALRM ends us) */
        bool interruptible = it % 4 == 1, fuel = it % 5 == 3;
        /* With --gc, every other module gets a tiny GC heap, so that the
         * collector runs (and moves objects) under the code's feet. */
        uint64_t gc_heap = gc && it % 2 ? GC_TINY_HEAP : 0;
        run_w2n(m.b, m.n, opt, bounds, interruptible, fuel, gc_heap, &w);
        alarm(0);
        /* The reference interpreter for what wabt cannot run. */
        bool spec = !use_wabt || (use_spec && !files.n && fuzz_gen_used_wasm3());
        fuzz_buf replayed = {0};
        if (twin_file.n)
            replayed = (fuzz_buf){twin_file.items[0].bytes, twin_file.items[0].size, 0};
        const fuzz_buf *twin = files.n ? (twin_file.n ? &replayed : NULL) : fuzz_gen_wabt_twin();
        if (!spec && twin && !fuzz_write_file(TWIN, twin->b, twin->n)) {
            fprintf(stderr, PROG ": " TWIN ": %s\n", strerror(errno));
            return 2;
        }
        if (!spec)
            run_interp(interp, twin ? TWIN : CURRENT, twin != NULL, &ref);
        if (!spec && use_spec && files.n && ref.failed)
            spec = true;
        if (spec) {
            fuzz_oracle_spec(spec_interp, SCRIPT, m.b, m.n, &w, &ref);
            spec_runs++;
        }
        char label[96];
        snprintf(label, sizeof label, "iteration %llu (-O%d, %s bounds%s%s)", it, opt,
                 w2n_bounds_mode_name(bounds), interruptible ? ", interruptible" : "",
                 fuel ? ", fuel" : "");
        if (gc_heap && out_of_memory_only_here(&w, &ref)) {
            /* The tiny heap's limit, not a difference: again with the default. */
            gc_oom_reruns++;
            run_w2n(m.b, m.n, opt, bounds, interruptible, fuel, 0, &w);
        }
        if (w.failed && ref.failed)
            refused++;
        const run *seen = &w;
        for (size_t i = 0; i < seen->n; i++) {
            exports++;
            traps += !strncmp(seen->o[i].text, "trap:", 5);
            for (size_t k = 0; k < nrequired; k++)
                reached[k] |= !strncmp(seen->o[i].text, required[k], strlen(required[k]));
        }
        if (verbose)
            for (size_t i = 0; i < seen->n; i++)
                printf("%llu %s() => %s\n", it, seen->o[i].name, seen->o[i].text);
        bool same;
        bool gc_module = gc && !files.n && fuzz_gen_used_gc();
        gc_modules += gc_module;
        gc_compared += gc_module && !w.failed;
        same = compare(&w, &ref, spec ? "the reference interpreter" : "wasm-interp", label);
        if (same && ncross && cross_every && it % cross_every == 0) {
            for (size_t k = 0; k < ncross; k++) {
                cross_runs++;
                same = run_cross(&cross[k], m.b, m.n, opt, bounds, &w, label) && same;
            }
        }
        if (same) {
            agreed++;
            continue;
        }
        mismatches++;
        char path[4096];
        snprintf(path, sizeof path, "%s/mismatch-%07llu.wasm", keep, it);
        fuzz_write_file(path, m.b, m.n);
        fprintf(stderr, PROG ": module saved as %s\n", path);
        if (twin && !spec) {
            snprintf(path, sizeof path, "%s/mismatch-%07llu.wabt.wasm", keep, it);
            fuzz_write_file(path, twin->b, twin->n);
            fprintf(stderr, PROG ": its twin for wasm-interp as %s (--wabt-twin)\n", path);
        }
    }
    remove(CURRENT);
    remove(SCRIPT);
    remove(TWIN);
    remove("fuzz-run-cross.o");
    printf(PROG ": seed %llu: %llu modules in %.1f s: %llu agreed (%llu refused by both), "
                "%llu mismatches; %llu export calls, %llu trapped",
           (unsigned long long)seed, it, now() - start, agreed, refused, mismatches, exports,
           traps);
    if (use_spec)
        printf("; %llu against the reference interpreter", spec_runs);
    if (gc_modules)
        printf("; %llu GC modules, %llu (%.0f%%) compiled with GC and compared with the "
               "interpreter",
               gc_modules, gc_compared, 100.0 * (double)gc_compared / (double)gc_modules);
    if (gc)
        printf("; %llu collections, %llu runs redone with the default GC heap", gc_collections,
               gc_oom_reruns);
    if (tolerate_dead_loads)
        printf("; %llu tolerated dead-load mismatches", dead_load_mismatches);
    if (ncross)
        printf("; %llu cross-target runs", cross_runs);
    printf("; %u range-checked fast loops over %u accesses", loop_totals.loops_checked,
           loop_totals.accesses_covered);
    if (loop_totals.loops_separated)
        printf(", %u with groups proved apart", loop_totals.loops_separated);
    printf("\n");
    fflush(stdout);
    fuzz_corpus_free(&files);
    fuzz_corpus_free(&twin_file);
    free(m.b);
    bool missed = false;
    for (size_t k = 0; k < nrequired; k++)
        if (!reached[k]) {
            fprintf(stderr, PROG ": no export's outcome was '%s' (--require)\n", required[k]);
            missed = true;
        }
    return mismatches || missed ? 1 : 0;
}
