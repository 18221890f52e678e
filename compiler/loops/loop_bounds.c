/*
 * loop_bounds.c — the range check that lets a loop's fast version run.
 *
 * Runs after mem2reg, on each loop that loop_version.c lowered twice.  With
 * an upper bound tc on the iterations (loop_trip.c), an access at affine
 * address A(k) = a0 + k * s (loop_affine.c) stays inside memory in every
 * iteration when its first and last addresses, computed in 64 bits, do: A is
 * linear, so no iteration in between can leave the range, and as the 64-bit
 * value never leaves [0, 2^32) it equals the i32 one.  The fast version is
 * taken when that holds for every affine access; those accesses then lose
 * their checks and address memory by a0 + k * s, an induction LLVM's
 * vectoriser can follow (which checks aliasing between them itself).  Anything not understood keeps its check, or sends the loop to the
 * slow version: never a wrong answer.
 *
 * A 64-bit memory's i64 addresses get the same proof in 64 bits, where no
 * sum may wrap: see cover_wide.  One that zero-extends an i32 (with an
 * offset below 2^32) is an i32 address as above, also kept below 2^32.
 */
#include <stdlib.h>

#include "loop_affine.h"

/* Strides beyond this are not worth versioning, and keep k * s in 64 bits. */
#define MAX_STRIDE (1 << 24)

static LLVMValueRef and_all(w2n_check_builder *cb, LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildAnd(cb->b, a, b, "");
}

/* ---- the rewrite -------------------------------------------------------------- */

/* An access the check does not cover, in guard mode: back to the slow
 * version's volatile access, which a guard page checks for free. */
static void guard_access(w2n_fast_access *a, LLVMTypeRef i1) {
    for (LLVMUseRef u = LLVMGetFirstUse(a->ptr); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if ((LLVMIsALoadInst(user) && LLVMGetOperand(user, 0) == a->ptr) ||
            (LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == a->ptr))
            LLVMSetVolatile(user, 1);
        else
            return; /* used some other way: keep the explicit check */
    }
    LLVMReplaceAllUsesWith(a->oob, LLVMConstInt(i1, 0, 0));
}

/* The bytes [lo, end) an access touches in all iterations, bounded with
 * those of its group (accesses that differ by a constant and step alike):
 * the keys order the members, which share every other part of lo and end. */
typedef struct access_range {
    bool grouped;
    LLVMValueRef lo, end;
    int64_t lo_key, end_key;
} access_range;

/* What the check learns about one fast version's accesses. */
typedef struct coverage {
    size_t covered;
    LLVMValueRef *first; /* per access: address at iteration 0, or NULL */
    int64_t *stride;
    LLVMValueRef *step;      /* per access: a run-time i64 step, or NULL for stride */
    w2n_alias_access *alias; /* per access: what loop_alias.c needs */
    access_range *range;     /* per access: its bytes, when bounded with its group */
} coverage;

/* Iterations a 64-bit proof allows: (tc - 1) * stride then stays below 2^60. */
#define MAX_WIDE_TRIPS (INT64_C(1) << 36)

/* An access at i64 address A(k) = first + k * s: with reach = offset + size
 * (a constant below 2^64, else the access always traps and is not
 * recorded), every iteration is in bounds when reach <= mem_size and, with
 * room = mem_size - reach and span = (tc - 1) * |s|, for s >= 0
 * first <= room and span <= room - first (first + span <= room, which
 * cannot wrap), and for s < 0 span <= first <= room. */
static void cover_wide(w2n_check_builder *cb, const w2n_fast_access *a, LLVMValueRef first,
                       int64_t s, LLVMValueRef tc, LLVMValueRef mem_size, LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    LLVMValueRef reach = w2n_c64(cb, (int64_t)(a->offset + a->size));
    LLVMValueRef span =
        LLVMBuildMul(b, LLVMBuildSub(b, tc, w2n_c64(cb, 1), ""), w2n_c64(cb, s < 0 ? -s : s), "");
    LLVMValueRef room = LLVMBuildSub(b, mem_size, reach, "");
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, tc, w2n_c64(cb, MAX_WIDE_TRIPS), ""));
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, reach, mem_size, ""));
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, first, room, ""));
    if (s >= 0)
        *ok = and_all(cb, *ok,
                      LLVMBuildICmp(b, LLVMIntULE, span, LLVMBuildSub(b, room, first, ""), ""));
    else
        *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, span, first, ""));
}

/* Add to *ok that access i stays in bounds in every iteration (tc of them). */
static void cover_access(w2n_check_builder *cb, coverage *c, size_t i, LLVMValueRef tc,
                         LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    w2n_fast_access *a = &cb->lv->v->accesses[i];
    LLVMValueRef mem_size = cb->lv->v->mem_size[a->memory]; /* its own memory's */
    /* The address: the first operand of eff (the zero extension of an i32,
     * or a 64-bit memory's checked add).  A 64-bit one that zero-extends an
     * i32 is proved as in a 32-bit memory. */
    LLVMValueRef value = LLVMGetOperand(a->eff, 0);
    bool zext_wide = a->wide && LLVMIsAZExtInst(value) && a->offset + a->size <= UINT32_MAX;
    if (zext_wide)
        value = LLVMGetOperand(value, 0);
    w2n_affine addr = w2n_affine_eval(cb->lv, value);
    int64_t s = w2n_affine_step(&addr);
    /* A run-time stride (a column) is covered where the access would
     * otherwise keep an explicit check, and in the version that proves its
     * groups apart: there the proof lets LLVM keep a reduction's cell in a
     * register instead of storing it on every iteration (LU's inner loop,
     * 1.4 x native's time in guard mode on AMD Zen 5).  In the plain fast
     * version a guard-page access costs nothing and LLVM vectorises no
     * column read, so there it stays one (docs/performance.md). */
    bool column_wanted = !a->may_fault || cb->lv->v->separate;
    if (!addr.known || s <= -MAX_STRIDE || s >= MAX_STRIDE ||
        (addr.kterm && (addr.bits != 32 || !column_wanted)))
        return;
    c->first[i] = w2n_affine_first_address(cb, &addr);
    c->stride[i] = s;
    /* A run-time stride (a column): any i32, so (tc - 1) * step stays
     * inside 64 bits only while tc <= 2^32. */
    LLVMValueRef step = addr.kterm ? w2n_affine_symbolic_step(cb, &addr) : NULL;
    c->step[i] = step;
    if (addr.bits == 64) {
        cover_wide(cb, a, c->first[i], s, tc, mem_size, ok);
        c->covered++;
        return;
    }
    /* first = zext(terms) + constant, as w2n_affine_first_address builds it */
    int64_t constant = addr.nterms ? (int64_t)(int32_t)(uint32_t)addr.c : (int64_t)addr.c;
    c->alias[i] = (w2n_alias_access){.covered = true,
                                     .ptr = a->ptr,
                                     .base = c->first[i],
                                     .form = addr,
                                     .constant = constant,
                                     .offset = a->offset,
                                     .size = a->size,
                                     .stride = s,
                                     .step = step,
                                     .memory = a->memory};
    LLVMValueRef span =
        LLVMBuildMul(b, LLVMBuildSub(b, tc, w2n_c64(cb, 1), ""), step ? step : w2n_c64(cb, s), "");
    LLVMValueRef lo = c->first[i], hi = c->first[i];
    if (step) {
        LLVMValueRef down = LLVMBuildICmp(b, LLVMIntSLT, step, w2n_c64(cb, 0), "");
        LLVMValueRef moved = LLVMBuildAdd(b, lo, span, "");
        lo = LLVMBuildSelect(b, down, moved, lo, "");
        hi = LLVMBuildSelect(b, down, hi, moved, "");
        LLVMValueRef few = LLVMBuildICmp(b, LLVMIntULE, tc, w2n_c64(cb, INT64_C(1) << 32), "");
        *ok = and_all(cb, *ok, few);
    } else if (s < 0) {
        lo = LLVMBuildAdd(b, lo, span, "");
    } else {
        hi = LLVMBuildAdd(b, hi, span, "");
    }
    LLVMValueRef end = LLVMBuildAdd(b, hi, w2n_c64(cb, (int64_t)(a->offset + a->size)), "");
    if (!step && !zext_wide) { /* bounded with its group: bound_groups */
        c->range[i] = (access_range){.grouped = true,
                                     .lo = lo,
                                     .end = end,
                                     .lo_key = constant,
                                     .end_key = constant + (int64_t)(a->offset + a->size)};
        c->covered++;
        return;
    }
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntSGE, lo, w2n_c64(cb, 0), ""));
    *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, end, mem_size, ""));
    if (zext_wide) { /* a memory past 4 GiB: the i32 must not wrap either */
        LLVMValueRef below_4g =
            LLVMBuildICmp(b, LLVMIntULE, end, w2n_c64(cb, INT64_C(1) << 32), "");
        *ok = and_all(cb, *ok, below_4g);
    }
    c->covered++;
}

/* Add to *ok that each group of grouped accesses stays in bounds in every
 * iteration: members differ by constants and step alike, so the group is
 * inside memory exactly when its lowest start and its highest end are,
 * two comparisons however many members (c[2j] and c[2j+1] of a loop
 * unrolled by two; the check runs on every entry of the loop). */
static void bound_groups(w2n_check_builder *cb, coverage *c, size_t n, LLVMValueRef *ok) {
    LLVMBuilderRef b = cb->b;
    for (size_t i = 0; i < n; i++) {
        if (!c->range[i].grouped)
            continue;
        size_t low = i, high = i;
        for (size_t j = i + 1; j < n; j++) {
            if (!c->range[j].grouped || !w2n_alias_same_group(&c->alias[i], &c->alias[j]))
                continue;
            if (c->range[j].lo_key < c->range[low].lo_key)
                low = j;
            if (c->range[j].end_key > c->range[high].end_key)
                high = j;
            c->range[j].grouped = false; /* bounded here */
        }
        LLVMValueRef mem_size = cb->lv->v->mem_size[c->alias[i].memory];
        *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntSGE, c->range[low].lo, w2n_c64(cb, 0), ""));
        *ok = and_all(cb, *ok, LLVMBuildICmp(b, LLVMIntULE, c->range[high].end, mem_size, ""));
    }
}

/* The fast version, covered: k counts iterations, covered accesses address
 * memory at base + (first + offset) + k * stride and lose their checks.  The
 * shape is the one LLVM's dependence analysis follows: an inbounds GEP off a
 * loop-invariant pointer by k times a constant, without signed wrap (the
 * range check proved every address inside memory). */
static void rewrite_fast_version(w2n_check_builder *cb, coverage *c) {
    LLVMBuilderRef b = cb->b;
    w2n_versioned_loop *v = cb->lv->v;
    LLVMPositionBuilder(b, v->header, LLVMGetFirstInstruction(v->header));
    LLVMValueRef k = LLVMBuildPhi(b, cb->i64, "k");
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(cb->lv->latch));
    LLVMValueRef next = LLVMBuildNUWAdd(b, k, w2n_c64(cb, 1), "");
    LLVMSetNSW(next, 1);
    LLVMValueRef vals[2] = {w2n_c64(cb, 0), next};
    LLVMBasicBlockRef from[2] = {v->entry, cb->lv->latch};
    LLVMAddIncoming(k, vals, from, 2);
    LLVMTypeRef i8 = LLVMInt8TypeInContext(LLVMGetTypeContext(cb->i64));
    for (size_t i = 0; i < v->naccesses; i++) {
        w2n_fast_access *a = &v->accesses[i];
        if (!c->first[i]) {
            if (a->may_fault)
                guard_access(a, cb->i1);
            continue;
        }
        LLVMPositionBuilderBefore(b, a->ptr);
        LLVMValueRef base = LLVMGetOperand(a->ptr, 0);
        LLVMValueRef start = c->first[i];
        if (a->offset) {
            start = LLVMBuildNSWAdd(b, start, w2n_c64(cb, (int64_t)a->offset), "");
            if (LLVMIsAInstruction(start)) /* not folded to a constant */
                LLVMSetNUW(start, 1);
        }
        LLVMValueRef row = LLVMBuildInBoundsGEP2(b, i8, base, &start, 1, "");
        LLVMValueRef stride = c->step[i] ? c->step[i] : w2n_c64(cb, c->stride[i]);
        LLVMValueRef step = LLVMBuildNSWMul(b, k, stride, "");
        LLVMValueRef ptr = LLVMBuildInBoundsGEP2(b, i8, row, &step, 1, "");
        LLVMReplaceAllUsesWith(a->ptr, ptr);
        LLVMReplaceAllUsesWith(a->oob, LLVMConstInt(cb->i1, 0, 0));
    }
}

/* In --interruptible code the fast version has no interrupt check
 * (lower_control.c), so it may only run when its work is bounded: at most
 * W2N_UNCHECKED_LOOP_WORK Wasm instructions, counting the whole body on
 * every iteration.  Longer runs take the slow version, which checks. */
static void bound_unchecked_work(w2n_check_builder *cb, const w2n_versioned_loop *v,
                                 LLVMValueRef tc, LLVMValueRef *ok) {
    uint32_t body = v->body.instrs ? v->body.instrs : 1;
    LLVMValueRef max_trips = w2n_c64(cb, W2N_UNCHECKED_LOOP_WORK / body);
    LLVMValueRef short_enough = LLVMBuildICmp(cb->b, LLVMIntULE, tc, max_trips, "");
    *ok = LLVMBuildAnd(cb->b, *ok, short_enough, "");
}

/* With --fuel the fast version charges its copy of the counter but neither
 * writes nor tests it at its header (lower_control.c), so it may only run
 * when the fuel left covers every instruction it can run: one for the loop
 * and the whole body on every iteration.  Then the slow version would not
 * have trapped inside the loop either, and the two agree on every count. */
static void bound_by_fuel(w2n_check_builder *cb, const w2n_versioned_loop *v, LLVMValueRef tc,
                          LLVMValueRef *ok) {
    LLVMValueRef left = LLVMGetOperand(v->choice, 0);
    uint32_t body = v->body.instrs ? v->body.instrs : 1;
    LLVMValueRef need =
        LLVMBuildAdd(cb->b, LLVMBuildMul(cb->b, tc, w2n_c64(cb, body), ""), w2n_c64(cb, 1), "");
    LLVMValueRef enough = LLVMBuildICmp(cb->b, LLVMIntSGE, left, need, "");
    *ok = LLVMBuildAnd(cb->b, *ok, enough, "");
}

static void resolve_loop(w2n_lower_module *lm, w2n_versioned_loop *v, unsigned id, LLVMBuilderRef b,
                         w2n_compile_stats *stats) {
    /* Plenty for real loops; a pathological expression DAG stops here. */
    w2n_loop_view lv = {.v = v, .budget = 100000};
    w2n_check_builder cb = {.lv = &lv, .b = b, .i1 = lm->t_i1, .i32 = lm->t_i32, .i64 = lm->t_i64};
    LLVMValueRef marker = LLVMGetPreviousInstruction(v->choice); /* the check goes after it */
    bool hoist = false;
    LLVMPositionBuilderBefore(b, v->choice);
    lv.latch = v->header ? w2n_loop_find_latch(v) : NULL;
    LLVMValueRef ok = NULL, tc = lv.latch ? w2n_loop_trip_count(&cb, &ok) : NULL;
    /* A fast version that calls keeps its checks (lower_control.c). */
    if (tc && lm->opts->interruptible && !v->body.calls)
        bound_unchecked_work(&cb, v, tc, &ok);
    if (tc && lm->opts->fuel && !v->body.calls)
        bound_by_fuel(&cb, v, tc, &ok);
    size_t n = v->naccesses ? v->naccesses : 1;
    coverage c = {.first = w2n_xcalloc(n, sizeof *c.first),
                  .stride = w2n_xcalloc(n, sizeof *c.stride),
                  .step = w2n_xcalloc(n, sizeof *c.step),
                  .alias = w2n_xcalloc(n, sizeof *c.alias),
                  .range = w2n_xcalloc(n, sizeof *c.range)};
    for (size_t i = 0; tc && i < v->naccesses; i++)
        cover_access(&cb, &c, i, tc, &ok);
    bound_groups(&cb, &c, v->naccesses, &ok);
    /* Memory only grows, so the size read before the loop is a safe bound. */
    LLVMValueRef choice = LLVMConstInt(lm->t_i1, 0, 0);
    if (v->separate) {
        /* Kept only when there are groups to prove apart, and no access
         * outside them (a guard-page or checked access of unknown address
         * keeps LLVM from both promoting and vectorising); the next
         * version, without the proof, is the one counted. */
        if (c.covered > 1 && c.covered == v->naccesses &&
            w2n_loop_alias_separate(&cb, c.alias, v->naccesses, tc, id, &ok)) {
            choice = ok;
            stats->loops_separated++;
            /* the same check for every iteration of the loop around, once */
            hoist = !lm->opts->interruptible && !lm->opts->fuel;
        } else {
            c.covered = 0;
        }
    } else {
        if (c.covered)
            choice = ok;
        stats->loops_versioned++;
        stats->loops_checked += c.covered > 0;
        stats->accesses_covered += (uint32_t)c.covered;
    }
    LLVMBasicBlockRef block = LLVMGetInstructionParent(v->choice);
    LLVMReplaceAllUsesWith(v->choice, choice);
    LLVMInstructionEraseFromParent(v->choice);
    if (c.covered)
        rewrite_fast_version(&cb, &c);
    /* After the rewrite: the addresses it uses stay where they are.  In
     * explicit mode, only when two groups or more move with the outer loop
     * (loop_hoist.c). */
    if (hoist)
        w2n_loop_hoist_apart(&cb, c.alias, v->naccesses, block, marker,
                             lm->opts->bounds == W2N_BOUNDS_EXPLICIT ? 2 : 0);
    free(c.first);
    free(c.stride);
    free(c.step);
    free(c.alias);
    free(c.range);
}

void w2n_loop_bounds_resolve(w2n_lower_module *lm, w2n_compile_stats *stats) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(lm->ctx);
    for (size_t i = 0; i < lm->nvloops; i++) {
        resolve_loop(lm, &lm->vloops[i], (unsigned)i, b, stats);
        free(lm->vloops[i].accesses);
    }
    LLVMDisposeBuilder(b);
    free(lm->vloops);
    lm->vloops = NULL;
    lm->nvloops = lm->vloops_cap = 0;
    if (lm->loop_choice_fn)
        LLVMDeleteFunction(lm->loop_choice_fn);
    lm->loop_choice_fn = NULL;
    /* For studying what LLVM's optimiser makes of the versions. */
    const char *dump = getenv("W2N_DUMP_VERSIONED_IR");
    if (dump)
        LLVMPrintModuleToFile(lm->mod, dump, NULL);
}
