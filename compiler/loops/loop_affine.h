/*
 * loop_affine.h — i32 and i64 values of a fast loop version as affine functions of
 * the iteration number, and the trip count of its back edge (loop_affine.c,
 * loop_trip.c), for the range check of loop_bounds.c.
 */
#ifndef W2N_LOOP_AFFINE_H
#define W2N_LOOP_AFFINE_H

#include "lower.h"

#define W2N_AFFINE_TERMS 4

/* c + sum(coef[i] * term[i]) + k * iteration, all mod 2^bits (32 for an
 * i32 value, 64 for an i64 one: a 64-bit memory's addresses); known false
 * when the value is not of that form. */
typedef struct w2n_affine {
    bool known;
    unsigned bits;      /* 32 or 64 */
    uint64_t c;         /* constant part */
    uint64_t k;         /* change per iteration: k + kcoef * kterm */
    LLVMValueRef kterm; /* a loop-invariant value in the step (a run-time stride), or NULL */
    uint64_t kcoef;
    unsigned nterms;
    LLVMValueRef term[W2N_AFFINE_TERMS]; /* loop-invariant values of the same width */
    uint64_t coef[W2N_AFFINE_TERMS];
} w2n_affine;

/* Does the value change from one iteration to the next? */
static inline bool w2n_affine_varies(const w2n_affine *a) { return a->k != 0 || a->kterm; }

/* The constant change per iteration as a signed number (all of it when
 * kterm is NULL). */
static inline int64_t w2n_affine_step(const w2n_affine *a) {
    return a->bits == 64 ? (int64_t)a->k : (int64_t)(int32_t)(uint32_t)a->k;
}

/* One fast loop version as the analysis sees it. */
typedef struct w2n_loop_view {
    w2n_versioned_loop *v;   /* NULL: no loop, forms of values anywhere (k = 0) */
    LLVMBasicBlockRef latch; /* its one back edge's block */
    LLVMValueRef self;       /* the phi whose step is being found, or NULL */
    unsigned budget;         /* values left to look at: bounds compile time */
} w2n_loop_view;

/* The one block in the loop that branches back to the header, or NULL. */
LLVMBasicBlockRef w2n_loop_find_latch(w2n_versioned_loop *v);
/* The affine form of the i32 or i64 value v. */
w2n_affine w2n_affine_eval(w2n_loop_view *lv, LLVMValueRef v);

/* True, with *out_d, when the i32 values x and y have forms with the same
 * terms and coefficients, so that y == x + *out_d (mod 2^32), wherever they
 * are: for bounds_merge.c, an interpreter's stack slots `frame + 8 + sp * 4`
 * and `frame + 16 + (sp - 1) * 4` are one address and the next word, though
 * LLVM computes them apart. */
bool w2n_i32_offset(LLVMValueRef x, LLVMValueRef y, uint32_t *out_d);

/* The sum of a's terms times their coefficients, without its constant,
 * as a form of the loop `outer` around a's loop (unknown if it is none). */
w2n_affine w2n_affine_terms_in(w2n_loop_view *outer, const w2n_affine *a);

/* Building values before the loop, at the placeholder choice. */
typedef struct w2n_check_builder {
    w2n_loop_view *lv;
    LLVMBuilderRef b;
    LLVMTypeRef i1, i32, i64;
} w2n_check_builder;

static inline LLVMValueRef w2n_c64(w2n_check_builder *cb, int64_t x) {
    return LLVMConstInt(cb->i64, (uint64_t)x, 1);
}
/* The change per iteration of an i32 form whose step has a run-time part,
 * sign-extended to i64 (the i32 step, as Wasm wraps it). */
LLVMValueRef w2n_affine_symbolic_step(w2n_check_builder *cb, const w2n_affine *a);
/* The value of a at iteration 0, in its own width. */
LLVMValueRef w2n_affine_materialize(w2n_check_builder *cb, const w2n_affine *a);
/* For an i32 form, the same as zext(terms) + (int32)c in 64 bits (see
 * loop_affine.c); for an i64 form its value at iteration 0. */
LLVMValueRef w2n_affine_first_address(w2n_check_builder *cb, const w2n_affine *a);
/* An upper bound on the loop's iterations from its back edge (i64), with
 * *ok the condition that the bound holds; NULL when not understood. */
LLVMValueRef w2n_loop_trip_count(w2n_check_builder *cb, LLVMValueRef *ok);

/* A covered access as loop_alias.c sees it: its address at iteration k is
 * base + offset + k * stride, base = zext(terms of form) + constant. */
typedef struct w2n_alias_access {
    bool covered;      /* an i32 address the range check covers */
    LLVMValueRef ptr;  /* the fast version's address, whose users access memory */
    LLVMValueRef base; /* i64, at iteration 0 */
    w2n_affine form;   /* its terms tell which accesses differ by a constant */
    int64_t constant;  /* base minus zext(terms) */
    uint64_t offset;
    unsigned size;
    int64_t stride;    /* the constant step */
    LLVMValueRef step; /* or, with a run-time part (form.kterm), the i64 step */
    uint32_t memory;
    size_t group; /* set by loop_alias.c */
    bool stores;  /* set by loop_alias.c: writes memory through ptr */
} w2n_alias_access;

/* Do x and y differ by a constant, in one memory, stepping alike? */
bool w2n_alias_same_group(const w2n_alias_access *x, const w2n_alias_access *y);

/* Add to *ok that every group of accesses (those that differ by a constant
 * and step alike) that stores stays apart from every other group in all tc
 * iterations, and tag the accesses with alias scopes that say so; false
 * when there is nothing to separate. */
bool w2n_loop_alias_separate(w2n_check_builder *cb, w2n_alias_access *acc, size_t n,
                             LLVMValueRef tc, unsigned loop_id, LLVMValueRef *ok);

/* The check of the version that proves groups apart, made once for all
 * iterations of the loop around it (loop_hoist.c): true when built; then
 * `block`, which ends in the branch on the check, branches on it first.
 * `marker`: the last instruction of block before the check, or NULL.
 * Not built unless at least `min_moving` groups move with the outer loop. */
bool w2n_loop_hoist_apart(w2n_check_builder *cb, const w2n_alias_access *acc, size_t n,
                          LLVMBasicBlockRef block, LLVMValueRef marker, size_t min_moving);

#endif
