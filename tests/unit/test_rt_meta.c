/*
 * test_rt_meta.c — the ".w2n.module" codec: round trip, truncation, corruption;
 * and the typing rules the loader applies after decoding (meta_check.c).
 * Each corruption asserts the refusal it must give, by its message.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "meta.h"
#include "w2n/limits.h"
#include "w2n/version.h"

static w2n_valtype p_ii[] = {W2N_I32, W2N_I64};
static w2n_valtype r_fv[] = {W2N_F32, W2N_V128, W2N_FUNCREF};
static w2n_functype types[] = {{2, 3, p_ii, r_fv}, {0, 0, NULL, NULL}};

static w2n_meta_import imports[] = {
    {.module = "env", .name = "f", .kind = W2N_EXTERN_FUNC, .func_type = 1},
    {.module = "env",
     .name = "t",
     .kind = W2N_EXTERN_TABLE,
     .table = {W2N_EXTERNREF, {.min = 1, .max = 10, .has_max = true}}},
    {.module = "env",
     .name = "m",
     .kind = W2N_EXTERN_MEMORY,
     .memory = {.min = 1, .max = 0, .has_max = false}},
    {.module = "", .name = "g\xc3\xa9", .kind = W2N_EXTERN_GLOBAL, .global = {W2N_I64, true}},
};
static uint32_t func_types[] = {0, 1, 1};
static w2n_tabletype tables[] = {{W2N_FUNCREF, {.min = 3, .max = 0, .has_max = false}}};
static w2n_meta_global globals[] = {
    {{W2N_I64, false}, {W2N_CONST_GLOBAL_GET, 0, {0, 0}}},
    {{W2N_V128, true}, {W2N_CONST_V128, 0, {0x0123456789abcdefull, 0xfedcba9876543210ull}}},
    {{W2N_FUNCREF, false}, {W2N_CONST_REF_FUNC, 2, {0, 0}}},
};
static w2n_meta_export exports[] = {
    {"run", 3, W2N_EXTERN_FUNC, 3},
    {"tab", 3, W2N_EXTERN_TABLE, 1},
    {"mem", 3, W2N_EXTERN_MEMORY, 0},
    {"", 0, W2N_EXTERN_GLOBAL, 2},
};
static w2n_const_expr items[] = {
    {W2N_CONST_REF_FUNC, 0, {0, 0}},
    {W2N_CONST_REF_NULL, W2N_FUNCREF, {0, 0}},
    {W2N_CONST_GLOBAL_GET, 3, {0, 0}},
};
static w2n_meta_elem elems[] = {
    {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 1, {W2N_CONST_I32, 0, {2, 0}}, 3, items},
    {W2N_SEGMENT_PASSIVE, W2N_FUNCREF, 0, {0, 0, {0, 0}}, 1, items},
    {W2N_SEGMENT_DECLARATIVE, W2N_FUNCREF, 0, {0, 0, {0, 0}}, 0, NULL},
};
static uint8_t hello[] = "hello";
static w2n_meta_data datas[] = {
    {W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_I32, 0, {16, 0}}, 5, hello},
    {W2N_SEGMENT_PASSIVE, 0, {0, 0, {0, 0}}, 0, NULL},
};

static w2n_meta rich(void) {
    w2n_meta m = {
        .abi_version = W2N_ABI_VERSION,
        .arch = W2N_ARCH_AARCH64,
        .flags = W2N_FLAG_EXPLICIT_BOUNDS,
        .cpu = "cortex-a72",
        .features = "+neon",
        .module_hash = 0x1122334455667788ull,
        .ntypes = 2,
        .types = types,
        .nimports = 4,
        .imports = imports,
        .nfuncs = 3,
        .func_types = func_types,
        .ntables = 1,
        .tables = tables,
        .nmemories = 0,
        .memories = NULL,
        .nglobals = 3,
        .globals = globals,
        .nexports = 4,
        .exports = exports,
        .start = 2,
        .nelems = 3,
        .elems = elems,
        .ndatas = 2,
        .datas = datas,
        .abi_minor = W2N_ABI_MINOR,
        .w2n_version = "9.8.7",
        .target = "aarch64-linux-gnu",
        .opt_level = 3,
        .wasm_features = 0x5a5a,
    };
    for (int i = 0; i < 32; i++)
        m.module_sha256[i] = (uint8_t)(0xa0 + i);
    return m;
}

static void encode(const w2n_meta *m, uint8_t **bytes, size_t *size) {
    w2n_error err;
    cr_assert_eq(w2n_meta_encode(m, bytes, size, &err), W2N_OK);
}

Test(rt_meta, round_trip) {
    w2n_meta in = rich(), out;
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    encode(&in, &bytes, &size);
    cr_assert_eq(memcmp(bytes, W2N_META_MAGIC, 8), 0);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.abi_version, W2N_ABI_VERSION);
    cr_assert_eq(out.arch, W2N_ARCH_AARCH64);
    cr_assert_eq(out.flags, W2N_FLAG_EXPLICIT_BOUNDS);
    cr_assert_str_eq(out.cpu, "cortex-a72");
    cr_assert_str_eq(out.features, "+neon");
    cr_assert_eq(out.module_hash, 0x1122334455667788ull);
    cr_assert_eq(out.ntypes, 2);
    cr_assert_eq(out.types[0].nparams, 2);
    cr_assert_eq(out.types[0].nresults, 3);
    cr_assert_eq(memcmp(out.types[0].results, r_fv, sizeof r_fv), 0);
    cr_assert_eq(out.nimports, 4);
    cr_assert_str_eq(out.imports[3].name, "g\xc3\xa9");
    cr_assert_eq(out.imports[1].table.limits.max, 10);
    cr_assert(out.imports[1].table.limits.has_max);
    cr_assert(out.imports[3].global.is_mutable);
    cr_assert_eq(out.nimported_funcs, 1);
    cr_assert_eq(out.nimported_tables, 1);
    cr_assert_eq(out.nimported_memories, 1);
    cr_assert_eq(out.nimported_globals, 1);
    cr_assert_eq(out.nfuncs, 3);
    cr_assert_eq(out.func_types[2], 1);
    cr_assert_eq(out.globals[1].init.bits[1], 0xfedcba9876543210ull);
    cr_assert_eq(out.globals[2].init.kind, W2N_CONST_REF_FUNC);
    cr_assert_str_eq(out.exports[0].name, "run");
    cr_assert_str_eq(out.exports[3].name, "");
    cr_assert_eq(out.start, 2);
    cr_assert_eq(out.nelems, 3);
    cr_assert_eq(out.elems[0].count, 3);
    cr_assert_eq(out.elems[0].items[2].kind, W2N_CONST_GLOBAL_GET);
    cr_assert_eq(out.elems[2].mode, W2N_SEGMENT_DECLARATIVE);
    cr_assert_eq(out.ndatas, 2);
    cr_assert_eq(out.datas[0].size, 5);
    cr_assert_eq(memcmp(out.datas[0].bytes, "hello", 5), 0);
    cr_assert_eq(out.datas[0].offset.bits[0], 16);
    cr_assert_eq(out.abi_minor, W2N_ABI_MINOR);
    cr_assert_str_eq(out.w2n_version, "9.8.7");
    cr_assert_str_eq(out.target, "aarch64-linux-gnu");
    cr_assert_eq(out.opt_level, 3);
    cr_assert_eq(out.wasm_features, 0x5a5a);
    cr_assert_eq(memcmp(out.module_sha256, in.module_sha256, 32), 0);

    /* Re-encoding the decoded meta gives the same bytes. */
    uint8_t *again;
    size_t again_size;
    encode(&out, &again, &again_size);
    cr_assert_eq(again_size, size);
    cr_assert_eq(memcmp(again, bytes, size), 0);
    w2n_meta_free(&out);
    free(again);
    free(bytes);
}

/* Another major, or a later minor, is refused before anything else is read,
 * with both versions and the remedy. */
Test(rt_meta, other_versions_refused_naming_both) {
    w2n_meta in = rich(), out;
    char want[256];
    w2n_error err;
    uint8_t *bytes;
    size_t size;

    in.abi_version = W2N_ABI_VERSION + 1;
    in.abi_minor = 0;
    encode(&in, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_ERR_BAD_OBJECT);
    snprintf(want, sizeof want,
             "object has w2n ABI %d.0, this runtime (w2n %s) reads ABI "
             "%d.0 to %d.%d: recompile the module with w2n %s",
             W2N_ABI_VERSION + 1, W2N_VERSION, W2N_ABI_VERSION, W2N_ABI_VERSION, W2N_ABI_MINOR,
             W2N_VERSION);
    cr_assert_str_eq(err.message, want);
    /* Only the header is read: the rest of another major may be anything. */
    cr_assert_eq(w2n_meta_decode(bytes, 12, &out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_str_eq(err.message, want);
    free(bytes);

    in = rich();
    in.abi_minor = W2N_ABI_MINOR + 1;
    encode(&in, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_ERR_BAD_OBJECT);
    snprintf(want, sizeof want,
             "object has w2n ABI %d.%d, this runtime (w2n %s) reads ABI "
             "%d.0 to %d.%d: recompile the module with w2n %s or run it with the runtime of "
             "the w2n that compiled it",
             W2N_ABI_VERSION, W2N_ABI_MINOR + 1, W2N_VERSION, W2N_ABI_VERSION, W2N_ABI_VERSION,
             W2N_ABI_MINOR, W2N_VERSION);
    cr_assert_str_eq(err.message, want);
    cr_assert_eq(out.types, NULL);
    free(bytes);
}

Test(rt_meta, empty_module_round_trip) {
    w2n_meta in = {.abi_version = W2N_ABI_VERSION, .arch = W2N_ARCH_X86_64, .start = -1}, out;
    uint8_t *bytes;
    size_t size;
    encode(&in, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, NULL), W2N_OK);
    cr_assert_eq(out.start, -1);
    cr_assert_str_eq(out.cpu, "");
    w2n_meta_free(&out);
    free(bytes);
}

Test(rt_meta, every_truncation_rejected) {
    w2n_meta in = rich(), out;
    uint8_t *bytes;
    size_t size;
    encode(&in, &bytes, &size);
    for (size_t n = 0; n < size; n++) {
        /* A fresh copy of exactly n bytes, so ASan sees any overread. */
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, bytes, n);
        w2n_error err;
        cr_assert_eq(w2n_meta_decode(cut, n, &out, &err), W2N_ERR_BAD_OBJECT, "length %zu", n);
        cr_assert_eq(out.types, NULL);
        cr_assert_eq(out.nimports, 0);
        free(cut);
    }
    free(bytes);
}

Test(rt_meta, trailing_bytes_rejected) {
    w2n_meta in = rich(), out;
    uint8_t *bytes;
    size_t size;
    encode(&in, &bytes, &size);
    uint8_t *longer = malloc(size + 1);
    memcpy(longer, bytes, size);
    longer[size] = 0;
    w2n_error err;
    cr_assert_eq(w2n_meta_decode(longer, size + 1, &out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "trailing"), "%s", err.message);
    free(longer);
    free(bytes);
}

static w2n_status decode_modified(w2n_meta m, w2n_error *err) {
    uint8_t *bytes;
    size_t size;
    w2n_meta out;
    encode(&m, &bytes, &size);
    w2n_status st = w2n_meta_decode(bytes, size, &out, err);
    if (st == W2N_OK)
        w2n_meta_free(&out);
    free(bytes);
    return st;
}

/* ABI 5: value types are u32 (typed references), and defined tables carry
 * an initial value. */
Test(rt_meta, typed_references_and_table_initialisers) {
    static w2n_valtype self_ref[] = {0x200 | 1u << 10};             /* (ref null 1), itself */
    static w2n_valtype typed[] = {0x200 | 0u << 10 | 0x100, 0x170}; /* (ref 0), (ref func) */
    static w2n_functype ts[] = {{0, 0, NULL, NULL}, {1, 0, self_ref, NULL}, {2, 0, typed, NULL}};
    static w2n_tabletype tabs[] = {{0x100 | 0x200, {.min = 2}}, {W2N_FUNCREF, {.min = 1}}};
    static w2n_const_expr inits[] = {{.kind = W2N_CONST_REF_FUNC, .index = 0}, {0}};
    static uint32_t fts[] = {0};
    w2n_meta in = {.abi_version = W2N_ABI_VERSION,
                   .abi_minor = W2N_ABI_MINOR,
                   .cpu = "",
                   .features = "",
                   .ntypes = 3,
                   .types = ts,
                   .nfuncs = 1,
                   .func_types = fts,
                   .ntables = 2,
                   .tables = tabs,
                   .table_inits = inits,
                   .start = -1,
                   .w2n_version = "",
                   .target = ""};
    uint8_t *bytes;
    size_t size;
    w2n_meta out;
    w2n_error err;
    encode(&in, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.types[1].params[0], self_ref[0]);
    cr_assert_eq(out.types[2].params[1], 0x170);
    cr_assert_eq(out.tables[0].elem, 0x300);
    cr_assert_eq(out.table_inits[0].kind, W2N_CONST_REF_FUNC);
    cr_assert_eq(out.table_inits[1].kind, 0);
    cr_assert_eq(w2n_meta_check(&out, &err), W2N_OK, "%s", err.message);
    w2n_meta_free(&out);
    free(bytes);

    /* A type may name types up to the end of its recursion group only
     * (here, alone in its group: itself and earlier types): a forward
     * reference out of it could make canonicalisation loop. */
    static w2n_valtype forward[] = {0x200 | 2u << 10};
    w2n_functype fwd[] = {ts[0], {1, 0, forward, NULL}, ts[2]};
    w2n_meta m = in;
    m.types = fwd;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "after its recursion group"), "%s", err.message);
    /* A table of type index 7 of 3. */
    w2n_tabletype bad_tab[] = {{0x200 | 7u << 10, {.min = 1}}, tabs[1]};
    m = in;
    m.tables = bad_tab;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    /* An externref initialiser of a funcref table. */
    w2n_const_expr bad_init[] = {inits[0], {.kind = W2N_CONST_REF_NULL, .index = W2N_EXTERNREF}};
    m = in;
    m.table_inits = bad_init;
    encode(&m, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_meta_check(&out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "than its table"), "%s", err.message);
    w2n_meta_free(&out);
    free(bytes);
}

Test(rt_meta, bad_indices_rejected) {
    w2n_error err;
    w2n_meta m = rich();
    uint32_t bad_types[] = {0, 1, 2};
    m.func_types = bad_types;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "type index"), "%s", err.message);

    m = rich();
    m.start = 4;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "start function index out of range"), "%s", err.message);

    m = rich();
    w2n_meta_export ex[] = {{"x", 1, W2N_EXTERN_MEMORY, 1}};
    m.exports = ex;
    m.nexports = 1;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "export index out of range"), "%s", err.message);

    m = rich();
    w2n_meta_global g[] = {{{W2N_I32, false}, {W2N_CONST_GLOBAL_GET, 1, {0, 0}}}};
    m.globals = g; /* global 1 is itself: not yet defined */
    m.nglobals = 1;
    m.nexports = 0;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "global.get index out of range"), "%s", err.message);

    m = rich();
    w2n_meta_data d[] = {{W2N_SEGMENT_ACTIVE, 1, {W2N_CONST_I32, 0, {0, 0}}, 0, NULL}};
    m.datas = d;
    m.ndatas = 1;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "data segment memory index out of range"), "%s", err.message);

    m = rich();
    w2n_tabletype t[] = {{W2N_I32, {.min = 0, .max = 0, .has_max = false}}};
    m.tables = t;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "not a reference type"), "%s", err.message);

    m = rich();
    w2n_limits mem[] = {{.min = 70000, .max = 0, .has_max = false}};
    m.memories = mem;
    m.nmemories = 1;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "limits out of range"), "%s", err.message);
}

/* Several memories: an imported one and two defined; a data segment may name
 * any of the three, not a fourth; more than w2n's limit is refused. */
Test(rt_meta, multiple_memories) {
    w2n_error err;
    w2n_meta m = rich();
    w2n_limits mem[] = {{.min = 1, .max = 0, .has_max = false},
                        {.min = 2, .max = 3, .has_max = true}};
    w2n_meta_data d[] = {{W2N_SEGMENT_ACTIVE, 2, {W2N_CONST_I32, 0, {0, 0}}, 5, hello}};
    w2n_meta_export ex[] = {{"m2", 2, W2N_EXTERN_MEMORY, 2}};
    m.memories = mem;
    m.nmemories = 2;
    m.datas = d;
    m.ndatas = 1;
    m.exports = ex;
    m.nexports = 1;
    cr_assert_eq(decode_modified(m, &err), W2N_OK, "%s", err.message);

    d[0].memory = 3;
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "data segment memory index out of range"), "%s", err.message);

    static w2n_limits many[W2N_LIMIT_MEMORIES];
    d[0].memory = 0;
    m.memories = many;
    m.nmemories = W2N_LIMIT_MEMORIES; /* plus the imported one */
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "more memories than w2n's limit"), "%s", err.message);
    m.nmemories = W2N_LIMIT_MEMORIES - 1;
    cr_assert_eq(decode_modified(m, &err), W2N_OK, "%s", err.message);
}

/* Decode `m` (which must decode) and apply the loader's typing rules. */
static w2n_status typing(w2n_meta m, w2n_error *err) {
    uint8_t *bytes;
    size_t size;
    encode(&m, &bytes, &size);
    w2n_meta out;
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, err), W2N_OK, "%s", err->message);
    free(bytes);
    w2n_status st = w2n_meta_check(&out, err);
    w2n_meta_free(&out);
    return st;
}

Test(rt_meta, typing_checked) {
    w2n_error err;
    w2n_meta m = rich();
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);
    m.start = 0; /* the imported [] -> [] function: a valid start */
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);
    m.start = 1; /* defined function 0: (i32 i64) -> (f32 v128 funcref) */
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "start function 1 has 2 parameters and 3 results"), "%s",
              err.message);

    m = rich();
    w2n_meta_global g[] = {{{W2N_FUNCREF, false}, {W2N_CONST_I64, 0, {0x41414141, 0}}}};
    m.globals = g;
    m.nglobals = 1;
    m.nexports = 0;
    m.nelems = 0;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "initialiser of another type than its global 1"), "%s",
              err.message);

    m = rich();
    w2n_meta_elem e[] = {
        {W2N_SEGMENT_ACTIVE, W2N_FUNCREF, 0, {W2N_CONST_I32, 0, {0, 0}}, 1, items}};
    m.elems = e; /* table 0 is the imported externref table */
    m.nelems = 1;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "active element segment of the wrong offset or table type 0"),
              "%s", err.message);
    e[0].table = 1;
    e[0].offset.kind = W2N_CONST_I64;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "wrong offset or table type 0"), "%s", err.message);
    w2n_const_expr bad_item[] = {{W2N_CONST_F64, 0, {0, 0}}};
    e[0].offset.kind = W2N_CONST_I32;
    e[0].items = bad_item;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "element of another type than its segment, in segment 0"), "%s",
              err.message);

    m = rich();
    w2n_meta_data d[] = {{W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_GLOBAL_GET, 0, {0, 0}}, 0, NULL}};
    m.datas = d; /* global 0 is the imported i64 */
    m.ndatas = 1;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "offset is not of its memory's index type, in segment 0"), "%s",
              err.message);
}

/* extended-const: runs of the pool, checked for range, kinds and stack typing. */
static w2n_const_expr pool[] = {
    {W2N_CONST_GLOBAL_GET, 0, {0, 0}},   {W2N_CONST_I64, 0, {5, 0}},
    {W2N_CONST_I64_MUL, 0, {0, 0}},      {W2N_CONST_I32, 0, {7, 0}},
    {W2N_CONST_I32, 0, {0xffffffff, 0}}, {W2N_CONST_I32_ADD, 0, {0, 0}},
};

static w2n_meta with_runs(w2n_meta_global *g, w2n_meta_data *d) {
    w2n_meta m = rich();
    m.nconst_ops = 6;
    m.const_ops = pool;
    m.globals = g; /* global 1: i64 = imported global 0 * 5 */
    m.nglobals = 1;
    m.nexports = 0;
    m.nelems = 0;
    m.datas = d; /* offset 7 + -1 */
    m.ndatas = 1;
    return m;
}

Test(rt_meta, extended_runs_checked) {
    w2n_error err;
    w2n_meta_global g[] = {{{W2N_I64, false}, {W2N_CONST_EXTENDED, 0, {3, 0}}}};
    w2n_meta_data d[] = {{W2N_SEGMENT_ACTIVE, 0, {W2N_CONST_EXTENDED, 3, {3, 0}}, 0, NULL}};
    w2n_meta m = with_runs(g, d);
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);

    uint8_t *bytes;
    size_t size;
    w2n_meta out;
    encode(&m, &bytes, &size);
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.nconst_ops, 6);
    cr_assert_eq(out.const_ops[2].kind, W2N_CONST_I64_MUL);
    cr_assert_eq(out.const_ops[4].bits[0], 0xffffffff);
    cr_assert_eq(out.globals[0].init.kind, W2N_CONST_EXTENDED);
    cr_assert_eq(out.datas[0].offset.index, 3);
    w2n_meta_free(&out);
    free(bytes);

    d[0].offset.bits[0] = 4; /* past the pool */
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "extended constant expression out of range"), "%s", err.message);
    d[0].offset.bits[0] = 1; /* a run is at least two */
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    d[0].offset.bits[0] = 3;
    g[0].init.index = 0;
    pool[0].index = 1; /* global 1 reading itself */
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "global.get index out of range"), "%s", err.message);
    pool[0].index = 0;
    pool[1].kind = W2N_CONST_EXTENDED; /* a run inside a run */
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "unknown extended constant instruction"), "%s", err.message);
    pool[1].kind = W2N_CONST_I64;

    g[0].type.type = W2N_I32; /* the run gives an i64 */
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "initialiser of another type than its global 1"), "%s",
              err.message);
    g[0].type.type = W2N_I64;
    d[0].offset.index = 2; /* i64.mul, i32, i32: an operand short */
    d[0].offset.bits[0] = 2;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    d[0].offset.index = 3; /* 7, -1: two values left */
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(
        strstr(err.message, "data segment offset is not of its memory's index type, in segment 0"),
        "%s", err.message);
    d[0].offset.index = 1; /* i64 5, i64.mul, i32 7: mul short of one */
    d[0].offset.bits[0] = 3;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
}

Test(rt_meta, huge_count_rejected_without_allocating) {
    /* magic, header (versions and flags, frame sizes, two empty strings, the
     * hash), then a type count of 0xFFFFFFFF with nothing after. */
    uint8_t b[8 + 12 + 12 + 4 + 4 + 8 + 4];
    memset(b, 0, sizeof b);
    memcpy(b, W2N_META_MAGIC, 8);
    b[8] = W2N_ABI_VERSION;
    memset(b + sizeof b - 4, 0xFF, 4);
    w2n_meta out;
    w2n_error err;
    cr_assert_eq(w2n_meta_decode(b, sizeof b, &out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "count"), "%s", err.message);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

Test(rt_meta, fuzzed_bytes_never_crash) {
    w2n_meta in = rich(), out;
    uint8_t *bytes;
    size_t size;
    encode(&in, &bytes, &size);
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        uint8_t *mut = malloc(size);
        memcpy(mut, bytes, size);
        int flips = 1 + (int)(next_rand() % 4);
        for (int k = 0; k < flips; k++) {
            size_t at = 8 + next_rand() % (size - 8);
            mut[at] = (next_rand() & 1) ? (uint8_t)next_rand() : (uint8_t)(mut[at] ^ 0x80);
        }
        size_t n = (next_rand() % 8 == 0) ? next_rand() % size : size;
        if (w2n_meta_decode(mut, n, &out, NULL) == W2N_OK) {
            accepted++;
            w2n_meta_free(&out);
        }
        free(mut);
    }
    /* Pure random bytes after the magic. */
    for (int round = 0; round < 2000; round++) {
        size_t n = 8 + next_rand() % 256;
        uint8_t *r = malloc(n);
        memcpy(r, W2N_META_MAGIC, 8);
        for (size_t i = 8; i < n; i++)
            r[i] = (uint8_t)next_rand();
        if (w2n_meta_decode(r, n, &out, NULL) == W2N_OK)
            w2n_meta_free(&out);
        free(r);
    }
    cr_assert(accepted < 20000);
    free(bytes);
}

Test(rt_meta, hash_is_fnv1a64) {
    cr_assert_eq(w2n_meta_hash(NULL, 0), 0xcbf29ce484222325ull);
    cr_assert_eq(w2n_meta_hash((const uint8_t *)"a", 1), 0xaf63dc4c8601ec8cull);
}

/* memory64/table64: the limits' 64-bit flag survives the round trip, a
 * flags byte with other bits or a 64-bit memory past 2^48 pages is refused,
 * and a segment's offset must have its memory's or table's index type. */
Test(rt_meta, memory64_limits_and_offsets) {
    w2n_error err;
    w2n_meta m = rich();
    w2n_limits mem[] = {{.min = 1, .max = UINT64_C(1) << 48, .has_max = true, .is64 = true}};
    w2n_tabletype tab[] = {
        {W2N_FUNCREF, {.min = 3, .max = UINT64_C(1) << 40, .has_max = true, .is64 = true}}};
    m.memories = mem;
    m.nmemories = 1;
    m.tables = tab;
    uint8_t *bytes;
    size_t size;
    encode(&m, &bytes, &size);
    w2n_meta out;
    cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_OK, "%s", err.message);
    cr_assert(out.memories[0].is64 && out.memories[0].has_max);
    cr_assert_eq(out.memories[0].max, UINT64_C(1) << 48);
    cr_assert(out.tables[0].limits.is64);
    cr_assert_eq(out.tables[0].limits.max, UINT64_C(1) << 40);
    cr_assert(!out.imports[2].memory.is64);
    w2n_meta_free(&out);

    /* The flags byte: the one byte where has_max = false encodes otherwise. */
    mem[0].has_max = false;
    uint8_t *other;
    size_t other_size;
    encode(&m, &other, &other_size);
    cr_assert_eq(other_size, size);
    size_t at = 0, ndiff = 0;
    for (size_t i = 0; i < size; i++)
        if (bytes[i] != other[i])
            at = i, ndiff++;
    cr_assert_eq(ndiff, 1);
    cr_assert_eq(bytes[at], 5);                   /* has_max | 64-bit */
    for (uint8_t flags = 8; flags; flags <<= 1) { /* bits 1 (shared) and 2 are valid */
        bytes[at] = (uint8_t)(5 | flags);
        cr_assert_eq(w2n_meta_decode(bytes, size, &out, &err), W2N_ERR_BAD_OBJECT);
        cr_assert(strstr(err.message, "limits flags out of range"), "%s", err.message);
    }
    free(bytes);
    free(other);

    mem[0] = (w2n_limits){.min = (UINT64_C(1) << 48) + 1, .is64 = true};
    cr_assert_eq(decode_modified(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "limits out of range"), "%s", err.message);

    /* Offsets: memory 1 is the 64-bit one, memory 0 (imported) 32-bit. */
    mem[0] = (w2n_limits){.min = 1, .max = 0, .has_max = false, .is64 = true};
    m.nelems = 0; /* elems[0] targets the table with an i32 offset */
    w2n_meta_data d[] = {{W2N_SEGMENT_ACTIVE, 1, {W2N_CONST_I64, 0, {16, 0}}, 5, hello}};
    m.datas = d;
    m.ndatas = 1;
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);
    d[0].offset.kind = W2N_CONST_I32;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "data segment offset is not of its memory's index type"), "%s",
              err.message);
    d[0].memory = 0;
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);
    d[0].offset.kind = W2N_CONST_I64;
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);

    m.ndatas = 0;
    m.nelems = 1; /* active, table 1 (64-bit), offset i32 */
    cr_assert_eq(typing(m, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "wrong offset or table type"), "%s", err.message);
    w2n_meta_elem e[] = {elems[0]};
    e[0].offset.kind = W2N_CONST_I64;
    m.elems = e;
    cr_assert_eq(typing(m, &err), W2N_OK, "%s", err.message);
}

/* The frame fields sit where the compiler patches them (frame_record.c),
 * travel intact, and a size past W2N_FRAME_MAX is corrupt. */
Test(rt_meta, frame_sizes_at_their_offset_and_bounded) {
    w2n_meta in = {.abi_version = W2N_ABI_VERSION,
                   .arch = W2N_ARCH_RISCV64,
                   .start = -1,
                   .max_frame = 803312,
                   .max_frame_vlenb = 300},
             out;
    uint8_t *b;
    size_t n;
    w2n_error err;
    cr_assert_eq(w2n_meta_encode(&in, &b, &n, &err), W2N_OK);
    uint64_t at = 0;
    for (int i = 7; i >= 0; i--)
        at = at << 8 | b[W2N_META_FRAME_OFFSET + i];
    cr_assert_eq(at, 803312);
    cr_assert_eq(b[W2N_META_FRAME_OFFSET + 8], 300 & 0xff);
    cr_assert_eq(w2n_meta_decode(b, n, &out, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(out.max_frame, 803312);
    cr_assert_eq(out.max_frame_vlenb, 300);
    w2n_meta_free(&out);
    b[W2N_META_FRAME_OFFSET + 4] = 1; /* 2^32 + 803312 bytes */
    cr_assert_eq(w2n_meta_decode(b, n, &out, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "stack frame size out of range"), "%s", err.message);
    free(b);
}
