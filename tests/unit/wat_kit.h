/*
 * wat_kit.h — modules written in the text format for the tests that go
 * through the public APIs: assembled with wabt's wat2wasm at test time,
 * compiled with w2n_compile, loaded and instantiated.
 */
#ifndef W2N_WAT_KIT_H
#define W2N_WAT_KIT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "w2n/compiler.h"
#include "w2n/runtime.h"

/* Assemble `wat` with the command `assembler` (run as "ASSEMBLER IN -o OUT");
 * the caller frees *out. */
static inline void assemble_with(const char *assembler, const char *wat, uint8_t **out,
                                 size_t *size) {
    char dir[] = "/tmp/w2n-wat-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char src[128], bin[128], cmd[1024];
    snprintf(src, sizeof src, "%s/m.wat", dir);
    snprintf(bin, sizeof bin, "%s/m.wasm", dir);
    FILE *f = fopen(src, "w");
    cr_assert_not_null(f);
    fputs(wat, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s '%s' -o '%s'", assembler, src, bin);
    cr_assert_eq(system(cmd), 0, "%s failed", assembler);
    f = fopen(bin, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    *out = malloc(*size);
    cr_assert_eq(fread(*out, 1, *size, f), *size);
    fclose(f);
    unlink(src);
    unlink(bin);
    rmdir(dir);
}

/* The specification's reference interpreter, which the build makes for the
 * 3.0 spec tests: it reads the text of every Wasm 3.0 feature, which wabt's
 * wat2wasm does not (exceptions, GC). */
#define REFERENCE_ASSEMBLER W2N_BUILD_DIR "/spec-interpreter/_build/default/wasm.exe"

/* Assemble `wat` with it (the test skips without it); the caller frees *out. */
static inline void assemble_reference(const char *wat, uint8_t **out, size_t *size) {
    if (access(REFERENCE_ASSEMBLER, X_OK) != 0)
        cr_skip_test("no reference interpreter at %s", REFERENCE_ASSEMBLER);
    assemble_with("'" REFERENCE_ASSEMBLER "' -d", wat, out, size);
}

/* Assemble `wat` with wat2wasm; the caller frees *out. */
static inline void assemble(const char *wat, uint8_t **out, size_t *size) {
    assemble_with("wat2wasm --enable-all", wat, out, size);
}

typedef struct loaded {
    w2n_object *obj;
    w2n_store *store;
    w2n_instance *inst;
} loaded;

/* Compile the binary module `wasm` (which it frees) with `opts`, load and
 * instantiate it without imports in a store made with `store_opts` (NULL:
 * defaults). */
/* Compile the binary module `wasm` (which it frees) with `opts` and load it. */
static inline w2n_object *compile_wasm(uint8_t *wasm, size_t wasm_size,
                                       const w2n_compile_options *opts) {
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    w2n_status s = w2n_compile(wasm, wasm_size, opts, &bytes, &size, &err);
    free(wasm);
    cr_assert_eq(s, W2N_OK, "compile: %s", err.message);
    w2n_object *obj;
    s = w2n_object_load(bytes, size, &obj, &err);
    free(bytes);
    cr_assert_eq(s, W2N_OK, "load: %s", err.message);
    return obj;
}

static inline loaded load_wasm_in_store(uint8_t *wasm, size_t wasm_size,
                                        const w2n_compile_options *opts,
                                        const w2n_store_options *store_opts) {
    loaded l = {0};
    l.obj = compile_wasm(wasm, wasm_size, opts);
    l.store = w2n_store_new(store_opts);
    w2n_trap trap;
    w2n_error err;
    w2n_status s = w2n_instantiate(l.store, l.obj, NULL, 0, &l.inst, &trap, &err);
    cr_assert_eq(s, W2N_OK, "instantiate: %s", err.message);
    return l;
}

/* The same for a module in the text format, assembled by wat2wasm. */
static inline loaded load_in_store(const char *wat, const w2n_compile_options *opts,
                                   const w2n_store_options *store_opts) {
    uint8_t *wasm;
    size_t wasm_size;
    assemble(wat, &wasm, &wasm_size);
    return load_wasm_in_store(wasm, wasm_size, opts, store_opts);
}

/* Compile `wat` with `opts`, load and instantiate it without imports. */
static inline loaded load_with(const char *wat, const w2n_compile_options *opts) {
    return load_in_store(wat, opts, NULL);
}

/* Compile `wat` at `opt` in bounds mode `mode`, with --stats into `stats`
 * (or NULL), and load it. */
static inline loaded load_opt_bounds(const char *wat, int opt, w2n_bounds_mode mode,
                                     w2n_compile_stats *stats) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.opt_level = opt;
    opts.bounds = mode;
    opts.stats = stats;
    return load_with(wat, &opts);
}

static inline void unload(loaded *l) {
    w2n_store_free(l->store);
    w2n_object_free(l->obj);
}

static inline w2n_func *export_func(loaded *l, const char *name) {
    w2n_extern ext;
    cr_assert_eq(w2n_instance_export(l->inst, name, &ext), W2N_OK, "no export %s", name);
    cr_assert_eq(ext.kind, W2N_EXTERN_FUNC);
    return ext.of.func;
}

#endif
