/*
 * test_limits.c — each of w2n's implementation limits (w2n/limits.h) is
 * refused with W2N_ERR_LIMIT and a message naming it, one past the limit,
 * at the offset of the count; at the limit itself a module still decodes.
 * And the optimisation budget: which functions are compiled unoptimised,
 * and that such a module still compiles at -O2.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "module.h"
#include "module_facts.h"
#include "w2n/compiler.h"
#include "w2n/limits.h"

/* opt_budget.c (declared in lower.h, which needs LLVM's headers). */
bool w2n_opt_budget_exceeded(const w2n_code *code, const w2n_function_facts *ff);
bool w2n_opt_budget_module_exceeded(const w2n_module *m);

typedef struct buf {
    uint8_t *b;
    size_t n, cap;
} buf;

static void put(buf *o, const void *p, size_t n) {
    if (o->n + n > o->cap) {
        o->cap = (o->n + n) * 2;
        o->b = realloc(o->b, o->cap);
        cr_assert_not_null(o->b);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void byte(buf *o, uint8_t v) { put(o, &v, 1); }

static void uleb(buf *o, uint64_t v) {
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        byte(o, v ? b | 0x80 : b);
    } while (v);
}

static void fill(buf *o, uint8_t v, size_t n) {
    for (size_t i = 0; i < n; i++)
        byte(o, v);
}

static void header(buf *o) {
    static const uint8_t h[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    o->n = 0;
    put(o, h, sizeof h);
}

/* Section `id` with content c. */
static void section(buf *o, uint8_t id, const buf *c) {
    byte(o, id);
    uleb(o, c->n);
    put(o, c->b, c->n);
}

/* A section whose vector has `count` items, followed by count * item_size
 * zero bytes: enough for the decoder to accept the count as a length. */
static void counted_section(buf *o, uint8_t id, uint64_t count, size_t item_size) {
    buf c = {0};
    uleb(&c, count);
    fill(&c, 0, count * item_size);
    section(o, id, &c);
    free(c.b);
}

/* The type section of one type [i32] -> [i32]. */
static void one_type(buf *o) {
    buf c = {0};
    static const uint8_t t[] = {1, 0x60, 1, 0x7f, 1, 0x7f};
    put(&c, t, sizeof t);
    section(o, 1, &c);
    free(c.b);
}

/* Type, function and code sections of one function with `body` (without
 * its locals vector) and `locals` i32 locals in one group. */
static void one_function(buf *o, const buf *body, uint64_t locals) {
    one_type(o);
    buf c = {0};
    static const uint8_t f[] = {1, 0};
    put(&c, f, sizeof f);
    section(o, 3, &c);
    c.n = 0;
    buf b = {0};
    if (locals) {
        uleb(&b, 1);
        uleb(&b, locals);
        byte(&b, 0x7f);
    } else {
        uleb(&b, 0);
    }
    put(&b, body->b, body->n);
    uleb(&c, 1);
    uleb(&c, b.n);
    put(&c, b.b, b.n);
    section(o, 10, &c);
    free(b.b);
    free(c.b);
}

static void expect_limit(const buf *o, const char *what, uint64_t limit) {
    w2n_module m;
    w2n_error e = {0};
    w2n_status st = w2n_decode(o->b, o->n, &m, &e);
    if (st == W2N_OK)
        w2n_module_free(&m);
    cr_assert_eq(st, W2N_ERR_LIMIT, "status %d '%s'", st, e.message);
    char want[160];
    snprintf(want, sizeof want, "%s: %llu exceeds w2n's limit of %llu", what,
             (unsigned long long)limit + 1, (unsigned long long)limit);
    cr_assert_str_eq(e.message, want);
    cr_assert_neq(e.offset, W2N_NO_OFFSET);
    cr_assert_lt(e.offset, o->n);
}

static void expect_ok(const buf *o) {
    w2n_module m;
    w2n_error e = {0};
    w2n_status st = w2n_decode(o->b, o->n, &m, &e);
    cr_assert_eq(st, W2N_OK, "status %d '%s'", st, e.message);
    w2n_module_free(&m);
}

#define COUNT_LIMIT(name, id, what, limit)                   \
    Test(limits, name) {                                     \
        buf o = {0};                                         \
        header(&o);                                          \
        counted_section(&o, (id), (uint64_t)(limit) + 1, 1); \
        expect_limit(&o, (what), (limit));                   \
        free(o.b);                                           \
    }

COUNT_LIMIT(types, 1, "types", W2N_LIMIT_TYPES)
COUNT_LIMIT(imports, 2, "imports", W2N_LIMIT_IMPORTS)
COUNT_LIMIT(functions, 3, "functions", W2N_LIMIT_FUNCTIONS)
COUNT_LIMIT(tables, 4, "tables", W2N_LIMIT_TABLES)
COUNT_LIMIT(memories, 5, "memories", W2N_LIMIT_MEMORIES)
COUNT_LIMIT(globals, 6, "globals", W2N_LIMIT_GLOBALS)
COUNT_LIMIT(exports, 7, "exports", W2N_LIMIT_EXPORTS)
COUNT_LIMIT(element_segments, 9, "element segments", W2N_LIMIT_ELEM_SEGMENTS)
COUNT_LIMIT(data_segments, 11, "data segments", W2N_LIMIT_DATA_SEGMENTS)

/* Memories count imported and defined together: one import and the limit
 * defined is one too many; one fewer defined is fine. */
static void imported_and_defined_memories(buf *o, uint32_t ndefined) {
    buf imp = {0}, mem = {0};
    header(o);
    uleb(&imp, 1);
    put(&imp, "\1m\1m\2\0\1", 7); /* "m" "m" memory {min 1} */
    section(o, 2, &imp);
    uleb(&mem, ndefined);
    for (uint32_t i = 0; i < ndefined; i++)
        put(&mem, "\0\0", 2);
    section(o, 5, &mem);
    free(imp.b);
    free(mem.b);
}

Test(limits, memories_imported_and_defined) {
    buf o = {0};
    imported_and_defined_memories(&o, W2N_LIMIT_MEMORIES);
    expect_limit(&o, "memories", W2N_LIMIT_MEMORIES);
    free(o.b);
    buf ok = {0};
    imported_and_defined_memories(&ok, W2N_LIMIT_MEMORIES - 1);
    expect_ok(&ok);
    free(ok.b);
}

/* A type section of one type with `nparams` and `nresults` i32s. */
static void type_of_arity(buf *o, uint64_t nparams, uint64_t nresults) {
    buf c = {0};
    header(o);
    uleb(&c, 1);
    byte(&c, 0x60);
    uleb(&c, nparams);
    fill(&c, 0x7f, nparams);
    uleb(&c, nresults);
    fill(&c, 0x7f, nresults);
    section(o, 1, &c);
    free(c.b);
}

Test(limits, function_params) {
    buf o = {0};
    type_of_arity(&o, W2N_LIMIT_FUNC_PARAMS + 1, 0);
    expect_limit(&o, "function parameters", W2N_LIMIT_FUNC_PARAMS);
    free(o.b);
}

Test(limits, function_results) {
    buf o = {0};
    type_of_arity(&o, 0, W2N_LIMIT_FUNC_RESULTS + 1);
    expect_limit(&o, "function results", W2N_LIMIT_FUNC_RESULTS);
    free(o.b);
}

Test(limits, element_segment_items) {
    /* flags 1: passive, elemkind funcref, then the vector of indices. */
    buf o = {0}, c = {0};
    header(&o);
    uleb(&c, 1);
    byte(&c, 1);
    byte(&c, 0);
    uleb(&c, W2N_LIMIT_ELEM_ITEMS + 1);
    fill(&c, 0, W2N_LIMIT_ELEM_ITEMS + 1);
    section(&o, 9, &c);
    expect_limit(&o, "element segment items", W2N_LIMIT_ELEM_ITEMS);
    free(o.b);
    free(c.b);
}

/* A global initialised by n times `i32.const 1` and n - 1 times `i32.add`. */
static void long_const_expr(buf *o, uint64_t n) {
    buf c = {0};
    header(o);
    uleb(&c, 1);
    byte(&c, 0x7f);
    byte(&c, 0);
    for (uint64_t i = 0; i < n; i++) {
        byte(&c, 0x41);
        byte(&c, 1);
        if (i)
            byte(&c, 0x6a);
    }
    byte(&c, 0x0b);
    section(o, 6, &c);
    free(c.b);
}

Test(limits, constant_expression_instructions) {
    buf o = {0};
    long_const_expr(&o, W2N_LIMIT_CONST_EXPR_OPS / 2); /* 2n - 1 instructions */
    expect_ok(&o);
    o.n = 0;
    long_const_expr(&o, W2N_LIMIT_CONST_EXPR_OPS / 2 + 1);
    expect_limit(&o, "instructions in a constant expression", W2N_LIMIT_CONST_EXPR_OPS);
    free(o.b);
}

Test(limits, locals) {
    buf o = {0}, body = {0};
    header(&o);
    byte(&body, 0x20); /* local.get 0; end */
    byte(&body, 0);
    byte(&body, 0x0b);
    one_function(&o, &body, W2N_LIMIT_FUNC_LOCALS + 1);
    expect_limit(&o, "too many locals", W2N_LIMIT_FUNC_LOCALS);
    header(&o);
    one_function(&o, &body, W2N_LIMIT_FUNC_LOCALS);
    expect_ok(&o);
    free(o.b);
    free(body.b);
}

Test(limits, body_size) {
    buf o = {0}, body = {0};
    header(&o);
    /* nops and end; with the locals vector's byte, one byte too many */
    fill(&body, 0x01, W2N_LIMIT_BODY_BYTES - 1);
    byte(&body, 0x0b);
    one_function(&o, &body, 0);
    expect_limit(&o, "function body size", W2N_LIMIT_BODY_BYTES);
    free(o.b);
    free(body.b);
}

/* block^n (local.get 0; br_table of `entries` zeros, default 0) end^n local.get 0 */
static void br_table_body(buf *body, uint32_t entries, uint32_t blocks) {
    for (uint32_t i = 0; i < blocks; i++) {
        byte(body, 0x02);
        byte(body, 0x40);
    }
    byte(body, 0x20);
    byte(body, 0);
    byte(body, 0x0e);
    uleb(body, entries);
    fill(body, 0, entries);
    byte(body, 0);
    fill(body, 0x0b, blocks);
    byte(body, 0x20);
    byte(body, 0);
    byte(body, 0x0b);
}

Test(limits, br_table_targets) {
    buf o = {0}, body = {0};
    header(&o);
    br_table_body(&body, W2N_LIMIT_BR_TABLE + 1, 1);
    one_function(&o, &body, 0);
    expect_limit(&o, "br_table targets", W2N_LIMIT_BR_TABLE);
    body.n = 0;
    header(&o);
    br_table_body(&body, W2N_LIMIT_BR_TABLE, 1);
    one_function(&o, &body, 0);
    expect_ok(&o);
    free(o.b);
    free(body.b);
}

Test(limits, nesting_depth) {
    buf o = {0}, body = {0};
    header(&o);
    br_table_body(&body, 0, W2N_LIMIT_NESTING + 1);
    one_function(&o, &body, 0);
    expect_limit(&o, "block nesting depth", W2N_LIMIT_NESTING);
    free(o.b);
    free(body.b);
}

Test(limits, module_size) {
    /* Reserved, never touched: the size is refused before a byte is read. */
    size_t size = (size_t)W2N_LIMIT_MODULE_BYTES + 1;
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    w2n_module m;
    w2n_error e = {0};
    cr_assert_eq(w2n_decode(p, size, &m, &e), W2N_ERR_LIMIT);
    cr_assert_str_eq(e.message,
                     "module size in bytes: 1073741825 exceeds w2n's limit of 1073741824");
    munmap(p, size);
}

/* The optimisation budget: past it a function is compiled unoptimised, and
 * the module still compiles (quickly) at -O2. */
static bool over_budget(const buf *o) {
    w2n_module m;
    w2n_error e = {0};
    cr_assert_eq(w2n_decode(o->b, o->n, &m, &e), W2N_OK, "%s", e.message);
    w2n_module_facts facts;
    cr_assert_eq(w2n_module_facts_compute(&m, &facts, &e), W2N_OK, "%s", e.message);
    bool over = w2n_opt_budget_exceeded(&m.codes[0], &facts.funcs[0]);
    w2n_module_facts_free(&facts);
    w2n_module_free(&m);
    return over;
}

static void compiles_at_o2(const buf *o) {
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    uint8_t *obj;
    size_t size;
    w2n_error e = {0};
    cr_assert_eq(w2n_compile(o->b, o->n, &opts, &obj, &size, &e), W2N_OK, "%s", e.message);
    free(obj);
}

Test(opt_budget, br_table_entries) {
    buf o = {0}, body = {0};
    header(&o);
    br_table_body(&body, W2N_OPT_MAX_BR_TABLE_ENTRIES, 2);
    one_function(&o, &body, 0);
    cr_assert(!over_budget(&o));
    body.n = 0;
    header(&o);
    br_table_body(&body, W2N_OPT_MAX_BR_TABLE_ENTRIES + 1, 2);
    one_function(&o, &body, 0);
    cr_assert(over_budget(&o));
    compiles_at_o2(&o);
    free(o.b);
    free(body.b);
}

Test(opt_budget, body_bytes) {
    buf o = {0}, body = {0};
    header(&o);
    fill(&body, 0x01, W2N_OPT_MAX_BODY_BYTES); /* nops */
    byte(&body, 0x20);
    byte(&body, 0);
    byte(&body, 0x0b);
    one_function(&o, &body, 0);
    cr_assert(over_budget(&o));
    compiles_at_o2(&o);
    free(o.b);
    free(body.b);
}

/* The function budget counts defined functions: imports cost nothing to
 * compile.  (bounds.many_functions compiles a module past it.) */
Test(opt_budget, module_functions) {
    w2n_module m;
    memset(&m, 0, sizeof m);
    m.nfuncs = W2N_OPT_MAX_MODULE_FUNCTIONS;
    cr_assert(!w2n_opt_budget_module_exceeded(&m));
    m.nfuncs = W2N_OPT_MAX_MODULE_FUNCTIONS + 1;
    cr_assert(w2n_opt_budget_module_exceeded(&m));
    m.nimported_funcs = 1;
    cr_assert(!w2n_opt_budget_module_exceeded(&m));
}
