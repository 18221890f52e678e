/*
 * gen_gc.c — GC types, values and statements for the module generator
 * (gen_gc.h says what; gen.c calls in with its state behind callbacks).
 *
 * Each emitter pushes exactly what its name says: base() a reference
 * below (ref null $base), ints() one below (ref null $ints), any() an
 * anyref, so the code is well typed by construction as gen.c's is.
 * Recursion among them is bounded by `depth` (at MAX_NEST they take a
 * local, a global or null); i32 and i64 operands come from gen.c.
 */
#include <stdlib.h>

#include "gen_gc.h"

enum {
    BASE = 0,
    DERIVED,
    LEAF,
    OTHER,
    INTS,
    BYTES,
    REFS
};
enum {
    L_BASE = 0,
    L_INTS,
    L_ANY,
    L_REFS,
    L_COUNT
};
enum {
    I32 = 0x7F,
    I64 = 0x7E,
    PACKED_I8 = 0x78,
    ANYREF = 0x6E,
    EQ = 0x6D,
    I31 = 0x6C,
    STRUCT = 0x6B,
    ARRAY = 0x6A,
    REF_NULL = 0x63,
    REF = 0x64,
    MAX_NEST = 3
};
/* The 0xFB sub-opcodes used here. */
enum {
    STRUCT_NEW = 0,
    STRUCT_NEW_DEFAULT = 1,
    STRUCT_GET = 2,
    STRUCT_GET_S = 3,
    STRUCT_SET = 5,
    ARRAY_NEW = 6,
    ARRAY_NEW_DEFAULT = 7,
    ARRAY_NEW_FIXED = 8,
    ARRAY_NEW_DATA = 9,
    ARRAY_GET = 11,
    ARRAY_GET_S = 12,
    ARRAY_GET_U = 13,
    ARRAY_SET = 14,
    ARRAY_LEN = 15,
    ARRAY_FILL = 16,
    ARRAY_COPY = 17,
    REF_TEST = 20,
    REF_TEST_NULL = 21,
    REF_CAST = 22,
    REF_CAST_NULL = 23,
    BR_ON_CAST = 24,
    BR_ON_CAST_FAIL = 25,
    ANY_CONVERT_EXTERN = 26,
    EXTERN_CONVERT_ANY = 27,
    REF_I31 = 28,
    I31_GET_S = 29
};

static void byte(fuzz_buf *out, uint8_t b) { fuzz_buf_insert(out, out->n, &b, 1); }

/* A type index where a heap type goes (s33): its unsigned LEB, with a
 * final 0 byte when the last group's sign bit would be set. */
static void heap_index(fuzz_buf *out, unsigned idx) {
    fuzz_buf_put_leb(out, idx);
    if (out->b[out->n - 1] & 0x40) {
        out->b[out->n - 1] |= 0x80;
        byte(out, 0x00);
    }
}

static void op(fuzz_gc_gen *c, unsigned sub) {
    byte(c->out, 0xFB);
    fuzz_buf_put_leb(c->out, sub);
}

/* An instruction on GC type k (struct.new $t, array.get $t, ...). */
static void op_type(fuzz_gc_gen *c, unsigned sub, unsigned k) {
    op(c, sub);
    fuzz_buf_put_leb(c->out, c->first_type + k);
}

static void ref_type(fuzz_buf *out, unsigned first_type, unsigned k, bool nullable) {
    byte(out, nullable ? REF_NULL : REF);
    heap_index(out, first_type + k);
}

static void i32_const(fuzz_gc_gen *c, int32_t v) {
    byte(c->out, 0x41);
    fuzz_buf_put_leb(c->out, (uint64_t)v); /* 0..63 only: the same bytes as sleb */
}

static void local(fuzz_gc_gen *c, uint8_t opcode, unsigned which) {
    byte(c->out, opcode);
    fuzz_buf_put_leb(c->out, c->first_local + which);
}

/* ---- types, locals, globals ---------------------------------------------------- */

static void field(fuzz_buf *out, uint8_t storage, bool mut) {
    byte(out, storage);
    byte(out, mut);
}

void fuzz_gc_types(fuzz_buf *out, unsigned first) {
    byte(out, 0x50), byte(out, 0), byte(out, 0x5F), byte(out, 1); /* $base */
    field(out, I32, true);
    byte(out, 0x50), byte(out, 1), fuzz_buf_put_leb(out, first + BASE); /* $derived */
    byte(out, 0x5F), byte(out, 2), field(out, I32, true), field(out, I64, true);
    byte(out, 0x4F), byte(out, 1), fuzz_buf_put_leb(out, first + DERIVED); /* $leaf */
    byte(out, 0x5F), byte(out, 3), field(out, I32, true), field(out, I64, true);
    ref_type(out, first, BASE, true), byte(out, 1);
    byte(out, 0x50), byte(out, 1), fuzz_buf_put_leb(out, first + BASE); /* $other */
    byte(out, 0x5F), byte(out, 2), field(out, I32, true), field(out, PACKED_I8, false);
    byte(out, 0x5E), field(out, I32, true);                                          /* $ints */
    byte(out, 0x5E), field(out, PACKED_I8, true);                                    /* $bytes */
    byte(out, 0x5E), field(out, ANYREF, true);                                       /* $refs */
    byte(out, 0x60), byte(out, 2), ref_type(out, first, BASE, true), byte(out, I32); /* $helper */
    byte(out, 1), ref_type(out, first, BASE, true);
}

void fuzz_gc_helper_body(fuzz_buf *code, unsigned first) {
    fuzz_buf b = {0};
    byte(&b, 0x00);              /* no locals */
    byte(&b, 0x41), byte(&b, 2); /* i32.const 2 */
    byte(&b, 0xFB), byte(&b, ARRAY_NEW_DEFAULT), fuzz_buf_put_leb(&b, first + INTS);
    byte(&b, 0x1A);                                                           /* drop */
    byte(&b, 0x20), byte(&b, 1), byte(&b, 0x20), byte(&b, 1), byte(&b, 0xAC); /* v, (i64)v */
    byte(&b, 0x20), byte(&b, 0);                                              /* the argument */
    byte(&b, 0xFB), byte(&b, STRUCT_NEW), fuzz_buf_put_leb(&b, first + LEAF);
    byte(&b, 0x0B);
    fuzz_buf_put_leb(code, b.n);
    fuzz_buf_insert(code, code->n, b.b, b.n);
    free(b.b);
}

void fuzz_gc_table(fuzz_buf *out) {
    byte(out, ANYREF), byte(out, 0x00), byte(out, 4); /* 4 anyrefs, null */
}

void fuzz_gc_local_decls(fuzz_buf *out, unsigned first) {
    fuzz_buf_put_leb(out, 1), ref_type(out, first, BASE, true);
    fuzz_buf_put_leb(out, 1), ref_type(out, first, INTS, true);
    fuzz_buf_put_leb(out, 1), byte(out, ANYREF);
    fuzz_buf_put_leb(out, 1), ref_type(out, first, REFS, true);
    fuzz_buf_put_leb(out, 1), byte(out, I32);
}

void fuzz_gc_globals(fuzz_buf *out, unsigned first, bool full) {
    /* (mut (ref null $base)) = struct.new $base (i32.const K), or null */
    ref_type(out, first, BASE, true), byte(out, 1);
    if (full) {
        byte(out, 0x41), byte(out, (uint8_t)fuzz_below(64));
        byte(out, 0xFB), byte(out, STRUCT_NEW), fuzz_buf_put_leb(out, first + BASE);
    } else {
        byte(out, 0xD0), heap_index(out, first + BASE);
    }
    byte(out, 0x0B);
    /* (mut anyref) = ref.i31 (i32.const K), or null */
    byte(out, ANYREF), byte(out, 1);
    if (full)
        byte(out, 0x41), byte(out, (uint8_t)fuzz_below(64)), byte(out, 0xFB), byte(out, REF_I31);
    else
        byte(out, 0xD0), byte(out, ANYREF);
    byte(out, 0x0B);
}

/* ---- references ------------------------------------------------------------------ */

static void base(fuzz_gc_gen *c, unsigned depth);
static void any(fuzz_gc_gen *c, unsigned depth);

/* A length or an index: mostly small constants, sometimes a value & 7
 * (so that indices run past lengths now and then). */
static void small(fuzz_gc_gen *c, unsigned depth) {
    if (fuzz_below(3)) {
        i32_const(c, (int32_t)fuzz_below(6));
        return;
    }
    c->value(c->host, I32, depth + 1);
    i32_const(c, 7);
    byte(c->out, 0x71); /* i32.and */
}

static void base(fuzz_gc_gen *c, unsigned depth) {
    unsigned pick = depth >= MAX_NEST ? 4 + (unsigned)fuzz_below(3) : (unsigned)fuzz_below(11);
    switch (pick) {
    case 0: c->value(c->host, I32, depth + 1), op_type(c, STRUCT_NEW, BASE); return;
    case 10: /* through the helper: a call that allocates */
        base(c, depth + 1), c->value(c->host, I32, depth + 1);
        byte(c->out, 0x10), fuzz_buf_put_leb(c->out, c->helper_func);
        return;
    case 1:
        c->value(c->host, I32, depth + 1), c->value(c->host, I64, depth + 1);
        op_type(c, STRUCT_NEW, DERIVED);
        return;
    case 2:
        c->value(c->host, I32, depth + 1), c->value(c->host, I64, depth + 1);
        base(c, depth + 1);
        op_type(c, STRUCT_NEW, LEAF);
        return;
    case 3: op_type(c, STRUCT_NEW_DEFAULT, fuzz_below(2) ? DERIVED : LEAF); return;
    case 4: local(c, 0x20, L_BASE); return;
    case 5: byte(c->out, 0x23), fuzz_buf_put_leb(c->out, c->first_global); return;
    case 6: byte(c->out, 0xD0), heap_index(c->out, c->first_type + BASE); return;
    case 7: /* a leaf's link: cast failure unless a leaf */
        base(c, depth + 1);
        op(c, REF_CAST), heap_index(c->out, c->first_type + LEAF);
        op_type(c, STRUCT_GET, LEAF), fuzz_buf_put_leb(c->out, 2);
        return;
    case 8:
        c->value(c->host, I32, depth + 1), c->value(c->host, I32, depth + 1);
        op_type(c, STRUCT_NEW, OTHER);
        return;
    default: /* what an anyref holds, as a $base or null: cast failure else */
        any(c, depth + 1);
        op(c, REF_CAST_NULL), heap_index(c->out, c->first_type + BASE);
        return;
    }
}

static void ints(fuzz_gc_gen *c, unsigned depth) {
    unsigned pick = depth >= MAX_NEST ? 3 + (unsigned)fuzz_below(2) : (unsigned)fuzz_below(5);
    switch (pick) {
    case 0:
        c->value(c->host, I32, depth + 1), small(c, depth);
        op_type(c, ARRAY_NEW, INTS);
        return;
    case 1: small(c, depth), op_type(c, ARRAY_NEW_DEFAULT, INTS); return;
    case 2: {
        unsigned n = (unsigned)fuzz_below(4);
        for (unsigned i = 0; i < n; i++)
            c->value(c->host, I32, depth + 1);
        op_type(c, ARRAY_NEW_FIXED, INTS), fuzz_buf_put_leb(c->out, n);
        return;
    }
    case 3: local(c, 0x20, L_INTS); return;
    default: byte(c->out, 0xD0), heap_index(c->out, c->first_type + INTS); return;
    }
}

static void refs(fuzz_gc_gen *c, unsigned depth) {
    unsigned pick = depth >= MAX_NEST ? 2 : (unsigned)fuzz_below(4);
    switch (pick) {
    case 0: any(c, depth + 1), small(c, depth), op_type(c, ARRAY_NEW, REFS); return;
    case 1: {
        unsigned n = (unsigned)fuzz_below(3);
        for (unsigned i = 0; i < n; i++)
            any(c, depth + 1);
        op_type(c, ARRAY_NEW_FIXED, REFS), fuzz_buf_put_leb(c->out, n);
        return;
    }
    case 2: local(c, 0x20, L_REFS); return;
    default: small(c, depth), op_type(c, ARRAY_NEW_DEFAULT, REFS); return;
    }
}

static void any(fuzz_gc_gen *c, unsigned depth) {
    unsigned pick = depth >= MAX_NEST ? 3 + (unsigned)fuzz_below(2) : (unsigned)fuzz_below(9);
    switch (pick) {
    case 0: c->value(c->host, I32, depth + 1), op(c, REF_I31); return;
    case 8: /* out of bounds table access from index 4 */
        small(c, depth), byte(c->out, 0x25), fuzz_buf_put_leb(c->out, c->table);
        return;
    case 1: base(c, depth + 1); return;
    case 2: ints(c, depth + 1); return;
    case 3: local(c, 0x20, L_ANY); return;
    case 4: byte(c->out, 0x23), fuzz_buf_put_leb(c->out, c->first_global + 1); return;
    case 5: /* out to externref and back: the same reference */
        any(c, depth + 1), op(c, EXTERN_CONVERT_ANY), op(c, ANY_CONVERT_EXTERN);
        return;
    case 6: refs(c, depth + 1), small(c, depth), op_type(c, ARRAY_GET, REFS); return;
    default: byte(c->out, 0xD0), byte(c->out, ANYREF); return;
    }
}

/* An eqref: an object, an i31, or an anyref cast to eq (cast failure for
 * none here: every anyref made is an eq or null). */
static void eq(fuzz_gc_gen *c, unsigned depth) {
    switch (fuzz_below(4)) {
    case 0: base(c, depth + 1); return;
    case 1: ints(c, depth + 1); return;
    case 2: c->value(c->host, I32, depth + 1), op(c, REF_I31); return;
    default: any(c, depth + 1), op(c, REF_CAST_NULL), byte(c->out, EQ); return;
    }
}

/* ---- values ---------------------------------------------------------------------- */

/* block (result (ref $derived)) base; br_on_cast 0 -> $derived; drop a
 * non-derived; struct.new $derived end: a $derived either way.  With
 * br_on_cast_fail, the branch takes what is not a $derived (the fallback
 * block then makes one). */
static void derived_by_branch(fuzz_gc_gen *c, unsigned depth) {
    bool fail = fuzz_below(2);
    byte(c->out, 0x02), ref_type(c->out, c->first_type, DERIVED, false);
    c->push_label(c->host);
    if (fail) { /* inner block takes the (ref null $base) that failed */
        byte(c->out, 0x02), ref_type(c->out, c->first_type, BASE, true);
        c->push_label(c->host);
    }
    base(c, depth + 1);
    op(c, fail ? BR_ON_CAST_FAIL : BR_ON_CAST);
    byte(c->out, 0x01); /* the input nullable, the target not */
    fuzz_buf_put_leb(c->out, 0);
    heap_index(c->out, c->first_type + BASE);
    heap_index(c->out, c->first_type + DERIVED);
    if (fail) { /* the cast succeeded: out with it */
        byte(c->out, 0x0C), fuzz_buf_put_leb(c->out, 1);
        c->pop_label(c->host);
        byte(c->out, 0x0B);
    }
    byte(c->out, 0x1A); /* drop what is not a $derived */
    c->value(c->host, I32, depth + 1), c->value(c->host, I64, depth + 1);
    op_type(c, STRUCT_NEW, DERIVED);
    c->pop_label(c->host);
    byte(c->out, 0x0B);
}

static void ref_test(fuzz_gc_gen *c, unsigned depth) {
    static const uint8_t abstract[] = {I31, STRUCT, ARRAY, EQ, ANYREF};
    any(c, depth + 1);
    op(c, fuzz_below(2) ? REF_TEST : REF_TEST_NULL);
    if (fuzz_below(2))
        byte(c->out, abstract[fuzz_below(sizeof abstract)]);
    else
        heap_index(c->out, c->first_type + (unsigned)fuzz_below(FUZZ_GC_HELPER_TYPE));
}

static bool i32_value(fuzz_gc_gen *c, unsigned depth) {
    switch (fuzz_below(11)) {
    case 0: base(c, depth + 1), op_type(c, STRUCT_GET, BASE), byte(c->out, 0); return true;
    case 1: ints(c, depth + 1), op(c, ARRAY_LEN); return true;
    case 2: ints(c, depth + 1), small(c, depth), op_type(c, ARRAY_GET, INTS); return true;
    case 3: /* bytes of the passive segment: out of bounds memory access past it */
        if (!c->full) {
            ints(c, depth + 1), op(c, ARRAY_LEN);
            return true;
        }
        i32_const(c, (int32_t)fuzz_below(4)), i32_const(c, (int32_t)fuzz_below(6));
        op_type(c, ARRAY_NEW_DATA, BYTES), fuzz_buf_put_leb(c->out, c->data_segment);
        small(c, depth);
        op_type(c, fuzz_below(2) ? ARRAY_GET_S : ARRAY_GET_U, BYTES);
        return true;
    case 4: /* an i31 of anything: cast failure, or null i31 reference */
        any(c, depth + 1);
        op(c, REF_CAST_NULL), byte(c->out, I31);
        op(c, I31_GET_S + (unsigned)fuzz_below(2));
        return true;
    case 5: ref_test(c, depth); return true;
    case 6: eq(c, depth), eq(c, depth), byte(c->out, 0xD3); return true; /* ref.eq */
    case 7: any(c, depth + 1), byte(c->out, 0xD1); return true;          /* ref.is_null */
    case 8: /* the packed field of an $other: cast failure else */
        base(c, depth + 1);
        op(c, REF_CAST), heap_index(c->out, c->first_type + OTHER);
        op_type(c, STRUCT_GET_S + (unsigned)fuzz_below(2), OTHER), byte(c->out, 1);
        return true;
    case 9:
        derived_by_branch(c, depth), op_type(c, STRUCT_GET, DERIVED), byte(c->out, 0);
        return true;
    default: c->value(c->host, I32, depth + 1), op(c, REF_I31), op(c, I31_GET_S + 1); return true;
    }
}

bool fuzz_gc_value(fuzz_gc_gen *c, uint8_t t, unsigned depth) {
    if (t == I32)
        return i32_value(c, depth);
    if (t != I64)
        return false;
    if (fuzz_below(2)) {
        derived_by_branch(c, depth);
    } else { /* cast failure unless a $derived or a $leaf */
        base(c, depth + 1);
        op(c, REF_CAST), heap_index(c->out, c->first_type + DERIVED);
    }
    op_type(c, STRUCT_GET, DERIVED), byte(c->out, 1);
    return true;
}

/* ---- statements ------------------------------------------------------------------ */

/* count = K; loop: base = struct.new $leaf (count, count, base); count -= 1;
 * br_if count: a list of K leaves in front of what base held. */
static void alloc_loop(fuzz_gc_gen *c) {
    i32_const(c, 1 + (int32_t)fuzz_below(47));
    local(c, 0x21, L_COUNT);
    byte(c->out, 0x03), byte(c->out, 0x40);
    c->push_label(c->host);
    local(c, 0x20, L_COUNT);
    local(c, 0x20, L_COUNT), byte(c->out, 0xAD); /* i64.extend_i32_u */
    local(c, 0x20, L_BASE);
    op_type(c, STRUCT_NEW, LEAF);
    local(c, 0x21, L_BASE);
    if (fuzz_below(2)) { /* and a short array each time, dropped */
        local(c, 0x20, L_COUNT), i32_const(c, 3), op_type(c, ARRAY_NEW, INTS);
        local(c, 0x21, L_INTS);
    }
    local(c, 0x20, L_COUNT), i32_const(c, 1), byte(c->out, 0x6B); /* i32.sub */
    local(c, 0x22, L_COUNT);
    byte(c->out, 0x0D), fuzz_buf_put_leb(c->out, 0);
    c->pop_label(c->host);
    byte(c->out, 0x0B);
}

void fuzz_gc_prologue(fuzz_gc_gen *c) { alloc_loop(c); }

/* Follow base's links while it is a leaf, at most 48 steps (links may make
 * cycles): base ends at the first non-leaf, or where the walk stopped. */
static void walk(fuzz_gc_gen *c) {
    i32_const(c, 0), local(c, 0x21, L_COUNT);
    byte(c->out, 0x02), byte(c->out, 0x40);
    c->push_label(c->host);
    byte(c->out, 0x03), byte(c->out, 0x40);
    c->push_label(c->host);
    local(c, 0x20, L_BASE);
    op(c, REF_TEST), heap_index(c->out, c->first_type + LEAF);
    byte(c->out, 0x45), byte(c->out, 0x0D), fuzz_buf_put_leb(c->out, 1); /* eqz; br_if 1 */
    local(c, 0x20, L_BASE);
    op(c, REF_CAST), heap_index(c->out, c->first_type + LEAF);
    op_type(c, STRUCT_GET, LEAF), byte(c->out, 2);
    local(c, 0x21, L_BASE);
    local(c, 0x20, L_COUNT), i32_const(c, 1), byte(c->out, 0x6A); /* i32.add */
    local(c, 0x22, L_COUNT);
    i32_const(c, 48), byte(c->out, 0x49); /* i32.lt_u */
    byte(c->out, 0x0D), fuzz_buf_put_leb(c->out, 0);
    c->pop_label(c->host);
    byte(c->out, 0x0B);
    c->pop_label(c->host);
    byte(c->out, 0x0B);
}

void fuzz_gc_stmt(fuzz_gc_gen *c, unsigned depth) {
    switch (fuzz_below(13)) {
    case 12:
        small(c, depth), any(c, depth), byte(c->out, 0x26), fuzz_buf_put_leb(c->out, c->table);
        return;
    case 0: base(c, depth), local(c, 0x21, L_BASE); return;
    case 1: ints(c, depth), local(c, 0x21, L_INTS); return;
    case 2: any(c, depth), local(c, 0x21, L_ANY); return;
    case 3: refs(c, depth), local(c, 0x21, L_REFS); return;
    case 4: base(c, depth), byte(c->out, 0x24), fuzz_buf_put_leb(c->out, c->first_global); return;
    case 5:
        any(c, depth), byte(c->out, 0x24), fuzz_buf_put_leb(c->out, c->first_global + 1);
        return;
    case 6: /* struct.set $base 0; a $leaf's link (cycles too) */
        if (fuzz_below(2)) {
            base(c, depth), c->value(c->host, I32, depth + 1);
            op_type(c, STRUCT_SET, BASE), byte(c->out, 0);
        } else {
            base(c, depth), op(c, REF_CAST), heap_index(c->out, c->first_type + LEAF);
            base(c, depth);
            op_type(c, STRUCT_SET, LEAF), byte(c->out, 2);
        }
        return;
    case 7:
        ints(c, depth), small(c, depth), c->value(c->host, I32, depth + 1);
        op_type(c, ARRAY_SET, INTS);
        return;
    case 8:
        ints(c, depth), small(c, depth), c->value(c->host, I32, depth + 1), small(c, depth);
        op_type(c, ARRAY_FILL, INTS);
        return;
    case 9:
        ints(c, depth), small(c, depth), ints(c, depth), small(c, depth), small(c, depth);
        op_type(c, ARRAY_COPY, INTS), fuzz_buf_put_leb(c->out, c->first_type + INTS);
        return;
    case 10: refs(c, depth), small(c, depth), any(c, depth), op_type(c, ARRAY_SET, REFS); return;
    default:
        if (fuzz_below(2))
            alloc_loop(c);
        else
            walk(c);
        return;
    }
}
