/*
 * gen.c — random valid Wasm modules (see gen.h).
 *
 * Bodies come from two mutually recursive generators: value(t) emits code
 * that pushes exactly one value of type t, stmt() emits code that leaves the
 * operand stack as it found it.  Both track the enclosing labels (with their
 * arity) and the locals, so every emitted instruction is well typed; after
 * an unconditional branch the rest of a block is dead code, which is still
 * valid because the generated code would type-check anyway.  A size budget
 * and a nesting limit keep bodies small.  Functions call only functions with
 * a higher index directly (indirect calls may go anywhere; the fuel counter
 * in global 0 bounds any recursion; tail calls may go anywhere too).
 *
 * Every memory access picks a memory first (multi-memory), since its
 * address, offsets and lengths are i64 for a 64-bit memory and i32 else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_gc.h"

enum {
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FUNCREF = 0x70
};
enum {
    MAX_FUNCS = 8,
    MAX_LOCALS = 12,
    MAX_LABELS = 64,
    MAX_GLOBALS = 6,
    MAX_DEPTH = 5
};
enum {
    MAX_MEMS = 3
};
/* Label kinds; else the label's one value type.  LABEL_COUNTED: a counted
 * loop, which no branch may restart (it has no fuel check to end it). */
enum {
    LABEL_NONE = 0,
    LABEL_FUNC = 1,
    LABEL_MULTI = 2,
    LABEL_COUNTED = 3
};
enum {
    MAX_BLOCK_TYPES = 4
};
/* Exceptions, typed function references and atomics (gen.h). */
enum {
    MAX_TAGS = 3,
    EXNREF = 0x69,
    REF_NULL = 0x63, /* (ref null $t), then the type index */
    REF = 0x64,      /* (ref $t) */
    CATCH = 0,
    CATCH_REF = 1,
    CATCH_ALL = 2,
    CATCH_ALL_REF = 3
};

typedef struct fsig {
    uint8_t params[3], nparams;
    uint8_t results[2], nresults;
} fsig;

typedef struct gen {
    const fuzz_gen_options *o;
    fuzz_buf *out; /* the body being generated */
    fsig funcs[MAX_FUNCS];
    unsigned nfuncs, cur;
    fsig blocks[MAX_BLOCK_TYPES]; /* block types with parameters: type index nfuncs + i */
    unsigned nblocks;
    uint8_t globals[MAX_GLOBALS];
    bool gmut[MAX_GLOBALS];
    bool gknown[MAX_GLOBALS]; /* an immutable integer global whose value is gval */
    int64_t gval[MAX_GLOBALS];
    unsigned nglobals;
    unsigned nmems;
    bool mem64[MAX_MEMS];
    bool tail;          /* this module makes tail calls */
    bool wide_counters; /* i64 loop counters (memory 0 is 64-bit) */
    bool ext_const;     /* and uses extended constant expressions */
    /* Exceptions: tags, an exnref local in every function and an exnref
     * global; each tag k has three types from first_extra_type on: its own
     * (payload -> []), a catch's ([] -> payload), a catch_ref's
     * ([] -> payload exnref). */
    bool eh;
    unsigned ntags;
    uint8_t tag_params[MAX_TAGS][2], tag_nparams[MAX_TAGS];
    unsigned first_extra_type;
    unsigned exn_local, exn_global;
    unsigned rethrower; /* function index of the exnref rethrower (after the others) */
    /* Typed function references: calls through (ref null $ref_target)
     * held in a local, a global and table 1. */
    bool fref;
    unsigned ref_target, ref_local, ref_global;
    /* Atomics on memory 0 (shared or not).  `twin` makes the module for
     * wabt instead (see atomic_twin_check). */
    bool atomics, shared, twin;
    unsigned scratch; /* locals: address i32, two i32, two i64 */
    /* Garbage collection (gen_gc.h): its types, locals and globals. */
    bool gc, gc_full; /* gc_full: array.new_data and GC constant expressions too */
    unsigned gc_first_type, gc_first_local, gc_first_global;
    uint8_t locals[MAX_LOCALS];
    unsigned nlocals;
    uint8_t labels[MAX_LABELS];
    unsigned nlabels;
    unsigned budget;
    unsigned counters; /* first of MAX_DEPTH i32 loop-counter locals */
    unsigned loop_depth;
    bool counted[MAX_DEPTH + 1]; /* per open loop: ends on its counter alone */
    unsigned shape_stride;       /* --loop-shapes: the local holding a run-time width */
    unsigned float_scratch;      /* --floats: f32, f64 locals; then two never written */
} gen;

#define NO_SHAPE_STRIDE UINT32_MAX

/* Numeric instructions by signature: result, operand types (0 = none). */
typedef struct numop {
    uint32_t code; /* byte, or 0xFC00 | sub for the 0xFC prefix */
    uint8_t res, a, b;
} numop;

#define PICK(a) ((a)[fuzz_below(sizeof(a) / sizeof((a)[0]))])

static numop ops[200];
static size_t nops;

static void add_ops(uint32_t first, uint32_t last, uint8_t res, uint8_t a, uint8_t b) {
    for (uint32_t c = first; c <= last; c++)
        ops[nops++] = (numop){c, res, a, b};
}

static void init_ops(void) {
    if (nops)
        return;
    add_ops(0x45, 0x45, I32, I32, 0);   /* i32.eqz */
    add_ops(0x46, 0x4F, I32, I32, I32); /* i32 compares */
    add_ops(0x50, 0x50, I32, I64, 0);   /* i64.eqz */
    add_ops(0x51, 0x5A, I32, I64, I64);
    add_ops(0x5B, 0x60, I32, F32, F32);
    add_ops(0x61, 0x66, I32, F64, F64);
    add_ops(0x67, 0x69, I32, I32, 0);   /* clz ctz popcnt */
    add_ops(0x6A, 0x78, I32, I32, I32); /* add .. rotr */
    add_ops(0x79, 0x7B, I64, I64, 0);
    add_ops(0x7C, 0x8A, I64, I64, I64);
    add_ops(0x8B, 0x91, F32, F32, 0);   /* abs .. sqrt */
    add_ops(0x92, 0x98, F32, F32, F32); /* add .. copysign */
    add_ops(0x99, 0x9F, F64, F64, 0);
    add_ops(0xA0, 0xA6, F64, F64, F64);
    add_ops(0xA7, 0xA7, I32, I64, 0); /* wrap */
    add_ops(0xA8, 0xA9, I32, F32, 0); /* trunc (trapping) */
    add_ops(0xAA, 0xAB, I32, F64, 0);
    add_ops(0xAC, 0xAD, I64, I32, 0); /* extend_i32 */
    add_ops(0xAE, 0xAF, I64, F32, 0);
    add_ops(0xB0, 0xB1, I64, F64, 0);
    add_ops(0xB2, 0xB3, F32, I32, 0); /* convert */
    add_ops(0xB4, 0xB5, F32, I64, 0);
    add_ops(0xB6, 0xB6, F32, F64, 0); /* demote */
    add_ops(0xB7, 0xB8, F64, I32, 0);
    add_ops(0xB9, 0xBA, F64, I64, 0);
    add_ops(0xBB, 0xBB, F64, F32, 0); /* promote */
    add_ops(0xBC, 0xBC, I32, F32, 0); /* reinterpret */
    add_ops(0xBD, 0xBD, I64, F64, 0);
    add_ops(0xBE, 0xBE, F32, I32, 0);
    add_ops(0xBF, 0xBF, F64, I64, 0);
    add_ops(0xC0, 0xC1, I32, I32, 0); /* extend8_s extend16_s */
    add_ops(0xC2, 0xC4, I64, I64, 0);
    add_ops(0xFC00, 0xFC01, I32, F32, 0); /* trunc_sat */
    add_ops(0xFC02, 0xFC03, I32, F64, 0);
    add_ops(0xFC04, 0xFC05, I64, F32, 0);
    add_ops(0xFC06, 0xFC07, I64, F64, 0);
}

/* ---- emitting ------------------------------------------------------------------ */

static void byte(gen *g, uint8_t b) { fuzz_buf_insert(g->out, g->out->n, &b, 1); }
static void uleb(gen *g, uint64_t v) { fuzz_buf_put_leb(g->out, v); }

static void sleb(gen *g, int64_t v) {
    for (;;) {
        uint8_t b = v & 0x7F;
        v >>= 7; /* arithmetic shift on every compiler we use */
        bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
        byte(g, done ? b : b | 0x80);
        if (done)
            return;
    }
}

static void fc(gen *g, unsigned sub) {
    byte(g, 0xFC);
    uleb(g, sub);
}

/* Whether the module being generated uses v128 (set per module). */
static bool simd;

static uint8_t random_numtype(void) {
    static const uint8_t t[] = {I32, I32, I32, I64, I64, F32, F64, V128};
    return t[fuzz_below(sizeof t - (simd ? 0 : 1))];
}

static int64_t interesting_int(bool wide) {
    static const int64_t v[] = {0,
                                1,
                                -1,
                                2,
                                7,
                                8,
                                31,
                                32,
                                33,
                                63,
                                64,
                                255,
                                256,
                                0x7FFF,
                                0x8000,
                                0xFFFF,
                                0x10000,
                                0x7FFFFFFF,
                                -0x7FFFFFFF - 1,
                                0xFFFFFFFFLL,
                                0x100000000LL,
                                INT64_MAX,
                                INT64_MIN};
    if (fuzz_below(3) == 0)
        return wide ? (int64_t)fuzz_rnd() : (int32_t)fuzz_rnd();
    int64_t x = v[fuzz_below(sizeof v / sizeof v[0])];
    return wide ? x : (int32_t)x;
}

/* A signalling NaN: either sign, quiet bit clear, a payload that is not 0. */
static uint64_t snan_bits(bool is_f64) {
    uint64_t quiet = is_f64 ? 1ull << 51 : 1ull << 22;
    uint64_t payload = fuzz_below(2) ? 1 + fuzz_below(4) : fuzz_rnd() & (quiet - 1);
    uint64_t inf = is_f64 ? 0x7FF0000000000000ull : 0x7F800000ull;
    uint64_t sign = fuzz_below(2) ? (is_f64 ? 1ull << 63 : 1ull << 31) : 0;
    return sign | inf | (payload ? payload : 1);
}

static void float_bits(gen *g, uint8_t t, uint64_t bits) {
    byte(g, t == F64 ? 0x44 : 0x43);
    for (int i = 0; i < (t == F64 ? 8 : 4); i++)
        byte(g, (uint8_t)(bits >> (8 * i)));
}

static void const_of(gen *g, uint8_t t) {
    static const uint32_t f32s[] = {0,           0x80000000u, 0x3F800000u, 0xBF800000u, 0x3F000000u,
                                    0x7FC00000u, 0x7F800000u, 0xFF800000u, 0x4F000000u, 0x5F000000u,
                                    0x4F800000u, 0xCF000000u, 0x00000001u};
    static const uint64_t f64s[] = {0,
                                    0x8000000000000000ull,
                                    0x3FF0000000000000ull,
                                    0xBFF0000000000000ull,
                                    0x3FE0000000000000ull,
                                    0x7FF8000000000000ull,
                                    0x7FF0000000000000ull,
                                    0xFFF0000000000000ull,
                                    0x41E0000000000000ull,
                                    0x43E0000000000000ull,
                                    0x41F0000000000000ull,
                                    0xC1E0000000000000ull,
                                    0x0000000000000001ull};
    switch (t) {
    case I32:
        byte(g, 0x41);
        sleb(g, interesting_int(false));
        return;
    case I64:
        byte(g, 0x42);
        sleb(g, interesting_int(true));
        return;
    case F32: {
        if (g->o->floats && !fuzz_below(4)) {
            float_bits(g, F32, snan_bits(false));
            return;
        }
        uint32_t bits =
            fuzz_below(3) ? f32s[fuzz_below(sizeof f32s / sizeof f32s[0])] : (uint32_t)fuzz_rnd();
        byte(g, 0x43);
        for (int i = 0; i < 4; i++)
            byte(g, (uint8_t)(bits >> (8 * i)));
        return;
    }
    case V128:
        byte(g, 0xFD), uleb(g, 12);
        for (int i = 0; i < 16; i++)
            byte(g, fuzz_below(3) ? (uint8_t)fuzz_rnd() : (uint8_t)(fuzz_below(2) ? 0 : 0xFF));
        return;
    default: {
        if (g->o->floats && !fuzz_below(4)) {
            float_bits(g, F64, snan_bits(true));
            return;
        }
        uint64_t bits = fuzz_below(3) ? f64s[fuzz_below(sizeof f64s / sizeof f64s[0])] : fuzz_rnd();
        byte(g, 0x44);
        for (int i = 0; i < 8; i++)
            byte(g, (uint8_t)(bits >> (8 * i)));
        return;
    }
    }
}

static void fuel_check(gen *g) {
    /* if (fuel == 0) unreachable; fuel -= 1 */
    byte(g, 0x23), uleb(g, 0), byte(g, 0x45), byte(g, 0x04), byte(g, 0x40), byte(g, 0x00);
    byte(g, 0x0B);
    byte(g, 0x23), uleb(g, 0), byte(g, 0x41), sleb(g, 1), byte(g, 0x6B), byte(g, 0x24), uleb(g, 0);
}

/* Before a loop: reset its trip counter (one local per loop nesting level).
 * Half the loops are counted: they drop their condition and stop on the
 * counter alone, the shape whose trip count the compiler's loop versioning
 * (compiler/loops/loop_bounds.c) works out; they skip the fuel check, which ends
 * in `unreachable`, so that guard mode versions them too. */
static void loop_begin(gen *g) {
    byte(g, g->wide_counters ? 0x42 : 0x41), sleb(g, 0);
    byte(g, 0x21), uleb(g, g->counters + g->loop_depth);
    g->counted[g->loop_depth] = fuzz_below(2);
    g->loop_depth++;
}

static void push_label(gen *g, uint8_t l);

/* A loop's label: branching to a counted one could restart it forever. */
static void push_loop_label(gen *g) {
    push_label(g, g->counted[g->loop_depth - 1] ? LABEL_COUNTED : LABEL_NONE);
}

/* At the top of a loop: counted loops end by themselves. */
static void loop_fuel_check(gen *g) {
    if (!g->counted[g->loop_depth - 1])
        fuel_check(g);
}

/* With the loop's condition on the stack: also stop after a few trips, so
 * that most loops end before the fuel does; then br_if to the loop. */
static void loop_continue(gen *g) {
    unsigned c = g->counters + g->loop_depth - 1;
    bool counted = g->counted[g->loop_depth - 1];
    bool w = g->wide_counters;
    if (counted)
        byte(g, 0x1A); /* drop */
    byte(g, 0x20), uleb(g, c), byte(g, w ? 0x42 : 0x41), sleb(g, 1);
    byte(g, w ? 0x7C : 0x6A);                                      /* c + 1 */
    byte(g, 0x22), uleb(g, c);                                     /* tee c */
    byte(g, w ? 0x42 : 0x41), sleb(g, 1 + (int64_t)fuzz_below(6)); /* K */
    bool ne = counted && fuzz_below(2);
    byte(g, w ? (ne ? 0x52 : 0x54) : (ne ? 0x47 : 0x49)); /* != or < (u) */
    if (!counted)
        byte(g, 0x71); /* and */
    byte(g, 0x0D), uleb(g, 0);
}

static void push_label(gen *g, uint8_t l) { g->labels[g->nlabels++] = l; }

/* ---- values and statements --------------------------------------------------- */

static void value(gen *g, uint8_t t, unsigned depth);
static void stmt(gen *g, unsigned depth);
static bool feature_value(gen *g, uint8_t t, unsigned depth);
static bool feature_stmt(gen *g, unsigned depth);
static bool loop_shape_stmt(gen *g, unsigned depth);
static void multi_block(gen *g, unsigned k, unsigned depth);

static void leaf(gen *g, uint8_t t) {
    unsigned r = (unsigned)fuzz_below(4);
    if (r == 0) {
        for (unsigned tries = 0; tries < 4 && g->nlocals; tries++) {
            unsigned i = (unsigned)fuzz_below(g->nlocals);
            if (g->locals[i] == t) {
                byte(g, 0x20), uleb(g, i);
                return;
            }
        }
    } else if (r == 1) {
        for (unsigned tries = 0; tries < 4; tries++) {
            unsigned i = 1 + (unsigned)fuzz_below(g->nglobals - 1);
            if (g->globals[i] == t) {
                byte(g, 0x23), uleb(g, i);
                return;
            }
        }
    }
    const_of(g, t);
}

/* An address that moves with the innermost loop's counter: c << s + base,
 * with a base that sometimes puts the last trips out of bounds; for a
 * 64-bit memory the same in i64, also past 2^32.  When memory 0 is 64-bit
 * the counters are i64 (the loops compiler/loop_bounds.c proves in 64 bits);
 * else a 64-bit memory's address zero-extends the i32 counter. */
static void counted_address(gen *g, bool wide) {
    static const int64_t bases[] = {0, 8, 1000, 65500, 65528, 65536, -8, 0x7FFFFFF0};
    static const int64_t wide_bases[] = {0x100000000LL, 131064, -0x10000};
    uint8_t cst = wide ? 0x42 : 0x41;
    byte(g, 0x20), uleb(g, g->counters + g->loop_depth - 1);
    if (wide && !g->wide_counters)
        byte(g, 0xAD); /* i64.extend_i32_u */
    else if (!wide && g->wide_counters)
        byte(g, 0xA7); /* i32.wrap_i64 */
    unsigned shift = (unsigned)fuzz_below(5);
    if (shift)
        byte(g, cst), sleb(g, shift), byte(g, wide ? 0x86 : 0x74); /* shl */
    byte(g, cst), sleb(g, wide && !fuzz_below(4) ? PICK(wide_bases) : PICK(bases));
    bool add = fuzz_below(4);
    byte(g, wide ? (add ? 0x7C : 0x7D) : (add ? 0x6A : 0x6B)); /* add or sub */
}

/* Which memory an access uses: memory 0 half the time. */
static unsigned pick_memory(const gen *g) {
    return g->nmems > 1 && fuzz_below(2) ? (unsigned)fuzz_below(g->nmems) : 0;
}

/* An address for memory `mem`, mostly inside the first page; for a 64-bit
 * memory an i64, sometimes at the end of memory, past 2^32 or near 2^64. */
static void address(gen *g, unsigned depth, unsigned mem) {
    static const int64_t ends[] = {65528,  65535,        65536,         131064,
                                   131072, 0xFFFFFFF8LL, 0x100000000LL, 0x100000008LL,
                                   -1,     -8,           INT64_MIN};
    bool wide = g->mem64[mem];
    if (g->loop_depth && !fuzz_below(3)) {
        counted_address(g, wide);
        return;
    }
    if (wide && !fuzz_below(4)) {
        if (fuzz_below(3))
            byte(g, 0x42), sleb(g, PICK(ends));
        else
            value(g, I64, depth + 1);
        return;
    }
    value(g, I32, depth + 1);
    if (g->o->floats || fuzz_below(10)) {              /* --floats: fewer traps, more results */
        byte(g, 0x41), sleb(g, 0x7FF8), byte(g, 0x71); /* i32.and */
    }
    if (wide)
        byte(g, 0xAD); /* i64.extend_i32_u */
}

/* Alignment, the memory index (bit 6 of the alignment says it follows;
 * sometimes spelled out for memory 0 too) and the offset: up to 2^64 - 1
 * for a 64-bit memory.  Offsets from 2^32 on only when memory 0 is 64-bit
 * too: the reference interpreter (at 285a903) checks an offset against
 * memory 0's address type whatever the memory index, and refuses them. */
static void memarg(gen *g, unsigned natural_log2, unsigned mem) {
    static const uint64_t far[] = {65528,      65535,       65536,
                                   131064,     0xFFFFFFFFu, 0x100000000ull,
                                   1ull << 63, UINT64_MAX,  UINT64_MAX - 7};
    enum {
        FAR_BELOW_2_32 = 5
    };
    uint64_t align = fuzz_below(natural_log2 + 1);
    bool indexed = mem || (g->nmems > 1 && !fuzz_below(8));
    uleb(g, indexed ? align | 0x40 : align);
    if (indexed)
        uleb(g, mem);
    if (g->mem64[mem] && !fuzz_below(4)) {
        uleb(g, far[fuzz_below(g->mem64[0] ? sizeof far / sizeof *far : FAR_BELOW_2_32)]);
        return;
    }
    uleb(g, fuzz_below(16) ? fuzz_below(64) : (uint64_t)interesting_int(false) & 0xFFFFFFFFu);
}

/* A length or a small constant in memory `mem`'s address type. */
static void mem_const(gen *g, bool wide, int64_t v) { byte(g, wide ? 0x42 : 0x41), sleb(g, v); }

static void simd_load(gen *g, unsigned depth);
static void simd_store(gen *g, unsigned depth);

static void load(gen *g, uint8_t t, unsigned depth) {
    if (t == V128) {
        simd_load(g, depth);
        return;
    }
    static const struct {
        uint8_t op, t, log2;
    } loads[] = {{0x28, I32, 2}, {0x29, I64, 3}, {0x2A, F32, 2}, {0x2B, F64, 3}, {0x2C, I32, 0},
                 {0x2D, I32, 0}, {0x2E, I32, 1}, {0x2F, I32, 1}, {0x30, I64, 0}, {0x31, I64, 0},
                 {0x32, I64, 1}, {0x33, I64, 1}, {0x34, I64, 2}, {0x35, I64, 2}};
    for (;;) {
        size_t k = fuzz_below(sizeof loads / sizeof loads[0]);
        if (loads[k].t != t)
            continue;
        unsigned mem = pick_memory(g);
        address(g, depth, mem);
        byte(g, loads[k].op);
        memarg(g, loads[k].log2, mem);
        return;
    }
}

static void exact_float(gen *g, uint8_t t, unsigned depth);

static void store(gen *g, unsigned depth) {
    if (simd && !fuzz_below(4)) {
        simd_store(g, depth);
        return;
    }
    static const struct {
        uint8_t op, t, log2;
    } stores[] = {{0x36, I32, 2}, {0x37, I64, 3}, {0x38, F32, 2}, {0x39, F64, 3}, {0x3A, I32, 0},
                  {0x3B, I32, 1}, {0x3C, I64, 0}, {0x3D, I64, 1}, {0x3E, I64, 2}};
    size_t k;
    do
        k = fuzz_below(sizeof stores / sizeof stores[0]);
    while (g->o->deterministic && !g->o->floats && (stores[k].t == F32 || stores[k].t == F64));
    unsigned mem = pick_memory(g);
    address(g, depth, mem);
    if (g->o->floats && (stores[k].t == F32 || stores[k].t == F64))
        exact_float(g, stores[k].t, depth + 1); /* memory keeps exact bits */
    else
        value(g, stores[k].t, depth + 1);
    byte(g, stores[k].op);
    memarg(g, stores[k].log2, mem);
}

/* ---- signalling NaNs (--floats) ------------------------------------------------ */

/* Wasm fixes a float result's bits in two ways.  An arithmetic op with a NaN
 * operand gives an arithmetic NaN: quiet bit set, sign and the rest of the
 * payload left open.  Constants, loads, reinterpret, neg, abs, copysign,
 * select and locals pass a NaN's bits through exactly.  With `floats` the
 * generator turns both into i32/i64 values that two correct engines agree
 * on (observe_float): the exact bits of a value built only from
 * bit-passing instructions (exact_float), and the bits of an arithmetic
 * result with the payload of a NaN masked down to its quiet bit. */

static void simd_op(gen *g, unsigned sub);

/* +-0 and +-1: the constants with which LLVM folds x + -0, x - 0, x * 1,
 * x / -1 ... into x or -x. */
static const uint64_t identity_f64s[] = {0, 0x8000000000000000ull, 0x3FF0000000000000ull,
                                         0xBFF0000000000000ull};
static const uint32_t identity_f32s[] = {0, 0x80000000u, 0x3F800000u, 0xBF800000u};

/* A lane for a v128 constant: an identity of LLVM's folds (+-0, +-1), a
 * signalling NaN or random bits. */
static uint64_t lane_bits(bool is_f64) {
    switch (fuzz_below(4)) {
    case 0: return snan_bits(is_f64);
    case 1: return fuzz_rnd();
    default: return is_f64 ? PICK(identity_f64s) : PICK(identity_f32s);
    }
}

/* If a local of type t (a parameter or an extra local) exists, its index. */
static int local_of(const gen *g, uint8_t t) {
    for (unsigned tries = 0; tries < 4 && g->nlocals; tries++) {
        unsigned i = (unsigned)fuzz_below(g->nlocals);
        if (g->locals[i] == t)
            return (int)i;
    }
    return -1;
}

/* A float loaded from memory 0 (when it is the only one, 32-bit): mostly
 * the data's signalling NaNs (f64 at 0 and 8, f32 at 16 and 20), else what
 * exact values float stores left or zero.  Unlike a constant, no fold of
 * the compiler's sees its value. */
static bool loaded_float(gen *g, uint8_t t) {
    bool wide = t == F64;
    if (g->nmems > 1 || g->mem64[0])
        return false;
    int64_t nan_at = wide ? 8 * (int64_t)fuzz_below(2) : 16 + 4 * (int64_t)fuzz_below(2);
    byte(g, 0x41), sleb(g, fuzz_below(4) ? nan_at : (int64_t)fuzz_below(64) * (wide ? 8 : 4));
    byte(g, wide ? 0x2B : 0x2A), uleb(g, wide ? 3 : 2), uleb(g, 0);
    return true;
}

/* if/else with a float result, each arm from `arm`: a phi.  No branch
 * reaches its label (LABEL_MULTI), so only the arms give its value. */
static void float_phi(gen *g, uint8_t t, unsigned depth,
                      void (*arm)(gen *g, uint8_t t, unsigned depth)) {
    value(g, I32, depth + 1);
    byte(g, 0x04), byte(g, t);
    push_label(g, LABEL_MULTI);
    arm(g, t, depth + 1);
    byte(g, 0x05);
    arm(g, t, depth + 1);
    g->nlabels--;
    byte(g, 0x0B);
}

/* A float of type t whose bits the spec fixes: built from constants
 * (signalling NaNs among them), integers reinterpreted, loads (float stores
 * store only such values), immutable globals, neg, abs, copysign, select,
 * if/else and local.tee. */
static void exact_float(gen *g, uint8_t t, unsigned depth) {
    bool wide = t == F64;
    int i;
    switch (depth >= MAX_DEPTH || !g->budget ? 0 : fuzz_below(11)) {
    case 1: /* an integer's bits, a signalling NaN's or any */
        if (fuzz_below(2)) {
            byte(g, wide ? 0x42 : 0x41);
            uint64_t b = snan_bits(wide);
            sleb(g, wide ? (int64_t)b : (int64_t)(int32_t)(uint32_t)b);
        } else
            value(g, wide ? I64 : I32, depth + 1);
        byte(g, wide ? 0xBF : 0xBE);
        return;
    case 2:
    case 10:
        if (loaded_float(g, t))
            return;
        break;
    case 3:
    case 4: /* neg, abs */
        exact_float(g, t, depth + 1);
        byte(g, (uint8_t)((wide ? 0x99 : 0x8B) + fuzz_below(2)));
        return;
    case 5: /* copysign: the sign operand's bits are exact too */
        exact_float(g, t, depth + 1);
        exact_float(g, t, depth + 1);
        byte(g, wide ? 0xA6 : 0x98);
        return;
    case 6:
        exact_float(g, t, depth + 1);
        exact_float(g, t, depth + 1);
        value(g, I32, depth + 1);
        byte(g, 0x1B);
        return;
    case 7: float_phi(g, t, depth, exact_float); return;
    case 8:
        if ((i = local_of(g, t)) < 0)
            break;
        exact_float(g, t, depth + 1);
        byte(g, 0x22), uleb(g, (unsigned)i);
        return;
    case 9:
        for (unsigned k = 1; k < g->nglobals; k++)
            if (g->globals[k] == t && !g->gmut[k]) {
                byte(g, 0x23), uleb(g, k);
                return;
            }
        break;
    default: break;
    }
    const_of(g, t);
}

/* +-0 or +-1 (or 0.5 and 2, which meet as 1), the operands with which
 * LLVM folds an op into its other operand, reaching the op only through
 * optimisation: a local (set here, or never set), an integer converted or
 * reinterpreted, a phi, a product of two constants. */
static void identity_float(gen *g, uint8_t t, unsigned depth) {
    bool wide = t == F64;
    unsigned s = g->float_scratch + wide;
    switch (depth >= MAX_DEPTH ? 0 : fuzz_below(7)) {
    case 1: /* set a local, get it back */
        identity_float(g, t, depth + 1);
        byte(g, 0x21), uleb(g, s), byte(g, 0x20), uleb(g, s);
        return;
    case 2: /* a local never written: zero */
        byte(g, 0x20), uleb(g, g->float_scratch + 2 + wide);
        return;
    case 3: /* an integer 0 or 1 converted, made by ops on a constant */
        byte(g, wide ? 0x42 : 0x41), sleb(g, (int64_t)fuzz_below(3) - 1);
        byte(g, wide ? 0x79 : 0x67); /* clz: 0 -> 32, so often a 0 or 1 through an op */
        byte(g, wide ? 0x42 : 0x41), sleb(g, wide ? 6 : 5);
        byte(g, wide ? 0x88 : 0x76); /* shr_u: 32 >> 5 = 1, 31 >> 5 = 0 */
        byte(g, (uint8_t)((wide ? 0xB9 : 0xB2) + fuzz_below(2))); /* convert_s, _u */
        return;
    case 4: /* an integer's bits */
        byte(g, wide ? 0x42 : 0x41);
        sleb(g, wide ? (int64_t)PICK(identity_f64s) : (int64_t)(int32_t)PICK(identity_f32s));
        byte(g, wide ? 0xBF : 0xBE);
        return;
    case 5: float_phi(g, t, depth, identity_float); return;
    case 6: /* 0.5 through a local, times 2 */
        float_bits(g, t, wide ? 0x3FE0000000000000ull : 0x3F000000u);
        byte(g, 0x21), uleb(g, s), byte(g, 0x20), uleb(g, s);
        float_bits(g, t, wide ? 0x4000000000000000ull : 0x40000000u);
        byte(g, wide ? 0xA2 : 0x94);
        return;
    default: float_bits(g, t, wide ? PICK(identity_f64s) : PICK(identity_f32s)); return;
    }
}

/* An operand of an arithmetic op: any float, one whose bits are fixed
 * (often a signalling NaN), or an identity of LLVM's folds. */
static void float_operand(gen *g, uint8_t t, unsigned depth) {
    switch (fuzz_below(3)) {
    case 0:
        if (!fuzz_below(2) && loaded_float(g, t))
            return;
        exact_float(g, t, depth);
        return;
    case 1: identity_float(g, t, depth); return;
    default: value(g, t, depth); return;
    }
}

/* A v128 operand of a float lane op: a splat, a constant of identities and
 * signalling NaNs, or any vector. */
static void vector_operand(gen *g, bool wide, unsigned depth) {
    switch (fuzz_below(3)) {
    case 0:
        float_operand(g, wide ? F64 : F32, depth);
        simd_op(g, wide ? 20 : 19);
        return;
    case 1: {
        uint64_t lanes[4];
        bool same = fuzz_below(2);
        for (unsigned k = 0; k < (wide ? 2u : 4u); k++)
            lanes[k] = same && k ? lanes[0] : lane_bits(wide);
        simd_op(g, 12);
        for (unsigned k = 0; k < 16; k++) {
            uint64_t lane = lanes[wide ? k / 8 : k / 4];
            byte(g, (uint8_t)(lane >> (8 * (wide ? k % 8 : k % 4))));
        }
        return;
    }
    default: value(g, V128, depth); return;
    }
}

/* A lane of an f32x4 or f64x2 arithmetic op, which must be an arithmetic
 * NaN like the scalar op's (pmin and pmax pass bits: not here). */
static void vector_arith(gen *g, uint8_t t, unsigned depth) {
    static const uint8_t bin32[] = {228, 229, 230, 231, 232, 233},
                         un32[] = {103, 104, 105, 106, 227};
    static const uint8_t bin64[] = {240, 241, 242, 243, 244, 245},
                         un64[] = {116, 117, 122, 148, 239};
    bool wide = t == F64;
    vector_operand(g, wide, depth + 1);
    if (fuzz_below(3)) {
        vector_operand(g, wide, depth + 1);
        simd_op(g, wide ? PICK(bin64) : PICK(bin32));
    } else
        simd_op(g, wide ? PICK(un64) : PICK(un32));
    simd_op(g, wide ? 33 : 31);
    byte(g, (uint8_t)fuzz_below(wide ? 2 : 4));
}

/* A float of type t from an arithmetic op: binary, unary, promote/demote,
 * or a lane of a vector op. */
static void arith_float(gen *g, uint8_t t, unsigned depth) {
    bool wide = t == F64;
    switch (fuzz_below(simd ? 6 : 5)) {
    case 0:
    case 1:
    case 2:
        float_operand(g, t, depth + 1);
        float_operand(g, t, depth + 1);
        byte(g, (uint8_t)((wide ? 0xA0 : 0x92) + fuzz_below(6))); /* add .. max */
        return;
    case 3:
        float_operand(g, t, depth + 1);
        byte(g, (uint8_t)((wide ? 0x9B : 0x8D) + fuzz_below(5))); /* ceil .. sqrt */
        return;
    case 4:
        float_operand(g, wide ? F32 : F64, depth + 1);
        byte(g, wide ? 0xBB : 0xB6); /* promote, demote */
        return;
    default: vector_arith(g, t, depth); return;
    }
}

/* An i32 (i64) that shows a float's bits as far as the spec fixes them:
 * all of an exact float's; an arithmetic result's when it is no NaN, else
 * only its quiet bit (0x7FC00001 quiet, 0x7F800001 signalling for f32). */
static void observe_float(gen *g, uint8_t t, unsigned depth) {
    bool wide = t == I64;
    uint8_t ft = wide ? F64 : F32, reinterpret = wide ? 0xBD : 0xBC;
    depth = depth < 1 ? depth : 1; /* deep down, all would be constants, which fold right */
    if (!fuzz_below(3)) {
        exact_float(g, ft, depth + 1);
        byte(g, reinterpret);
        return;
    }
    arith_float(g, ft, depth + 1);
    unsigned s = g->float_scratch + wide;
    byte(g, 0x21), uleb(g, s);
    byte(g, 0x20), uleb(g, s), byte(g, reinterpret);
    if (wide) /* and the lowest payload bit: no infinity */
        byte(g, 0x42), sleb(g, 0x7FF8000000000000LL), byte(g, 0x83), byte(g, 0x42),
            sleb(g, 0x7FF0000000000001LL), byte(g, 0x84);
    else
        byte(g, 0x41), sleb(g, 0x7FC00000), byte(g, 0x71), byte(g, 0x41), sleb(g, 0x7F800001),
            byte(g, 0x72);
    byte(g, 0x20), uleb(g, s), byte(g, reinterpret);
    byte(g, 0x20), uleb(g, s), byte(g, 0x20), uleb(g, s), byte(g, wide ? 0x62 : 0x5C);
    byte(g, 0x1B);
}

static bool simd_value(gen *g, uint8_t t, unsigned depth);

static bool numeric(gen *g, uint8_t t, unsigned depth) {
    if (g->o->floats && (t == I32 || t == I64) && fuzz_below(2)) {
        observe_float(g, t, depth);
        return true;
    }
    if (t == V128 || (simd && !fuzz_below(6)))
        return simd_value(g, t, depth);
    for (unsigned tries = 0; tries < 16; tries++) {
        const numop *op = &ops[fuzz_below(nops)];
        if (op->res != t)
            continue;
        /* Reinterpretation would expose NaN payloads, copysign the sign of a
         * NaN (both nondeterministic in the spec). */
        if (g->o->deterministic &&
            (op->code == 0xBC || op->code == 0xBD || op->code == 0x98 || op->code == 0xA6))
            continue;
        value(g, op->a, depth + 1);
        if (op->b)
            value(g, op->b, depth + 1);
        if (op->code >= 0xFC00)
            fc(g, op->code & 0xFF);
        else
            byte(g, (uint8_t)op->code);
        return true;
    }
    return false;
}

/* A callee for function g->cur: a higher index (no direct recursion). */
static int pick_callee(gen *g, int want_result) {
    for (unsigned tries = 0; tries < 6; tries++) {
        if (g->cur + 1 >= g->nfuncs)
            return -1;
        unsigned j = g->cur + 1 + (unsigned)fuzz_below(g->nfuncs - g->cur - 1);
        const fsig *s = &g->funcs[j];
        if (want_result < 0 || (s->nresults == 1 && s->results[0] == want_result))
            return (int)j;
    }
    return -1;
}

static void call(gen *g, unsigned j, unsigned depth) {
    const fsig *s = &g->funcs[j];
    for (unsigned i = 0; i < s->nparams; i++)
        value(g, s->params[i], depth + 1);
    if (fuzz_below(3)) {
        byte(g, 0x10), uleb(g, j);
        return;
    }
    /* call_indirect: mostly the right slot, sometimes any (may trap). */
    if (fuzz_below(4))
        byte(g, 0x41), sleb(g, j);
    else
        value(g, I32, depth + 1);
    byte(g, 0x11), uleb(g, j), byte(g, 0x00);
}

/* return_call or return_call_indirect to a function with the current
 * one's results (any index: the fuel bounds cycles); false if none fits. */
static bool tail_call(gen *g, unsigned depth) {
    const fsig *me = &g->funcs[g->cur];
    for (unsigned tries = 0; tries < 6; tries++) {
        unsigned j = (unsigned)fuzz_below(g->nfuncs);
        const fsig *s = &g->funcs[j];
        if (s->nresults != me->nresults || memcmp(s->results, me->results, s->nresults))
            continue;
        for (unsigned i = 0; i < s->nparams; i++)
            value(g, s->params[i], depth + 1);
        if (fuzz_below(2)) {
            byte(g, 0x12), uleb(g, j);
            return true;
        }
        /* mostly the right slot, sometimes any (may trap) */
        if (fuzz_below(4))
            byte(g, 0x41), sleb(g, j);
        else
            value(g, I32, depth + 1);
        byte(g, 0x13), uleb(g, j), byte(g, 0x00);
        return true;
    }
    return false;
}

static void ref_value(gen *g, unsigned depth) {
    switch (fuzz_below(3)) {
    case 0: byte(g, 0xD0), byte(g, FUNCREF); break;
    case 1: byte(g, 0xD2), uleb(g, fuzz_below(g->nfuncs)); break;
    default:
        value(g, I32, depth + 1); /* table.get, may trap */
        byte(g, 0x25), uleb(g, 0);
    }
}

/* An i32 from the memory, table or reference instructions. */
static bool i32_special(gen *g, unsigned depth) {
    unsigned mem = pick_memory(g);
    bool wide = g->mem64[mem];
    switch (fuzz_below(5)) {
    case 0:
        byte(g, 0x3F), uleb(g, mem); /* memory.size */
        if (wide)
            byte(g, 0xA7); /* i32.wrap_i64 */
        return true;
    case 1:
        if (fuzz_below(2))
            mem_const(g, wide, (int64_t)fuzz_below(3));
        else
            value(g, wide ? I64 : I32, depth + 1);
        byte(g, 0x40), uleb(g, mem); /* memory.grow */
        if (wide)
            byte(g, 0xA7);
        return true;
    case 2:
        ref_value(g, depth);
        byte(g, 0xD1); /* ref.is_null */
        return true;
    case 3:
        fc(g, 16), uleb(g, 0); /* table.size */
        return true;
    default:
        ref_value(g, depth);
        byte(g, 0x41), sleb(g, (int64_t)fuzz_below(3));
        fc(g, 15), uleb(g, 0); /* table.grow */
        return true;
    }
}

/* A switch: a br_table over up to 20 void blocks, each case computing the
 * value its own way and branching out of the whole with it.  Large enough
 * to be lowered as a jump table or as a compare tree. */
static bool switch_value(gen *g, uint8_t t, unsigned depth) {
    unsigned n = 2 + (unsigned)fuzz_below(19);
    if (g->nlabels + n + 1 > MAX_LABELS)
        return false;
    byte(g, 0x02), byte(g, t);
    push_label(g, t);
    for (unsigned k = 0; k < n; k++)
        byte(g, 0x02), byte(g, 0x40), push_label(g, LABEL_NONE);
    value(g, I32, depth + 1);
    byte(g, 0x0E), uleb(g, n); /* target i is case i, the i-th block out */
    for (unsigned i = 0; i <= n; i++)
        uleb(g, fuzz_below(n));
    for (unsigned k = 0; k < n; k++) {
        byte(g, 0x0B); /* the end of case k's block: its code follows */
        g->nlabels--;
        value(g, t, depth + 1);
        byte(g, 0x0C), uleb(g, n - 1 - k); /* br out of the switch */
    }
    g->nlabels--;
    byte(g, 0x0B);
    return true;
}

static void block_value(gen *g, uint8_t t, unsigned depth) {
    if (!fuzz_below(5) && switch_value(g, t, depth))
        return;
    switch (fuzz_below(4)) {
    case 0: /* block with a conditional early exit */
        byte(g, 0x02), byte(g, t);
        push_label(g, t);
        stmt(g, depth + 1);
        value(g, t, depth + 1);
        value(g, I32, depth + 1);
        byte(g, 0x0D), uleb(g, 0);
        byte(g, 0x1A); /* drop the value br_if left, make another */
        value(g, t, depth + 1);
        g->nlabels--;
        byte(g, 0x0B);
        return;
    case 1: /* if/else */
        value(g, I32, depth + 1);
        byte(g, 0x04), byte(g, t);
        push_label(g, t);
        stmt(g, depth + 1);
        value(g, t, depth + 1);
        byte(g, 0x05);
        value(g, t, depth + 1);
        g->nlabels--;
        byte(g, 0x0B);
        return;
    case 2: /* loop that runs while a condition holds (a few trips at most) */
        loop_begin(g);
        byte(g, 0x03), byte(g, t);
        push_loop_label(g);
        loop_fuel_check(g);
        stmt(g, depth + 1);
        value(g, I32, depth + 1);
        loop_continue(g);
        value(g, t, depth + 1);
        g->nlabels--;
        g->loop_depth--;
        byte(g, 0x0B);
        return;
    default: /* br_table over two nested blocks */
        byte(g, 0x02), byte(g, t);
        byte(g, 0x02), byte(g, t);
        push_label(g, t);
        push_label(g, t);
        value(g, t, depth + 1);
        value(g, I32, depth + 1);
        byte(g, 0x0E), uleb(g, 2), uleb(g, fuzz_below(2)), uleb(g, fuzz_below(2)),
            uleb(g, fuzz_below(2));
        g->nlabels -= 2;
        byte(g, 0x0B), byte(g, 0x0B);
        return;
    }
}

static void value(gen *g, uint8_t t, unsigned depth) {
    if (!g->budget || depth >= MAX_DEPTH) {
        leaf(g, t);
        return;
    }
    g->budget--;
    int j;
    /* The same draws as before the proposals below, when they are off. */
    switch (fuzz_below(g->eh || g->fref || g->atomics || g->gc ? 18 : 16)) {
    case 16:
    case 17:
        if (feature_value(g, t, depth))
            return;
        break;
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
        if (numeric(g, t, depth))
            return;
        break;
    case 6:
    case 7: load(g, t, depth); return;
    case 8:
        value(g, t, depth + 1);
        value(g, t, depth + 1);
        value(g, I32, depth + 1);
        if (fuzz_below(2))
            byte(g, 0x1B);
        else
            byte(g, 0x1C), uleb(g, 1), byte(g, t);
        return;
    case 9:
    case 10:
        for (unsigned k = 0; k < g->nblocks && fuzz_below(2); k++)
            if (g->blocks[k].nresults == 1 && g->blocks[k].results[0] == t) {
                multi_block(g, k, depth);
                return;
            }
        block_value(g, t, depth);
        return;
    case 11:
        if ((j = pick_callee(g, t)) >= 0) {
            call(g, (unsigned)j, depth);
            return;
        }
        break;
    case 12:
        for (unsigned i = 0; i < g->nlocals; i++)
            if (g->locals[i] == t) {
                value(g, t, depth + 1);
                byte(g, 0x22), uleb(g, i); /* local.tee */
                return;
            }
        break;
    case 13:
        if (t == I32 && i32_special(g, depth))
            return;
        break;
    case 14:
        if (!fuzz_below(40)) {
            byte(g, 0x00); /* unreachable */
            return;
        }
        break;
    default: break;
    }
    leaf(g, t);
}

/* Values for a label (or the function's results), then a branch to it. */
static void branch(gen *g, unsigned depth) {
    unsigned k = (unsigned)fuzz_below(g->nlabels);
    uint8_t l = g->labels[k];
    if (l == LABEL_MULTI || l == LABEL_COUNTED) { /* several values: not worth the bookkeeping */
        byte(g, 0x01);
        return;
    }
    if (l == LABEL_FUNC)
        for (unsigned i = 0; i < g->funcs[g->cur].nresults; i++)
            value(g, g->funcs[g->cur].results[i], depth + 1);
    else if (l != LABEL_NONE)
        value(g, l, depth + 1);
    byte(g, 0x0C), uleb(g, g->nlabels - 1 - k);
}

/* The depth of a random enclosing label that takes no values (there is
 * always one: the innermost block of the caller). */
static unsigned none_label(gen *g) {
    for (;;) {
        unsigned k = (unsigned)fuzz_below(g->nlabels);
        if (g->labels[k] == LABEL_NONE)
            return g->nlabels - 1 - k;
    }
}

static void bulk(gen *g, unsigned depth) {
    unsigned mem = pick_memory(g), src = pick_memory(g);
    switch (fuzz_below(5)) {
    case 0: /* memory.fill */
        address(g, depth, mem), value(g, I32, depth + 1);
        mem_const(g, g->mem64[mem], (int64_t)fuzz_below(64));
        fc(g, 11), uleb(g, mem);
        return;
    case 1: /* memory.copy, maybe between memories: the length is i64 when both are 64-bit */
        address(g, depth, mem), address(g, depth, src);
        mem_const(g, g->mem64[mem] && g->mem64[src], (int64_t)fuzz_below(64));
        fc(g, 10), uleb(g, mem), uleb(g, src);
        return;
    case 2: /* memory.init from either segment (the active one is dropped) */
        address(g, depth, mem), byte(g, 0x41), sleb(g, (int64_t)fuzz_below(8)), byte(g, 0x41),
            sleb(g, (int64_t)fuzz_below(8));
        fc(g, 8), uleb(g, fuzz_below(2)), uleb(g, mem);
        return;
    case 3:
        fc(g, 9), uleb(g, fuzz_below(2)); /* data.drop */
        return;
    default: /* table.set */
        byte(g, 0x41), sleb(g, (int64_t)fuzz_below(g->nfuncs + 2));
        ref_value(g, depth);
        byte(g, 0x26), uleb(g, 0);
        return;
    }
}

/* Inside a block whose parameters are on the stack: leave its results. */
static void multi_body(gen *g, const fsig *bt, unsigned depth) {
    stmt(g, depth + 1);
    bool same = bt->nparams == bt->nresults && !memcmp(bt->params, bt->results, bt->nparams);
    if (same && fuzz_below(2))
        return; /* the parameters are the results */
    for (unsigned i = 0; i < bt->nparams; i++)
        byte(g, 0x1A);
    for (unsigned i = 0; i < bt->nresults; i++)
        value(g, bt->results[i], depth + 1);
}

/* A block or if/else of type `k` (with parameters): push the parameters,
 * run it; its results stay on the stack. */
static void multi_block(gen *g, unsigned k, unsigned depth) {
    const fsig *bt = &g->blocks[k];
    for (unsigned i = 0; i < bt->nparams; i++)
        value(g, bt->params[i], depth + 1);
    bool as_if = !fuzz_below(3);
    if (as_if)
        value(g, I32, depth + 1);
    byte(g, as_if ? 0x04 : 0x02), sleb(g, g->nfuncs + k);
    push_label(g, LABEL_MULTI);
    multi_body(g, bt, depth);
    if (as_if) {
        byte(g, 0x05);
        multi_body(g, bt, depth);
    }
    g->nlabels--;
    byte(g, 0x0B);
}

/* ---- loop nests of numerical code (--loop-shapes) --------------------------- */

/* A counted loop of the nest: its counter starts at 0. */
static void shape_loop_begin(gen *g) {
    byte(g, 0x41), sleb(g, 0);
    byte(g, 0x21), uleb(g, g->counters + g->loop_depth);
    g->counted[g->loop_depth] = true;
    g->loop_depth++;
    byte(g, 0x03), byte(g, 0x40);
    push_label(g, LABEL_COUNTED);
}

/* c + 1 < bound, bound K or (triangular) the outer counter + K; br_if back. */
static void shape_loop_end(gen *g, bool triangular) {
    unsigned c = g->counters + g->loop_depth - 1;
    byte(g, 0x20), uleb(g, c), byte(g, 0x41), sleb(g, 1), byte(g, 0x6A);
    byte(g, 0x22), uleb(g, c);
    byte(g, 0x41), sleb(g, 1 + (int64_t)fuzz_below(6));
    if (triangular)
        byte(g, 0x20), uleb(g, c - 1), byte(g, 0x6A);
    byte(g, 0x49), byte(g, 0x0D), uleb(g, 0); /* i32.lt_u, br_if 0 */
    byte(g, 0x0B);
    g->nlabels--;
    g->loop_depth--;
}

/* An i32 address in memory 0 from the two counters of the nest:
 * outer * w_outer + inner * w_inner + base, w = 0 leaving a counter out:
 * a cell (inner 0), a row (inner the element size), a column (inner a row
 * width).  Bases near the end of memory make the last trips trap. */
static void shape_address(gen *g, unsigned w_outer, unsigned w_inner, int64_t base) {
    unsigned inner = g->counters + g->loop_depth - 1;
    byte(g, 0x41), sleb(g, base);
    if (w_outer)
        byte(g, 0x20), uleb(g, inner - 1), byte(g, 0x41), sleb(g, w_outer), byte(g, 0x6C),
            byte(g, 0x6A);
    if (w_inner) { /* the width in a local sometimes: a run-time stride */
        byte(g, 0x20), uleb(g, inner);
        if (g->shape_stride != NO_SHAPE_STRIDE)
            byte(g, 0x20), uleb(g, g->shape_stride);
        else
            byte(g, 0x41), sleb(g, w_inner);
        byte(g, 0x6C), byte(g, 0x6A);
    }
}

/* Before a nest: maybe an i32 local, masked to a multiple of 8 below 1 KiB,
 * to serve as the inner width of its rows and columns. */
static void shape_pick_stride(gen *g) {
    g->shape_stride = NO_SHAPE_STRIDE;
    if (fuzz_below(3))
        return;
    for (unsigned i = 0; i < g->nlocals; i++)
        if (g->locals[i] == I32) {
            byte(g, 0x20), uleb(g, i), byte(g, 0x41), sleb(g, 0x3F8), byte(g, 0x71);
            byte(g, 0x21), uleb(g, i);
            g->shape_stride = i;
            return;
        }
}

/* i64.load or i64.store (0x29, 0x37) with a small offset. */
static void shape_memop(gen *g, uint8_t op) {
    static const uint32_t offsets[] = {0, 0, 8, 16, 65528};
    byte(g, op), uleb(g, 3), uleb(g, PICK(offsets));
}

/* base + k * stride in memory 0, k the innermost counter; a negative
 * stride counts down (and wraps below 0), a base near 2^32 wraps above. */
static void scan_address(gen *g, int64_t base, int64_t stride) {
    byte(g, 0x41), sleb(g, (int32_t)(uint32_t)base);
    byte(g, 0x20), uleb(g, g->counters + g->loop_depth - 1);
    if (stride != 1 && stride != -1)
        byte(g, 0x41), sleb(g, stride < 0 ? -stride : stride), byte(g, 0x6C); /* i32.mul */
    byte(g, stride < 0 ? 0x6B : 0x6A);                                        /* i32.sub or add */
}

/* A narrow or full i32 load (0x2D load8_u, 0x2F load16_u, 0x28 load) with
 * an offset that sometimes reaches the last bytes of a page. */
static void scan_load(gen *g, uint8_t op) {
    static const uint32_t offsets[] = {0, 0, 0, 1, 7, 65535};
    byte(g, op), uleb(g, 0), uleb(g, PICK(offsets));
}

/*
 * A scan: a counted loop that the data may leave in the middle, lz77's
 * `while (k < limit && a[k] == b[k]) k++` and csvstat's field copy
 * `out[k] = c` until a separator.  Both leave through a br_if to a block
 * around the loop (the loop's back edge counts), so loop versioning in
 * explicit mode (compiler/loops/loop_bounds.c) bounds the trips by the count
 * while the data may stop it first; bases at the end of memory, below 0 for
 * strides that count down and near 2^32 make the last trips trap or the
 * sums wrap.  The count it stopped at is stored, so that an early or late
 * exit shows.
 */
static void scan_shape_stmt(gen *g, unsigned depth) {
    static const int64_t bases[] = {0,     3,     64,     1000,       65000,     65472,
                                    65535, 65536, 131000, 0xFFFFFFF0, 0x7FFFFFF8};
    static const int64_t strides[] = {1, 1, 1, 2, 4, 8, -1, -4};
    static const uint8_t loads[] = {0x2D, 0x2D, 0x2F, 0x28};
    static const int64_t limits[] = {1, 2, 7, 16, 40, 300};
    int64_t stride = PICK(strides), a = PICK(bases), b = fuzz_below(3) ? PICK(bases) : a + 8;
    uint8_t load = PICK(loads);
    bool copy = !fuzz_below(3);
    int64_t out = PICK(bases);
    byte(g, 0x02), byte(g, 0x40); /* block: the early exit */
    push_label(g, LABEL_NONE);
    shape_loop_begin(g); /* k */
    unsigned k = g->counters + g->loop_depth - 1;
    scan_address(g, a, stride), scan_load(g, load);
    if (copy) { /* out[k] = a[k] + 1, before the test (csvstat) */
        scan_address(g, out, stride > 0 ? 1 : -1);
        scan_address(g, a, stride), scan_load(g, load);
        byte(g, 0x41), sleb(g, 1), byte(g, 0x6A);
        byte(g, 0x3A), uleb(g, 0), uleb(g, 0); /* i32.store8 */
    }
    if (fuzz_below(2)) { /* a[k] != b[k]: leave (lz77) */
        scan_address(g, b, stride), scan_load(g, load);
        byte(g, 0x47);
    } else { /* a[k] & 7 == 7: leave (a separator) */
        byte(g, 0x41), sleb(g, 7), byte(g, 0x71), byte(g, 0x41), sleb(g, 7), byte(g, 0x46);
    }
    byte(g, 0x0D), uleb(g, 1); /* br_if to the block */
    if (!fuzz_below(6))
        stmt(g, depth + 1);
    /* k + 1 < limit, the limit a constant or a local masked below 512 */
    byte(g, 0x20), uleb(g, k), byte(g, 0x41), sleb(g, 1), byte(g, 0x6A), byte(g, 0x22), uleb(g, k);
    unsigned limit = g->nlocals;
    if (fuzz_below(3))
        for (unsigned i = 0; i < g->nlocals && limit == g->nlocals; i++)
            if (g->locals[i] == I32 && (i < g->counters || i >= g->counters + MAX_DEPTH))
                limit = i;
    if (limit < g->nlocals)
        byte(g, 0x20), uleb(g, limit), byte(g, 0x41), sleb(g, 0x1FF), byte(g, 0x71);
    else
        byte(g, 0x41), sleb(g, PICK(limits));
    byte(g, fuzz_below(4) ? 0x49 : 0x48), byte(g, 0x0D), uleb(g, 0); /* lt_u or lt_s; br_if */
    byte(g, 0x0B);                                                   /* end loop */
    g->nlabels--;
    g->loop_depth--;
    byte(g, 0x0B); /* end block */
    g->nlabels--;
    byte(g, 0x41), sleb(g, 2048); /* where the scan stopped */
    byte(g, 0x20), uleb(g, k), byte(g, 0x36), uleb(g, 2), uleb(g, 0);
}

/*
 * Two nested counted loops over memory 0 in the shapes of dense linear
 * algebra: an in-place reduction into a cell (A[i][j] -= A[i][k] * A[k][j],
 * the cell reloaded and stored on every trip), a row updated from a cell
 * and another row, a reduction over a column into a local, with the inner
 * bound a constant or the outer counter plus one (triangular).  Rows
 * sometimes overlap the cell or each other, so that loop versioning's
 * proof that groups of accesses lie apart is tested both ways.
 */
static bool loop_shape_stmt(gen *g, unsigned depth) {
    static const int64_t bases[] = {0, 8, 64, 512, 1000, 65000, 65480, 65536, 131000};
    static const unsigned widths[] = {8, 16, 24, 64, 256, 4096};
    if (fuzz_below(6) || g->wide_counters || g->mem64[0] || g->loop_depth + 2 > MAX_DEPTH)
        return false;
    if (!fuzz_below(3)) {
        scan_shape_stmt(g, depth);
        return true;
    }
    unsigned shape = (unsigned)fuzz_below(3), w = PICK(widths), acc = 0;
    while (acc < g->nlocals && g->locals[acc] != I64)
        acc++;
    if (shape == 2 && acc == g->nlocals)
        shape = 0; /* no i64 local to sum into */
    int64_t b1 = PICK(bases), b2 = fuzz_below(3) ? b1 : PICK(bases), b3 = PICK(bases);
    bool triangular = fuzz_below(2);
    shape_pick_stride(g);
    shape_loop_begin(g); /* outer: i */
    shape_loop_begin(g); /* inner: k */
    switch (shape) {
    case 0: /* cell[i] = cell[i] op row[i][k] * col[k][i] */
        shape_address(g, w, 0, b1);
        shape_address(g, w, 0, b1), shape_memop(g, 0x29);
        shape_address(g, w, 8, b2), shape_memop(g, 0x29);
        shape_address(g, 8, w, b3), shape_memop(g, 0x29);
        byte(g, 0x7E);                        /* i64.mul */
        byte(g, fuzz_below(2) ? 0x7D : 0x7C); /* i64.sub or add */
        shape_memop(g, 0x37);
        break;
    case 1: /* row[i][k] = row[i][k] + cell[i] * row2[k] */
        shape_address(g, w, 8, b1);
        shape_address(g, w, 8, b1), shape_memop(g, 0x29);
        shape_address(g, w, 0, b2), shape_memop(g, 0x29);
        shape_address(g, 0, 8, b3), shape_memop(g, 0x29);
        byte(g, 0x7E), byte(g, 0x7C);
        shape_memop(g, 0x37);
        break;
    default: /* an i64 local += col[k][i] * col[k][j]; then stored */
        byte(g, 0x20), uleb(g, acc);
        shape_address(g, 8, w, b1), shape_memop(g, 0x29);
        shape_address(g, 0, w, b2), shape_memop(g, 0x29);
        byte(g, 0x7E), byte(g, 0x7C);
        byte(g, 0x21), uleb(g, acc);
        break;
    }
    if (!fuzz_below(4))
        stmt(g, depth + 1);
    shape_loop_end(g, triangular);
    if (shape == 2) { /* C[i][i] = the sum, once per row */
        shape_address(g, w, 0, b3);
        byte(g, 0x20), uleb(g, acc);
        shape_memop(g, 0x37);
    }
    shape_loop_end(g, false);
    return true;
}

static void stmt(gen *g, unsigned depth) {
    if (!g->budget || depth >= MAX_DEPTH)
        return;
    g->budget--;
    if (g->o->loop_shapes && loop_shape_stmt(g, depth))
        return;
    int j;
    /* the same draws as before tail calls and the proposals below */
    switch (fuzz_below(g->eh || g->fref || g->atomics || g->gc ? 19 : g->tail ? 16 : 15)) {
    case 16:
    case 17:
    case 18:
        if (feature_stmt(g, depth))
            return;
        break;
    case 14:
        if (g->tail && !fuzz_below(3) && tail_call(g, depth))
            return;
        break;
    case 13:
        if (g->nblocks) {
            unsigned k = (unsigned)fuzz_below(g->nblocks);
            multi_block(g, k, depth);
            for (unsigned i = 0; i < g->blocks[k].nresults; i++)
                byte(g, 0x1A);
            return;
        }
        break;
    case 0:
    case 1: {
        if (!g->nlocals)
            break;
        unsigned i = (unsigned)fuzz_below(g->nlocals);
        value(g, g->locals[i], depth + 1);
        byte(g, 0x21), uleb(g, i);
        return;
    }
    case 2: {
        unsigned i = 1 + (unsigned)fuzz_below(g->nglobals - 1);
        if (!g->gmut[i])
            break;
        value(g, g->globals[i], depth + 1);
        byte(g, 0x24), uleb(g, i);
        return;
    }
    case 3:
    case 4: store(g, depth); return;
    case 5:
        value(g, random_numtype(), depth + 1);
        byte(g, 0x1A);
        return;
    case 6:
        value(g, I32, depth + 1);
        byte(g, 0x04), byte(g, 0x40);
        push_label(g, LABEL_NONE);
        stmt(g, depth + 1);
        if (fuzz_below(2)) {
            byte(g, 0x05);
            stmt(g, depth + 1);
        }
        g->nlabels--;
        byte(g, 0x0B);
        return;
    case 7:
        loop_begin(g);
        byte(g, 0x03), byte(g, 0x40);
        push_loop_label(g);
        loop_fuel_check(g);
        stmt(g, depth + 1);
        stmt(g, depth + 1);
        value(g, I32, depth + 1);
        loop_continue(g);
        g->nlabels--;
        g->loop_depth--;
        byte(g, 0x0B);
        return;
    case 8:
        byte(g, 0x02), byte(g, 0x40);
        push_label(g, LABEL_NONE);
        stmt(g, depth + 1);
        value(g, I32, depth + 1);
        byte(g, 0x0D), uleb(g, none_label(g)); /* br_if to some label without values */
        stmt(g, depth + 1);
        g->nlabels--;
        byte(g, 0x0B);
        return;
    case 9:
        if (!fuzz_below(4)) {
            branch(g, depth);
            return;
        }
        break;
    case 10:
        if ((j = pick_callee(g, -1)) >= 0) {
            call(g, (unsigned)j, depth);
            for (unsigned i = 0; i < g->funcs[j].nresults; i++)
                byte(g, 0x1A);
            return;
        }
        break;
    case 11: bulk(g, depth); return;
    case 12:
        if (!fuzz_below(8)) {
            for (unsigned i = 0; i < g->funcs[g->cur].nresults; i++)
                value(g, g->funcs[g->cur].results[i], depth + 1);
            byte(g, 0x0F); /* return */
            return;
        }
        break;
    default: break;
    }
    byte(g, 0x01); /* nop */
}

/* ---- exceptions ------------------------------------------------------------------ */

static unsigned tag_type(const gen *g, unsigned k, unsigned which) {
    return g->first_extra_type + 3 * k + which;
}

/* `if (cond) { ... }` around code that would end the block for good. */
static void cond_begin(gen *g, unsigned depth) {
    value(g, I32, depth + 1);
    byte(g, 0x04), byte(g, 0x40);
    push_label(g, LABEL_NONE);
}

static void cond_end(gen *g) {
    g->nlabels--;
    byte(g, 0x0B);
}

static void throw_tag(gen *g, unsigned depth) {
    unsigned k = (unsigned)fuzz_below(g->ntags);
    for (unsigned i = 0; i < g->tag_nparams[k]; i++)
        value(g, g->tag_params[k][i], depth + 1);
    byte(g, 0x08), uleb(g, k);
}

/* The exnref in the function's local or in the global (maybe null). */
static void get_exnref(gen *g) {
    if (fuzz_below(2))
        byte(g, 0x20), uleb(g, g->exn_local);
    else
        byte(g, 0x23), uleb(g, g->exn_global);
}

/* A caught payload value: into a mutable global of its type (so that the
 * exports' results show it) or dropped. */
static void keep_value(gen *g, uint8_t t) {
    for (unsigned i = 1; i < g->nglobals; i++)
        if (g->globals[i] == t && g->gmut[i] && fuzz_below(2)) {
            byte(g, 0x24), uleb(g, i);
            return;
        }
    byte(g, 0x1A);
}

/* A caught exnref: kept in the local for a later throw_ref (here or, as
 * an argument, in the rethrower), rethrown at once here or there, or
 * dropped.  Never stored in the global: the reference interpreter (at
 * 285a903) gives an exnref its tag's type, which global.set then refuses
 * with an internal error ("type mismatch at global write"), so the global
 * stays null (a null for throw_ref and br_on_null). */
static void keep_exnref(gen *g) {
    switch (fuzz_below(4)) {
    case 0: byte(g, 0x21), uleb(g, g->exn_local); return;
    case 1: byte(g, 0x10), uleb(g, g->rethrower); return;
    case 2: byte(g, 0x0A); return; /* throw_ref */
    default: byte(g, 0x1A); return;
    }
}

/* try_table with one to three catch clauses of any kind, each branching to
 * a handler block of its own; the body may throw or call functions that
 * do.  Leaves a value of type t (0: nothing).
 *
 *     block $done (t)
 *       block $h2 ... block $h0                ;; each receives its clause's values
 *         try_table (t) (catch.. $h0) (catch.. $h1) ..  body  end
 *         br $done
 *       end  handler 0; br $done
 *       ...
 */
static bool catch_block(gen *g, uint8_t t, unsigned depth) {
    unsigned n = 1 + (unsigned)fuzz_below(3);
    uint8_t kind[3], tag[3];
    if (g->nlabels + n + 2 > MAX_LABELS)
        return false;
    byte(g, 0x02), byte(g, t ? t : 0x40);
    push_label(g, t ? t : LABEL_NONE);
    for (unsigned i = n; i-- > 0;) {
        kind[i] = (uint8_t)fuzz_below(4);
        tag[i] = (uint8_t)fuzz_below(g->ntags);
        byte(g, 0x02);
        if (kind[i] == CATCH || kind[i] == CATCH_REF)
            sleb(g, tag_type(g, tag[i], 1 + kind[i]));
        else
            byte(g, kind[i] == CATCH_ALL ? 0x40 : EXNREF);
        push_label(g, LABEL_MULTI);
    }
    byte(g, 0x1F), byte(g, t ? t : 0x40), uleb(g, n);
    for (unsigned i = 0; i < n; i++) {
        byte(g, kind[i]);
        if (kind[i] == CATCH || kind[i] == CATCH_REF)
            uleb(g, tag[i]);
        uleb(g, i); /* outside the try_table: $h_i is label i */
    }
    push_label(g, t ? t : LABEL_NONE);
    stmt(g, depth + 1);
    if (t)
        value(g, t, depth + 1);
    else
        stmt(g, depth + 1);
    g->nlabels--;
    byte(g, 0x0B);
    byte(g, 0x0C), uleb(g, n);
    for (unsigned i = 0; i < n; i++) {
        byte(g, 0x0B);
        g->nlabels--;
        if (kind[i] == CATCH_REF || kind[i] == CATCH_ALL_REF)
            keep_exnref(g);
        if (kind[i] == CATCH || kind[i] == CATCH_REF)
            for (unsigned p = g->tag_nparams[tag[i]]; p-- > 0;)
                keep_value(g, g->tag_params[tag[i]][p]);
        if (t)
            value(g, t, depth + 1);
        byte(g, 0x0C), uleb(g, n - 1 - i);
    }
    g->nlabels--;
    byte(g, 0x0B);
    return true;
}

static bool eh_stmt(gen *g, unsigned depth) {
    bool cond = fuzz_below(3);
    switch (fuzz_below(8)) {
    case 6:
    case 7:
    case 0: /* throw, mostly under a condition */
        if (cond)
            cond_begin(g, depth);
        throw_tag(g, depth);
        if (cond)
            cond_end(g);
        return true;
    case 1:
    case 2: return catch_block(g, 0, depth);
    case 3: /* throw_ref of a kept exnref: br_on_null skips a null one, or not (trap) */
        if (cond)
            cond_begin(g, depth);
        if (fuzz_below(4)) {
            byte(g, 0x02), byte(g, 0x40);
            get_exnref(g);
            byte(g, 0xD5), uleb(g, 0); /* br_on_null */
            byte(g, 0x0A);
            byte(g, 0x0B);
        } else {
            get_exnref(g);
            byte(g, 0x0A);
        }
        if (cond)
            cond_end(g);
        return true;
    case 4: /* rethrow the local's exnref in another function, or clear it */
        if (fuzz_below(2)) {
            if (cond)
                cond_begin(g, depth);
            byte(g, 0x20), uleb(g, g->exn_local);
            byte(g, 0x10), uleb(g, g->rethrower);
            if (cond)
                cond_end(g);
            return true;
        }
        if (fuzz_below(2))
            get_exnref(g);
        else
            byte(g, 0xD0), byte(g, EXNREF);
        byte(g, 0x21), uleb(g, g->exn_local);
        return true;
    default: /* br_on_non_null: a non-null exnref leaves the block with it */
        byte(g, 0x02), byte(g, EXNREF);
        get_exnref(g);
        byte(g, 0xD6), uleb(g, 0);
        byte(g, 0xD0), byte(g, EXNREF);
        byte(g, 0x0B);
        if (cond)
            byte(g, 0x21), uleb(g, g->exn_local);
        else
            byte(g, 0x1A);
        return true;
    }
}

/* ---- typed function references ------------------------------------------------------ */

static void ref_type(gen *g, bool nullable) {
    byte(g, nullable ? REF_NULL : REF), sleb(g, g->ref_target);
}

/* A (ref null $ref_target): the function itself, null, or what the local,
 * the global or table 1 (two slots; index 2 is out of bounds) hold. */
static void ref_expr(gen *g) {
    switch (fuzz_below(6)) {
    case 0: byte(g, 0xD0), sleb(g, g->ref_target); return;
    case 1: byte(g, 0x20), uleb(g, g->ref_local); return;
    case 2: byte(g, 0x23), uleb(g, g->ref_global); return;
    case 3: byte(g, 0x41), sleb(g, (int64_t)fuzz_below(3)), byte(g, 0x25), uleb(g, 1); return;
    default: byte(g, 0xD2), uleb(g, g->ref_target); return;
    }
}

/* call_ref (or return_call_ref) through a reference, as it is (a null one
 * traps "null function reference"), through ref.as_non_null ("null
 * reference"), or through br_on_non_null with a fallback. */
static void call_through_ref(gen *g, unsigned depth, bool tail) {
    const fsig *s = &g->funcs[g->ref_target];
    for (unsigned i = 0; i < s->nparams; i++)
        value(g, s->params[i], depth + 1);
    switch (fuzz_below(3)) {
    case 0: ref_expr(g); break;
    case 1:
        ref_expr(g);
        byte(g, 0xD4); /* ref.as_non_null */
        break;
    default:
        byte(g, 0x02), ref_type(g, false);
        ref_expr(g);
        byte(g, 0xD6), uleb(g, 0); /* br_on_non_null */
        if (fuzz_below(2))
            byte(g, 0xD2), uleb(g, g->ref_target);
        else
            byte(g, 0xD0), sleb(g, g->ref_target), byte(g, 0xD4);
        byte(g, 0x0B);
    }
    byte(g, tail ? 0x15 : 0x14), uleb(g, g->ref_target);
}

static bool same_results(const fsig *a, const fsig *b) {
    return a->nresults == b->nresults && !memcmp(a->results, b->results, a->nresults);
}

static bool fref_stmt(gen *g, unsigned depth) {
    const fsig *s = &g->funcs[g->ref_target];
    switch (fuzz_below(6)) {
    case 0:
        ref_expr(g);
        byte(g, 0x21), uleb(g, g->ref_local);
        return true;
    case 1:
        ref_expr(g);
        byte(g, 0x24), uleb(g, g->ref_global);
        return true;
    case 2: /* table.set 1 (index 2 is out of bounds) */
        byte(g, 0x41), sleb(g, (int64_t)fuzz_below(3));
        ref_expr(g);
        byte(g, 0x26), uleb(g, 1);
        return true;
    case 3: /* br_on_null skips the call (dropping the arguments) */
        byte(g, 0x02), byte(g, 0x40);
        push_label(g, LABEL_NONE);
        for (unsigned i = 0; i < s->nparams; i++)
            value(g, s->params[i], depth + 1);
        ref_expr(g);
        byte(g, 0xD5), uleb(g, 0);
        byte(g, 0x14), uleb(g, g->ref_target);
        for (unsigned i = 0; i < s->nresults; i++)
            byte(g, 0x1A);
        g->nlabels--;
        byte(g, 0x0B);
        return true;
    default:
        if (same_results(s, &g->funcs[g->cur]) && !fuzz_below(3)) {
            call_through_ref(g, depth, true);
            return true;
        }
        call_through_ref(g, depth, false);
        for (unsigned i = 0; i < s->nresults; i++)
            byte(g, 0x1A);
        return true;
    }
}

/* ---- atomics ------------------------------------------------------------------------ */

/* The seven widths of each group of 0xFE instructions, in opcode order. */
static const struct {
    uint8_t t, log2;
} atomic_shapes[] = {{I32, 2}, {I64, 3}, {I32, 0}, {I32, 1}, {I64, 0}, {I64, 1}, {I64, 2}};

enum {
    ATOMIC_LOAD = 0x10,
    ATOMIC_STORE = 0x17,
    ATOMIC_CMPXCHG = 0x48
};
static const uint8_t atomic_rmw[] = {0x1E, 0x25, 0x2C, 0x33, 0x3A, 0x41}; /* add .. xchg */

static unsigned pick_shape(uint8_t t) {
    for (;;) {
        unsigned k = (unsigned)fuzz_below(7);
        if (!t || atomic_shapes[k].t == t)
            return k;
    }
}

/* An offset: mostly a multiple of the access size, sometimes not (an
 * unaligned access), sometimes large (out of bounds). */
static uint32_t atomic_offset(unsigned log2) {
    switch (fuzz_below(8)) {
    case 0: return (uint32_t)fuzz_below(64);
    case 1: return (uint32_t)interesting_int(false);
    default: return (uint32_t)fuzz_below(16) << log2;
    }
}

static void atomic_op(gen *g, unsigned sub, unsigned log2, uint32_t offset) {
    byte(g, 0xFE), uleb(g, sub), uleb(g, log2), uleb(g, offset);
}

static unsigned scratch_of(const gen *g, uint8_t t, unsigned i) {
    return g->scratch + (t == I32 ? 1 : 3) + i;
}

/* wabt's wasm-interp says "invalid atomic access" both for an unaligned
 * and for an out-of-bounds address, so the twin module made for it checks
 * the alignment first and throws (wabt: "uncaught exception", which no
 * other twin code does) before the access.  The operands (address, then
 * `n` values) are on the stack before and after. */
static void atomic_twin_check(gen *g, const uint8_t *types, unsigned n, unsigned log2,
                              uint32_t offset) {
    if (!g->twin || log2 == 0)
        return;
    for (unsigned i = n; i-- > 0;)
        byte(g, 0x21), uleb(g, scratch_of(g, types[i], i));
    byte(g, 0x22), uleb(g, g->scratch);
    byte(g, 0x41), sleb(g, (int32_t)offset), byte(g, 0x6A);
    byte(g, 0x41), sleb(g, (1 << log2) - 1), byte(g, 0x71);
    byte(g, 0x04), byte(g, 0x40), byte(g, 0x08), uleb(g, 0), byte(g, 0x0B);
    byte(g, 0x20), uleb(g, g->scratch);
    for (unsigned i = 0; i < n; i++)
        byte(g, 0x20), uleb(g, scratch_of(g, types[i], i));
}

/* memory.atomic.notify / wait32 / wait64 (an i32).  wabt runs neither:
 * the twin does what they do with no other thread (after the same checks,
 * the bounds by an atomic load): notify wakes nobody (0); wait returns 1
 * when the value differs, else 2 (timed out: the timeout is 0 or a few
 * microseconds); on an unshared memory wait traps, which the twin shows as
 * wabt's "not implemented" of a real wait (no other twin code has one). */
static void wait_notify(gen *g, unsigned depth) {
    unsigned kind = (unsigned)fuzz_below(3); /* notify, wait32, wait64 */
    bool w64 = kind == 2;
    unsigned log2 = w64 ? 3 : 2;
    uint8_t types[2] = {kind ? (w64 ? I64 : I32) : I32, I64};
    address(g, depth, 0);
    if (kind && fuzz_below(2))
        byte(g, w64 ? 0x42 : 0x41), sleb(g, 0); /* memory is mostly zeros: often equal */
    else
        value(g, types[0], depth + 1);
    if (kind)
        byte(g, 0x42), sleb(g, fuzz_below(3) ? 0 : (int64_t)fuzz_below(5000));
    uint32_t offset = atomic_offset(log2);
    atomic_twin_check(g, types, kind ? 2 : 1, log2, offset);
    if (!g->twin) {
        atomic_op(g, kind, log2, offset);
        return;
    }
    if (kind)
        byte(g, 0x1A); /* the timeout */
    byte(g, 0x1A);     /* the count or the expected value (kept in a scratch local) */
    atomic_op(g, w64 ? 0x11 : 0x10, log2, offset);
    if (!kind) {
        byte(g, 0x1A), byte(g, 0x41), sleb(g, 0);
    } else if (!g->shared) {
        byte(g, 0x1A);
        byte(g, 0x41), sleb(g, 0), byte(g, 0x41), sleb(g, 0), byte(g, 0x42), sleb(g, 0);
        atomic_op(g, 0x01, 2, 0);
    } else {
        byte(g, 0x20), uleb(g, scratch_of(g, types[0], 0));
        byte(g, w64 ? 0x52 : 0x47);                /* ne */
        byte(g, 0x41), sleb(g, -1), byte(g, 0x6C); /* * -1 */
        byte(g, 0x41), sleb(g, 2), byte(g, 0x6A);  /* + 2 */
    }
}

/* An atomic load, read-modify-write or cmpxchg of type t (i32 or i64). */
static bool atomic_value(gen *g, uint8_t t, unsigned depth) {
    if (t != I32 && t != I64)
        return false;
    if (t == I32 && !fuzz_below(g->shared ? 4 : 2)) { /* more waits where they trap */
        wait_notify(g, depth);
        return true;
    }
    unsigned k = pick_shape(t), log2 = atomic_shapes[k].log2;
    unsigned form = (unsigned)fuzz_below(4); /* load, rmw, rmw, cmpxchg */
    uint8_t types[2] = {t, t};
    address(g, depth, 0);
    for (unsigned i = 0; i < (form == 3 ? 2u : form ? 1u : 0u); i++)
        value(g, t, depth + 1);
    uint32_t offset = atomic_offset(log2);
    atomic_twin_check(g, types, form == 3 ? 2 : form ? 1 : 0, log2, offset);
    unsigned base = form == 0 ? ATOMIC_LOAD : form == 3 ? ATOMIC_CMPXCHG : PICK(atomic_rmw);
    atomic_op(g, base + k, log2, offset);
    return true;
}

static bool atomic_stmt(gen *g, unsigned depth) {
    switch (fuzz_below(4)) {
    case 0: {
        unsigned k = pick_shape(0), log2 = atomic_shapes[k].log2;
        uint8_t t = atomic_shapes[k].t;
        address(g, depth, 0);
        value(g, t, depth + 1);
        uint32_t offset = atomic_offset(log2);
        atomic_twin_check(g, &t, 1, log2, offset);
        atomic_op(g, ATOMIC_STORE + k, log2, offset);
        return true;
    }
    case 1:
        if (!g->twin) /* wabt: "not implemented"; nothing to see single-threaded */
            byte(g, 0xFE), uleb(g, 0x03), byte(g, 0x00);
        return true;
    default:
        atomic_value(g, fuzz_below(2) ? I32 : I64, depth);
        byte(g, 0x1A);
        return true;
    }
}

/* ---- the proposals' share of values and statements ------------------------------------ */

/* ---- garbage collection (gen_gc.c) ------------------------------------------------- */

static void gc_value_of(void *host, uint8_t t, unsigned depth) { value(host, t, depth); }
static void gc_push_label(void *host) { push_label(host, LABEL_MULTI); }
static void gc_pop_label(void *host) { ((gen *)host)->nlabels--; }

static fuzz_gc_gen gc_context(gen *g) {
    return (fuzz_gc_gen){.out = g->out,
                         .first_type = g->gc_first_type,
                         .first_local = g->gc_first_local,
                         .first_global = g->gc_first_global,
                         .data_segment = 1,
                         .helper_func = g->nfuncs + g->eh,
                         .table = 1u + g->fref,
                         .full = g->gc_full,
                         .host = g,
                         .value = gc_value_of,
                         .push_label = gc_push_label,
                         .pop_label = gc_pop_label};
}

static bool feature_value(gen *g, uint8_t t, unsigned depth) {
    if (g->gc && fuzz_below(2)) {
        fuzz_gc_gen c = gc_context(g);
        return fuzz_gc_value(&c, t, depth);
    }
    switch (fuzz_below(3)) {
    case 0:
        if (g->eh)
            return catch_block(g, t, depth);
        break;
    case 1:
        if (g->fref && g->funcs[g->ref_target].nresults == 1 &&
            g->funcs[g->ref_target].results[0] == t) {
            call_through_ref(g, depth, false);
            return true;
        }
        break;
    default:
        if (g->atomics)
            return atomic_value(g, t, depth);
        break;
    }
    return false;
}

static bool feature_stmt(gen *g, unsigned depth) {
    if (g->gc && fuzz_below(2)) {
        fuzz_gc_gen c = gc_context(g);
        fuzz_gc_stmt(&c, depth);
        return true;
    }
    switch (fuzz_below(3)) {
    case 0: return g->eh && eh_stmt(g, depth);
    case 1: return g->fref && fref_stmt(g, depth);
    default: return g->atomics && atomic_stmt(g, depth);
    }
}

/* ---- SIMD -------------------------------------------------------------------- */

/* Sub-opcodes of the 0xFD prefix, by signature.  The "exact" groups never
 * produce a NaN from non-NaN inputs nor pass a payload on, so two correct
 * engines give the same bits; the others are left out in deterministic mode. */
static const uint8_t v_bin_exact[] = {
    14,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51,
    52,  53,  54,  55,  56,  57,  58,  59,  60,  61,  62,  63,  64,  65,  66,  67,  68,  69,
    70,  71,  72,  73,  74,  75,  76,  78,  79,  80,  81,  101, 102, 110, 111, 112, 113, 114,
    115, 118, 119, 120, 121, 123, 130, 133, 134, 142, 143, 144, 145, 146, 147, 149, 150, 151,
    152, 153, 155, 156, 157, 158, 159, 174, 177, 181, 182, 183, 184, 185, 186, 188, 189, 190,
    191, 206, 209, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223};
static const uint8_t v_bin_float[] = {228, 229, 230, 231, 232, 233, 234, 235,
                                      240, 241, 242, 243, 244, 245, 246, 247};
static const uint8_t v_un_exact[] = {
    77,  96,  97,  98,  124, 125, 126, 127, 128, 129, 135, 136, 137, 138, 160, 161, 167, 168, 169,
    170, 192, 193, 199, 200, 201, 202, 224, 225, 236, 237, 248, 249, 250, 251, 252, 253, 254, 255};
static const uint8_t v_un_float[] = {94, 95, 103, 104, 105, 106, 116, 117, 122, 148, 227, 239};
static const uint8_t v_shift[] = {107, 108, 109, 139, 140, 141, 171, 172, 173, 203, 204, 205};
static const uint8_t v_test[] = {83, 99, 100, 131, 132, 163, 164, 195, 196}; /* -> i32 */

typedef struct lane_op {
    uint8_t sub, type, lanes;
} lane_op;

static const lane_op v_splat[] = {{15, I32, 16}, {16, I32, 8}, {17, I32, 4},
                                  {18, I64, 2},  {19, F32, 4}, {20, F64, 2}};
static const lane_op v_extract[] = {{21, I32, 16}, {22, I32, 16}, {24, I32, 8}, {25, I32, 8},
                                    {27, I32, 4},  {29, I64, 2},  {31, F32, 4}, {33, F64, 2}};
static const lane_op v_replace[] = {{23, I32, 16}, {26, I32, 8}, {28, I32, 4},
                                    {30, I64, 2},  {32, F32, 4}, {34, F64, 2}};

static void simd_op(gen *g, unsigned sub) {
    byte(g, 0xFD);
    uleb(g, sub);
}

static void simd_load(gen *g, unsigned depth) {
    static const struct {
        uint8_t sub, log2;
    } plain[] = {{0, 4}, {1, 3}, {2, 3}, {3, 3},  {4, 3},  {5, 3}, {6, 3},
                 {7, 0}, {8, 1}, {9, 2}, {10, 3}, {92, 2}, {93, 3}};
    unsigned mem = pick_memory(g);
    if (fuzz_below(4)) {
        size_t k = fuzz_below(sizeof plain / sizeof plain[0]);
        address(g, depth, mem);
        simd_op(g, plain[k].sub);
        memarg(g, plain[k].log2, mem);
        return;
    }
    unsigned log2 = (unsigned)fuzz_below(4); /* load8_lane .. load64_lane */
    address(g, depth, mem);
    value(g, V128, depth + 1);
    simd_op(g, 84 + log2);
    memarg(g, log2, mem);
    byte(g, (uint8_t)fuzz_below(16u >> log2));
}

static void simd_store(gen *g, unsigned depth) {
    unsigned mem = pick_memory(g);
    address(g, depth, mem);
    value(g, V128, depth + 1);
    if (fuzz_below(2)) {
        simd_op(g, 11);
        memarg(g, 4, mem);
        return;
    }
    unsigned log2 = (unsigned)fuzz_below(4); /* store8_lane .. store64_lane */
    simd_op(g, 88 + log2);
    memarg(g, log2, mem);
    byte(g, (uint8_t)fuzz_below(16u >> log2));
}

static bool float_lane(const gen *g, uint8_t type) {
    return g->o->deterministic && (type == F32 || type == F64);
}

/* A v128 from a vector instruction, or a scalar of type t taken out of one. */
static bool simd_value(gen *g, uint8_t t, unsigned depth) {
    bool det = g->o->deterministic;
    if (t != V128) {
        for (unsigned tries = 0; tries < 8; tries++) {
            if (t == I32 && !fuzz_below(3)) {
                value(g, V128, depth + 1);
                simd_op(g, PICK(v_test));
                return true;
            }
            lane_op e = PICK(v_extract);
            if (e.type != t)
                continue;
            value(g, V128, depth + 1);
            simd_op(g, e.sub);
            byte(g, (uint8_t)fuzz_below(e.lanes));
            return true;
        }
        return false;
    }
    switch (fuzz_below(9)) {
    case 0: { /* splat */
        lane_op sp = PICK(v_splat);
        if (float_lane(g, sp.type))
            return false;
        value(g, sp.type, depth + 1);
        simd_op(g, sp.sub);
        return true;
    }
    case 1:
    case 2: /* binary */
        value(g, V128, depth + 1);
        value(g, V128, depth + 1);
        simd_op(g, det || fuzz_below(3) ? PICK(v_bin_exact) : PICK(v_bin_float));
        return true;
    case 3: /* unary */
        value(g, V128, depth + 1);
        simd_op(g, det || fuzz_below(3) ? PICK(v_un_exact) : PICK(v_un_float));
        return true;
    case 4: /* shift by an i32 */
        value(g, V128, depth + 1);
        value(g, I32, depth + 1);
        simd_op(g, PICK(v_shift));
        return true;
    case 5: { /* replace_lane */
        lane_op r = PICK(v_replace);
        if (float_lane(g, r.type))
            return false;
        value(g, V128, depth + 1);
        value(g, r.type, depth + 1);
        simd_op(g, r.sub);
        byte(g, (uint8_t)fuzz_below(r.lanes));
        return true;
    }
    case 6: /* bitselect */
        value(g, V128, depth + 1);
        value(g, V128, depth + 1);
        value(g, V128, depth + 1);
        simd_op(g, 82);
        return true;
    case 7: /* shuffle */
        value(g, V128, depth + 1);
        value(g, V128, depth + 1);
        simd_op(g, 13);
        for (int i = 0; i < 16; i++)
            byte(g, (uint8_t)fuzz_below(32));
        return true;
    default: simd_load(g, depth); return true;
    }
}

/* ---- the module ------------------------------------------------------------------ */

static void section(fuzz_buf *m, uint8_t id, const fuzz_buf *content) {
    fuzz_buf_insert(m, m->n, &id, 1);
    fuzz_buf_put_leb(m, content->n);
    fuzz_buf_insert(m, m->n, content->b, content->n);
}

/* ---- constant expressions --------------------------------------------------------- */

static void int_const(gen *g, uint8_t t, uint64_t v) {
    byte(g, t == I32 ? 0x41 : 0x42);
    sleb(g, t == I32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v);
}

/* A constant expression of integer type t that evaluates to v (mod 2^32 or
 * 2^64): with extended constants, a tree of add/sub/mul over constants and
 * the immutable globals before `nglobals` whose values are known. */
static void int_const_expr(gen *g, uint8_t t, uint64_t v, unsigned nglobals, unsigned depth) {
    bool w = t == I64;
    uint8_t add = w ? 0x7C : 0x6A, sub = w ? 0x7D : 0x6B, mul = w ? 0x7E : 0x6C;
    unsigned form = g->ext_const && depth ? (unsigned)fuzz_below(5) : 0;
    uint64_t a = form == 1 || form == 2 ? (uint64_t)interesting_int(w) : 0;
    switch (form) {
    case 1: /* a + (v - a) */
        int_const_expr(g, t, a, nglobals, depth - 1);
        int_const_expr(g, t, v - a, nglobals, depth - 1);
        byte(g, add);
        return;
    case 2: /* (v + a) - a */
        int_const_expr(g, t, v + a, nglobals, depth - 1);
        int_const_expr(g, t, a, nglobals, depth - 1);
        byte(g, sub);
        return;
    case 3: { /* q * k + r */
        uint64_t k = 1 + fuzz_below(9), q = (w ? v : (uint32_t)v) / k;
        int_const_expr(g, t, q, nglobals, depth - 1);
        int_const(g, t, k);
        byte(g, mul);
        int_const_expr(g, t, v - q * k, nglobals, depth - 1);
        byte(g, add);
        return;
    }
    case 4: /* global.get j + (v - value of j) */
        for (unsigned tries = 0; tries < 4 && nglobals > 1; tries++) {
            unsigned j = 1 + (unsigned)fuzz_below(nglobals - 1);
            if (!g->gknown[j] || g->globals[j] != t)
                continue;
            byte(g, 0x23), uleb(g, j);
            int_const_expr(g, t, v - (uint64_t)g->gval[j], nglobals, depth - 1);
            byte(g, add);
            return;
        }
        break;
    default: break;
    }
    int_const(g, t, v);
}

/* Global i's initialiser (global 0 is the fuel). */
static void global_init(gen *g, unsigned i, unsigned fuel) {
    uint8_t t = g->globals[i];
    if (i == 0)
        int_const_expr(g, I32, fuel, 0, 2);
    else if (!g->ext_const || (t != I32 && t != I64))
        const_of(g, t);
    else {
        g->gval[i] = interesting_int(t == I64);
        g->gknown[i] = !g->gmut[i];
        int_const_expr(g, t, (uint64_t)g->gval[i], i, 2);
    }
}

static bool exportable(const gen *g, unsigned j) {
    const fsig *s = &g->funcs[j];
    if (!g->o->deterministic)
        return true;
    if (g->o->no_params && s->nparams)
        return false;
    for (unsigned i = 0; i < s->nparams; i++)
        if (s->params[i] != I32 && s->params[i] != I64)
            return false;
    for (unsigned i = 0; i < s->nresults; i++)
        if (s->results[i] != I32 && s->results[i] != I64)
            return false;
    return true;
}

static void body(gen *g, fuzz_buf *code) {
    const fsig *s = &g->funcs[g->cur];
    fuzz_buf b = {0};
    g->out = &b;
    g->nlocals = 0;
    for (unsigned i = 0; i < s->nparams; i++)
        g->locals[g->nlocals++] = s->params[i];
    unsigned extra = (unsigned)fuzz_below(5);
    uleb(g, extra + 1 + g->eh + g->fref + 2u * g->atomics + (g->gc ? FUZZ_GC_LOCAL_GROUPS : 0) +
                4u * g->o->floats);
    for (unsigned i = 0; i < extra; i++) {
        uint8_t t = random_numtype();
        uleb(g, 1), byte(g, t);
        g->locals[g->nlocals++] = t;
    }
    /* The loop counters: not in g->locals, so nothing else touches them. */
    uleb(g, MAX_DEPTH), byte(g, g->wide_counters ? I64 : I32);
    g->counters = g->nlocals;
    /* The proposals' locals, after the counters (nothing else touches them). */
    unsigned next = g->counters + MAX_DEPTH;
    if (g->eh)
        uleb(g, 1), byte(g, EXNREF), g->exn_local = next++;
    if (g->fref)
        uleb(g, 1), ref_type(g, true), g->ref_local = next++;
    if (g->gc) {
        fuzz_gc_local_decls(g->out, g->gc_first_type);
        g->gc_first_local = next;
        next += FUZZ_GC_LOCALS;
    }
    if (g->atomics)
        uleb(g, 3), byte(g, I32), uleb(g, 2), byte(g, I64), g->scratch = next;
    if (g->o->floats) /* after everything else: an f32 and an f64, then two never written */
        for (unsigned i = 0; i < 4; i++)
            uleb(g, 1), byte(g, i % 2 ? F64 : F32), g->float_scratch = next + 5u * g->atomics;
    g->loop_depth = 0;
    g->nlabels = 0;
    push_label(g, LABEL_FUNC);
    g->budget = 20 + (unsigned)fuzz_below(60);
    fuel_check(g);
    if (g->gc && fuzz_below(2)) {
        fuzz_gc_gen c = gc_context(g);
        fuzz_gc_prologue(&c);
    }
    unsigned n = 1 + (unsigned)fuzz_below(4);
    for (unsigned i = 0; i < n; i++)
        stmt(g, 0);
    /* With tail calls, a third of the bodies end in one. */
    if (!(g->tail && !fuzz_below(3) && tail_call(g, 0)))
        for (unsigned i = 0; i < s->nresults; i++)
            value(g, s->results[i], 0);
    byte(g, 0x0B);
    fuzz_buf_put_leb(code, b.n);
    fuzz_buf_insert(code, code->n, b.b, b.n);
    free(b.b);
    g->out = NULL;
}

/* The rethrower: throw_ref of its exnref argument unless it is null. */
static void rethrower_body(fuzz_buf *code) {
    static const uint8_t b[] = {0x00, 0x02, 0x40, 0x20, 0x00, 0xD5, 0x00, 0x0A, 0x0B, 0x0B};
    fuzz_buf_put_leb(code, sizeof b);
    fuzz_buf_insert(code, code->n, b, sizeof b);
}

/* Whether the last module uses a Wasm 3.0 feature. */
static bool used_wasm3;

bool fuzz_gen_used_wasm3(void) { return used_wasm3; }

static bool used_gc;
bool fuzz_gen_used_gc(void) { return used_gc; }

/* Memories for this module: 1 to 3, some 64-bit. */
static void pick_memories(gen *g) {
    g->nmems = g->o->multi_memory && fuzz_below(2) ? 2 + (unsigned)fuzz_below(MAX_MEMS - 1) : 1;
    bool wide = g->o->memory64 && fuzz_below(2);
    for (unsigned i = 0; i < g->nmems; i++)
        g->mem64[i] = wide && (g->nmems == 1 || fuzz_below(2));
    g->wide_counters = g->mem64[0];
    used_wasm3 = g->nmems > 1;
    for (unsigned i = 0; i < g->nmems; i++)
        used_wasm3 |= g->mem64[i];
}

/* The active data segment: memory `mem` at a small offset (flags 2 name
 * the memory); then its bytes follow. */
static void active_data_header(gen *g, unsigned mem) {
    if (mem == 0 && (g->nmems == 1 || !fuzz_below(2)))
        byte(g, 0x00);
    else
        byte(g, 0x02), uleb(g, mem);
    /* --floats: the segment's NaNs where exact_float loads */
    uint64_t offset = g->o->floats ? 0 : fuzz_below(256);
    int_const_expr(g, g->mem64[mem] ? I64 : I32, offset, g->nglobals, 2);
    byte(g, 0x0B);
}

/* Whether the last module uses atomics, and its twin for wabt. */
static bool used_atomics;
static fuzz_buf twin_module;

const fuzz_buf *fuzz_gen_wabt_twin(void) { return used_atomics ? &twin_module : NULL; }

/* Tags for this module: 1 to 3, each with 0 to 2 payload values. */
static void pick_tags(gen *g) {
    static const uint8_t payload[] = {I32, I64, F32, F64};
    g->ntags = 1 + (unsigned)fuzz_below(MAX_TAGS);
    for (unsigned k = 0; k < g->ntags; k++) {
        g->tag_nparams[k] = (uint8_t)fuzz_below(3);
        for (unsigned i = 0; i < g->tag_nparams[k]; i++)
            g->tag_params[k][i] = PICK(payload);
    }
}

/* The proposals this module uses (each in about half of the modules when
 * asked for).  Atomics go to wabt, so they come without the 3.0 features. */
static void pick_proposals(gen *g, const fuzz_gen_options *o) {
    g->atomics = o->atomics && fuzz_below(2);
    g->eh = !g->atomics && o->exceptions && fuzz_below(2);
    g->fref = !g->atomics && o->func_refs && fuzz_below(2);
    /* GC in three modules of four; array.new_data and GC constant
     * expressions (the last parts lowered) in half of those, so that a
     * lowering without them would still compare the others. */
    g->gc = !g->atomics && o->gc && fuzz_below(4) != 0;
    g->gc_full = g->gc && fuzz_below(2);
    if (g->eh)
        pick_tags(g);
    if (g->fref)
        g->ref_target = (unsigned)fuzz_below(g->nfuncs);
    if (g->atomics) {
        g->shared = fuzz_below(4) != 0;
        g->nmems = 1;
        g->mem64[0] = g->wide_counters = g->tail = g->ext_const = false;
        used_wasm3 = false;
    }
    used_wasm3 |= g->eh || g->fref || g->gc;
    used_gc = g->gc;
    used_atomics = g->atomics;
}

/* The extra types: each tag's three, then [] -> [] for the twin's tag. */
static void extra_types(gen *g) {
    for (unsigned k = 0; k < (g->eh ? g->ntags : 0); k++) {
        const uint8_t *p = g->tag_params[k];
        unsigned n = g->tag_nparams[k];
        byte(g, 0x60), uleb(g, n), fuzz_buf_insert(g->out, g->out->n, p, n), uleb(g, 0);
        byte(g, 0x60), uleb(g, 0), uleb(g, n), fuzz_buf_insert(g->out, g->out->n, p, n);
        byte(g, 0x60), uleb(g, 0), uleb(g, n + 1), fuzz_buf_insert(g->out, g->out->n, p, n);
        byte(g, EXNREF);
    }
    if (g->eh) /* the rethrower's: [exnref] -> [] */
        byte(g, 0x60), uleb(g, 1), byte(g, EXNREF), uleb(g, 0);
    if (g->atomics)
        byte(g, 0x60), uleb(g, 0), uleb(g, 0);
    if (g->gc)
        fuzz_gc_types(g->out, g->gc_first_type);
}

static unsigned extra_type_count(const gen *g) {
    return (g->eh ? 3 * g->ntags + 1 : 0) + g->atomics + (g->gc ? FUZZ_GC_TYPES : 0);
}

/* The fuel in global 0.  Less with exceptions or typed references: call_ref
 * recursion 300 deep inside a switch's 20 blocks exhausts the reference
 * interpreter's own stack (and takes it a minute), a limit of the oracle's
 * rather than of the program's. */
static unsigned module_fuel(const gen *g) {
    if (g->o->fuel)
        return g->o->fuel;
    return g->eh || g->fref || g->gc ? 100 : 300;
}

static void generate(fuzz_buf *m, const fuzz_gen_options *o, bool twin) {
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    init_ops();
    gen g = {.o = o, .twin = twin};
    simd = o->simd && fuzz_below(2);
    pick_memories(&g);
    g.tail = o->tail_calls && fuzz_below(2);
    g.ext_const = o->extended_const && fuzz_below(2);
    used_wasm3 |= g.tail || g.ext_const;
    unsigned max = o->max_funcs && o->max_funcs <= MAX_FUNCS ? o->max_funcs : 5;
    g.nfuncs = 1 + (unsigned)fuzz_below(max);
    for (unsigned j = 0; j < g.nfuncs; j++) {
        fsig *s = &g.funcs[j];
        bool ints = o->deterministic && fuzz_below(4);
        s->nparams = o->no_params && ints ? 0 : (uint8_t)fuzz_below(4);
        for (unsigned i = 0; i < s->nparams; i++)
            s->params[i] = ints ? (fuzz_below(2) ? I32 : I64) : random_numtype();
        s->nresults = (uint8_t)(fuzz_below(5) ? 1 : fuzz_below(3));
        for (unsigned i = 0; i < s->nresults; i++)
            s->results[i] = ints ? (fuzz_below(2) ? I32 : I64) : random_numtype();
    }
    g.nblocks = (unsigned)fuzz_below(MAX_BLOCK_TYPES + 1);
    for (unsigned k = 0; k < g.nblocks; k++) {
        fsig *b = &g.blocks[k];
        b->nparams = (uint8_t)(1 + fuzz_below(2));
        for (unsigned i = 0; i < b->nparams; i++)
            b->params[i] = random_numtype();
        b->nresults = (uint8_t)fuzz_below(3);
        for (unsigned i = 0; i < b->nresults; i++)
            b->results[i] = fuzz_below(3) ? random_numtype() : b->params[i % b->nparams];
    }
    g.nglobals = 2 + (unsigned)fuzz_below(MAX_GLOBALS - 1);
    g.globals[0] = I32;
    g.gmut[0] = true;
    for (unsigned i = 1; i < g.nglobals; i++) {
        g.globals[i] = random_numtype();
        g.gmut[i] = fuzz_below(3) != 0;
    }
    pick_proposals(&g, o);
    g.first_extra_type = g.nfuncs + g.nblocks;
    g.exn_global = g.nglobals;
    g.rethrower = g.nfuncs;
    g.ref_global = g.nglobals + g.eh;
    g.gc_first_type = g.first_extra_type + extra_type_count(&g) - (g.gc ? FUZZ_GC_TYPES : 0);
    g.gc_first_global = g.nglobals + g.eh + g.fref;

    fuzz_buf sec = {0}, code = {0};
    m->n = 0;
    fuzz_buf_insert(m, 0, header, sizeof header);
    /* type: one per function, then the block types */
    g.out = &sec;
    uleb(&g, g.nfuncs + g.nblocks + extra_type_count(&g));
    for (unsigned j = 0; j < g.nfuncs + g.nblocks; j++) {
        const fsig *t = j < g.nfuncs ? &g.funcs[j] : &g.blocks[j - g.nfuncs];
        byte(&g, 0x60);
        uleb(&g, t->nparams);
        for (unsigned i = 0; i < t->nparams; i++)
            byte(&g, t->params[i]);
        uleb(&g, t->nresults);
        for (unsigned i = 0; i < t->nresults; i++)
            byte(&g, t->results[i]);
    }
    extra_types(&g);
    section(m, 1, &sec);
    sec.n = 0;
    uleb(&g, g.nfuncs + g.eh + g.gc);
    for (unsigned j = 0; j < g.nfuncs; j++)
        uleb(&g, j);
    if (g.eh)
        uleb(&g, g.first_extra_type + 3 * g.ntags);
    if (g.gc)
        uleb(&g, g.gc_first_type + FUZZ_GC_HELPER_TYPE);
    section(m, 3, &sec);
    /* table: every function, room to grow, or with an odd number of
     * functions none, as wasm-ld makes it: a bound the compiler takes as a
     * constant (by parity, so that a seed's draws stay the same) */
    sec.n = 0;
    uleb(&g, 1 + g.fref + g.gc), byte(&g, FUNCREF), byte(&g, 0x01), uleb(&g, g.nfuncs),
        uleb(&g, g.nfuncs + (g.nfuncs % 2 ? 0 : 4));
    if (g.fref) { /* table 1: two typed references, initialised to the target */
        byte(&g, 0x40), byte(&g, 0x00), ref_type(&g, true), byte(&g, 0x00), uleb(&g, 2);
        byte(&g, 0xD2), uleb(&g, g.ref_target), byte(&g, 0x0B);
    }
    if (g.gc) /* then the GC's anyref table */
        fuzz_gc_table(g.out);
    section(m, 4, &sec);
    sec.n = 0; /* memories: 1 page, at most 2 (flag 4: 64-bit, flag 2: shared) */
    uleb(&g, g.nmems);
    for (unsigned i = 0; i < g.nmems; i++)
        byte(&g, g.mem64[i] ? 0x05 : g.atomics && g.shared ? 0x03 : 0x01), uleb(&g, 1), uleb(&g, 2);
    section(m, 5, &sec);
    if (g.eh || g.atomics) { /* tags (the twin's one for atomics) */
        sec.n = 0;
        uleb(&g, g.eh ? g.ntags : 1);
        for (unsigned k = 0; k < (g.eh ? g.ntags : 1); k++)
            byte(&g, 0x00), uleb(&g, g.eh ? tag_type(&g, k, 0) : g.first_extra_type);
        section(m, 13, &sec);
    }
    sec.n = 0;
    uleb(&g, g.nglobals + g.eh + g.fref + (g.gc ? FUZZ_GC_GLOBALS : 0));
    for (unsigned i = 0; i < g.nglobals; i++) {
        byte(&g, g.globals[i]), byte(&g, g.gmut[i]);
        global_init(&g, i, module_fuel(&g));
        byte(&g, 0x0B);
    }
    if (g.eh) /* a mutable exnref, null */
        byte(&g, EXNREF), byte(&g, 0x01), byte(&g, 0xD0), byte(&g, EXNREF), byte(&g, 0x0B);
    if (g.fref) /* a mutable (ref null $t), the target */
        ref_type(&g, true), byte(&g, 0x01), byte(&g, 0xD2), uleb(&g, g.ref_target), byte(&g, 0x0B);
    if (g.gc)
        fuzz_gc_globals(g.out, g.gc_first_type, g.gc_full);
    section(m, 6, &sec);
    sec.n = 0;
    unsigned nexports = 0;
    for (unsigned j = 0; j < g.nfuncs; j++)
        nexports += exportable(&g, j);
    uleb(&g, nexports);
    for (unsigned j = 0; j < g.nfuncs; j++) {
        if (!exportable(&g, j))
            continue;
        char name[16];
        int len = snprintf(name, sizeof name, "f%u", j);
        uleb(&g, (uint64_t)len);
        fuzz_buf_insert(&sec, sec.n, (const uint8_t *)name, (size_t)len);
        byte(&g, 0x00), uleb(&g, j);
    }
    section(m, 7, &sec);
    sec.n = 0; /* elem: table[0..n) = every function */
    uleb(&g, 1), byte(&g, 0x00);
    int_const_expr(&g, I32, 0, g.nglobals, 2);
    byte(&g, 0x0B);
    uleb(&g, g.nfuncs);
    for (unsigned j = 0; j < g.nfuncs; j++)
        uleb(&g, j);
    section(m, 9, &sec);
    sec.n = 0;
    uleb(&g, 2);
    section(m, 12, &sec); /* data count */
    for (g.cur = 0; g.cur < g.nfuncs; g.cur++)
        body(&g, &code);
    if (g.eh)
        rethrower_body(&code);
    if (g.gc)
        fuzz_gc_helper_body(&code, g.gc_first_type);
    sec.n = 0;
    g.out = &sec;
    uleb(&g, g.nfuncs + g.eh + g.gc);
    fuzz_buf_insert(&sec, sec.n, code.b, code.n);
    section(m, 10, &sec);
    sec.n = 0; /* data: an active segment, then a passive one */
    uleb(&g, 2);
    active_data_header(&g, pick_memory(&g));
    for (unsigned k = 0; k < 2; k++) {
        unsigned len = (unsigned)fuzz_below(24);
        if (k == 1)
            byte(&g, 0x01);
        uleb(&g, len + (o->floats ? 24u : 0u));
        if (o->floats) /* first signalling NaNs, f64 and f32, to load */
            for (unsigned i = 0; i < 4; i++) {
                uint64_t b = snan_bits(i < 2);
                for (unsigned k = 0; k < (i < 2 ? 8u : 4u); k++)
                    byte(&g, (uint8_t)(b >> (8 * k)));
            }
        for (unsigned i = 0; i < len; i++)
            byte(&g, (uint8_t)fuzz_rnd());
    }
    section(m, 11, &sec);
    free(sec.b);
    free(code.b);
}

void fuzz_gen_module(fuzz_buf *m, const fuzz_gen_options *o) {
    uint64_t start = fuzz_rng_state();
    generate(m, o, false);
    if (!used_atomics)
        return;
    /* The twin draws the same numbers: the same module but for its code. */
    uint64_t end = fuzz_rng_state();
    fuzz_rng_restore(start);
    generate(&twin_module, o, true);
    if (fuzz_rng_state() != end) {
        fprintf(stderr, "gen.c: the twin module drew other numbers\n");
        abort();
    }
}
