/*
 * lower_function.c — the per-function driver of the lowering: traps, locals and
 * globals, the entry block, and the dispatch of each instruction.
 *
 * For each defined function it builds the entry block (locals as allocas,
 * which mem2reg promotes; the stack-limit check), then reads the body one
 * instruction at a time and hands each to the handler its row of the
 * instruction table names (opcodes.def, one indexed call).  Code after an
 * unconditional branch is dead: it is skipped, only its nesting is tracked so
 * that the matching `else`/`end` is found (see lower_control.c).
 *
 * Invariant: the input was validated, so operand and control stacks never
 * underflow and every index is in range; violations are w2n bugs, which
 * W2N_ASSERT catches in Debug and CI builds.
 */
#include "lower.h"
#include "target.h"
#include "w2n_assert.h"

#include <stdlib.h>
#include <string.h>

/* ---- locals and globals ---------------------------------------------------------- */

static LLVMValueRef global_addr(w2n_lower_func *f, uint32_t index) {
    return w2n_lower_fixed_ptr(f, w2n_lower_vmctx_field(f, W2N_VMCTX_GLOBALS), (uint64_t)index * 8);
}

bool w2n_lower_variable(w2n_lower_func *f, const w2n_instr *in) {
    w2n_lower_module *lm = f->lm;
    uint32_t i = in->imm.index;
    switch (in->op) {
    case W2N_OP_LOCAL_GET:
        w2n_lower_push(
            f, LLVMBuildLoad2(f->b, w2n_lower_type(lm, f->local_types[i]), f->locals[i], ""));
        return true;
    case W2N_OP_LOCAL_SET:
        W2N_ASSERT(i < f->nlocals);
        LLVMBuildStore(f->b, w2n_lower_pop_as(f, w2n_lower_type(lm, f->local_types[i])),
                       f->locals[i]);
        return true;
    case W2N_OP_LOCAL_TEE:
        W2N_ASSERT(i < f->nlocals);
        W2N_ASSERT(LLVMTypeOf(w2n_lower_peek(f, 0)) == w2n_lower_type(lm, f->local_types[i]));
        LLVMBuildStore(f->b, w2n_lower_peek(f, 0), f->locals[i]);
        return true;
    case W2N_OP_GLOBAL_GET: {
        LLVMTypeRef ty = w2n_lower_type(lm, lm->m->global_types[i].type);
        LLVMValueRef v = LLVMBuildLoad2(f->b, ty, global_addr(f, i), "");
        w2n_lower_tbaa(lm, v, lm->tbaa_global);
        if (!lm->m->global_types[i].is_mutable)
            w2n_lower_invariant(lm, v);
        LLVMSetAlignment(v, 8);
        w2n_lower_push(f, v);
        return true;
    }
    case W2N_OP_GLOBAL_SET: {
        W2N_ASSERT(i < lm->m->nglobals);
        LLVMValueRef v = w2n_lower_pop_as(f, w2n_lower_type(lm, lm->m->global_types[i].type));
        LLVMValueRef st = LLVMBuildStore(f->b, v, global_addr(f, i));
        w2n_lower_tbaa(lm, st, lm->tbaa_global);
        LLVMSetAlignment(st, 8);
        w2n_lower_ordered_store(f, st);
        return true;
    }
    default: return false;
    }
}

/* ---- the function driver --------------------------------------------------------- */

static LLVMValueRef zero_of(w2n_lower_module *lm, w2n_valtype valtype) {
    return LLVMConstNull(w2n_lower_type(lm, valtype));
}

/* Trap when the stack pointer is below vmctx->stack_limit.  The stack
 * pointer is read with llvm.read_register, which only reads, rather than
 * llvm.stacksave, which LLVM must treat as a side effect: the copies of the
 * check that inlining brings into a caller then fold into the caller's own
 * (the inlined frame is part of the caller's, so the one check covers it).
 * Before, each inlined callee kept its check, and a chain of calls grew
 * every function by the checks of all it inlined: most of the compile time
 * of a long call chain (docs/performance.md, "Compile time"). */
static LLVMValueRef read_stack_pointer(w2n_lower_module *lm, LLVMBuilderRef b) {
    const w2n_target *t = w2n_target_find(lm->opts->target);
    const char *reg = t && t->arch == W2N_ARCH_X86_64 ? "rsp" : "sp";
    LLVMMetadataRef name = LLVMMDStringInContext2(lm->ctx, reg, strlen(reg));
    LLVMValueRef arg = LLVMMetadataAsValue(lm->ctx, LLVMMDNodeInContext2(lm->ctx, &name, 1));
    LLVMTypeRef i64 = lm->t_i64;
    unsigned id = LLVMLookupIntrinsicID("llvm.read_register", 18);
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(lm->mod, id, &i64, 1);
    return LLVMBuildCall2(b, LLVMIntrinsicGetType(lm->ctx, id, &i64, 1), fn, &arg, 1, "");
}

/* Trap when sp is below vmctx->stack_limit. */
static void compare_stack_limit(w2n_lower_func *f, LLVMValueRef sp) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef idx = LLVMConstInt(lm->t_i64, W2N_VMCTX_STACK_LIMIT, 0);
    LLVMValueRef addr = LLVMBuildGEP2(f->b, lm->t_i8, f->vmctx, &idx, 1, "");
    LLVMValueRef limit = LLVMBuildLoad2(f->b, lm->t_i64, addr, "stack_limit");
    w2n_lower_tbaa(lm, limit, lm->tbaa_vmctx);
    LLVMValueRef below = LLVMBuildICmp(f->b, LLVMIntULT, sp, limit, "");
    w2n_lower_trap_if(f, below, W2N_TRAP_STACK_EXHAUSTED);
}

/* Past the function budget, LLVM's -O0 back end costs mostly per function
 * and per basic block, and an inline check is two blocks, the compare and
 * the cold trap (and LLVM's fast instruction selector cannot select
 * llvm.read_register: it fell back to the SelectionDAG for the block).  So
 * such a module checks in one shared function, whose call is no branch in
 * the caller: it reads its own stack pointer, below the caller's, so the
 * check is only stricter, and traps from there (docs/performance.md). */
static LLVMValueRef shared_stack_check(w2n_lower_module *lm) {
    if (lm->stack_check_fn)
        return lm->stack_check_fn;
    LLVMTypeRef fty = LLVMFunctionType(lm->t_void, &lm->t_ptr, 1, 0);
    LLVMValueRef fn = LLVMAddFunction(lm->mod, "w2n_stack_check", fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    w2n_lower_fn_attr(lm, fn, "noinline");
    w2n_lower_fn_attr(lm, fn, "nounwind");
    unsigned uwtable = LLVMGetEnumAttributeKindForName("uwtable", 7);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(lm->ctx, uwtable, 2 /* async */));
    if (lm->gc) { /* it cannot collect: no statepoint around its calls */
        static const char leaf[] = "gc-leaf-function";
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateStringAttribute(lm->ctx, leaf, sizeof leaf - 1, "", 0));
    }
    /* Built as a function of its own, with the trap block every function uses. */
    w2n_lower_func check = {.lm = lm, .fn = fn, .vmctx = LLVMGetParam(fn, 0)};
    check.b = LLVMCreateBuilderInContext(lm->ctx);
    LLVMPositionBuilderAtEnd(check.b, LLVMAppendBasicBlockInContext(lm->ctx, fn, "entry"));
    compare_stack_limit(&check, read_stack_pointer(lm, check.b));
    LLVMBuildRetVoid(check.b);
    LLVMDisposeBuilder(check.b);
    lm->stack_check_fn = fn;
    return fn;
}

static void stack_check(w2n_lower_func *f) {
    w2n_lower_module *lm = f->lm;
    if (lm->many_functions) {
        LLVMValueRef check = shared_stack_check(lm);
        LLVMBuildCall2(f->b, LLVMGlobalGetValueType(check), check, &f->vmctx, 1, "");
    } else {
        compare_stack_limit(f, read_stack_pointer(lm, f->b));
    }
}

static void setup_entry(w2n_lower_func *f, const w2n_code *code) {
    w2n_lower_module *lm = f->lm;
    const w2n_functype *ft = f->type;
    f->nlocals = ft->nparams + code->nlocals;
    f->local_types = w2n_xmalloc(f->nlocals * sizeof *f->local_types);
    f->locals = w2n_xcalloc(f->nlocals, sizeof *f->locals);
    memcpy(f->local_types, ft->params, ft->nparams * sizeof *f->local_types);
    memcpy(f->local_types + ft->nparams, code->locals, code->nlocals * sizeof *f->local_types);
    f->calls = w2n_module_facts_func(lm->facts, lm->m, f->func_index)->calls;

    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "entry");
    LLVMPositionBuilderAtEnd(f->b, entry);
    f->vmctx = LLVMGetParam(f->fn, 0);
    for (uint32_t i = 0; i < f->nlocals; i++)
        f->locals[i] = LLVMBuildAlloca(f->b, w2n_lower_type(lm, f->local_types[i]), "");
    /* The check comes before the locals are stored: at -O0 the frame holds
     * them, and nothing of this function may touch its frame before the check
     * has seen how deep it reaches.  Small leaves and some small callers go
     * without (front/module_facts_stack.c), and so do their inlined copies. */
    if (w2n_module_facts_func(lm->facts, lm->m, f->func_index)->checks_stack)
        stack_check(f);
    w2n_lower_fuel_enter(f);
    for (uint32_t i = 0; i < f->nlocals; i++) {
        LLVMValueRef init =
            i < ft->nparams ? LLVMGetParam(f->fn, i + 1) : zero_of(lm, f->local_types[i]);
        LLVMBuildStore(f->b, init, f->locals[i]);
    }
    /* Endless work needs a loop or a cycle of calls.  Loops check at their
     * headers; a cycle of calls passes through the entry of a function that
     * calls, so a function that calls nothing needs no check of its own (and
     * its inlined copies add none to their callers' loops). */
    if (f->calls)
        w2n_lower_interrupt_check(f);
}

/* ---- dispatch: the HANDLER column of opcodes.def ------------------------------ */

bool w2n_lower_unsupported(w2n_lower_func *f, const w2n_instr *in) { return false; }

typedef bool (*lower_handler)(w2n_lower_func *f, const w2n_instr *in);

static const lower_handler handlers[W2N_OPCODE_ROWS] = {
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) [W2N_ROW_##id] = (handler),
#include "opcodes.def"
#undef W2N_OP
};

bool w2n_lower_has_handler(unsigned row) {
    return row < W2N_OPCODE_ROWS && handlers[row] != w2n_lower_unsupported;
}

w2n_status w2n_lower_instr(w2n_lower_func *f, const w2n_instr *in) {
    W2N_ASSERT(f->nblocks > 0);
    if (!f->blocks[f->nblocks - 1].unreachable)
        w2n_lower_fuel_count(f, in);
    W2N_ASSERT(in->info && in->info->op == in->op && in->info->row < W2N_OPCODE_ROWS);
    if (w2n_lower_control_skip_dead(f, in))
        return W2N_OK;
    w2n_lower_debug_instr(f, in);
    bool call = w2n_opcode_is_call(in->op, false);
    if (call)
        w2n_lower_fuel_sync(f);
    if (handlers[in->info->row](f, in)) {
        if (call)
            w2n_lower_fuel_reload(f);
        return W2N_OK;
    }
    return w2n_error_set(f->err, W2N_ERR_UNSUPPORTED, in->offset,
                         "instruction %s is not supported yet", in->info->name);
}

w2n_status w2n_lower_instrs(w2n_lower_func *f, w2n_instr_reader *ir, size_t depth) {
    w2n_instr in;
    while (!w2n_instr_reader_done(ir)) {
        if (!w2n_instr_read(ir, &in))
            return f->err->code;
        bool live = !f->blocks[f->nblocks - 1].unreachable;
        w2n_loop_body body = {0};
        bool versioned = live && in.op == W2N_OP_LOOP && !f->unoptimised &&
                         w2n_loop_version_wanted(f, ir, &body);
        if (versioned) /* both versions then charge the same for the loop */
            w2n_lower_fuel_flush(f);
        w2n_status s =
            versioned ? w2n_lower_versioned_loop(f, ir, &in, &body) : w2n_lower_instr(f, &in);
        if (s != W2N_OK)
            return s;
        if (f->nblocks == depth)
            break;
    }
    return W2N_OK;
}

w2n_status w2n_lower_function(w2n_lower_module *lm, uint32_t func_index, w2n_error *err) {
    const w2n_module *m = lm->m;
    const w2n_code *code = &m->codes[func_index - m->nimported_funcs];
    w2n_lower_func f = {0};
    f.lm = lm;
    f.func_index = func_index;
    f.type = w2n_module_func_type(m, func_index);
    f.fn = lm->funcs[func_index];
    f.b = LLVMCreateBuilderInContext(lm->ctx);
    f.err = err;
    /* Not in a GC module: optnone would keep its locals in memory, where
     * the statepoint rewriter cannot see the references (lower_gc.c). */
    f.unoptimised = lm->opts && lm->opts->opt_level > 0 && !lm->gc &&
                    w2n_opt_budget_exceeded(code, w2n_module_facts_func(lm->facts, m, func_index));
    if (f.unoptimised)
        w2n_lower_unoptimised(lm, f.fn);
    w2n_lower_debug_function(&f, code->body_start);
    setup_entry(&f, code);
    w2n_lower_control_begin(&f);

    w2n_instr_reader ir;
    w2n_instr_reader_init(&ir, m->bytes, code->body_start, code->body_end, err);
    ir.r.features = m->features; /* opt-in ones (GC) included */
    w2n_status status = w2n_lower_instrs(&f, &ir, 0);
    W2N_ASSERT(status != W2N_OK || f.nblocks == 0); /* the body's end closed every block */
    if (status != W2N_OK && err->func_index == W2N_NO_FUNC)
        err->func_index = func_index;
    w2n_instr_reader_free(&ir);
    LLVMDisposeBuilder(f.b);
    if (f.phi_b)
        LLVMDisposeBuilder(f.phi_b);
    free(f.stack);
    for (size_t i = 0; i < f.blocks_cap; i++) {
        free(f.blocks[i].phis);
        free(f.blocks[i].else_params);
    }
    free(f.blocks);
    free(f.locals);
    free(f.local_types);
    free(f.rethrown);
    return status;
}
