/*
 * loop_version.c — lowering an innermost loop three times.
 *
 * Guard-mode accesses are volatile so that an out-of-bounds one faults in
 * program order (lower_memory.c), and volatile accesses are what keeps LLVM
 * from vectorising; explicit-mode accesses are checked one by one, and the
 * checks' early exits keep it from vectorising too.  Around a loop that
 * touches memory, in both modes, this file emits
 *
 *     apart = w2n.loop_choice()         ; placeholders
 *     br apart, fast_apart, fast_choice
 *     fast_choice: choice = w2n.loop_choice(); br choice, fast, slow
 *     fast_apart, fast: the loop, every access plain and checked explicitly
 *     slow: the loop as usual
 *     join: the loop's results
 *
 * (fast_apart is the fast version whose check also proves its groups of
 * accesses apart, loop_alias.c; the rest of this comment is about both.)
 *
 * After mem2reg, loop_bounds.c replaces `choice` by a check, made before
 * the loop, that every access whose address is affine in the iteration stays
 * in bounds in every iteration the loop can run; the fast version then drops
 * those accesses' checks.  An access it cannot cover keeps its check, and a
 * loop it cannot analyse always takes the slow version.  Both versions trap
 * exactly where Wasm says: the fast one never faults.  Memory only grows,
 * so a check against the size before the loop stays true inside it, and in
 * explicit mode the fast version still reloads the base after calls.  The
 * range check covers the accesses of the first W2N_VERSIONED_MEMORIES
 * memories, each against its own size read before the loop, 32-bit or
 * 64-bit (then in 64 bits, loop_bounds.c); in the fast version an access
 * to a later memory keeps its explicit check.
 */
#include <stdlib.h>
#include <string.h>

#include "lower.h"

/* Largest loop body worth duplicating, in instructions. */
#define MAX_VERSIONED_BODY 2000

/* Loads and stores of the first W2N_VERSIONED_MEMORIES memories, scalar
 * and v128: the instructions with a memarg that the range check can cover.
 * Other memories' accesses keep their own checks in the fast version
 * (lower_memory.c). */
static bool is_covered_access(const w2n_instr *in) {
    const w2n_opcode_info *info = w2n_opcode_lookup(in->op);
    return info && (info->imm == W2N_IMM_MEMARG || info->imm == W2N_IMM_MEMARG_LANE) &&
           in->imm.memarg.memory < W2N_VERSIONED_MEMORIES;
}

/* A covered access that may write memory: a store (no result), or any
 * atomic.  Only a plain load never does. */
static bool may_write(const w2n_opcode_info *info) {
    const char *results = strchr(info->sig, ':');
    return info->feature == W2N_FEATURE_THREADS || !results || !results[1];
}

/* Whether the version that proves groups of accesses apart can be kept:
 * loop_bounds.c keeps it only for two groups or more of which one writes
 * (loop_alias.c), so a loop of fewer than two accesses, or of loads only,
 * never has it, and it is not lowered just to be dropped.  Nor is it made
 * for a scanning loop (exits_early), where it costs more than it saves. */
static bool apart_version_possible(const w2n_loop_body *body) {
    return body->accesses >= 2 && body->writes >= 1 && !body->exits_early;
}

/* Does any memory use the guard region (a 32-bit one in guard mode)? */
static bool guarded_memory(const w2n_lower_module *lm) {
    if (lm->opts->bounds != W2N_BOUNDS_GUARD)
        return false;
    for (uint32_t i = 0; i < lm->m->nmemories; i++)
        if (!lm->m->memories[i].is64)
            return true;
    return false;
}

/* A division by the constant just pushed traps only for 0, and -1 (the
 * signed ones, on the lowest integer): other constants make it as safe as
 * an add, and a loop of `(i * 7 + j) % 17` vectorises (gemm_rows' fill). */
static bool constant_divisor(uint32_t op, const w2n_instr *prev) {
    bool wide = op >= W2N_OP_I64_DIV_S && op <= W2N_OP_I64_REM_U;
    if (prev->op == W2N_OP_I32_CONST && !wide)
        return prev->imm.i32 != 0 && prev->imm.i32 != -1;
    if (prev->op == W2N_OP_I64_CONST && wide)
        return prev->imm.i64 != 0 && prev->imm.i64 != -1;
    return false;
}

/* Can `in`, just after `prev`, trap on its own? */
static bool may_trap(const w2n_instr *in, const w2n_instr *prev) {
    uint32_t op = in->op;
    if ((op >= W2N_OP_I32_DIV_S && op <= W2N_OP_I32_REM_U) ||
        (op >= W2N_OP_I64_DIV_S && op <= W2N_OP_I64_REM_U))
        return !constant_divisor(op, prev);
    return (op >= W2N_OP_I32_TRUNC_F32_S && op <= W2N_OP_I32_TRUNC_F64_U) ||
           (op >= W2N_OP_I64_TRUNC_F32_S && op <= W2N_OP_I64_TRUNC_F64_U);
}

/* Does `in` (after `prev`), at `depth` blocks inside the loop's body, leave
 * the loop other than by falling out of it: a branch past the loop, a
 * return, a trap, a call (which LLVM cannot see through either)? */
static bool leaves_loop(const w2n_instr *in, const w2n_instr *prev, size_t depth) {
    switch (in->op) {
    case W2N_OP_BR:
    case W2N_OP_BR_IF:
    case W2N_OP_BR_ON_NULL:
    case W2N_OP_BR_ON_NON_NULL: return in->imm.index >= depth;
    case W2N_OP_BR_TABLE:
        for (uint32_t i = 0; i < in->imm.br_table.count; i++)
            if (in->imm.br_table.targets[i] >= depth)
                return true;
        return in->imm.br_table.default_target >= depth;
    case W2N_OP_RETURN:
    case W2N_OP_UNREACHABLE:
    case W2N_OP_REF_AS_NON_NULL: return true;
    default:
        return w2n_opcode_is_call(in->op, false) || w2n_opcode_is_call(in->op, true) ||
               may_trap(in, prev);
    }
}

/* Does `in`, at `depth` blocks inside the loop's body, branch out of the
 * loop or return: an exit that the data decides, as in a scanning loop
 * (`while (p < end && is_space(*p)) ps->p = ++p`)?  Such a loop runs an
 * iteration or two per entry, LLVM does not vectorise it and stores its cursor
 * on every iteration all the same, so the version that proves groups of
 * accesses apart only adds its alias check to every entry: it is not made
 * (docs/performance.md, "Scanning loops"). */
static bool exits_early(const w2n_instr *in, const w2n_instr *prev, size_t depth) {
    switch (in->op) {
    case W2N_OP_BR:
    case W2N_OP_BR_IF:
    case W2N_OP_BR_TABLE:
    case W2N_OP_BR_ON_NULL:
    case W2N_OP_BR_ON_NON_NULL:
    case W2N_OP_RETURN: return leaves_loop(in, prev, depth);
    default: return false;
    }
}

bool w2n_loop_version_wanted(w2n_lower_func *f, w2n_instr_reader *ir, w2n_loop_body *body) {
    const w2n_compile_options *o = f->lm->opts;
    if (!o || o->opt_level < 2 || f->lm->m->nmemories == 0)
        return false;
    /* Scan to the matching end on a copy of the reader: innermost loops
     * with at least one access, and not too long.  In guard mode, only
     * loops that LLVM could vectorise, which leave only at the bottom: the
     * checks a fast version saves elsewhere are the free guard-page ones,
     * and its range check costs on every entry.  A 64-bit memory has no
     * guard region: each access has its check in both modes, as in explicit
     * mode, so a module of 64-bit memories is treated as explicit. */
    bool guard = guarded_memory(f->lm);
    w2n_instr_reader scan = *ir;
    w2n_instr in = {0}, prev;
    size_t depth = 1, count = 0;
    bool wanted = true;
    *body = (w2n_loop_body){0};
    while (depth > 0) {
        prev = in;
        if (w2n_instr_reader_done(&scan) || !w2n_instr_read(&scan, &in) ||
            ++count > MAX_VERSIONED_BODY) {
            wanted = false;
            break;
        }
        /* depth - 1 blocks inside the body: label depth - 1 is the loop itself */
        /* Legacy exception handlers (try ... catch/delegate) are not versioned:
         * rare in loops that vectorise, and their catches are no `end`. */
        if (in.op == W2N_OP_LOOP || (guard && leaves_loop(&in, &prev, depth)) ||
            in.info->feature == W2N_FEATURE_LEGACY_EXCEPTIONS) {
            wanted = false;
            break;
        }
        if (exits_early(&in, &prev, depth))
            body->exits_early = true;
        /* br_if to label depth - 1 is the back edge; anything else branches */
        if (in.op == W2N_OP_IF || in.op == W2N_OP_BR_TABLE ||
            ((in.op == W2N_OP_BR || in.op == W2N_OP_BR_IF) && in.imm.index != depth - 1))
            body->branches = true;
        if (in.op == W2N_OP_BLOCK || in.op == W2N_OP_IF || in.op == W2N_OP_TRY_TABLE)
            depth++;
        else if (in.op == W2N_OP_END)
            depth--;
        else if (is_covered_access(&in)) {
            body->accesses++;
            body->writes += may_write(in.info);
        } else if (w2n_opcode_is_call(in.op, false) || in.op == W2N_OP_THROW ||
                   in.op == W2N_OP_THROW_REF)
            body->calls = true;
    }
    /* The scan may have grown the br_table scratch buffer: keep the new one. */
    ir->scratch = scan.scratch;
    ir->scratch_cap = scan.scratch_cap;
    body->instrs = (uint32_t)count;
    return wanted && body->accesses > 0;
}

/* The header of the innermost loop around the one being versioned. */
static LLVMBasicBlockRef enclosing_loop_header(const w2n_lower_func *f) {
    for (size_t i = f->nblocks; i-- > 0;)
        if (f->blocks[i].op == W2N_OP_LOOP)
            return f->blocks[i].br_target;
    return NULL;
}

/* With --fuel the placeholder takes the fuel left before the loop, so that
 * loop_bounds.c finds its SSA value after mem2reg. */
static LLVMValueRef build_choice(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    bool fuel = lm->opts->fuel;
    LLVMTypeRef i64 = lm->t_i64;
    LLVMTypeRef fty = LLVMFunctionType(lm->t_i1, &i64, fuel, 0);
    if (!lm->loop_choice_fn)
        lm->loop_choice_fn = LLVMAddFunction(lm->mod, "w2n.loop_choice", fty);
    LLVMValueRef left = fuel ? LLVMBuildLoad2(f->b, i64, f->fuel_left, "") : NULL;
    return LLVMBuildCall2(f->b, fty, lm->loop_choice_fn, &left, fuel, "fast");
}

static w2n_versioned_loop *new_versioned_loop(w2n_lower_module *lm) {
    if (lm->nvloops == lm->vloops_cap)
        lm->vloops = w2n_xgrow(lm->vloops, &lm->vloops_cap, lm->nvloops + 1, sizeof *lm->vloops, 8);
    w2n_versioned_loop *v = &lm->vloops[lm->nvloops++];
    memset(v, 0, sizeof *v);
    return v;
}

/* Where one version left off after its end. */
typedef struct version_exit {
    LLVMBasicBlockRef block;
    bool dead;
    LLVMValueRef *results;
} version_exit;

/* Lower LOOP ... END from `entry`; the reader is just past the LOOP. */
static w2n_status lower_version(w2n_lower_func *f, w2n_instr_reader *ir, const w2n_instr *loop,
                                LLVMBasicBlockRef entry, version_exit *out, uint32_t nresults) {
    size_t depth = f->nblocks;
    LLVMPositionBuilderAtEnd(f->b, entry);
    w2n_status s = w2n_lower_instr(f, loop);
    if (s == W2N_OK && f->fast)
        f->fast->header = f->blocks[f->nblocks - 1].br_target;
    if (s == W2N_OK)
        s = w2n_lower_instrs(f, ir, depth);
    if (s != W2N_OK)
        return s;
    W2N_ASSERT(f->nblocks == depth); /* the loop's end was the last instruction lowered */
    out->block = LLVMGetInsertBlock(f->b);
    out->dead = f->blocks[f->nblocks - 1].unreachable;
    W2N_ASSERT(out->dead || f->sp >= nresults);
    if (!out->dead && nresults)
        memcpy(out->results, f->stack + f->sp - nresults, nresults * sizeof *out->results);
    return W2N_OK;
}

/* How many values the loop takes and leaves. */
static void loop_arity(w2n_lower_func *f, const w2n_instr *loop, uint32_t *nparams,
                       uint32_t *nresults) {
    const w2n_blocktype *bt = &loop->imm.block;
    *nparams = 0;
    *nresults = bt->kind == W2N_BLOCK_VALUE;
    if (bt->kind == W2N_BLOCK_TYPE) {
        *nparams = f->lm->m->types[bt->type_index].nparams;
        *nresults = f->lm->m->types[bt->type_index].nresults;
    }
}

/* Continue after the loop from whichever versions fall out of it. */
static void join_versions(w2n_lower_func *f, const version_exit *exits, size_t nexits,
                          size_t height, uint32_t nresults) {
    const version_exit *live[3];
    size_t nlive = 0;
    for (size_t i = 0; i < nexits; i++)
        if (!exits[i].dead)
            live[nlive++] = &exits[i];
    if (nlive == 0)
        return; /* the last version lowered left the state unreachable */
    w2n_lower_block *parent = &f->blocks[f->nblocks - 1];
    parent->unreachable = false;
    f->sp = height;
    if (nlive == 1) {
        LLVMPositionBuilderAtEnd(f->b, live[0]->block);
        for (uint32_t i = 0; i < nresults; i++)
            w2n_lower_push(f, live[0]->results[i]);
        return;
    }
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "loop_join");
    LLVMValueRef vals[3];
    LLVMBasicBlockRef from[3];
    for (size_t k = 0; k < nlive; k++) {
        LLVMPositionBuilderAtEnd(f->b, live[k]->block);
        LLVMBuildBr(f->b, join);
        from[k] = live[k]->block;
    }
    LLVMPositionBuilderAtEnd(f->b, join);
    for (uint32_t i = 0; i < nresults; i++) {
        for (size_t k = 0; k < nlive; k++) {
            W2N_ASSERT(LLVMTypeOf(live[k]->results[i]) == LLVMTypeOf(live[0]->results[i]));
            vals[k] = live[k]->results[i];
        }
        LLVMValueRef phi = LLVMBuildPhi(f->b, LLVMTypeOf(vals[0]), "");
        LLVMAddIncoming(phi, vals, from, (unsigned)nlive);
        w2n_lower_push(f, phi);
    }
}

/* One fast version from `entry`, recorded in lm->vloops[index]. */
static w2n_status lower_fast_version(w2n_lower_func *f, w2n_instr_reader *ir, w2n_instr *loop,
                                     size_t index, LLVMBasicBlockRef entry, version_exit *out,
                                     uint32_t nresults) {
    f->fast = &f->lm->vloops[index];
    w2n_status s = lower_version(f, ir, loop, entry, out, nresults);
    f->fast = NULL;
    if (s == W2N_OK)
        f->lm->vloops[index].last = LLVMGetLastBasicBlock(f->fn);
    return s;
}

/* Back to the state at the loop, to lower it once more. */
static void rewind_to_loop(w2n_lower_func *f, w2n_instr_reader *ir, w2n_reader body,
                           LLVMValueRef *saved, size_t sp) {
    ir->r = body;
    if (sp)
        memcpy(f->stack, saved, sp * sizeof *saved);
    f->sp = sp;
    f->blocks[f->nblocks - 1].unreachable = false;
    f->dead_depth = 0;
}

/*
 * Three versions: the first fast one runs when the range check also proves
 * its groups of accesses apart (loop_alias.c), the second when only the
 * range check holds (a cell inside a row the loop writes, say), the slow
 * one otherwise.  The first is lowered only when it can be kept
 * (apart_version_possible); loop_bounds.c drops it when there is nothing
 * to prove apart after all, and the second when the first is kept but
 * cannot fail for any other reason.
 */
w2n_status w2n_lower_versioned_loop(w2n_lower_func *f, w2n_instr_reader *ir, const w2n_instr *loop,
                                    const w2n_loop_body *held) {
    w2n_lower_module *lm = f->lm;
    uint32_t nparams, nresults;
    loop_arity(f, loop, &nparams, &nresults);
    w2n_instr loop_copy = *loop;
    w2n_reader body = ir->r;
    /* The operand stack at the loop, to start the other versions from. */
    size_t sp = f->sp;
    LLVMValueRef *saved = w2n_xcalloc(sp, sizeof *saved);
    if (sp) /* f->stack is NULL until the first push */
        memcpy(saved, f->stack, sp * sizeof *saved);
    size_t per = nresults ? nresults : 1;
    LLVMValueRef *results = w2n_xcalloc(3 * per, sizeof *results);
    version_exit exits[3] = {
        {.results = results}, {.results = results + per}, {.results = results + 2 * per}};
    /* Version 0 proves groups apart, 1 is the plain fast one, 2 the slow. */
    size_t k0 = apart_version_possible(held) ? 0 : 1;

    /* The plain fast version's blocks first: where they were before the
     * version that proves groups apart came in (code placement matters). */
    LLVMBasicBlockRef entries[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"fast_apart_entry", "fast_entry", "slow_entry"};
    static const size_t order[3] = {1, 2, 0};
    for (int i = 0; i < 3; i++)
        if (order[i] >= k0)
            entries[order[i]] = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, names[order[i]]);
    /* lm->vloops[first + k - k0] is fast version k. */
    size_t first = lm->nvloops;
    for (size_t k = k0; k < 2; k++)
        new_versioned_loop(lm); /* may move the others: use indices */
    for (size_t k = k0; k < 2; k++) {
        w2n_versioned_loop *v = &lm->vloops[first + k - k0];
        /* The sizes that loop_bounds.c may use (LLVM drops the unused loads),
         * without the memory's minimum: a range check that LLVM folds to
         * true with it drops only the slow version, which would not run,
         * and the loop nest without it lost the back end a hoist (matmul,
         * nbody: docs/performance.md). */
        for (uint32_t i = 0; i < lm->m->nmemories && i < W2N_VERSIONED_MEMORIES; i++)
            v->mem_size[i] = w2n_lower_mem_size_plain(f, i);
        v->choice = build_choice(f);
        v->entry = entries[k];
        v->body = *held;
        v->separate = k == 0;
        v->outer_header = enclosing_loop_header(f);
        if (k == 0) {
            LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "fast_choice");
            LLVMBuildCondBr(f->b, v->choice, entries[0], next);
            LLVMPositionBuilderAtEnd(f->b, next);
        } else {
            LLVMBuildCondBr(f->b, v->choice, entries[1], entries[2]);
        }
    }

    w2n_status s =
        lower_fast_version(f, ir, &loop_copy, first + 1 - k0, entries[1], &exits[1], nresults);
    if (s == W2N_OK) {
        rewind_to_loop(f, ir, body, saved, sp);
        s = lower_version(f, ir, &loop_copy, entries[2], &exits[2], nresults);
    }
    if (s == W2N_OK && k0 == 0) {
        rewind_to_loop(f, ir, body, saved, sp);
        s = lower_fast_version(f, ir, &loop_copy, first, entries[0], &exits[0], nresults);
    }
    if (s == W2N_OK) {
        /* Every version leaves the loop's results where it took its parameters. */
        W2N_ASSERT(sp >= nparams && (exits[2].dead || f->sp == sp - nparams + nresults));
        join_versions(f, exits + k0, 3 - k0, sp - nparams, nresults);
    }
    free(saved);
    free(results);
    return s;
}
