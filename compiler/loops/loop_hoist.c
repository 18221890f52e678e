/*
 * loop_hoist.c — the check that proves a loop's groups apart, made once for
 * every iteration of the loop around it.
 *
 * The range check before a fast loop version runs on every entry of the
 * loop: in gemm_rows' row update, `for k: for j: c[i][j] += a[i][k] *
 * b[k][j]`, once per k, some forty instructions beside forty iterations
 * of the vector loop (docs/performance.md, "gemm_rows: the check on every
 * entry").  clang's native code checks once per i (LLVM's loop-access
 * analysis widens the bounds over the outer loop).  Here likewise, for the
 * version that proves groups apart (loop_alias.c): when every covered
 * address's invariant part is affine in the outer loop's iteration number
 * k' (a row b + k' * n * 8, a cell a + k' * 8) with a constant step, and
 * the inner trip count does not change with k', each group's bytes over
 * all iterations of both loops lie in one range, its hull: the address
 * line over k' < tc' (the outer trip count) plus the inner span.  The i32
 * sum must not wrap over those k' (then it is that line exactly), each hull
 * must lie inside memory and each storing group's hull apart from the
 * others'.  Then the inner check holds for every k', as it would have been
 * found to, and the block of the inner check first branches on the hull
 * check: built from values fixed before the outer loop, LLVM hoists it
 * there.  When it fails, the inner check runs as before: never a wrong
 * answer, and the same version runs as without it.
 */
#include "loop_affine.h"

/* Outer iterations the hull allows: (tc' - 1) * step then fits in 64 bits. */
#define MAX_OUTER_TRIPS (INT64_C(1) << 31)

/* Is `bb` before `header` in the function's layout?  Blocks are appended
 * as the lowering goes, so one before a loop's header is outside it. */
static bool before(LLVMBasicBlockRef bb, LLVMBasicBlockRef header) {
    for (LLVMBasicBlockRef b = LLVMGetPreviousBasicBlock(header); b;
         b = LLVMGetPreviousBasicBlock(b))
        if (b == bb)
            return true;
    return false;
}

/* The header's one predecessor outside its loop, or NULL. */
static LLVMBasicBlockRef loop_entry(LLVMBasicBlockRef header) {
    LLVMBasicBlockRef entry = NULL;
    for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(header)); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (!LLVMIsATerminatorInst(user))
            return NULL;
        LLVMBasicBlockRef from = LLVMGetInstructionParent(user);
        if (before(from, header)) {
            if (entry && entry != from)
                return NULL;
            entry = from;
        }
    }
    return entry;
}

/* Does v take the same value in every iteration of the loop at header: a
 * constant, an argument, a value from before the loop, or pure arithmetic
 * of those? */
static bool fixed_in_loop(LLVMValueRef v, LLVMBasicBlockRef header, int depth) {
    if (!LLVMIsAInstruction(v))
        return LLVMIsAConstant(v) || LLVMIsAArgument(v);
    if (before(LLVMGetInstructionParent(v), header))
        return true;
    if (depth > 24 || !(LLVMIsABinaryOperator(v) || LLVMIsAICmpInst(v) || LLVMIsASelectInst(v) ||
                        LLVMIsACastInst(v)))
        return false;
    for (int i = 0; i < LLVMGetNumOperands(v); i++)
        if (!fixed_in_loop(LLVMGetOperand(v, i), header, depth + 1))
            return false;
    return true;
}

/* Every access covered, at an i32 address of a 32-bit memory that steps by
 * a constant in the inner loop (a run-time inner stride or a 64-bit memory
 * keeps its check on every entry; the caller leaves out --fuel and
 * --interruptible code). */
static bool hoistable(const w2n_versioned_loop *v, const w2n_alias_access *acc, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!acc[i].covered || acc[i].step || acc[i].form.bits != 32 || v->accesses[i].wide)
            return false;
    return true;
}

/* A group's hull: the bytes its accesses touch over every iteration of
 * both loops, [lo, end) in 64 bits. */
typedef struct hull {
    bool used, stores;
    uint32_t memory;
    LLVMValueRef lo, end;
} hull;

/* Group g's hull, with *ok that its address line cannot wrap and that the
 * hull lies inside memory, and *moving counting it when its addresses move
 * with the outer loop; false when they are not lines in the outer
 * iteration (true, with h unused, when there is no group g). */
static bool group_hull(w2n_check_builder *cb, w2n_loop_view *outer, const w2n_alias_access *acc,
                       size_t n, size_t g, LLVMValueRef tc, LLVMValueRef outer_tc, hull *h,
                       LLVMValueRef *ok, size_t *moving) {
    LLVMBuilderRef b = cb->b;
    size_t low = n, high = n;
    int64_t least = INT64_MAX; /* the lowest i32 address's constant: offsets add after */
    for (size_t i = 0; i < n; i++) {
        if (acc[i].group != g)
            continue;
        if (acc[i].constant < least)
            least = acc[i].constant;
        int64_t end_key = acc[i].constant + (int64_t)(acc[i].offset + acc[i].size);
        if (low == n ||
            acc[i].constant + (int64_t)acc[i].offset < acc[low].constant + (int64_t)acc[low].offset)
            low = i;
        if (high == n ||
            end_key > acc[high].constant + (int64_t)(acc[high].offset + acc[high].size))
            high = i;
        h->stores |= acc[i].stores;
    }
    if (low == n)
        return true; /* no such group */
    const w2n_alias_access *a = &acc[low];
    /* zext(terms) as a line over the outer iterations */
    LLVMValueRef line_lo = w2n_c64(cb, 0), line_hi = line_lo;
    if (a->form.nterms) {
        w2n_affine terms = w2n_affine_terms_in(outer, &a->form);
        if (!terms.known || terms.bits != 32)
            return false;
        *moving += w2n_affine_varies(&terms);
        /* the step: any i32 (a row of run-time length), so with tc' <= 2^31
         * (tc' - 1) * step stays inside 64 bits */
        LLVMValueRef step = terms.kterm ? w2n_affine_symbolic_step(cb, &terms)
                                        : w2n_c64(cb, w2n_affine_step(&terms));
        LLVMValueRef first = LLVMBuildZExt(b, w2n_affine_materialize(cb, &terms), cb->i64, "");
        LLVMValueRef moved =
            LLVMBuildMul(b, LLVMBuildSub(b, outer_tc, w2n_c64(cb, 1), ""), step, "");
        LLVMValueRef last = LLVMBuildAdd(b, first, moved, "");
        LLVMValueRef down = LLVMBuildICmp(b, LLVMIntSLT, step, w2n_c64(cb, 0), "");
        line_lo = LLVMBuildSelect(b, down, last, first, "");
        line_hi = LLVMBuildSelect(b, down, first, last, "");
        /* the i32 sum never wraps: it is that line in every iteration */
        *ok = LLVMBuildAnd(b, *ok, LLVMBuildICmp(b, LLVMIntSGE, line_lo, w2n_c64(cb, 0), ""), "");
        *ok = LLVMBuildAnd(b, *ok,
                           LLVMBuildICmp(b, LLVMIntSLE, line_hi, w2n_c64(cb, UINT32_MAX), ""), "");
    }
    LLVMValueRef span =
        LLVMBuildMul(b, LLVMBuildSub(b, tc, w2n_c64(cb, 1), ""), w2n_c64(cb, a->stride), "");
    LLVMValueRef lo =
        LLVMBuildAdd(b, line_lo, w2n_c64(cb, acc[low].constant + (int64_t)acc[low].offset), "");
    LLVMValueRef end = LLVMBuildAdd(
        b, line_hi, w2n_c64(cb, acc[high].constant + (int64_t)(acc[high].offset + acc[high].size)),
        "");
    /* every i32 address (before its offset) at or above 0, as the inner
     * check's `first >= 0`: else the fast version's first + offset would
     * land inside memory where Wasm's address wrapped to 2^32 - x */
    LLVMValueRef lowest = LLVMBuildAdd(b, line_lo, w2n_c64(cb, least), "");
    if (a->stride < 0) {
        lo = LLVMBuildAdd(b, lo, span, "");
        lowest = LLVMBuildAdd(b, lowest, span, "");
    } else {
        end = LLVMBuildAdd(b, end, span, "");
    }
    LLVMValueRef mem_size = cb->lv->v->mem_size[a->memory];
    *ok = LLVMBuildAnd(b, *ok, LLVMBuildICmp(b, LLVMIntSGE, lowest, w2n_c64(cb, 0), ""), "");
    *ok = LLVMBuildAnd(b, *ok, LLVMBuildICmp(b, LLVMIntULE, end, mem_size, ""), "");
    *h = (hull){.used = true, .stores = h->stores, .memory = a->memory, .lo = lo, .end = end};
    return true;
}

static bool used_only_in(LLVMValueRef inst, LLVMBasicBlockRef bb) {
    for (LLVMUseRef u = LLVMGetFirstUse(inst); u; u = LLVMGetNextUse(u))
        if (LLVMGetInstructionParent(LLVMGetUser(u)) != bb)
            return false;
    return true;
}

/* Move the block's terminator, and every instruction from `from` on whose
 * values only the moved ones use, to `to`: the check's comparisons go,
 * the addresses that the fast version uses stay. */
static void move_check(LLVMBuilderRef b, LLVMBasicBlockRef block, LLVMValueRef from,
                       LLVMBasicBlockRef to) {
    LLVMValueRef stop = LLVMGetPreviousInstruction(from);
    for (LLVMValueRef i = LLVMGetLastInstruction(block); i && i != stop;) {
        LLVMValueRef prev = LLVMGetPreviousInstruction(i);
        if (LLVMIsATerminatorInst(i) || used_only_in(i, to)) {
            LLVMValueRef first = LLVMGetFirstInstruction(to);
            if (first)
                LLVMPositionBuilderBefore(b, first);
            else
                LLVMPositionBuilderAtEnd(b, to);
            LLVMInstructionRemoveFromParent(i);
            LLVMInsertIntoBuilder(b, i);
        }
        i = prev;
    }
}

static bool starts_with_phi(LLVMBasicBlockRef bb) {
    LLVMValueRef first = LLVMGetFirstInstruction(bb);
    return first && LLVMIsAPHINode(first);
}

#define MAX_HULLS 8

bool w2n_loop_hoist_apart(w2n_check_builder *cb, const w2n_alias_access *acc, size_t n,
                          LLVMBasicBlockRef block, LLVMValueRef marker, size_t min_moving) {
    w2n_versioned_loop *v = cb->lv->v;
    LLVMBasicBlockRef header = v->outer_header;
    if (!header || !n || !hoistable(v, acc, n))
        return false;
    LLVMValueRef br = LLVMGetBasicBlockTerminator(block);
    LLVMValueRef first_check =
        marker ? LLVMGetNextInstruction(marker) : LLVMGetFirstInstruction(block);
    if (!br || !LLVMIsConditional(br) || first_check == br ||
        starts_with_phi(LLVMGetSuccessor(br, 0)) || starts_with_phi(LLVMGetSuccessor(br, 1)) ||
        before(block, header))
        return false;
    w2n_versioned_loop around = {.header = header,
                                 .entry = loop_entry(header),
                                 .last = LLVMGetLastBasicBlock(LLVMGetBasicBlockParent(header))};
    if (!around.entry)
        return false;
    w2n_loop_view outer = {.v = &around, .budget = 100000, .latch = w2n_loop_find_latch(&around)};
    if (!outer.latch)
        return false;

    /* Built before the inner check, from values fixed in the outer loop. */
    LLVMBuilderRef b = cb->b;
    LLVMPositionBuilderBefore(b, first_check);
    w2n_check_builder ocb = *cb;
    ocb.lv = &outer;
    LLVMValueRef ok = NULL;
    LLVMValueRef outer_tc = w2n_loop_trip_count(&ocb, &ok);
    LLVMValueRef inner_ok = NULL;
    LLVMValueRef tc = outer_tc ? w2n_loop_trip_count(cb, &inner_ok) : NULL;
    if (!tc || !fixed_in_loop(tc, header, 0) || !fixed_in_loop(inner_ok, header, 0))
        return false;
    ok = LLVMBuildAnd(b, ok, inner_ok, "");
    ok = LLVMBuildAnd(b, ok,
                      LLVMBuildICmp(b, LLVMIntULE, outer_tc, w2n_c64(cb, MAX_OUTER_TRIPS), ""), "");
    hull h[MAX_HULLS] = {{0}};
    size_t moving = 0;
    for (size_t g = 0; g < MAX_HULLS; g++)
        if (!group_hull(cb, &outer, acc, n, g, tc, outer_tc, &h[g], &ok, &moving))
            return false;
    for (size_t i = 0; i < n; i++)
        if (acc[i].group >= MAX_HULLS)
            return false;
    /* With one group moving, the entry's check in explicit mode is that
     * group's bound (and its apart tests, which LLVM folds when the others
     * lie at constant distances): LLVM hoists the other groups' bounds
     * itself.  There a hull saved one compare per entry and moved matmul's
     * register allocation, three vector constants reloaded on every entry:
     * +0.9 % instructions, +3 % CPU time.  In guard mode LLVM left the
     * fixed group's compare in the outer loop and the hull saves four
     * instructions per entry (matmul, 1.2 % of its instructions), so the
     * caller asks for no moving group there (docs/performance.md,
     * "matmul: no hull for one moving group in explicit mode"). */
    if (moving < min_moving)
        return false;
    for (size_t i = 0; i < MAX_HULLS; i++)
        for (size_t j = i + 1; j < MAX_HULLS; j++) {
            if (!h[i].used || !h[j].used || h[i].memory != h[j].memory ||
                (!h[i].stores && !h[j].stores))
                continue;
            LLVMValueRef below = LLVMBuildICmp(b, LLVMIntULE, h[i].end, h[j].lo, "");
            LLVMValueRef above = LLVMBuildICmp(b, LLVMIntULE, h[j].end, h[i].lo, "");
            ok = LLVMBuildAnd(b, ok, LLVMBuildOr(b, below, above, ""), "");
        }

    /* block: ... hull check; br ok, fast_apart, inner -- inner: the check. */
    LLVMContextRef ctx = LLVMGetTypeContext(cb->i64);
    LLVMBasicBlockRef next = LLVMGetNextBasicBlock(block);
    LLVMBasicBlockRef inner =
        next ? LLVMInsertBasicBlockInContext(ctx, next, "apart_check")
             : LLVMAppendBasicBlockInContext(ctx, LLVMGetBasicBlockParent(block), "apart_check");
    LLVMBasicBlockRef fast = LLVMGetSuccessor(br, 0);
    move_check(b, block, first_check, inner);
    LLVMPositionBuilderAtEnd(b, block);
    LLVMBuildCondBr(b, ok, fast, inner);
    return true;
}
