/*
 * test_fault_inject.c — every allocation and every file-system call of
 * loading and instantiating an object fails in turn, the way Lua's and
 * SQLite's test allocators fail on demand.
 *
 * This binary links with -Wl,--wrap for malloc, calloc, realloc, strdup,
 * strndup, free, mmap, mremap, mprotect, fopen, fseek, ftell, fread, open
 * and fstat (tests/CMakeLists.txt), so every call the runtime's static
 * library makes goes through the __wrap_ functions below; nothing is
 * compiled into the runtime for it.  While armed, the Nth wrapped call
 * fails (NULL, MAP_FAILED or -1 with errno set).  Run k fails call k,
 * for k = 1, 2, ... until a run makes fewer than k calls.  Each run must
 * end in W2N_OK or a clean error (NOMEM or IO with a one-line message, no
 * other code), free every block it allocated (the wrappers keep the live
 * set) and close every descriptor it opened; Criterion runs each test in a
 * process of its own, so a crash fails the test.  Built with
 * -DW2N_SANITIZE=address the same runs are also checked by ASan and LSan.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wat_kit.h"
#include "w2n/wasi.h"

/* ---- the failing wrappers ------------------------------------------------ */

static bool armed;
static unsigned long calls, fail_at;
static bool injected;

/* Blocks allocated while armed and not yet freed: open addressing. */
#define LIVE_CAP 65536
static void *live[LIVE_CAP];
static size_t nlive;

static size_t slot(void *p) { return ((uintptr_t)p >> 4) * 2654435761u % LIVE_CAP; }

static void live_add(void *p) {
    if (!p || !armed)
        return;
    size_t i = slot(p);
    while (live[i] && live[i] != (void *)1)
        i = (i + 1) % LIVE_CAP;
    live[i] = p;
    nlive++;
}

static void live_remove(void *p) {
    if (!p)
        return;
    for (size_t i = slot(p); live[i]; i = (i + 1) % LIVE_CAP)
        if (live[i] == p) {
            live[i] = (void *)1; /* a tombstone keeps later probes going */
            nlive--;
            return;
        }
}

/* True when this call is the one to fail. */
static bool fail_now(void) {
    if (!armed)
        return false;
    if (++calls != fail_at)
        return false;
    injected = true;
    return true;
}

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
char *__real_strdup(const char *);
char *__real_strndup(const char *, size_t);
void __real_free(void *);
void *__real_mmap(void *, size_t, int, int, int, off_t);
void *__real_mremap(void *, size_t, size_t, int, ...);
int __real_mprotect(void *, size_t, int);
FILE *__real_fopen(const char *, const char *);
int __real_fseek(FILE *, long, int);
long __real_ftell(FILE *);
size_t __real_fread(void *, size_t, size_t, FILE *);
int __real_open(const char *, int, ...);
int __real_fstat(int, struct stat *);

#define FAIL_WITH(err, value) \
    do {                      \
        if (fail_now()) {     \
            errno = (err);    \
            return (value);   \
        }                     \
    } while (0)

void *__wrap_malloc(size_t n) {
    FAIL_WITH(ENOMEM, NULL);
    void *p = __real_malloc(n);
    live_add(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t size) {
    FAIL_WITH(ENOMEM, NULL);
    void *p = __real_calloc(n, size);
    live_add(p);
    return p;
}

void *__wrap_realloc(void *old, size_t n) {
    FAIL_WITH(ENOMEM, NULL);
    void *p = __real_realloc(old, n);
    if (p || n == 0) {
        bool was_live = false;
        for (size_t i = old ? slot(old) : 0; old && live[i]; i = (i + 1) % LIVE_CAP)
            if (live[i] == old)
                was_live = true;
        live_remove(old);
        if (was_live || armed) {
            bool a = armed;
            armed = true; /* a block that was tracked stays tracked */
            live_add(p);
            armed = a;
        }
    }
    return p;
}

char *__wrap_strdup(const char *s) {
    FAIL_WITH(ENOMEM, NULL);
    char *p = __real_strdup(s);
    live_add(p);
    return p;
}

char *__wrap_strndup(const char *s, size_t n) {
    FAIL_WITH(ENOMEM, NULL);
    char *p = __real_strndup(s, n);
    live_add(p);
    return p;
}

void __wrap_free(void *p) {
    live_remove(p);
    __real_free(p);
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    FAIL_WITH(ENOMEM, MAP_FAILED);
    return __real_mmap(addr, len, prot, flags, fd, off);
}

void *__wrap_mremap(void *old, size_t old_len, size_t new_len, int flags, ...) {
    FAIL_WITH(ENOMEM, MAP_FAILED);
    va_list ap;
    va_start(ap, flags);
    void *new_addr = flags & MREMAP_FIXED ? va_arg(ap, void *) : NULL;
    va_end(ap);
    return __real_mremap(old, old_len, new_len, flags, new_addr);
}

int __wrap_mprotect(void *addr, size_t len, int prot) {
    FAIL_WITH(ENOMEM, -1);
    return __real_mprotect(addr, len, prot);
}

FILE *__wrap_fopen(const char *path, const char *mode) {
    FAIL_WITH(EMFILE, NULL);
    return __real_fopen(path, mode);
}

int __wrap_fseek(FILE *f, long off, int whence) {
    FAIL_WITH(EIO, -1);
    return __real_fseek(f, off, whence);
}

long __wrap_ftell(FILE *f) {
    FAIL_WITH(EIO, -1);
    return __real_ftell(f);
}

size_t __wrap_fread(void *buf, size_t size, size_t n, FILE *f) {
    FAIL_WITH(EIO, 0);
    return __real_fread(buf, size, n, f);
}

int __wrap_open(const char *path, int flags, ...) {
    FAIL_WITH(EMFILE, -1);
    va_list ap;
    va_start(ap, flags);
    int mode = flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, int) : 0;
    va_end(ap);
    return __real_open(path, flags, mode);
}

int __wrap_fstat(int fd, struct stat *st) {
    FAIL_WITH(EIO, -1);
    return __real_fstat(fd, st);
}

/* ---- the runs ------------------------------------------------------------ */

/* Data, a table with elements, globals, passive segments, a start function
 * and (with WASI) a WASI import: instantiation does every kind of work it
 * has.  %s is the import or nothing. */
static const char *module_wat =
    "(module\n"
    "  %s\n"
    "  (memory (export \"memory\") 1 2)\n"
    "  (data (i32.const 16) \"hello\")\n"
    "  (data $passive \"passive\")\n"
    "  (table 4 funcref)\n"
    "  (elem (i32.const 0) $f $g)\n"
    "  (elem $pe func $f)\n"
    "  (global $gl (mut i32) (i32.const 7))\n"
    "  (global (export \"g64\") i64 (i64.const 9))\n"
    "  (func $f (export \"f\") (result i32) global.get $gl)\n"
    "  (func $g (param i32) (result i32) local.get 0)\n"
    "  (func $start global.get $gl i32.const 1 i32.add global.set $gl)\n"
    "  (start $start))\n";

static char dir[] = "/tmp/w2n-fault-XXXXXX";
static char object_path[64];

static void make_object(bool with_wasi) {
    cr_assert_not_null(mkdtemp(dir));
    snprintf(object_path, sizeof object_path, "%s/m.o", dir);
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    char wat[2048];
    snprintf(wat, sizeof wat, module_wat,
             with_wasi ? "(import \"wasi_snapshot_preview1\" \"fd_write\"\n"
                         "    (func $fd_write (param i32 i32 i32 i32) (result i32)))"
                       : "");
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err), W2N_OK, "%s",
                 err.message);
    free(wasm);
    FILE *f = fopen(object_path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(obj, 1, obj_size, f), obj_size);
    fclose(f);
    free(obj);
}

static void remove_object(void) {
    unlink(object_path);
    rmdir(dir);
}

static int lowest_free_fd(void) {
    int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

typedef struct outcome {
    w2n_status status;
    w2n_error err;
    int32_t f_result; /* what export "f" returned after a successful run */
} outcome;

/* Load, set up WASI (one preopen: more file-system calls) and instantiate;
 * armed only for that part.  Everything is freed before returning. */
static outcome run_once(unsigned long k, bool with_wasi) {
    outcome o = {W2N_OK, {0}, -1};
    w2n_object *obj = NULL;
    w2n_store *store = NULL;
    w2n_linker *linker = NULL;
    w2n_wasi *wasi = NULL;
    w2n_instance *inst = NULL;
    w2n_trap trap;
    const char *dirs[] = {dir};
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.ndirs = 1;
    cfg.dirs = dirs;

    calls = 0;
    fail_at = k;
    injected = false;
    armed = true;
    o.status = w2n_object_load_file(object_path, &obj, &o.err);
    if (o.status == W2N_OK) {
        store = w2n_store_new(NULL);
        linker = store ? w2n_linker_new(store) : NULL;
        if (!linker)
            o.status = w2n_error_set(&o.err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    }
    if (o.status == W2N_OK && with_wasi) {
        wasi = w2n_wasi_new(&cfg, &o.err);
        o.status = wasi ? w2n_wasi_define(wasi, store, linker, &o.err) : o.err.code;
    }
    if (o.status == W2N_OK)
        o.status = w2n_linker_instantiate(linker, obj, &inst, &trap, &o.err);
    armed = false;

    if (o.status == W2N_OK) {
        w2n_extern ext;
        w2n_value result;
        if (w2n_instance_export(inst, "f", &ext) == W2N_OK &&
            w2n_func_call(store, ext.of.func, NULL, 0, &result, 1, &trap, &o.err) == W2N_OK)
            o.f_result = result.of.i32;
    }
    if (linker)
        w2n_linker_free(linker);
    if (store)
        w2n_store_free(store);
    w2n_wasi_free(wasi);
    w2n_object_free(obj);
    return o;
}

/* The GC heap through the host API: a struct type, 3,000 objects (three
 * chunks of handles), an internalised host value (the box's type), an
 * array, collections; f_result is 8 when everything read back right. */
static outcome run_gc_once(unsigned long k, bool unused) {
    (void)unused;
    outcome o = {W2N_OK, {0}, -1};
    w2n_store_options opts = {0};
    opts.limits.max_gc_heap = 1 << 20;
    calls = 0;
    fail_at = k;
    injected = false;
    armed = true;
    w2n_store *store = w2n_store_new(&opts);
    w2n_gc_field f[2] = {{W2N_I32, 0, false}, {W2N_ANYREF, 0, false}};
    const w2n_gc_rtt *t = store ? w2n_gc_struct_type(store, f, 2, NULL, &o.err) : NULL;
    o.status = !store ? w2n_error_set(&o.err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory")
               : !t   ? o.err.code
                      : W2N_OK;
    w2n_gc_ref *first = NULL, *prev = NULL, *box = NULL, *arr = NULL;
    for (int i = 0; o.status == W2N_OK && i < 3000; i++) {
        w2n_value v[2] = {w2n_i32(i), {W2N_ANYREF, {.ref = prev}}};
        o.status = w2n_gc_struct_new(store, t, v, 2, &prev, &o.err);
        if (!first)
            first = prev;
    }
    if (o.status == W2N_OK)
        o.status = w2n_gc_any_from_extern(store, (void *)1, &box, &o.err);
    if (o.status == W2N_OK) {
        w2n_gc_field e = {W2N_I64, 0, true};
        const w2n_gc_rtt *at = w2n_gc_array_type(store, e, NULL, &o.err);
        o.status = at ? w2n_gc_array_new(store, at, 1000, NULL, &arr, &o.err) : o.err.code;
    }
    if (o.status == W2N_OK)
        w2n_gc_collect(store);
    armed = false;
    if (o.status == W2N_OK) {
        w2n_value v;
        bool ok = w2n_gc_struct_get(store, first, 0, false, &v, &o.err) == W2N_OK &&
                  v.of.i32 == 0 && w2n_gc_extern_from_any(store, box) == (void *)1 &&
                  w2n_gc_array_len(arr) == 1000;
        o.f_result = ok ? 8 : -1;
    }
    w2n_store_free(store);
    return o;
}

static void every_failure_of(outcome (*run)(unsigned long, bool), bool with_wasi,
                             unsigned long min_points) {
    /* One run without failures first: one-time state (the fault handler,
     * per-thread data) is set up outside the leak accounting. */
    outcome clean = run(0, with_wasi);
    cr_assert_eq(clean.status, W2N_OK, "%s", clean.err.message);
    cr_assert_eq(clean.f_result, 8, "the run gave the right answer");
    unsigned long points = 0, failed_cleanly = 0;
    for (unsigned long k = 1;; k++) {
        int fd_before = lowest_free_fd();
        nlive = 0;
        memset(live, 0, sizeof live);
        outcome o = run(k, with_wasi);
        if (!injected)
            break; /* fewer than k calls: every one has failed once */
        points++;
        cr_assert_eq(nlive, 0, "failing call %lu leaked %zu block(s) (%s)", k, nlive,
                     o.status == W2N_OK ? "the run succeeded" : o.err.message);
        cr_assert_eq(lowest_free_fd(), fd_before, "failing call %lu leaked a descriptor", k);
        if (o.status == W2N_OK) {
            cr_assert_eq(o.f_result, 8, "failing call %lu: the run succeeded, but f gave %d", k,
                         o.f_result);
            continue; /* the failure was tolerated (a fallback, a hint) */
        }
        failed_cleanly++;
        cr_assert(o.status == W2N_ERR_NOMEM || o.status == W2N_ERR_IO,
                  "failing call %lu: status %d: %s", k, (int)o.status, o.err.message);
        cr_assert(o.err.message[0] && !strchr(o.err.message, '\n'),
                  "failing call %lu: message \"%s\"", k, o.err.message);
    }
    cr_assert_geq(points, min_points, "only %lu calls were made: are the wrappers linked?", points);
    cr_log_info("%lu failure points, %lu clean errors", points, failed_cleanly);
}

static void every_failure(bool with_wasi) {
    make_object(with_wasi);
    every_failure_of(run_once, with_wasi, 21);
    remove_object();
}

Test(fault_inject, load_and_instantiate) { every_failure(false); }

Test(fault_inject, load_and_instantiate_with_wasi) { every_failure(true); }

/* 9 points: store, heap, its reservation, two types, three handle chunks,
 * the host box's type. */
Test(fault_inject, gc_heap_through_the_api) { every_failure_of(run_gc_once, false, 9); }
