/*
 * bounds_merge.c — explicit bounds checks of one address merged into its
 * first one, after LLVM's optimisation.
 *
 * Code that reads a structure (SQLite's p->a, p->b, p->c) checks the same
 * address once per field: zext(p) + 8 > size, zext(p) + 12 > size, ...
 * LLVM keeps each, since it cannot know that one implies the others.  Along
 * a straight run of checks (each block entered only from the check before
 * it) with nothing in between that writes, calls or traps otherwise, the
 * first check of an address may test the largest end of that address in the
 * run and the later ones go: where one of them would have trapped, the
 * widened first one traps instead, with the same code and nothing observable
 * done in between (loads and arithmetic only), so traps stay exact.
 *
 * A check is recognised by its shape, after InstCombine: a branch to a block
 * that calls the trap helper with W2N_TRAP_MEMORY_OOB, on a condition that
 * ORs terms `x + C > size` (or `x >= size`, C = 1), C < 2^34 a constant.
 * Terms of another shape are kept as they are.
 *
 * Past a store or a call the run goes on, but only to drop a later check
 * that an earlier one already implies (an end no larger, on the same
 * address), against the same memory's size read again: a memory's size
 * never shrinks, so nothing moves and nothing is widened there.  Only modules whose memories
 * are all 32-bit come here (codegen.c): then every such term is an access's
 * end, zext(address) + offset + bytes < 2^34, however LLVM rewrote it, so
 * x + C never wraps past 2^64 for any C of the run, and a larger C is a
 * larger end.  (A 64-bit memory's address may be anything.)
 *
 * Two addresses may also be one i32 sum and the same sum plus d (an
 * interpreter's stack slots `stack[sp - 2]` and `stack[sp - 1]`, which
 * LLVM computes apart: w2n_i32_offset, loops/loop_affine.c, tells).  Within a segment the first
 * check then tests zext(x) + max(C1, d + C2) > size, which is exact unless
 * x + d wraps past 2^32; there, and wherever it fails, a cold recheck block
 * tests each original term (the later one rebuilt as zext(x + d) + C2) and
 * goes on when none holds, so no trap is made up.
 *
 * Last, each check left that compares an end x + C (C > 1) with a size
 * compares x with size - C instead, signed: inside a loop the back end
 * keeps size - C in a register, and the check is a compare and a branch
 * rather than an add too, as native code tests an index against a bound it
 * keeps (outside loops, a sub for the add).  The
 * same invariant makes it exact: x + C is an end below 2^34 (x itself may
 * be negative, an end minus C), the size at most 2^32, so no value wraps in
 * 64 signed bits and x > size - C exactly when x + C > size.
 */
#include "bounds_merge.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "loop_affine.h"
#include "w2n/abi.h"

#define MAX_TERMS 8    /* per branch condition */
#define MAX_CHECKS 256 /* per run */
#define MAX_PARTNERS 4 /* later terms at a constant distance, per term */
#define RECHECKED "w2n.oob.rechecked"

typedef struct term {
    LLVMValueRef value; /* the i1 term as it is */
    LLVMValueRef addr;  /* zext(a), or NULL for a term of another shape */
    LLVMValueRef size;
    uint64_t reach; /* addr + reach > size traps */
    bool dropped;   /* implied by a widened term before it */
    bool widened;   /* reach raised to the largest of its address in the run */
    /* later terms of the same segment on zext(x + d), x the i32 of addr */
    unsigned npartners;
    uint32_t partner_d[MAX_PARTNERS];
    uint64_t partner_reach[MAX_PARTNERS];
    LLVMValueRef built; /* the term as the rebuilt condition tests it */
} term;

typedef struct check {
    LLVMValueRef branch;
    bool negated;     /* branches to the trap when its condition is false */
    unsigned segment; /* the stores or calls passed since the run's start */
    unsigned nterms;
    term terms[MAX_TERMS];
} check;

/* Does `bb` call the trap helper with the out-of-bounds code and end? */
static bool is_oob_trap_block(LLVMBasicBlockRef bb) {
    LLVMValueRef last = LLVMGetBasicBlockTerminator(bb);
    if (!last || !LLVMIsAUnreachableInst(last))
        return false;
    LLVMValueRef call = LLVMGetPreviousInstruction(last);
    if (!call || !LLVMIsACallInst(call) || LLVMGetNumArgOperands(call) != 2)
        return false;
    LLVMValueRef code = LLVMGetOperand(call, 1);
    return LLVMIsAConstantInt(code) && LLVMConstIntGetZExtValue(code) == W2N_TRAP_MEMORY_OOB;
}

static bool quiet_block(LLVMBasicBlockRef bb);

/* Is `bb` an out-of-bounds trap block, or a quiet block that jumps to one
 * (an edge LLVM split, maybe with a load it moved there)? */
static bool plain_trap(LLVMBasicBlockRef bb) {
    LLVMValueRef last = LLVMGetBasicBlockTerminator(bb);
    if (last && LLVMIsABranchInst(last) && !LLVMIsConditional(last) && quiet_block(bb))
        bb = LLVMGetSuccessor(last, 0);
    return is_oob_trap_block(bb);
}

/* The out-of-bounds check that ends `bb`: a conditional branch one of
 * whose successors is an out-of-bounds trap block (NULL if none). */
static LLVMValueRef oob_branch(LLVMBasicBlockRef bb) {
    LLVMValueRef br = LLVMGetBasicBlockTerminator(bb);
    if (!br || !LLVMIsABranchInst(br) || !LLVMIsConditional(br))
        return NULL;
    bool first = plain_trap(LLVMGetSuccessor(br, 0)), second = plain_trap(LLVMGetSuccessor(br, 1));
    return first != second ? br : NULL;
}

/* Does `br` (an oob_branch) trap when its condition is false? */
static bool traps_on_false(LLVMValueRef br) { return plain_trap(LLVMGetSuccessor(br, 1)); }

/* Where `br` goes when nothing is out of bounds. */
static LLVMBasicBlockRef ok_successor(LLVMValueRef br) {
    return LLVMGetSuccessor(br, traps_on_false(br) ? 0 : 1);
}

/* An i64 that a check adds a constant to (see the top). */
static bool is_address(LLVMValueRef v) {
    LLVMTypeRef ty = LLVMTypeOf(v);
    return LLVMGetTypeKind(ty) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(ty) == 64;
}

/* `end` as addr + reach. */
static bool split_end(LLVMValueRef end, LLVMValueRef *addr, uint64_t *reach) {
    if (LLVMIsAInstruction(end) && LLVMGetInstructionOpcode(end) == LLVMAdd) {
        LLVMValueRef c = LLVMGetOperand(end, 1);
        if (!LLVMIsAConstantInt(c) || !is_address(LLVMGetOperand(end, 0)))
            return false;
        *addr = LLVMGetOperand(end, 0);
        *reach = LLVMConstIntGetZExtValue(c);
        return *reach < (1ull << 34);
    }
    return false;
}

/* The predicate that holds when `pred` does not. */
static LLVMIntPredicate inverse(LLVMIntPredicate pred) {
    switch (pred) {
    case LLVMIntUGT: return LLVMIntULE;
    case LLVMIntULE: return LLVMIntUGT;
    case LLVMIntULT: return LLVMIntUGE;
    case LLVMIntUGE: return LLVMIntULT;
    default: return LLVMIntEQ; /* not a bound */
    }
}

/* Read one term, `v` or, when `negated`, its negation: end > size,
 * size < end, addr >= size, size <= addr. */
static term read_term(LLVMValueRef v, bool negated) {
    term t = {.value = v};
    if (!LLVMIsAICmpInst(v))
        return t;
    LLVMValueRef l = LLVMGetOperand(v, 0), r = LLVMGetOperand(v, 1);
    LLVMValueRef addr = NULL;
    uint64_t reach = 0;
    LLVMIntPredicate pred = LLVMGetICmpPredicate(v);
    switch (negated ? inverse(pred) : pred) {
    case LLVMIntUGT:
        if (!split_end(l, &addr, &reach))
            return t;
        t.size = r;
        break;
    case LLVMIntULT:
        if (!split_end(r, &addr, &reach))
            return t;
        t.size = l;
        break;
    case LLVMIntUGE:
        if (!is_address(l))
            return t;
        addr = l, reach = 1, t.size = r;
        break;
    case LLVMIntULE:
        if (!is_address(r))
            return t;
        addr = r, reach = 1, t.size = l;
        break;
    default: return t;
    }
    t.addr = addr;
    t.reach = reach;
    return t;
}

/* Is `v` a logical or (`select a, true, b`, `or i1`), or with `and` a
 * logical and (`select a, b, false`, `and i1`)?  *second: b's operand. */
static bool is_junction(LLVMValueRef v, bool and, unsigned *second) {
    LLVMTypeRef ty = LLVMTypeOf(v);
    if (!LLVMIsAInstruction(v) || LLVMGetTypeKind(ty) != LLVMIntegerTypeKind ||
        LLVMGetIntTypeWidth(ty) != 1)
        return false;
    *second = 1;
    if (LLVMGetInstructionOpcode(v) == (and? LLVMAnd : LLVMOr))
        return true;
    if (LLVMGetInstructionOpcode(v) != LLVMSelect)
        return false;
    *second = and? 1 : 2;
    LLVMValueRef k = LLVMGetOperand(v, and? 2 : 1);
    return LLVMIsAConstantInt(k) && LLVMConstIntGetZExtValue(k) == (and? 0 : 1);
}

/* The terms of a condition, flattened through its ors (its ands when the
 * branch traps on false: not (a and b) = not a or not b); false if too many. */
static bool read_terms(LLVMValueRef cond, check *c) {
    unsigned second;
    if (is_junction(cond, c->negated, &second))
        return read_terms(LLVMGetOperand(cond, 0), c) &&
               read_terms(LLVMGetOperand(cond, second), c);
    if (c->nterms == MAX_TERMS)
        return false;
    c->terms[c->nterms++] = read_term(cond, c->negated);
    return true;
}

/* May the instructions of `bb` before its terminator run early or late
 * without anyone seeing it: no store, call, atomic or volatile access? */
static bool quiet_block(LLVMBasicBlockRef bb) {
    LLVMValueRef end = LLVMGetBasicBlockTerminator(bb);
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i && i != end;
         i = LLVMGetNextInstruction(i)) {
        switch (LLVMGetInstructionOpcode(i)) {
        case LLVMLoad:
            if (LLVMGetVolatile(i) || LLVMGetOrdering(i) != LLVMAtomicOrderingNotAtomic)
                return false;
            break;
        case LLVMStore:
        case LLVMCall:
        case LLVMInvoke:
        case LLVMFence:
        case LLVMAtomicRMW:
        case LLVMAtomicCmpXchg:
        case LLVMPHI: /* entered from one block only, but keep it simple */ return false;
        default: break;
        }
    }
    return true;
}

/* The one block that branches to `bb` (NULL if none or several). */
static LLVMBasicBlockRef single_predecessor(LLVMBasicBlockRef bb) {
    LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(bb));
    if (!u || LLVMGetNextUse(u))
        return NULL;
    LLVMValueRef user = LLVMGetUser(u);
    return LLVMIsATerminatorInst(user) ? LLVMGetInstructionParent(user) : NULL;
}

/* Is `bb` the continuation of a check that a run already passes through? */
static bool continues_run(LLVMBasicBlockRef bb) {
    LLVMBasicBlockRef pred = single_predecessor(bb);
    LLVMValueRef br = pred ? oob_branch(pred) : NULL;
    return br && ok_successor(br) == bb;
}

/* The largest end a term's widened check covers: its own reach, or a
 * partner's distance plus reach. */
static uint64_t span_of(const term *t) {
    uint64_t span = t->reach;
    for (unsigned i = 0; i < t->npartners; i++)
        if (t->partner_d[i] + t->partner_reach[i] > span)
            span = t->partner_d[i] + t->partner_reach[i];
    return span;
}

/* a or v, as the select LLVM makes of an i1 `or` (a NULL: just v). */
static LLVMValueRef either(LLVMBuilderRef b, LLVMValueRef a, LLVMValueRef v) {
    return a ? LLVMBuildSelect(b, a, LLVMConstInt(LLVMTypeOf(v), 1, 0), v, "") : v;
}

/* addr + reach > size, as a plain add: x may be an end minus C, wrapped
 * (see the top). */
static LLVMValueRef build_oob(LLVMBuilderRef b, LLVMValueRef addr, uint64_t reach,
                              LLVMValueRef size, const char *name) {
    LLVMValueRef end = LLVMBuildAdd(b, addr, LLVMConstInt(LLVMTypeOf(addr), reach, 0), "");
    return LLVMBuildICmp(b, LLVMIntUGT, end, size, name);
}

/* The i32 that an address zero-extends, or NULL. */
static LLVMValueRef zext_source(LLVMValueRef addr) {
    return addr && LLVMIsAZExtInst(addr) ? LLVMGetOperand(addr, 0) : NULL;
}

/* A term with partners as its original checks: its own reach, and each
 * partner's on zext(x + d), rebuilt from x (which may wrap). */
static LLVMValueRef build_exact(LLVMBuilderRef b, const term *t) {
    LLVMValueRef x = zext_source(t->addr);
    LLVMValueRef v = build_oob(b, t->addr, t->reach, t->size, "");
    for (unsigned i = 0; i < t->npartners; i++) {
        LLVMValueRef y = LLVMBuildAdd(b, x, LLVMConstInt(LLVMTypeOf(x), t->partner_d[i], 0), "");
        LLVMValueRef addr = LLVMBuildZExt(b, y, LLVMTypeOf(t->addr), "");
        v = either(b, v, build_oob(b, addr, t->partner_reach[i], t->size, ""));
    }
    return v;
}

/* `bb`'s phis take from `also` what they take from `from`. */
static void copy_incoming(LLVMBasicBlockRef bb, LLVMBasicBlockRef from, LLVMBasicBlockRef also) {
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i && LLVMIsAPHINode(i);
         i = LLVMGetNextInstruction(i))
        for (unsigned k = 0; k < LLVMCountIncoming(i); k++)
            if (LLVMGetIncomingBlock(i, k) == from) {
                LLVMValueRef v = LLVMGetIncomingValue(i, k);
                LLVMAddIncoming(i, &v, &also, 1);
                break;
            }
}

/* When the widened check of `c` fails, a cold block tests its terms as the
 * original checks would, partners rebuilt from their distance, and traps
 * only then (see the top). */
static void add_recheck(LLVMBuilderRef b, check *c) {
    LLVMBasicBlockRef home = LLVMGetInstructionParent(c->branch);
    LLVMContextRef ctx = LLVMGetTypeContext(LLVMTypeOf(c->terms[0].value));
    LLVMBasicBlockRef recheck =
        LLVMAppendBasicBlockInContext(ctx, LLVMGetBasicBlockParent(home), "oob_recheck");
    unsigned trap_index = c->negated ? 1 : 0;
    LLVMBasicBlockRef trap = LLVMGetSuccessor(c->branch, trap_index);
    LLVMBasicBlockRef ok = LLVMGetSuccessor(c->branch, 1 - trap_index);
    LLVMPositionBuilderAtEnd(b, recheck);
    LLVMValueRef exact = NULL;
    for (unsigned i = 0; i < c->nterms; i++) {
        const term *t = &c->terms[i];
        if (t->dropped)
            continue;
        LLVMValueRef v = t->npartners ? build_exact(b, t) : t->built;
        exact = either(b, exact, v);
    }
    LLVMValueRef br = c->negated ? LLVMBuildCondBr(b, LLVMBuildNot(b, exact, ""), ok, trap)
                                 : LLVMBuildCondBr(b, exact, trap, ok);
    unsigned prof = LLVMGetMDKindIDInContext(ctx, "prof", 4);
    LLVMValueRef weights = LLVMGetMetadata(c->branch, prof);
    if (weights)
        LLVMSetMetadata(br, prof, weights);
    LLVMSetSuccessor(c->branch, trap_index, recheck);
    /* still a check, for compare_checks_with_room, though it goes to no trap */
    LLVMSetMetadata(c->branch, LLVMGetMDKindIDInContext(ctx, RECHECKED, sizeof RECHECKED - 1),
                    LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, NULL, 0)));
    copy_incoming(trap, home, recheck);
    copy_incoming(ok, home, recheck);
}

/* The condition rebuilt before `c->branch` from its terms left. */
static void rebuild_condition(LLVMBuilderRef b, check *c) {
    LLVMPositionBuilderBefore(b, c->branch);
    LLVMValueRef cond = NULL;
    bool partners = false;
    for (unsigned i = 0; i < c->nterms; i++) {
        term *t = &c->terms[i];
        if (t->dropped)
            continue;
        LLVMValueRef v;
        if (t->widened || t->npartners)
            v = build_oob(b, t->addr, span_of(t), t->size, "wide_oob");
        else
            v = c->negated ? LLVMBuildNot(b, t->value, "") : t->value;
        t->built = v;
        partners |= t->npartners > 0;
        cond = either(b, cond, v);
    }
    /* Every term implied by one before: a constant the back end folds
     * (the edge stays, so the trap block's phis stay right). */
    if (!cond)
        cond = LLVMConstInt(
            LLVMInt1TypeInContext(LLVMGetTypeContext(LLVMTypeOf(c->terms[0].value))), 0, 0);
    LLVMSetCondition(c->branch, c->negated ? LLVMBuildNot(b, cond, "") : cond);
    if (partners)
        add_recheck(b, c);
}

/* Remove `v` and the operands only it used, when nothing uses it. */
static void erase_dead(LLVMValueRef v) {
    if (!v || !LLVMIsAInstruction(v) || LLVMGetFirstUse(v) || LLVMIsATerminatorInst(v) ||
        LLVMGetInstructionOpcode(v) == LLVMLoad || LLVMGetInstructionOpcode(v) == LLVMCall)
        return;
    unsigned n = (unsigned)LLVMGetNumOperands(v);
    LLVMValueRef ops[3];
    if (n > 3)
        return;
    for (unsigned i = 0; i < n; i++)
        ops[i] = LLVMGetOperand(v, i);
    LLVMInstructionEraseFromParent(v);
    for (unsigned i = 0; i < n; i++)
        erase_dead(ops[i]);
}

/* Are `a` and `b` the same pointer: one value, or one constant offset
 * from one base? */
static bool same_pointer(LLVMValueRef a, LLVMValueRef b) {
    if (a == b)
        return true;
    return LLVMIsAGetElementPtrInst(a) && LLVMIsAGetElementPtrInst(b) &&
           LLVMGetNumOperands(a) == 2 && LLVMGetNumOperands(b) == 2 &&
           LLVMGetOperand(a, 0) == LLVMGetOperand(b, 0) &&
           LLVMGetOperand(a, 1) == LLVMGetOperand(b, 1) && LLVMIsAConstant(LLVMGetOperand(a, 1));
}

/* Is `later` the size of the memory that `earlier` was the size of, read
 * again (after a call that may have grown it)? */
static bool same_memory_size(LLVMValueRef earlier, LLVMValueRef later) {
    return earlier == later || (LLVMIsALoadInst(earlier) && LLVMIsALoadInst(later) &&
                                same_pointer(LLVMGetOperand(earlier, 0), LLVMGetOperand(later, 0)));
}

/* Does `first` make `t`, a later term of the run, redundant, and may it be
 * widened to cover it?  Within a segment (nothing observable in between):
 * the same size, widened as needed.  Past a store or a call: only a term
 * that `first` already implies goes, against the same memory's size read
 * again, since a memory's size never shrinks. */
static bool covers(const term *first, const check *first_check, const term *t, const check *t_check,
                   bool *widen) {
    *widen = false;
    if (t->dropped || t->addr != first->addr)
        return false;
    if (t_check->segment == first_check->segment) {
        *widen = t->reach > first->reach;
        return t->size == first->size;
    }
    return t->reach <= first->reach && same_memory_size(first->size, t->size);
}

/* Is `t`, later in `first`'s segment and against the same size, on
 * zext(x + *d) for first's zext(x), x an i32, with *d below 2^31 and the end
 * it reaches below 2^34 (see the top)? */
static bool partner_of(const term *first, const check *first_check, const term *t,
                       const check *t_check, uint32_t *d) {
    if (t->dropped || !first->addr || !t->addr || t_check->segment != first_check->segment ||
        t->size != first->size || first->npartners == MAX_PARTNERS)
        return false;
    LLVMValueRef x = zext_source(first->addr), y = zext_source(t->addr);
    if (!x || !y || !w2n_i32_offset(x, y, d))
        return false;
    return *d < (1u << 31) && *d + t->reach < (1ull << 34);
}

/* Merge the checks of one run; returns the terms dropped. */
static unsigned merge_run(LLVMBuilderRef b, check *run, unsigned n) {
    unsigned dropped = 0;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < run[i].nterms; j++) {
            term *first = &run[i].terms[j];
            if (!first->addr || first->dropped)
                continue;
            /* k ascending: a segment's terms widen `first` before a later
             * segment's are compared with it */
            for (unsigned k = i; k < n; k++)
                for (unsigned l = k == i ? j + 1 : 0; l < run[k].nterms; l++) {
                    term *t = &run[k].terms[l];
                    bool widen;
                    uint32_t d;
                    if (!covers(first, &run[i], t, &run[k], &widen)) {
                        if (!partner_of(first, &run[i], t, &run[k], &d))
                            continue;
                        widen = d == 0 && t->reach > first->reach; /* the same i32 */
                        if (d) {
                            first->partner_d[first->npartners] = d;
                            first->partner_reach[first->npartners++] = t->reach;
                        }
                    }
                    if (widen) {
                        first->reach = t->reach;
                        first->widened = true;
                    }
                    t->dropped = true;
                    dropped++;
                }
        }
    if (!dropped)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        bool changed = false;
        for (unsigned j = 0; j < run[i].nterms; j++)
            changed |=
                run[i].terms[j].dropped || run[i].terms[j].widened || run[i].terms[j].npartners;
        if (!changed)
            continue;
        LLVMValueRef old = LLVMGetCondition(run[i].branch);
        rebuild_condition(b, &run[i]);
        erase_dead(old);
    }
    return dropped;
}

/* Collect the run that starts at `bb` and merge it. */
static unsigned merge_from(LLVMBuilderRef b, LLVMBasicBlockRef bb, check *run) {
    unsigned n = 0, segment = 0;
    for (LLVMValueRef br = oob_branch(bb); br && n < MAX_CHECKS;) {
        check *c = &run[n];
        c->branch = br;
        c->negated = traps_on_false(br);
        c->segment = segment;
        c->nterms = 0;
        if (!read_terms(LLVMGetCondition(br), c))
            break;
        n++;
        LLVMBasicBlockRef next = ok_successor(br);
        if (single_predecessor(next) != LLVMGetInstructionParent(br))
            break;
        segment += !quiet_block(next);
        br = oob_branch(next);
    }
    return n > 1 || (n == 1 && run[0].nterms > 1) ? merge_run(b, run, n) : 0;
}

/* size - reach, right before the check: the back end hoists it out of a
 * loop when it has the register (MachineLICM), and code that runs once
 * pays a sub for the add it no longer has.  Named after the size, so that
 * the tests that look for checks see it. */
static LLVMValueRef build_room(LLVMBuilderRef b, LLVMValueRef size, uint64_t reach) {
    size_t len;
    const char *name = LLVMGetValueName2(size, &len);
    char room_name[64];
    snprintf(room_name, sizeof room_name, "%.*s.room", (int)(len < 48 ? len : 48), name);
    return LLVMBuildSub(b, size, LLVMConstInt(LLVMTypeOf(size), reach, 0), room_name);
}

/* The signed predicate of an unsigned bound (LLVMIntEQ: none). */
static LLVMIntPredicate signed_of(LLVMIntPredicate p) {
    switch (p) {
    case LLVMIntUGT: return LLVMIntSGT;
    case LLVMIntUGE: return LLVMIntSGE;
    case LLVMIntULT: return LLVMIntSLT;
    case LLVMIntULE: return LLVMIntSLE;
    default: return LLVMIntEQ;
    }
}

/* The terms of a check's condition `v` that compare end = x + C with a
 * memory's size, C > 1, rewritten to compare x with size - C, signed: one
 * instruction less per check (see the top). */
static void compare_with_room(LLVMBuilderRef b, LLVMValueRef v, unsigned depth) {
    if (!LLVMIsAInstruction(v) || depth > 6)
        return;
    if (LLVMIsAICmpInst(v)) {
        LLVMIntPredicate p = signed_of(LLVMGetICmpPredicate(v));
        if (p == LLVMIntEQ)
            return;
        for (unsigned side = 0; side < 2; side++) {
            LLVMValueRef end = LLVMGetOperand(v, side), size = LLVMGetOperand(v, 1 - side);
            LLVMValueRef x;
            uint64_t reach;
            if (!LLVMIsALoadInst(size) || !split_end(end, &x, &reach) || reach < 2 ||
                LLVMGetFirstUse(end) == NULL || LLVMGetNextUse(LLVMGetFirstUse(end)))
                continue;
            LLVMPositionBuilderBefore(b, v);
            LLVMValueRef r = build_room(b, size, reach);
            LLVMValueRef lhs = side == 0 ? x : r, rhs = side == 0 ? r : x;
            LLVMValueRef c = LLVMBuildICmp(b, p, lhs, rhs, "");
            LLVMReplaceAllUsesWith(v, c);
            LLVMInstructionEraseFromParent(v);
            LLVMInstructionEraseFromParent(end);
            return;
        }
        return;
    }
    unsigned second = 1;
    if (is_junction(v, false, &second) || is_junction(v, true, &second) ||
        LLVMGetInstructionOpcode(v) == LLVMXor) { /* or, and, not */
        compare_with_room(b, LLVMGetOperand(v, 0), depth + 1);
        compare_with_room(b, LLVMGetOperand(v, second), depth + 1);
    }
}

/* Every check of `fn`, the widened ones that go to a recheck included. */
static void compare_checks_with_room(LLVMBuilderRef b, LLVMValueRef fn) {
    unsigned rechecked = LLVMGetMDKindIDInContext(LLVMGetTypeContext(LLVMTypeOf(fn)), RECHECKED,
                                                  sizeof RECHECKED - 1);
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
        LLVMValueRef br = oob_branch(bb), last = LLVMGetBasicBlockTerminator(bb);
        if (!br && last && LLVMIsABranchInst(last) && LLVMIsConditional(last) &&
            LLVMGetMetadata(last, rechecked))
            br = last;
        if (br)
            compare_with_room(b, LLVMGetCondition(br), 0);
    }
}

unsigned w2n_bounds_merge_checks(LLVMModuleRef mod) {
    unsigned dropped = 0;
    check *run = malloc(MAX_CHECKS * sizeof *run);
    if (!run)
        return 0; /* an optimisation only */
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn)) {
        /* recheck blocks go at the end: they are not runs to merge again */
        LLVMBasicBlockRef last = LLVMGetLastBasicBlock(fn);
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb;
             bb = LLVMGetNextBasicBlock(bb)) {
            if (oob_branch(bb) && !continues_run(bb))
                dropped += merge_from(b, bb, run);
            if (bb == last)
                break;
        }
        compare_checks_with_room(b, fn);
    }
    LLVMDisposeBuilder(b);
    free(run);
    return dropped;
}
