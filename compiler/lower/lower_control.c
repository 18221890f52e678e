/*
 * lower_control.c — structured control flow to LLVM basic blocks.
 *
 * Every label is a basic block with one phi per value the label carries:
 * for block/if/the function body the continuation (its results), for loop
 * the header (its parameters).  A branch adds its operands as incoming
 * values from the block it leaves.  br_table goes through one small edge
 * block per distinct target, so each phi sees each predecessor once.
 *
 * After br, br_table, return and unreachable the rest of the block is dead;
 * lower_function.c skips it and this file only closes it at the matching end/else.
 */
#include <llvm-c/DebugInfo.h>

#include "lower.h"
#include "target.h"

#include <stdlib.h>
#include <string.h>

static w2n_lower_block *top(w2n_lower_func *f) {
    W2N_ASSERT(f->nblocks > 0);
    return &f->blocks[f->nblocks - 1];
}

static w2n_lower_block *label(w2n_lower_func *f, uint32_t depth) {
    W2N_ASSERT(depth < f->nblocks);
    return &f->blocks[f->nblocks - 1 - depth];
}

/* At a live end or else the block holds exactly its results (the validator
 * checked this; a lowering that lost track of the stack fails here). */
static void assert_height(const w2n_lower_func *f, const w2n_lower_block *b) {
    W2N_ASSERT(b->unreachable || f->sp == b->stack_height + b->nresults);
    (void)f, (void)b;
}

/* Values a branch to this block carries. */
static uint32_t label_arity(const w2n_lower_block *b) {
    return b->op == W2N_OP_LOOP ? b->nparams : b->nresults;
}

static const w2n_valtype *label_types(const w2n_lower_block *b) {
    return b->op == W2N_OP_LOOP ? b->param_types : b->result_types;
}

static w2n_lower_block *push_block(w2n_lower_func *f, uint32_t op) {
    if (f->nblocks == f->blocks_cap) {
        size_t old = f->blocks_cap;
        f->blocks = w2n_xgrow(f->blocks, &f->blocks_cap, f->nblocks + 1, sizeof *f->blocks, 16);
        memset(f->blocks + old, 0, (f->blocks_cap - old) * sizeof *f->blocks);
    }
    w2n_lower_block *b = &f->blocks[f->nblocks++];
    free(b->phis);
    free(b->else_params);
    memset(b, 0, sizeof *b);
    b->op = op;
    return b;
}

static void set_block_type(w2n_lower_func *f, w2n_lower_block *b, const w2n_blocktype *bt) {
    static const w2n_valtype none[1];
    b->param_types = b->result_types = none;
    switch (bt->kind) {
    case W2N_BLOCK_EMPTY: break;
    case W2N_BLOCK_VALUE:
        b->single_result = bt->value;
        b->nresults = 1;
        b->result_types = &b->single_result;
        break;
    case W2N_BLOCK_TYPE: {
        const w2n_functype *t = &f->lm->m->types[bt->type_index];
        b->nparams = t->nparams;
        b->nresults = t->nresults;
        b->param_types = t->params;
        b->result_types = t->results;
        break;
    }
    }
}

/* Create the phis of a label at the top of its (still empty) target block. */
static void make_phis(w2n_lower_func *f, w2n_lower_block *b) {
    uint32_t n = label_arity(b);
    const w2n_valtype *types = label_types(b);
    b->phis = w2n_xcalloc(n, sizeof *b->phis);
    LLVMPositionBuilderAtEnd(f->phi_b, b->br_target);
    for (uint32_t i = 0; i < n; i++)
        b->phis[i] = LLVMBuildPhi(f->phi_b, w2n_lower_type(f->lm, types[i]), "");
}

/* Add the top label_arity(target) operands as incoming values from `from`. */
static void add_incoming(w2n_lower_func *f, w2n_lower_block *target, LLVMBasicBlockRef from) {
    uint32_t n = label_arity(target);
    W2N_ASSERT(f->sp >= top(f)->stack_height + n); /* the operands are the current block's */
    for (uint32_t i = 0; i < n; i++) {
        LLVMValueRef v = f->stack[f->sp - n + i];
        W2N_ASSERT(LLVMTypeOf(v) == LLVMTypeOf(target->phis[i]));
        LLVMAddIncoming(target->phis[i], &v, &from, 1);
    }
    target->has_branch = true;
}

static void branch_to(w2n_lower_func *f, w2n_lower_block *target) {
    w2n_lower_legacy_leaving(f, (size_t)(target - f->blocks), true);
    add_incoming(f, target, LLVMGetInsertBlock(f->b));
    LLVMBuildBr(f->b, target->br_target);
}

/* The rest of the current block is dead code. */
void w2n_lower_mark_dead(w2n_lower_func *f) {
    w2n_lower_block *b = top(f);
    b->unreachable = true;
    f->sp = b->stack_height;
    f->dead_depth = 0;
}

void w2n_lower_control_begin(w2n_lower_func *f) {
    f->phi_b = LLVMCreateBuilderInContext(f->lm->ctx);
    w2n_lower_block *b = push_block(f, 0);
    b->nresults = f->type->nresults;
    b->result_types = f->type->results;
    b->br_target = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "return");
    make_phis(f, b);
}

bool w2n_lower_control_skip_dead(w2n_lower_func *f, const w2n_instr *in) {
    if (!top(f)->unreachable)
        return false;
    switch (in->op) {
    case W2N_OP_BLOCK:
    case W2N_OP_LOOP:
    case W2N_OP_IF:
    case W2N_OP_TRY_TABLE:
    case W2N_OP_TRY: f->dead_depth++; return true;
    case W2N_OP_ELSE:
    case W2N_OP_CATCH:
    case W2N_OP_CATCH_ALL: return f->dead_depth > 0;
    case W2N_OP_END:
    case W2N_OP_DELEGATE:
        if (f->dead_depth == 0)
            return false;
        f->dead_depth--;
        return true;
    default: return true;
    }
}

/* block, and try_table, which is a block whose catch clauses
 * lower_exception.c adds, and a legacy try (lower_exception_legacy.c). */
static void begin_block(w2n_lower_func *f, const w2n_instr *in) {
    bool try_table = in->op == W2N_OP_TRY_TABLE;
    w2n_lower_block *b = push_block(f, in->op);
    set_block_type(f, b, try_table ? &in->imm.try_table.block : &in->imm.block);
    W2N_ASSERT(f->sp >= b->nparams);
    b->stack_height = f->sp - b->nparams;
    b->br_target = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "block_end");
    make_phis(f, b);
    if (try_table)
        w2n_lower_try_table_begin(f, b, in);
    else if (in->op == W2N_OP_TRY)
        w2n_lower_legacy_try_begin(f, b);
}

static void begin_loop(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_block *b = push_block(f, W2N_OP_LOOP);
    set_block_type(f, b, &in->imm.block);
    W2N_ASSERT(f->sp >= b->nparams);
    b->stack_height = f->sp - b->nparams;
    b->br_target = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "loop");
    make_phis(f, b);
    branch_to(f, b);
    LLVMPositionBuilderAtEnd(f->b, b->br_target);
    f->sp = b->stack_height;
    for (uint32_t i = 0; i < b->nparams; i++)
        w2n_lower_push(f, b->phis[i]);
    /* A loop's fast version runs a bounded number of iterations, within
     * the fuel left (loop_bounds.c), so it needs neither check: their early
     * exits would keep LLVM from vectorising the loop.  Unless it calls
     * (explicit mode): what the callee does is not bounded by the body's
     * length, and fuel must be tested at the header in both versions to
     * trap at the same place after a call; such a loop is not vectorised. */
    if (!f->fast || f->fast->body.calls) {
        w2n_lower_interrupt_check(f);
        w2n_lower_fuel_sync(f);
    }
}

static void begin_if(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef cond = w2n_lower_pop_as(f, lm->t_i32);
    w2n_lower_block *b = push_block(f, W2N_OP_IF);
    set_block_type(f, b, &in->imm.block);
    W2N_ASSERT(f->sp >= b->nparams);
    b->stack_height = f->sp - b->nparams;
    b->br_target = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "if_end");
    LLVMBasicBlockRef then_bb = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "then");
    b->else_block = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "else");
    make_phis(f, b);
    b->else_params = w2n_xcalloc(b->nparams, sizeof *b->else_params);
    memcpy(b->else_params, f->stack + b->stack_height, b->nparams * sizeof *b->else_params);
    LLVMValueRef nz = LLVMBuildICmp(f->b, LLVMIntNE, cond, LLVMConstInt(lm->t_i32, 0, 0), "");
    LLVMBuildCondBr(f->b, nz, then_bb, b->else_block);
    LLVMPositionBuilderAtEnd(f->b, then_bb);
}

void w2n_lower_block_next_part(w2n_lower_func *f) {
    w2n_lower_block *b = top(f);
    assert_height(f, b);
    if (!b->unreachable)
        branch_to(f, b);
    f->sp = b->stack_height;
    b->unreachable = false;
}

static void begin_else(w2n_lower_func *f) {
    w2n_lower_block *b = top(f);
    W2N_ASSERT(b->op == W2N_OP_IF && b->else_block);
    w2n_lower_block_next_part(f);
    for (uint32_t i = 0; i < b->nparams; i++)
        w2n_lower_push(f, b->else_params[i]);
    LLVMPositionBuilderAtEnd(f->b, b->else_block);
    b->else_block = NULL;
}

/* Close the label's continuation: push its results, or mark the parent dead
 * when nothing reaches it. */
static void enter_continuation(w2n_lower_func *f, w2n_lower_block *b) {
    LLVMPositionBuilderAtEnd(f->b, b->br_target);
    f->sp = b->stack_height;
    if (b->has_branch) {
        for (uint32_t i = 0; i < b->nresults; i++)
            w2n_lower_push(f, b->phis[i]);
        return;
    }
    for (uint32_t i = 0; i < b->nresults; i++) {
        LLVMReplaceAllUsesWith(b->phis[i], LLVMGetUndef(LLVMTypeOf(b->phis[i])));
        LLVMInstructionEraseFromParent(b->phis[i]);
    }
    LLVMBuildUnreachable(f->b);
    w2n_lower_mark_dead(f); /* the enclosing block: nothing flows on from here */
}

static void build_return(w2n_lower_func *f, w2n_lower_block *b) {
    LLVMPositionBuilderAtEnd(f->b, b->br_target);
    if (!b->has_branch) {
        for (uint32_t i = 0; i < b->nresults; i++)
            LLVMInstructionEraseFromParent(b->phis[i]);
        LLVMBuildUnreachable(f->b);
        return;
    }
    w2n_lower_fuel_sync(f);
    if (b->nresults == 0) {
        LLVMBuildRetVoid(f->b);
    } else if (b->nresults == 1) {
        LLVMBuildRet(f->b, b->phis[0]);
    } else {
        LLVMBuildAggregateRet(f->b, b->phis, b->nresults);
    }
}

/* Is the innermost open block inside another loop? */
static bool nested_loop(const w2n_lower_func *f) {
    for (size_t i = 0; i + 1 < f->nblocks; i++)
        if (f->blocks[i].op == W2N_OP_LOOP)
            return true;
    return false;
}

/* Give the loop `b` the target's loop alignment, as loop metadata on every
 * back edge (LLVM keeps it through its loop passes).  Only loops inside
 * loops: the padding before a function's outer loop runs on every call,
 * which costs more than it saves in small recursive functions.  A dispatch
 * loop gets the target's dispatch alignment, outer or not: it runs for as
 * many steps as its program has, and its dispatch is fast only at the
 * start of a 64-byte line (docs/performance.md, "The bytecode
 * interpreter: the dispatch loop at a line's start"). */
static void align_loop(w2n_lower_func *f, const w2n_lower_block *b) {
    const w2n_target *t = w2n_target_find(f->lm->opts->target);
    if (!t)
        return;
    unsigned bytes = b->dispatch_loop && t->dispatch_loop_align ? t->dispatch_loop_align
                     : nested_loop(f)                           ? t->loop_align
                                                                : 0;
    if (!bytes)
        return;
    LLVMBasicBlockRef header = b->br_target;
    LLVMContextRef ctx = f->lm->ctx;
    LLVMMetadataRef align[2] = {LLVMMDStringInContext2(ctx, "llvm.loop.align", 15),
                                LLVMValueAsMetadata(LLVMConstInt(f->lm->t_i32, bytes, 0))};
    /* A loop ID refers to itself: make it through a temporary node. */
    LLVMMetadataRef self = LLVMTemporaryMDNode(ctx, NULL, 0);
    LLVMMetadataRef ops[2] = {self, LLVMMDNodeInContext2(ctx, align, 2)};
    LLVMMetadataRef id = LLVMMDNodeInContext2(ctx, ops, 2);
    LLVMMetadataReplaceAllUsesWith(self, id);
    unsigned kind = LLVMGetMDKindIDInContext(ctx, "llvm.loop", 9);
    for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(header)); u; u = LLVMGetNextUse(u))
        if (LLVMIsATerminatorInst(LLVMGetUser(u)))
            LLVMSetMetadata(LLVMGetUser(u), kind, LLVMMetadataAsValue(ctx, id));
}

/* end, and delegate, which ends a legacy try. */
static void end_block(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_block *b = top(f);
    assert_height(f, b);
    if (b->op == W2N_OP_TRY || b->op == W2N_OP_CATCH || b->op == W2N_OP_CATCH_ALL)
        w2n_lower_legacy_try_end(f, b, in);
    if (b->op == W2N_OP_LOOP) {
        align_loop(f, b);
        /* Falling out of a loop continues in the current block. */
        bool dead = b->unreachable;
        size_t height = b->stack_height;
        f->nblocks--;
        if (dead) {
            f->sp = height;
            w2n_lower_mark_dead(f);
        }
        return;
    }
    if (!b->unreachable)
        branch_to(f, b);
    if (b->op == W2N_OP_IF && b->else_block) {
        /* No else: the false edge passes the parameters through as results. */
        LLVMPositionBuilderAtEnd(f->b, b->else_block);
        f->sp = b->stack_height;
        for (uint32_t i = 0; i < b->nparams; i++)
            w2n_lower_push(f, b->else_params[i]);
        branch_to(f, b);
    }
    if (b->op == 0) {
        build_return(f, b);
        f->nblocks--;
        return;
    }
    f->nblocks--;
    enter_continuation(f, b);
}

/* A br_table of this many targets or more inside a loop is taken as an
 * interpreter's dispatch: clang makes one of every `switch` of that many
 * cases in a loop, and the compare tree or jump table it becomes runs on
 * every step (align_loop). */
#define DISPATCH_TARGETS 8

/* Mark the innermost loop around the br_table being lowered as a dispatch
 * loop; false if there is none. */
static bool mark_dispatch_loop(w2n_lower_func *f) {
    for (size_t i = f->nblocks; i-- > 0;)
        if (f->blocks[i].op == W2N_OP_LOOP) {
            f->blocks[i].dispatch_loop = true;
            return true;
        }
    return false;
}

static void lower_br_table(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef index = w2n_lower_pop_as(f, lm->t_i32);
    uint32_t n = in->imm.br_table.count;
    bool dispatch = n >= DISPATCH_TARGETS && mark_dispatch_loop(f);
    const uint32_t *targets = in->imm.br_table.targets;
    /* One edge block per distinct depth, indexed by depth (depths < nblocks). */
    LLVMBasicBlockRef *edges = w2n_xcalloc(f->nblocks, sizeof *edges);
    uint32_t *all = w2n_xcalloc((size_t)n + 1, sizeof *all);
    if (n) /* br_table with only a default has no target array (NULL) */
        memcpy(all, targets, (size_t)n * sizeof *targets);
    all[n] = in->imm.br_table.default_target;
    LLVMBasicBlockRef from = LLVMGetInsertBlock(f->b);
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t depth = all[i];
        W2N_ASSERT(depth < f->nblocks);
        if (edges[depth])
            continue;
        edges[depth] = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "br_table_edge");
        LLVMPositionBuilderAtEnd(f->b, edges[depth]);
        branch_to(f, label(f, depth));
    }
    LLVMPositionBuilderAtEnd(f->b, from);
    if (!dispatch || !w2n_lower_threaded_dispatch(f, index, edges, all, n)) {
        LLVMValueRef sw = LLVMBuildSwitch(f->b, index, edges[all[n]], n);
        for (uint32_t i = 0; i < n; i++)
            LLVMAddCase(sw, LLVMConstInt(lm->t_i32, i, 0), edges[all[i]]);
    }
    free(edges);
    free(all);
    w2n_lower_mark_dead(f);
}

static void lower_br_if(w2n_lower_func *f, uint32_t depth) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef cond = w2n_lower_pop_as(f, lm->t_i32);
    w2n_lower_block *target = label(f, depth);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "br_if_cont");
    LLVMValueRef nz = LLVMBuildICmp(f->b, LLVMIntNE, cond, LLVMConstInt(lm->t_i32, 0, 0), "");
    if (w2n_lower_legacy_leaving(f, (size_t)(target - f->blocks), false)) {
        /* Leaving a legacy catch body that holds its exception: the taken
         * edge gives it back first. */
        LLVMBasicBlockRef leave = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "br_if_leave");
        LLVMBuildCondBr(f->b, nz, leave, cont);
        LLVMPositionBuilderAtEnd(f->b, leave);
        branch_to(f, target);
    } else {
        add_incoming(f, target, LLVMGetInsertBlock(f->b));
        LLVMBuildCondBr(f->b, nz, target->br_target, cont);
    }
    LLVMPositionBuilderAtEnd(f->b, cont);
}

/* br_on_null: branch with the values below the reference when it is null,
 * else keep it.  br_on_non_null: branch with it on top when it is not null,
 * else drop it. */
static void lower_br_on_null(w2n_lower_func *f, uint32_t depth, bool on_null) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef ref = w2n_lower_pop(f);
    w2n_lower_block *target = label(f, depth);
    if (!on_null)
        w2n_lower_push(f, ref);
    add_incoming(f, target, LLVMGetInsertBlock(f->b));
    if (!on_null)
        w2n_lower_pop(f);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "br_on_null_cont");
    LLVMValueRef cond =
        on_null ? LLVMBuildIsNull(f->b, ref, "") : LLVMBuildIsNotNull(f->b, ref, "");
    LLVMBuildCondBr(f->b, cond, target->br_target, cont);
    LLVMPositionBuilderAtEnd(f->b, cont);
    if (on_null)
        w2n_lower_push(f, ref);
}

void w2n_lower_br_on_keeping(w2n_lower_func *f, uint32_t depth, LLVMValueRef cond) {
    w2n_lower_block *target = label(f, depth);
    add_incoming(f, target, LLVMGetInsertBlock(f->b));
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "br_on_cont");
    LLVMBuildCondBr(f->b, cond, target->br_target, cont);
    LLVMPositionBuilderAtEnd(f->b, cont);
}

static void lower_select(w2n_lower_func *f) {
    LLVMValueRef cond = w2n_lower_pop_as(f, f->lm->t_i32);
    LLVMValueRef b = w2n_lower_pop(f);
    LLVMValueRef a = w2n_lower_pop_as(f, LLVMTypeOf(b));
    LLVMValueRef nz = LLVMBuildICmp(f->b, LLVMIntNE, cond, LLVMConstInt(f->lm->t_i32, 0, 0), "");
    w2n_lower_push(f, LLVMBuildSelect(f->b, nz, a, b, ""));
}

bool w2n_lower_control(w2n_lower_func *f, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_NOP: return true;
    case W2N_OP_UNREACHABLE:
        w2n_lower_trap(f, W2N_TRAP_UNREACHABLE);
        w2n_lower_mark_dead(f);
        return true;
    case W2N_OP_BLOCK:
    case W2N_OP_TRY_TABLE:
    case W2N_OP_TRY: begin_block(f, in); return true;
    case W2N_OP_LOOP: begin_loop(f, in); return true;
    case W2N_OP_IF: begin_if(f, in); return true;
    case W2N_OP_ELSE: begin_else(f); return true;
    case W2N_OP_END:
    case W2N_OP_DELEGATE: end_block(f, in); return true;
    case W2N_OP_BR:
        branch_to(f, label(f, in->imm.index));
        w2n_lower_mark_dead(f);
        return true;
    case W2N_OP_BR_IF: lower_br_if(f, in->imm.index); return true;
    case W2N_OP_BR_TABLE: lower_br_table(f, in); return true;
    case W2N_OP_BR_ON_NULL:
    case W2N_OP_BR_ON_NON_NULL:
        lower_br_on_null(f, in->imm.index, in->op == W2N_OP_BR_ON_NULL);
        return true;
    case W2N_OP_RETURN:
        branch_to(f, &f->blocks[0]);
        w2n_lower_mark_dead(f);
        return true;
    case W2N_OP_DROP: w2n_lower_pop(f); return true;
    case W2N_OP_SELECT:
    case W2N_OP_SELECT_T: lower_select(f); return true;
    default: return false;
    }
}
