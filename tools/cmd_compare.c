/*
 * cmd_compare.c — `w2n compare`: run one module under w2n and under every
 * other engine on this machine, check that they agree, and time them.
 *
 *   w2n compare [OPTIONS] APP.wasm [-- ARGS...]            a WASI command
 *   w2n compare [OPTIONS] APP.wasm --invoke NAME [ARGS...] one export
 *
 * w2n compiles the module once (timed, reported apart), then every engine
 * runs it once to give its output, then --runs rounds time them in turn
 * (interleaved, so a machine that slows down slows everyone).  Each engine
 * also runs an empty module of the same kind each round: its median is the
 * engine's start-up, and run = total - start-up.  Outputs (stdout and exit
 * status; for an export, its results read as values) must equal w2n's, or
 * the command says which engine differs and exits 1.
 */
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "compare.h"
#include "exit_status.h"
#include "inspect_report.h"
#include "output.h"
#include "w2n/compiler.h"
#include "w2n/file.h"
#include "w2n/runtime.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out, "usage: w2n compare [OPTIONS] APP.wasm [--] [ARGS...]\n"
                 "       w2n compare [OPTIONS] APP.wasm --invoke NAME [ARGS...]\n"
                 "\n"
                 "Run APP.wasm compiled by w2n and under every other engine found on PATH\n"
                 "(node, wasm-interp, wasmtime, iwasm, wasm3), check that their outputs\n"
                 "agree with w2n's, and print a table of median times: start-up (the engine\n"
                 "on an empty module), run (total - start-up), total, and ratios to w2n.\n"
                 "Without --invoke, APP.wasm is a WASI command and ARGS its arguments.\n"
                 "\n"
                 "  --invoke NAME       call export NAME with ARGS (after APP.wasm)\n"
                 "  --dir DIR           preopen DIR for WASI (repeatable)\n"
                 "  --runs N            timed runs per engine (default 5, at most 100)\n"
                 "  --engines LIST      only these engines, e.g. w2n,node (w2n is always in)\n"
                 "  --engine NAME=CMD   also run CMD, a command line like 'w2n run':\n"
                 "                      CMD [--dir D] [--invoke NAME] APP.wasm ARGS\n"
                 "  --timeout SECONDS   per run (default 600)\n"
                 "  -O0 .. -O3          w2n's optimisation level (default -O2)\n"
                 "  --json FILE         also write the results as JSON\n"
                 "  --svg FILE          also write a bar chart\n"
                 "\n"
                 "Exit status: 0 outputs agree, 1 an output differs or an input failed,\n"
                 "2 bad usage, 3 w2n does not support the module.\n");
}

/* Empty modules, for the start-up of each engine: a WASI command
 * (memory + _start) and a module exporting one empty function "nop". */
static const uint8_t empty_command[] = {0,   'a', 's', 'm', 1,   0,   0,   0, 1, 4, 1,   0x60, 0,
                                        0,   3,   2,   1,   0,   5,   3,   1, 0, 1, 7,   19,   2,
                                        6,   'm', 'e', 'm', 'o', 'r', 'y', 2, 0, 6, '_', 's',  't',
                                        'a', 'r', 't', 0,   0,   10,  4,   1, 2, 0, 0x0b};
static const uint8_t empty_export[] = {0,    'a', 's', 'm', 1, 0,  0, 0, 1, 4, 1,
                                       0x60, 0,   0,   3,   2, 1,  0, 7, 7, 1, 3,
                                       'n',  'o', 'p', 0,   0, 10, 4, 1, 2, 0, 0x0b};

/* node's side: a WASI command through node:wasi, or one export called with
 * arguments converted by the parameter types w2n read from the module. */
static const char node_runner[] =
    "const fs = require('fs');\n"
    "const { WASI } = require('wasi');\n"
    "const [mode, file, ...rest] = process.argv.slice(2);\n"
    "const wasm = new WebAssembly.Module(fs.readFileSync(file));\n"
    "if (mode === 'wasi') {\n"
    "  const preopens = {};\n"
    "  let i = 0;\n"
    "  for (; i < rest.length && rest[i] !== '--'; i += 2) preopens[rest[i + 1]] = rest[i + 1];\n"
    "  const wasi = new WASI({ version: 'preview1', args: [file, ...rest.slice(i + 1)],\n"
    "                          env: {}, preopens, returnOnExit: true });\n"
    "  const instance = new WebAssembly.Instance(wasm, wasi.getImportObject());\n"
    "  process.exitCode = wasi.start(instance);\n"
    "} else {\n"
    "  const [name, types, ...args] = rest;\n"
    "  const wasi = new WASI({ version: 'preview1', returnOnExit: true });\n"
    "  const instance = new WebAssembly.Instance(wasm, wasi.getImportObject());\n"
    "  const ts = types ? types.split(',') : [];\n"
    "  const values = args.map((a, k) => ts[k] === 'i64' ? BigInt(a) : Number(a));\n"
    "  let r = instance.exports[name](...values);\n"
    "  r = r === undefined ? [] : Array.isArray(r) ? r : [r];\n"
    "  for (const v of r) console.log(String(v));\n"
    "}\n";

typedef struct options {
    cmp_job job;
    int runs;
    double timeout;
    int opt_level;
    const char *only; /* --engines */
    cmp_engine custom[CMP_MAX_ENGINES];
    int ncustom;
    const char *json, *svg;
    char *dirs[CMP_MAX_ARGV];
} options;

static int parse(int argc, char **argv, options *o) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--version")) {
            printf("w2n compare %s\n", W2N_VERSION);
            exit(0);
        } else if (!strcmp(a, "--invoke") && next) {
            o->job.invoke = true;
            o->job.export_name = argv[++i];
        } else if (!strcmp(a, "--dir") && next && o->job.ndirs < CMP_MAX_ARGV) {
            o->dirs[o->job.ndirs++] = argv[++i];
        } else if (!strcmp(a, "--runs") && next) {
            char *end;
            long runs = strtol(argv[++i], &end, 10);
            o->runs = *end ? 0 : (int)(runs > CMP_MAX_RUNS ? 0 : runs);
            if (o->runs < 1)
                return fprintf(stderr, "w2n compare: --runs takes 1 to %d\n", CMP_MAX_RUNS), -1;
        } else if (!strcmp(a, "--engines") && next) {
            o->only = argv[++i];
        } else if (!strcmp(a, "--engine") && next && o->ncustom < CMP_MAX_ENGINES / 2) {
            if (!cmp_engine_custom(argv[++i], &o->custom[o->ncustom++]))
                return fprintf(stderr, "w2n compare: --engine takes NAME=COMMAND\n"), -1;
        } else if (!strcmp(a, "--timeout") && next) {
            char *end;
            o->timeout = strtod(argv[++i], &end);
            if (*end || !(o->timeout > 0))
                return fprintf(stderr, "w2n compare: --timeout takes a positive number\n"), -1;
        } else if (a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
            o->opt_level = a[2] - '0';
        } else if (!strcmp(a, "--json") && next) {
            o->json = argv[++i];
        } else if (!strcmp(a, "--svg") && next) {
            o->svg = argv[++i];
        } else {
            return fprintf(stderr, "w2n compare: unknown option '%s' (try --help)\n", a), -1;
        }
    }
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc)
        return usage(stderr), -1;
    o->job.wasm = argv[i++];
    if (i + 1 < argc && !strcmp(argv[i], "--invoke")) { /* the order: FILE --invoke NAME */
        o->job.invoke = true;
        o->job.export_name = argv[i + 1];
        i += 2;
    } else if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }
    o->job.args = argv + i;
    o->job.nargs = argc - i;
    o->job.dirs = o->dirs;
    return 0;
}

static bool engine_wanted(const options *o, const char *name) {
    if (!o->only || !strcmp(name, "w2n"))
        return true;
    size_t n = strlen(name);
    for (const char *p = o->only; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, name, n))
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static int write_file(const char *path, const void *bytes, size_t size) {
    w2n_error err;
    if (w2n_write_file_atomic(path, bytes, size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compare: %s\n", err.message);
        return 1;
    }
    return 0;
}

/* Compile `wasm` to `object`; the exit status, and the time it took. */
static int compile(const char *wasm, const char *object, int opt_level, double *seconds) {
    uint8_t *bytes, *obj;
    size_t size, obj_size;
    w2n_error err;
    if (w2n_read_file(wasm, &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compare: %s: %s\n", wasm, err.message);
        return W2N_EXIT_ERROR;
    }
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.target = w2n_host_target();
    opts.opt_level = opt_level;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    w2n_status s = w2n_compile(bytes, size, &opts, &obj, &obj_size, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(bytes);
    *seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (s != W2N_OK) {
        char text[W2N_ERROR_TEXT_SIZE];
        fprintf(stderr, "%s: %s\n", wasm, w2n_error_format(&err, text, sizeof text));
        return w2n_exit_status_for(s);
    }
    int rc = write_file(object, obj, obj_size);
    free(obj);
    return rc;
}

/* The export's signature, from the compiled object's metadata. */
static int read_signature(cmp_job *job) {
    w2n_inspect_report r;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fprintf(stderr, "w2n compare: libelf is out of date\n");
        return W2N_EXIT_ERROR;
    }
    if (w2n_inspect_read(job->object, &r)) {
        w2n_inspect_report_free(&r);
        return W2N_EXIT_ERROR;
    }
    const w2n_meta *m = &r.meta;
    int found = -1;
    for (uint32_t i = 0; i < m->nexports; i++) {
        if (m->exports[i].kind == W2N_EXTERN_FUNC &&
            strlen(job->export_name) == m->exports[i].name_len &&
            !memcmp(m->exports[i].name, job->export_name, m->exports[i].name_len))
            found = (int)i;
    }
    int rc = W2N_EXIT_ERROR;
    if (found < 0) {
        fprintf(stderr, "w2n compare: %s exports no function '%s'\n", job->wasm, job->export_name);
    } else {
        const w2n_functype *t = w2n_inspect_func_type(m, m->exports[found].index);
        if (t->nparams > CMP_MAX_ARGV || t->nresults > CMP_MAX_ARGV) {
            fprintf(stderr, "w2n compare: '%s' has too many parameters or results\n",
                    job->export_name);
        } else if (t->nparams != (uint32_t)job->nargs) {
            fprintf(stderr, "w2n compare: '%s' takes %u arguments, got %d\n", job->export_name,
                    t->nparams, job->nargs);
        } else {
            memcpy(job->params, t->params, t->nparams * sizeof *t->params);
            memcpy(job->results, t->results, t->nresults * sizeof *t->results);
            job->nparams = t->nparams;
            job->nresults = t->nresults;
            rc = 0;
        }
    }
    w2n_inspect_report_free(&r);
    return rc;
}

/* For wabt's interpreter, which runs every export: a copy of the module
 * with only the invoked function among its function exports. */
static int write_one_export(cmp_job *job, const char *path) {
    uint8_t *bytes, *copy;
    size_t size, copy_size;
    w2n_error err;
    if (w2n_read_file(job->wasm, &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compare: %s: %s\n", job->wasm, err.message);
        return W2N_EXIT_ERROR;
    }
    bool ok = cmp_module_one_export(bytes, size, job->export_name, &copy, &copy_size);
    free(bytes);
    if (!ok) {
        fprintf(stderr, "w2n compare: %s: cannot rewrite its export section\n", job->wasm);
        return W2N_EXIT_ERROR;
    }
    int rc = write_file(path, copy, copy_size);
    free(copy);
    job->wasm_one_export = path;
    return rc;
}

/* What an engine's first run printed, as the text outputs are compared by. */
static bool comparable(const cmp_engine *e, const cmp_job *job, const cmp_outcome *o, char *buf,
                       size_t size) {
    if (!job->invoke || o->status != 0) {
        snprintf(buf, size, "exit %d", o->status);
        return true;
    }
    return cmp_results_normalize(e, job, o->out, buf, size);
}

/* Does engine row `r`'s first outcome agree with w2n's? */
static void judge(cmp_row *r, const cmp_engine *ref_engine, const cmp_job *job,
                  const cmp_outcome *ref, const cmp_outcome *o) {
    char a[4096], b[4096];
    r->agrees = false;
    if (o->timed_out) {
        snprintf(r->mismatch, sizeof r->mismatch, "timed out");
        return;
    }
    if (!job->invoke) {
        if (o->status != ref->status)
            snprintf(r->mismatch, sizeof r->mismatch, "exit %d, w2n %d%s%s", o->status, ref->status,
                     o->err_tail[0] ? ": " : "", o->err_tail);
        else if (o->out_len != ref->out_len || memcmp(o->out, ref->out, o->out_len))
            snprintf(r->mismatch, sizeof r->mismatch, "stdout differs (%zu bytes, w2n %zu)",
                     o->out_len, ref->out_len);
        else
            r->agrees = true;
        return;
    }
    bool trapped = ref->status != 0,
         other_trapped = o->status != 0 || (r->engine.wabt_results && strstr(o->out, "error"));
    if (trapped || other_trapped) {
        r->agrees = trapped && other_trapped;
        if (!r->agrees)
            snprintf(r->mismatch, sizeof r->mismatch, "%s, w2n %s",
                     other_trapped ? "failed" : "returned", trapped ? "failed" : "returned");
        return;
    }
    if (!comparable(ref_engine, job, ref, a, sizeof a) ||
        !comparable(&r->engine, job, o, b, sizeof b)) {
        snprintf(r->mismatch, sizeof r->mismatch, "results unreadable: %.60s", o->out);
        return;
    }
    r->agrees = cmp_results_equal(job, a, b, r->engine.wabt_results);
    if (!r->agrees) {
        a[strcspn(a, "\n")] = b[strcspn(b, "\n")] = '\0';
        snprintf(r->mismatch, sizeof r->mismatch, "results differ: %.40s, w2n %.40s", b, a);
    }
}

static bool run_once(const cmp_engine *e, const cmp_job *job, double timeout, cmp_outcome *o) {
    const char *argv[CMP_MAX_ARGV * 2 + 16];
    e->argv_for(e, job, argv, (int)(sizeof argv / sizeof argv[0]));
    return cmp_spawn(argv, timeout, o);
}

int w2n_cmd_compare(int argc, char **argv) {
    static options o = {.runs = 5, .timeout = 600, .opt_level = 2};
    static cmp_summary s;
    if (parse(argc, argv, &o))
        return W2N_EXIT_USAGE;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return fprintf(stderr, "w2n compare: cannot find this executable\n"), W2N_EXIT_ERROR;
    self[n] = '\0';
    char dir[] = "/tmp/w2n-compare-XXXXXX";
    if (!mkdtemp(dir))
        return perror("w2n compare: mkdtemp"), W2N_EXIT_ERROR;
    char object[64], runner[64], empty_wasm[64], empty_obj[64], one[64];
    snprintf(object, sizeof object, "%s/app.o", dir);
    snprintf(runner, sizeof runner, "%s/node_runner.cjs", dir);
    snprintf(empty_wasm, sizeof empty_wasm, "%s/empty.wasm", dir);
    snprintf(empty_obj, sizeof empty_obj, "%s/empty.o", dir);
    snprintf(one, sizeof one, "%s/one-export.wasm", dir);

    cmp_job *job = &o.job, empty = {0};
    job->object = object;
    job->self = self;
    job->node_runner = runner;
    double ignored;
    int rc = compile(job->wasm, object, o.opt_level, &s.compile_seconds);
    if (!rc && job->invoke)
        rc = read_signature(job);
    if (!rc && job->invoke)
        rc = write_one_export(job, one);
    if (!rc)
        rc = write_file(runner, node_runner, sizeof node_runner - 1);
    if (!rc) {
        empty.invoke = job->invoke;
        empty.export_name = "nop";
        empty.wasm_one_export = empty_wasm;
        empty.wasm = empty_wasm;
        empty.object = empty_obj;
        empty.self = self;
        empty.node_runner = runner;
        empty.dirs = o.dirs;
        rc = job->invoke ? write_file(empty_wasm, empty_export, sizeof empty_export)
                         : write_file(empty_wasm, empty_command, sizeof empty_command);
    }
    if (!rc)
        rc = compile(empty_wasm, empty_obj, o.opt_level, &ignored);

    cmp_outcome first[CMP_MAX_ENGINES];
    memset(first, 0, sizeof first);
    if (!rc) {
        cmp_engine found[CMP_MAX_ENGINES];
        int nfound = cmp_engines_find(self, found, CMP_MAX_ENGINES - o.ncustom);
        for (int i = 0; i < nfound; i++)
            if (engine_wanted(&o, found[i].name))
                s.rows[s.nrows++].engine = found[i];
        for (int i = 0; i < o.ncustom; i++)
            s.rows[s.nrows++].engine = o.custom[i];
        s.job = job;
        s.runs = o.runs;
        s.opt_level = o.opt_level;
        s.target = w2n_host_target();
        s.all_agree = true;
        /* One untimed run each: the outputs, and a warm file cache. */
        for (int i = 0; i < s.nrows; i++) {
            cmp_row *r = &s.rows[i];
            const char *argv_buf[CMP_MAX_ARGV * 2 + 16];
            r->skipped = r->engine.argv_for(&r->engine, job, argv_buf,
                                            (int)(sizeof argv_buf / sizeof argv_buf[0]));
            if (r->skipped)
                continue;
            /* An engine that fails on the empty module lacks what this kind of
             * job needs (Debian's wasm-interp has no WASI): skip, not differ. */
            cmp_outcome probe;
            if (run_once(&r->engine, &empty, o.timeout, &probe)) {
                bool failed = i > 0 && (probe.status != 0 || probe.timed_out);
                if (failed) {
                    snprintf(r->skip_reason, sizeof r->skip_reason,
                             "fails on an empty module: %.160s", probe.err_tail);
                    r->skipped = r->skip_reason;
                }
                cmp_outcome_free(&probe);
                if (failed)
                    continue;
            }
            if (!run_once(&r->engine, job, o.timeout, &first[i])) {
                r->skipped = "could not be started";
                continue;
            }
            if (i == 0) {
                r->agrees = true;
                if (first[0].timed_out) {
                    fprintf(stderr, "w2n compare: w2n timed out after %g s\n", o.timeout);
                    rc = W2N_EXIT_ERROR;
                    break;
                }
            } else {
                judge(r, &s.rows[0].engine, job, &first[0], &first[i]);
                s.all_agree &= r->agrees;
            }
        }
    }
    /* The timed rounds: every engine in turn, the empty module then the job. */
    for (int round = 0; !rc && round < o.runs; round++) {
        for (int i = 0; i < s.nrows; i++) {
            cmp_row *r = &s.rows[i];
            cmp_outcome t, e;
            if (r->skipped || (i > 0 && !r->agrees))
                continue;
            if (run_once(&r->engine, &empty, o.timeout, &e)) {
                r->startup[r->nruns] = e.seconds;
                cmp_outcome_free(&e);
            }
            if (!run_once(&r->engine, job, o.timeout, &t))
                continue;
            r->total[r->nruns++] = t.seconds;
            cmp_outcome_free(&t);
        }
    }
    if (!rc) {
        for (int i = 0; i < s.nrows; i++) {
            cmp_row *r = &s.rows[i];
            r->total_median = cmp_median(r->total, r->nruns);
            r->startup_median = cmp_median(r->startup, r->nruns);
            r->run_median =
                r->total_median > r->startup_median ? r->total_median - r->startup_median : 0;
        }
        cmp_report_text(&s, stdout);
        const char *failed = o.json && !cmp_report_json(&s, o.json) ? o.json
                             : o.svg && !cmp_report_svg(&s, o.svg)  ? o.svg
                                                                    : NULL;
        if (failed) {
            fprintf(stderr, "w2n compare: cannot write %s\n", failed);
            rc = W2N_EXIT_ERROR;
        }
        if (!rc && !s.all_agree)
            rc = W2N_EXIT_ERROR;
    }
    for (int i = 0; i < CMP_MAX_ENGINES; i++)
        cmp_outcome_free(&first[i]);
    unlink(object);
    unlink(runner);
    unlink(empty_wasm);
    unlink(empty_obj);
    unlink(one);
    rmdir(dir);
    return rc;
}
