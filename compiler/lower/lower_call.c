/*
 * lower_call.c — direct, imported and indirect calls, and tail calls.
 *
 * A defined function is called directly with the caller's vmctx.  An imported
 * one goes through its w2n_func record (vmctx->funcs[i]): code and context
 * come from the record, so host functions and other instances' functions
 * look the same.  call_indirect checks, in the spec's order, the index
 * against the table size (a constant for a table that cannot grow), the
 * element against null, and the element's canonical type id against the
 * expected one, then calls the record's code, or, for a record without code
 * (a host function the host put in a table), this module's host-call thunk
 * for the type.  The last two are one compare on the hot path (call_id).
 *
 * call_ref checks only that the reference is not null: validation proved
 * its type, so the record is called as call_indirect's would be.
 *
 * return_call, return_call_indirect and return_call_ref are the same calls
 * in tail position,
 * followed by ret: musttail between equal prototypes, else a sibling call
 * LLVM is sure to make when the arguments are all in registers, so the
 * callee reuses the caller's frame.  Where the target cannot guarantee that
 * for the signatures (target.h), LLVM may still make it a tail call, else an
 * ordinary call and return; the host-call thunk is always called and returned
 * from (docs/abi.md, "Tail calls").
 *
 * Inside a try_table of a module with exceptions, the ordinary calls are
 * invokes to its landing pad (lower_exception.c); tail calls leave the
 * try_table and stay plain calls.
 */
#include "lower.h"
#include "target.h"

#include <stdlib.h>

static LLVMValueRef build_call(w2n_lower_func *f, LLVMTypeRef fn_type, LLVMValueRef callee,
                               LLVMValueRef *args, unsigned n) {
    LLVMValueRef call = LLVMBuildCall2(f->b, fn_type, callee, args, n, "");
    /* Never a tail call: Wasm recursion must exhaust the stack, so LLVM may
     * neither turn self-recursion into a loop nor reuse the caller's frame. */
    LLVMSetTailCallKind(call, LLVMTailCallKindNoTail);
    w2n_lower_call_convention(f->lm, call, callee);
    return call;
}

/* A call that may throw: inside a try_table, an invoke whose unwind edge is
 * its landing pad (lower_exception.c); the builder continues after it. */
static LLVMValueRef build_call_may_throw(w2n_lower_func *f, LLVMTypeRef fn_type,
                                         LLVMValueRef callee, LLVMValueRef *args, unsigned n) {
    LLVMBasicBlockRef pad = w2n_lower_landing_pad(f);
    if (!pad)
        return build_call(f, fn_type, callee, args, n);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "invoke_cont");
    LLVMValueRef call = LLVMBuildInvoke2(f->b, fn_type, callee, args, n, cont, pad, "");
    w2n_lower_call_convention(f->lm, call, callee);
    LLVMPositionBuilderAtEnd(f->b, cont);
    return call;
}

/* End the current block with `call`'s results as the function's own. */
static void build_return_of(w2n_lower_func *f, LLVMValueRef call) {
    if (f->type->nresults == 0)
        LLVMBuildRetVoid(f->b);
    else
        LLVMBuildRet(f->b, call);
}

/* A call in tail position (return_call*): `type` is the callee's Wasm type,
 * whose results validation made equal to the caller's.  The C convention
 * lets LLVM reuse the caller's frame for certain when the caller's prototype
 * is the callee's (musttail), or when every argument travels in a register
 * (a sibling call, which LLVM then always makes: `tail`), as
 * w2n_target_tail_call_guaranteed tells.  Otherwise the call is still marked
 * `tail`, which LLVM honours where its own rules allow and else makes an
 * ordinary call; a musttail there would abort LLVM. */
static void build_tail_call(w2n_lower_func *f, LLVMTypeRef fn_type, LLVMValueRef callee,
                            LLVMValueRef *args, unsigned n, const w2n_functype *type) {
    /* A tail call leaves every try_table of the function: a plain call. */
    LLVMValueRef call = build_call(f, fn_type, callee, args, n);
    bool same = LLVMGlobalGetValueType(f->fn) == fn_type;
    bool sure = f->lm->target && w2n_target_tail_call_guaranteed(f->lm->target, type, same);
    LLVMSetTailCallKind(call, sure && same ? LLVMTailCallKindMustTail : LLVMTailCallKindTail);
    /* In a GC module the statepoint rewrite would make it an ordinary call
     * (LLVM 19 keeps no tail call it rewrites), so it stays out of it: the
     * caller holds no reference after it, and the callee's own statepoints
     * root the arguments it keeps.  Where LLVM still makes an ordinary call
     * of it (not `sure`), the caller's frame has no safepoint there and the
     * collector's walk passes over it, which is right: nothing in it is
     * live (docs/gc.md, "Tail calls"). */
    w2n_lower_gc_leaf_call(f->lm, call);
    f->lm->tail_calls++;
    f->lm->tail_calls_unsure += !sure;
    build_return_of(f, call);
}

/* Push the results of `call` (none, one value, or a struct of several). */
static void push_results(w2n_lower_func *f, LLVMValueRef call, const w2n_functype *type) {
    if (type->nresults == 1) {
        w2n_lower_push(f, call);
    } else {
        for (unsigned i = 0; i < type->nresults; i++)
            w2n_lower_push(f, LLVMBuildExtractValue(f->b, call, i, ""));
    }
}

void w2n_lower_emit_call(w2n_lower_func *f, LLVMTypeRef fn_type, LLVMValueRef callee,
                         LLVMValueRef callee_vmctx, const w2n_functype *type) {
    unsigned n = type->nparams + 1;
    LLVMValueRef *args = w2n_xcalloc(n, sizeof *args);
    args[0] = callee_vmctx;
    w2n_lower_pop_n(f, args + 1, type->nparams);
    LLVMValueRef call = build_call_may_throw(f, fn_type, callee, args, n);
    free(args);
    push_results(f, call, type);
}

static void emit_tail_call(w2n_lower_func *f, LLVMTypeRef fn_type, LLVMValueRef callee,
                           LLVMValueRef callee_vmctx, const w2n_functype *type) {
    unsigned n = type->nparams + 1;
    LLVMValueRef *args = malloc(n * sizeof *args);
    args[0] = callee_vmctx;
    w2n_lower_pop_n(f, args + 1, type->nparams);
    build_tail_call(f, fn_type, callee, args, n, type);
    free(args);
}

/* The two ways of calling `record` with `args` (from pop_call_args; freed
 * here), built in the blocks `native` (its code with its vmctx) and `host`
 * (this module's host-call thunk for the type: a record without native code
 * is a host function the host put in a table itself, for which no module
 * has an adapter); the caller has branched to them.  `tail`: return_call_*,
 * each way ends the function (the host way with an ordinary call: the
 * host's frames end the chain anyway).  The builder ends after both have
 * joined.  One native block for every way in: variants with a separate
 * call for the cold path's subtypes made sqlbench's interpreter loop spill
 * more (docs/performance.md, "The cost of an indirect call"). */
static void emit_call_ways(w2n_lower_func *f, LLVMValueRef record, uint32_t type_index, bool tail,
                           LLVMValueRef *args, LLVMBasicBlockRef native, LLVMBasicBlockRef host) {
    w2n_lower_module *lm = f->lm;
    const w2n_functype *type = &lm->m->types[type_index];
    unsigned n = type->nparams + 2;

    LLVMPositionBuilderAtEnd(f->b, native);
    LLVMValueRef code = w2n_lower_fixed_ptr(f, record, W2N_FUNC_CODE);
    args[1] = w2n_lower_fixed_ptr(f, record, W2N_FUNC_VMCTX);
    LLVMValueRef native_call = NULL;
    if (tail)
        build_tail_call(f, lm->wasm_fn_types[type_index], code, args + 1, n - 1, type);
    else
        native_call = build_call_may_throw(f, lm->wasm_fn_types[type_index], code, args + 1, n - 1);
    LLVMBasicBlockRef native_end = LLVMGetInsertBlock(f->b); /* after an invoke: its cont */

    LLVMPositionBuilderAtEnd(f->b, host);
    LLVMValueRef thunk = w2n_lower_host_thunk(lm, type_index);
    args[0] = f->vmctx;
    args[1] = record;
    LLVMValueRef host_call =
        tail ? build_call(f, LLVMGlobalGetValueType(thunk), thunk, args, n)
             : build_call_may_throw(f, LLVMGlobalGetValueType(thunk), thunk, args, n);
    free(args);
    if (tail) {
        build_return_of(f, host_call);
        return;
    }
    LLVMBasicBlockRef host_end = LLVMGetInsertBlock(f->b);
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "called");
    LLVMBuildBr(f->b, join);
    LLVMPositionBuilderAtEnd(f->b, native_end);
    LLVMBuildBr(f->b, join);

    LLVMPositionBuilderAtEnd(f->b, join);
    if (type->nresults == 0)
        return;
    LLVMValueRef result = LLVMBuildPhi(f->b, LLVMTypeOf(native_call), "");
    LLVMValueRef values[2] = {native_call, host_call};
    LLVMBasicBlockRef from[2] = {native_end, host_end};
    LLVMAddIncoming(result, values, from, 2);
    push_results(f, result, type);
}

/* The arguments of a call through a record of type `type_index`, popped
 * into slots 2.. of a new array (slots 0 and 1 are the callee's contexts). */
static LLVMValueRef *pop_call_args(w2n_lower_func *f, uint32_t type_index) {
    const w2n_functype *type = &f->lm->m->types[type_index];
    LLVMValueRef *args = w2n_xcalloc(type->nparams + 2, sizeof *args);
    w2n_lower_pop_n(f, args + 2, type->nparams);
    return args;
}

/* `cond` marked as almost always `likely` (llvm.expect). */
static LLVMValueRef expect(w2n_lower_func *f, LLVMValueRef cond, bool likely) {
    LLVMValueRef args[2] = {cond, LLVMConstInt(f->lm->t_i1, likely, 0)};
    LLVMTypeRef i1 = f->lm->t_i1;
    return w2n_lower_intrinsic(f, "llvm.expect", &i1, 1, args, 2);
}

/* Branch to `host` when the record has no native code, else to `native`. */
static void branch_on_code(w2n_lower_func *f, LLVMValueRef record, LLVMBasicBlockRef native,
                           LLVMBasicBlockRef host) {
    LLVMValueRef no_code = LLVMBuildIsNull(f->b, w2n_lower_fixed_ptr(f, record, W2N_FUNC_CODE), "");
    LLVMBuildCondBr(f->b, expect(f, no_code, false), host, native);
}

/* call or return_call of function `index`: a defined function directly, an
 * imported one through its record, whose code is another instance's function
 * or this module's import adapter, both with the Wasm function's signature. */
static void lower_direct_call(w2n_lower_func *f, uint32_t index, bool tail) {
    w2n_lower_module *lm = f->lm;
    const w2n_module *m = lm->m;
    uint32_t type_index = m->func_types[index];
    LLVMTypeRef fty = lm->wasm_fn_types[type_index];
    LLVMValueRef code = lm->funcs[index], callee_vmctx = f->vmctx;
    if (index < m->nimported_funcs) {
        LLVMValueRef record = w2n_lower_func_record(f, index);
        code = w2n_lower_fixed_ptr(f, record, W2N_FUNC_CODE);
        callee_vmctx = w2n_lower_fixed_ptr(f, record, W2N_FUNC_VMCTX);
    }
    if (tail)
        emit_tail_call(f, fty, code, callee_vmctx, &m->types[type_index]);
    else
        w2n_lower_emit_call(f, fty, code, callee_vmctx, &m->types[type_index]);
}

/* A call of an element of a table whose elements are known (lower_table_known.c),
 * after its bound check: `known`'s entry for `index` is the element's code
 * when it is a function of this module of the call's type, so the call needs
 * neither its record nor a type check; a null entry continues in a new block
 * `records` with the ordinary path, where the builder is left.  The known
 * call is built in its own block, which *out_end is left at (after an
 * invoke: its continuation); merge_known_call joins it. */
static LLVMValueRef call_known_code(w2n_lower_func *f, LLVMValueRef known, LLVMValueRef index,
                                    uint32_t type_index, LLVMValueRef *args,
                                    LLVMBasicBlockRef *out_end) {
    w2n_lower_module *lm = f->lm;
    const w2n_functype *type = &lm->m->types[type_index];
    LLVMValueRef code = w2n_lower_load_code_pointer(f, known, index, "", "known_code");
    LLVMBasicBlockRef direct = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "known_call");
    LLVMBasicBlockRef records = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "records");
    LLVMValueRef has_code = LLVMBuildIsNotNull(f->b, code, "");
    LLVMBuildCondBr(f->b, expect(f, has_code, true), direct, records);

    LLVMPositionBuilderAtEnd(f->b, direct);
    unsigned n = type->nparams + 1;
    LLVMValueRef *direct_args = w2n_xcalloc(n, sizeof *direct_args);
    direct_args[0] = f->vmctx; /* a function of this module: its record's vmctx is ours */
    for (unsigned i = 1; i < n; i++)
        direct_args[i] = args[i + 1];
    LLVMValueRef call =
        build_call_may_throw(f, lm->wasm_fn_types[type_index], code, direct_args, n);
    free(direct_args);
    *out_end = LLVMGetInsertBlock(f->b);
    LLVMPositionBuilderAtEnd(f->b, records);
    return call;
}

/* Join the known call (call_known_code) with the ordinary path, whose results
 * are on the operand stack: the results become phis of the two. */
static void merge_known_call(w2n_lower_func *f, LLVMValueRef call, LLVMBasicBlockRef call_end,
                             const w2n_functype *type) {
    w2n_lower_module *lm = f->lm;
    unsigned n = type->nresults;
    LLVMValueRef *other = w2n_xcalloc(n + 1, sizeof *other);
    w2n_lower_pop_n(f, other, n);
    LLVMBasicBlockRef other_end = LLVMGetInsertBlock(f->b);
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "call_joined");
    LLVMBuildBr(f->b, join);
    LLVMPositionBuilderAtEnd(f->b, call_end);
    LLVMValueRef *mine = w2n_xcalloc(n + 1, sizeof *mine);
    for (unsigned i = 0; i < n; i++)
        mine[i] = n == 1 ? call : LLVMBuildExtractValue(f->b, call, i, "");
    LLVMBuildBr(f->b, join);
    LLVMPositionBuilderAtEnd(f->b, join);
    for (unsigned i = 0; i < n; i++) {
        LLVMValueRef phi = LLVMBuildPhi(f->b, LLVMTypeOf(other[i]), "");
        LLVMValueRef values[2] = {mine[i], other[i]};
        LLVMBasicBlockRef from[2] = {call_end, other_end};
        LLVMAddIncoming(phi, values, from, 2);
        w2n_lower_push(f, phi);
    }
    free(mine);
    free(other);
}

/* call_indirect's checks, then the call.  The hot path compares the
 * record's call_id (abi.h) with the expected id: equal means the type matches
 * and the record has native code, so a call of the usual kind makes one
 * compare after the null check.  Anything else takes the cold path, which
 * checks the type_id (a declared subtype passes a non-final type), traps on
 * a mismatch, and sends a record without code to the host-call thunk and a
 * subtype's record with code back to the native call. */
static void lower_call_indirect(w2n_lower_func *f, const w2n_instr *in, bool tail) {
    w2n_lower_module *lm = f->lm;
    uint32_t type_index = in->imm.call_indirect.type_index;
    uint32_t table_index = in->imm.call_indirect.table;
    LLVMValueRef index = w2n_lower_pop(f);
    LLVMValueRef *args = pop_call_args(f, type_index);

    LLVMValueRef tables = w2n_lower_vmctx_field(f, W2N_VMCTX_TABLES);
    LLVMValueRef table = w2n_lower_fixed_ptr(f, tables, (uint64_t)table_index * 8);
    w2n_lower_dereferenceable(lm, table, sizeof(w2n_table_abi));
    LLVMValueRef oob = w2n_lower_table_oob(f, table_index, table, index);
    if (LLVMTypeOf(index) == lm->t_i64) {
        /* table64: the message cannot name an index past 2^32 in a u32;
         * below the size, the index fits. */
        w2n_lower_trap_if(f, oob, W2N_TRAP_UNDEFINED_ELEMENT);
        index = LLVMBuildTrunc(f->b, index, lm->t_i32, "");
    } else {
        w2n_lower_trap_if_index(f, oob, W2N_TRAP_UNDEFINED_ELEMENT, index);
    }

    /* Not for return_call_indirect: it keeps one way of calling. */
    LLVMValueRef known = tail ? NULL : w2n_lower_known_table_code(lm, table_index, type_index);
    LLVMValueRef known_call = NULL;
    LLVMBasicBlockRef known_end = NULL;
    if (known)
        known_call = call_known_code(f, known, index, type_index, args, &known_end);

    LLVMValueRef slot = w2n_lower_table_slot(f, table_index, table, index);
    LLVMValueRef record = LLVMBuildLoad2(f->b, lm->t_ptr, slot, "");
    w2n_lower_tbaa(lm, record, lm->tbaa_table);
    LLVMValueRef is_null = LLVMBuildIsNull(f->b, record, "");
    w2n_lower_trap_if_index(f, is_null, W2N_TRAP_UNINITIALIZED, index);

    LLVMValueRef ids = w2n_lower_vmctx_field(f, W2N_VMCTX_TYPE_IDS);
    LLVMValueRef expected = w2n_lower_fixed_load(f, lm->t_i32, ids, (uint64_t)type_index * 4);
    LLVMValueRef call_id = w2n_lower_fixed_load(f, lm->t_i32, record, W2N_FUNC_CALL_ID);
    LLVMValueRef hit = LLVMBuildICmp(f->b, LLVMIntEQ, call_id, expected, "");
    LLVMBasicBlockRef native = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "native");
    LLVMBasicBlockRef cold = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "call_checks");
    LLVMBasicBlockRef host = LLVMAppendBasicBlockInContext(lm->ctx, f->fn, "host");
    LLVMBuildCondBr(f->b, expect(f, hit, true), native, cold);

    LLVMPositionBuilderAtEnd(f->b, cold);
    LLVMValueRef actual = w2n_lower_fixed_load(f, lm->t_i32, record, W2N_FUNC_TYPE_ID);
    const w2n_module *m = lm->m;
    LLVMValueRef mismatch =
        !m->typedefs || m->typedefs[type_index].is_final
            ? LLVMBuildICmp(f->b, LLVMIntNE, actual, expected, "")
            : LLVMBuildNot(f->b, w2n_lower_func_type_matches(f, actual, expected), "");
    w2n_lower_trap_if(f, mismatch, W2N_TRAP_INDIRECT_TYPE);
    branch_on_code(f, record, native, host);
    emit_call_ways(f, record, type_index, tail, args, native, host);
    if (known)
        merge_known_call(f, known_call, known_end, &m->types[type_index]);
}

/* call_ref / return_call_ref $t: the callee record is on top of the stack. */
static void lower_call_ref(w2n_lower_func *f, const w2n_instr *in, bool tail) {
    LLVMValueRef record = w2n_lower_pop(f);
    LLVMValueRef *args = pop_call_args(f, in->imm.index);
    w2n_lower_trap_if(f, LLVMBuildIsNull(f->b, record, ""), W2N_TRAP_NULL_FUNC_REF);
    LLVMBasicBlockRef native = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "native");
    LLVMBasicBlockRef host = LLVMAppendBasicBlockInContext(f->lm->ctx, f->fn, "host");
    branch_on_code(f, record, native, host);
    emit_call_ways(f, record, in->imm.index, tail, args, native, host);
}

bool w2n_lower_call(w2n_lower_func *f, const w2n_instr *in) {
    switch (in->op) {
    case W2N_OP_CALL: lower_direct_call(f, in->imm.index, false); return true;
    case W2N_OP_CALL_INDIRECT: lower_call_indirect(f, in, false); return true;
    case W2N_OP_RETURN_CALL:
        lower_direct_call(f, in->imm.index, true);
        w2n_lower_mark_dead(f);
        return true;
    case W2N_OP_RETURN_CALL_INDIRECT:
        lower_call_indirect(f, in, true);
        w2n_lower_mark_dead(f);
        return true;
    case W2N_OP_CALL_REF: lower_call_ref(f, in, false); return true;
    case W2N_OP_RETURN_CALL_REF:
        lower_call_ref(f, in, true);
        w2n_lower_mark_dead(f);
        return true;
    default: return false;
    }
}
