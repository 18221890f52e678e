/*
 * run_cli.c — `w2n run` / `w2n-run`: load (or compile) a module, give it
 * WASI, and run its _start or one export.  The command line is parsed in
 * run_args.c; this file does the running and turns every failure into one
 * line on stderr and an exit code (run_cli.h lists them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "w2n/file.h"
#include "run_backtrace.h"
#include "run_args.h"
#include "run_cli.h"
#include "run_imports.h"
#include "run_keys.h"
#include "w2n/runtime.h"
#include "w2n/version.h"
#include "w2n/wasi.h"
#include "run_stop.h"
#include "run_timing.h"

extern char **environ;

/* --gc-stats: one line of the collector's figures (docs/gc.md). */
static void print_gc_stats(const char *prog, w2n_store *store) {
    w2n_gc_stats st;
    w2n_gc_get_stats(store, &st);
    fprintf(stderr,
            "%s: gc: collections %llu, allocated %llu bytes, max live %llu bytes, peak %llu "
            "bytes (resident %llu), longest pause %.3f ms, total pause %.3f ms\n",
            prog, (unsigned long long)st.collections, (unsigned long long)st.bytes_allocated,
            (unsigned long long)st.max_live_bytes, (unsigned long long)st.peak_bytes,
            (unsigned long long)st.peak_resident_bytes, st.longest_pause_ns / 1e6,
            st.total_pause_ns / 1e6);
}

/* Load FILE: an ELF object as is, a .wasm through `compile`. */
static int load(const char *prog, const w2n_run_options *o, w2n_run_compile_fn compile,
                w2n_object **obj) {
    uint8_t *bytes = NULL, *compiled = NULL;
    size_t size = 0, compiled_size = 0;
    w2n_error err;
    int rc = W2N_RUN_EXIT_ERROR;
    if (o->embedded) { /* w2n compile --exe: the object is in the executable */
        w2n_status st = w2n_object_load(o->embedded, o->embedded_size, obj, &err);
        if (st != W2N_OK)
            fprintf(stderr, "%s: %s\n", prog, err.message);
        return st == W2N_OK ? 0 : w2n_exit_status_for(st);
    }
    uint8_t key[W2N_SIGN_PUBLIC_SIZE];
    w2n_status st = o->trust ? w2n_keys_read_public(o->trust, key, &err) : W2N_OK;
    if (st != W2N_OK) {
        fprintf(stderr, "%s: --trust: %s\n", prog, err.message);
        return w2n_exit_status_for(st);
    }
    if (w2n_run_is_object_file(o->file)) { /* mapped from its file, not read */
        if (o->time_instantiate)
            w2n_run_time_load_file(o->file, o->trust ? key : NULL);
        st = w2n_object_load_file_trusted(o->file, o->trust ? key : NULL, obj, &err);
        if (st != W2N_OK) {
            fprintf(stderr, "%s: %s: %s\n", prog, o->file, err.message);
            return w2n_exit_status_for(st);
        }
        goto loaded;
    }
    if (w2n_read_file(o->file, &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, o->file, err.message);
        return rc;
    }
    if (size >= 4 && !memcmp(bytes, "\0asm", 4)) {
        if (o->trust) {
            fprintf(stderr, "%s: %s: a .wasm module; --trust runs only signed objects\n", prog,
                    o->file);
            goto done;
        }
        if (!compile) {
            fprintf(stderr,
                    "%s: %s: a .wasm module; compile it with 'w2n compile' first "
                    "(or use 'w2n run')\n",
                    prog, o->file);
            goto done;
        }
        w2n_status cs = compile(bytes, size, o, &compiled, &compiled_size, &err);
        if (cs != W2N_OK) {
            rc = w2n_exit_status_for(cs);
            char text[W2N_ERROR_TEXT_SIZE];
            fprintf(stderr, "%s: %s: %s\n", prog, o->file,
                    w2n_error_format(&err, text, sizeof text));
            goto done;
        }
        free(bytes);
        bytes = compiled;
        size = compiled_size;
        compiled = NULL;
    } else if (size < 4 || memcmp(bytes, "\177ELF", 4)) {
        fprintf(stderr, "%s: %s: not a compiled object%s\n", prog, o->file,
                compile ? " or a .wasm module" : "");
        goto done;
    }
    if (o->time_instantiate)
        w2n_run_time_load(bytes, size);
    if ((st = w2n_object_load_trusted(bytes, size, o->trust ? key : NULL, obj, &err)) != W2N_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, o->file, err.message);
        rc = w2n_exit_status_for(st);
        goto done;
    }
loaded:
    if (o->perf_map && w2n_object_write_perf_map(*obj, &err) != W2N_OK) {
        fprintf(stderr, "%s: --perf-map: %s\n", prog, err.message);
        w2n_object_free(*obj);
        *obj = NULL;
        goto done;
    }
    rc = 0;
done:
    free(bytes);
    free(compiled);
    return rc;
}

/* Every import must be one we provide (run_imports.c): say which one is not. */
static int check_imports(const char *prog, const char *file, const w2n_object *obj) {
    uint32_t n = w2n_object_import_count(obj);
    for (uint32_t i = 0; i < n; i++) {
        const char *module, *name;
        w2n_object_import(obj, i, &module, &name, NULL);
        if (!w2n_run_import_known(obj, i)) {
            fprintf(stderr, "%s: %s: unknown import: %s.%s\n", prog, file, module, name);
            return W2N_RUN_EXIT_ERROR;
        }
    }
    return 0;
}

/* The environment: inherited first, then --env, a later KEY replacing an earlier one. */
static const char **build_env(const w2n_run_options *o, int *out_n) {
    int n = 0, cap = o->nenvs;
    if (o->inherit_env)
        for (char **e = environ; e && *e; e++)
            cap++;
    const char **env = malloc(((size_t)cap + 1) * sizeof *env);
    if (!env)
        return NULL;
    if (o->inherit_env)
        for (char **e = environ; e && *e; e++)
            env[n++] = *e;
    for (int i = 0; i < o->nenvs; i++) {
        size_t klen = (size_t)(strchr(o->envs[i], '=') - o->envs[i]) + 1;
        int j = 0;
        while (j < n && strncmp(env[j], o->envs[i], klen) != 0)
            j++;
        env[j] = o->envs[i];
        if (j == n)
            n++;
    }
    *out_n = n;
    return env;
}

/* The watch over the running store (--timeout, SIGINT, SIGTERM): report_trap
 * asks it why an "interrupted" trap happened. */
static w2n_run_stop *active_watch;
static double stop_timeout;

static int report_trap(const char *prog, const w2n_trap *trap) {
    if (trap->code == W2N_TRAP_EXIT)
        return trap->exit_status;
    fflush(stdout);
    w2n_run_stop_cause stop_cause = w2n_run_stop_cause_now(active_watch);
    if (trap->code == W2N_TRAP_INTERRUPTED && stop_cause != W2N_RUN_STOP_NONE) {
        if (stop_cause == W2N_RUN_STOP_TIMEOUT) {
            fprintf(stderr, "w2n: timeout: stopped after %g s (--timeout)\n", stop_timeout);
            return W2N_EXIT_TIMEOUT;
        }
        bool sigint = stop_cause == W2N_RUN_STOP_SIGINT;
        fprintf(stderr, "w2n: stopped by %s\n", sigint ? "SIGINT" : "SIGTERM");
        return sigint ? W2N_EXIT_SIGINT : W2N_EXIT_SIGTERM;
    }
    fprintf(stderr, "w2n: trap: %s\n",
            trap->message[0] ? trap->message : w2n_trap_message(trap->code));
    if (trap->code != W2N_TRAP_OUT_OF_FUEL) /* a budget, like --timeout: no bug to locate */
        w2n_run_print_backtrace(trap, stderr);
    return W2N_RUN_EXIT_TRAP;
}

/* How the program names the exception's tag: the export, else the import
 * it came in through, else its index; "" when not the instance's. */
static void tag_name(const w2n_object *obj, w2n_instance *inst, const w2n_tag *tag, char *buf,
                     size_t size) {
    buf[0] = 0;
    for (uint32_t i = 0; inst && i < w2n_object_export_count(obj); i++) {
        const char *name;
        w2n_extern_kind kind;
        w2n_object_export(obj, i, &name, &kind);
        w2n_extern ext;
        if (kind == W2N_EXTERN_TAG && w2n_instance_export(inst, name, &ext) == W2N_OK &&
            ext.of.tag == tag) {
            snprintf(buf, size, " of tag \"%s\"", name);
            return;
        }
    }
    uint32_t index = 0;
    for (uint32_t i = 0; inst && i < w2n_object_import_count(obj); i++) {
        const char *module, *name;
        w2n_extern_kind kind;
        w2n_object_import(obj, i, &module, &name, &kind);
        if (kind != W2N_EXTERN_TAG)
            continue;
        if (w2n_instance_tag(inst, index++) == tag) {
            snprintf(buf, size, " of tag \"%s\" \"%s\" (imported)", module, name);
            return;
        }
    }
    for (uint32_t i = index; w2n_instance_tag(inst, i); i++)
        if (w2n_instance_tag(inst, i) == tag) {
            snprintf(buf, size, " of tag %u", i);
            return;
        }
}

/* An uncaught exception: its tag and payload on one line. */
static int report_exception(const char *prog, const w2n_object *obj, w2n_instance *inst,
                            const w2n_trap *trap) {
    (void)prog;
    char name[300], values[400] = "";
    tag_name(obj, inst, w2n_exception_tag(trap->exception), name, sizeof name);
    uint32_t n = w2n_exception_arity(trap->exception);
    for (uint32_t i = 0; i < n; i++) {
        char buf[64];
        w2n_value v = w2n_exception_value(trap->exception, i);
        w2n_run_format_value(&v, buf, sizeof buf);
        size_t used = strlen(values);
        snprintf(values + used, sizeof values - used, "%s%s %s", i ? ", " : " (",
                 w2n_valtype_name(v.type), buf);
    }
    if (n)
        strncat(values, ")", sizeof values - strlen(values) - 1);
    fprintf(stderr, "w2n: uncaught exception%s%s\n", name, values);
    return W2N_EXIT_EXCEPTION;
}

/* Call a function export; a trap or an exit gives the exit code in *rc. */
static w2n_status call(const char *prog, const w2n_object *obj, w2n_instance *inst,
                       w2n_store *store, w2n_func *fn, const w2n_value *args, uint32_t nargs,
                       w2n_value *results, uint32_t nresults, int *rc) {
    w2n_trap trap;
    w2n_error err;
    w2n_status st = w2n_func_call(store, fn, args, nargs, results, nresults, &trap, &err);
    if (st == W2N_ERR_TRAP)
        *rc = report_trap(prog, &trap);
    else if (st == W2N_ERR_EXCEPTION)
        *rc = report_exception(prog, obj, inst, &trap);
    else if (st != W2N_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        *rc = W2N_RUN_EXIT_ERROR;
    } else {
        *rc = 0;
    }
    return st;
}

static int run_start(const char *prog, const w2n_run_options *o, const w2n_object *obj,
                     w2n_store *store, w2n_instance *inst) {
    w2n_extern ext;
    if (w2n_instance_export(inst, "_start", &ext) != W2N_OK || ext.kind != W2N_EXTERN_FUNC) {
        fprintf(stderr,
                "%s: %s: no _start function to run (use --invoke NAME to call an "
                "export)\n",
                prog, o->file);
        return W2N_RUN_EXIT_ERROR;
    }
    int rc;
    call(prog, obj, inst, store, ext.of.func, NULL, 0, NULL, 0, &rc);
    return rc;
}

static int run_invoke(const char *prog, const w2n_run_options *o, const w2n_object *obj,
                      w2n_store *store, w2n_instance *inst) {
    w2n_extern ext;
    int rc = W2N_RUN_EXIT_ERROR;
    if (w2n_instance_export(inst, o->invoke, &ext) != W2N_OK) {
        fprintf(stderr, "%s: %s: unknown export: %s\n", prog, o->file, o->invoke);
        return rc;
    }
    if (ext.kind != W2N_EXTERN_FUNC) {
        fprintf(stderr, "%s: %s: export %s is not a function\n", prog, o->file, o->invoke);
        return rc;
    }
    /* A reactor initialises itself before its exports are called. */
    w2n_extern init;
    if (w2n_instance_export(inst, "_initialize", &init) == W2N_OK && init.kind == W2N_EXTERN_FUNC &&
        call(prog, obj, inst, store, init.of.func, NULL, 0, NULL, 0, &rc) != W2N_OK)
        return rc;
    w2n_functype type = w2n_func_type(store, ext.of.func);
    if ((uint32_t)o->nargs != type.nparams) {
        fprintf(stderr, "%s: %s expects %u argument%s, got %d\n", prog, o->invoke, type.nparams,
                type.nparams == 1 ? "" : "s", o->nargs);
        return W2N_RUN_EXIT_ERROR;
    }
    w2n_value *args = calloc(type.nparams + 1, sizeof *args);
    w2n_value *results = calloc(type.nresults + 1, sizeof *results);
    if (!args || !results) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    for (uint32_t i = 0; i < type.nparams; i++)
        if (!w2n_run_parse_value(o->args[i], type.params[i], &args[i])) {
            fprintf(stderr, "%s: argument %u of %s: '%s' is not a valid %s\n", prog, i + 1,
                    o->invoke, o->args[i], w2n_valtype_name(type.params[i]));
            goto done;
        }
    if (call(prog, obj, inst, store, ext.of.func, args, type.nparams, results, type.nresults,
             &rc) != W2N_OK)
        goto done;
    for (uint32_t i = 0; i < type.nresults; i++) {
        char buf[64];
        w2n_run_format_value(&results[i], buf, sizeof buf);
        printf("%s\n", buf);
    }
    rc = fflush(stdout) == 0 ? 0 : W2N_RUN_EXIT_ERROR;
done:
    free(args);
    free(results);
    return rc;
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Everything after the options: load, link, instantiate, run. */
static int run(const char *prog, const w2n_run_options *o, w2n_run_compile_fn compile) {
    /* --timeout counts the whole command (read from /proc only when asked) */
    double started = o->timeout > 0 ? w2n_run_stop_process_start() : 0;
    w2n_object *obj = NULL;
    w2n_store *store = NULL;
    w2n_linker *linker = NULL;
    w2n_wasi *wasi = NULL;
    w2n_wasi_threads *threads = NULL;
    const char **argv = NULL, **env = NULL;
    w2n_error err;
    int rc = load(prog, o, compile, &obj);
    if (rc)
        return rc;
    rc = W2N_RUN_EXIT_ERROR;
    if (check_imports(prog, o->file, obj))
        goto done;
    if (o->has_fuel && !w2n_object_counts_fuel(obj)) {
        fprintf(stderr,
                "%s: %s: compiled without fuel counting; --fuel needs an object "
                "built with 'w2n compile --fuel'\n",
                prog, o->file);
        goto done;
    }
    int nenv = 0;
    env = build_env(o, &nenv);
    argv = malloc(((size_t)o->nargs + 1) * sizeof *argv);
    if (!env || !argv) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    argv[0] = base_name(o->file);
    int argc = 1;
    if (!o->invoke) /* with --invoke, ARGS are the function's arguments */
        for (int i = 0; i < o->nargs; i++)
            argv[argc++] = o->args[i];
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.argc = argc;
    cfg.argv = argv;
    cfg.envc = nenv;
    cfg.envp = env;
    cfg.ndirs = o->ndirs;
    cfg.dirs = o->dirs;
    cfg.max_open_files = (uint32_t)o->max_open_files;
    wasi = w2n_wasi_new(&cfg, &err);
    if (!wasi) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        goto done;
    }
    w2n_store_options sopts = w2n_run_store_options(o);
    store = w2n_store_new(&sopts);
    linker = store ? w2n_linker_new(store) : NULL;
    if (!linker) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    if (w2n_wasi_define(wasi, store, linker, &err) != W2N_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        goto done;
    }
    w2n_status ist = w2n_run_define_imports(obj, wasi, store, &sopts, linker, &threads, &err);
    if (ist != W2N_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, o->file, err.message);
        rc = w2n_exit_status_for(ist);
        goto done;
    }
    if (o->has_fuel && w2n_store_set_fuel(store, o->fuel, &err) != W2N_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        goto done;
    }
    if (o->time_instantiate) {
        rc = w2n_run_time_instantiate(prog, o, obj, wasi);
        goto done;
    }
    stop_timeout = o->timeout;
    double left = o->timeout - (w2n_run_stop_now() - started);
    active_watch = w2n_run_stop_start(store, o->timeout <= 0 ? 0 : left > 1e-3 ? left : 1e-3);
    if (!active_watch) {
        fprintf(stderr, "%s: cannot start the watchdog for --timeout and signals\n", prog);
        goto done;
    }
    w2n_instance *inst;
    w2n_trap trap;
    w2n_status st = w2n_linker_instantiate(linker, obj, &inst, &trap, &err);
    if (st == W2N_ERR_TRAP) { /* the start function trapped, or exited */
        rc = report_trap(prog, &trap);
        goto done;
    }
    if (st == W2N_ERR_EXCEPTION) { /* the start function threw */
        rc = report_exception(prog, obj, NULL, &trap);
        goto done;
    }
    if (st != W2N_OK) { /* W2N_EXIT_LIMIT when a resource limit refused it */
        fprintf(stderr, "%s: %s: %s\n", prog, o->file, err.message);
        rc = w2n_exit_status_for(st);
        goto done;
    }
    rc = o->invoke ? run_invoke(prog, o, obj, store, inst) : run_start(prog, o, obj, store, inst);
    if (threads && w2n_wasi_threads_spawned(threads)) {
        /* The program ends with its main thread (wasi-threads); spawned
         * threads may still run on the store's shared state: leave now. */
        fflush(NULL);
        _exit(rc);
    }
done:
    if (o->gc_stats && store)
        print_gc_stats(prog, store);
    w2n_run_stop_finish(active_watch);
    active_watch = NULL;
    if (linker)
        w2n_linker_free(linker);
    if (store)
        w2n_store_free(store);
    w2n_wasi_threads_free(threads);
    w2n_wasi_free(wasi);
    if (obj)
        w2n_object_free(obj);
    free(argv);
    free(env);
    return rc;
}

/* Hashing a 2 MB object is 1.8 ms, more than the rest of a start: the
 * command keeps verified seals in $XDG_CACHE_HOME/w2n/seals (else
 * ~/.cache/w2n/seals) unless $W2N_SEAL_CACHE names another directory or is
 * empty (docs/security.md says what the cache trusts).  `w2n compile`
 * enters the objects it writes there. */
void w2n_run_set_seal_cache(void) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char dir[4000];
    int n = xdg && xdg[0] == '/'     ? snprintf(dir, sizeof dir, "%s/w2n/seals", xdg)
            : home && home[0] == '/' ? snprintf(dir, sizeof dir, "%s/.cache/w2n/seals", home)
                                     : -1;
    if (n > 0 && (size_t)n < sizeof dir)
        w2n_seal_cache_set_default(dir);
}

int w2n_run_cli(const char *prog, int argc, char **argv, w2n_run_compile_fn compile) {
    w2n_run_options o;
    char msg[256];
    if (!w2n_run_parse(argc, argv, &o, msg, sizeof msg)) {
        fprintf(stderr, "%s: %s (try '%s --help')\n", prog, msg, prog);
        w2n_run_options_free(&o);
        return W2N_RUN_EXIT_USAGE;
    }
    if (o.help) {
        w2n_run_usage(stdout, prog, compile != NULL);
        w2n_run_options_free(&o);
        return 0;
    }
    if (o.version) {
        printf("%s %s\n", prog, W2N_VERSION);
        w2n_run_options_free(&o);
        return 0;
    }
    w2n_run_set_seal_cache();
    int rc = run(prog, &o, compile);
    w2n_run_options_free(&o);
    return rc;
}

/* Split `text` at spaces onto words[*n...] (at most max); the copy is kept. */
static void split_words(const char *text, char **words, int *n, int max) {
    if (!text)
        return;
    char *copy = strdup(text);
    for (char *save = NULL, *w = copy ? strtok_r(copy, " \t\n", &save) : NULL; w && *n < max;
         w = strtok_r(NULL, " \t\n", &save))
        words[(*n)++] = w;
}

int w2n_run_embedded(const uint8_t *object, size_t size, const char *baked_options, int argc,
                     char **argv) {
    const char *prog = argc > 0 ? base_name(argv[0]) : "app";
    /* The run's command line: the options baked in at compile time, then
     * W2N_RUN_OPTIONS, then the program's own argv (argv[0] as FILE). */
    enum {
        MAX_WORDS = 256
    };
    int n = 0;
    char **words = calloc((size_t)argc + MAX_WORDS + 4, sizeof *words);
    if (!words)
        return W2N_RUN_EXIT_ERROR;
    words[n++] = (char *)prog;
    split_words(baked_options, words, &n, MAX_WORDS / 2);
    split_words(getenv("W2N_RUN_OPTIONS"), words, &n, MAX_WORDS);
    words[n++] = argc > 0 ? argv[0] : (char *)prog;
    for (int i = 1; i < argc; i++)
        words[n++] = argv[i];
    w2n_run_options o;
    char msg[256];
    int rc;
    if (!w2n_run_parse(n, words, &o, msg, sizeof msg)) {
        fprintf(stderr, "%s: W2N_RUN_OPTIONS: %s\n", prog, msg);
        rc = W2N_RUN_EXIT_USAGE;
    } else {
        o.embedded = object;
        o.embedded_size = size;
        rc = run(prog, &o, NULL);
    }
    w2n_run_options_free(&o);
    free(words);
    return rc;
}
