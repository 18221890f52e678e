/*
 * loop_alias.c — proving a fast loop version's groups of accesses apart.
 *
 * LLVM's vectoriser checks aliasing itself, but once one pair of accesses
 * has a dependence it cannot work out (a run-time stride, a loop-invariant
 * cell beside a strided row), it checks every pair at run time, including
 * pairs it had proved independent: c[2j] against c[2j+1] in a loop clang
 * unrolled by two always "overlaps", so the vector loop never runs.  And
 * a cell that a loop reads and writes on every iteration (a reduction into
 * memory) stays in memory unless nothing else in the loop can touch it.
 *
 * The range check already knows every covered access's first address and
 * stride.  Accesses of one memory whose addresses differ by a constant and
 * step alike form a group (c[2j] and c[2j+1]; a cell); the check here adds
 * to the range check that each group that stores lies, over all the
 * iterations the loop can run, apart from every other group, and tells LLVM
 * so with one alias scope per group (declared at the loop's entry, so that
 * copies of the loop get scopes of their own).  A loop whose groups
 * overlap runs the slow version, never a wrong answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop_affine.h"

/* More groups than this are left to LLVM: the pairs grow as the square. */
#define MAX_GROUPS 8

typedef struct alias_group {
    size_t first;   /* an access of the group: its form stands for all */
    int64_t lo_off; /* lowest byte offset from that access's base, over members */
    int64_t hi_off; /* one past the highest */
    bool stores;
    LLVMValueRef lo, end; /* the bytes it touches in all iterations, 64-bit */
    LLVMMetadataRef scope;
} alias_group;

/* Same memory, same invariant terms, same stride: differ by a constant. */
bool w2n_alias_same_group(const w2n_alias_access *x, const w2n_alias_access *y) {
    if (x->memory != y->memory || x->form.nterms != y->form.nterms || x->stride != y->stride ||
        x->form.kterm != y->form.kterm || x->form.kcoef != y->form.kcoef)
        return false;
    for (unsigned i = 0; i < x->form.nterms; i++)
        if (x->form.term[i] != y->form.term[i] || x->form.coef[i] != y->form.coef[i])
            return false;
    return true;
}

static bool is_memory_op(LLVMValueRef inst) {
    return LLVMIsALoadInst(inst) || LLVMIsAStoreInst(inst) || LLVMIsAAtomicRMWInst(inst) ||
           LLVMIsAAtomicCmpXchgInst(inst);
}

/* Does any instruction write memory through ptr? */
static bool writes_through(LLVMValueRef ptr) {
    for (LLVMUseRef u = LLVMGetFirstUse(ptr); u; u = LLVMGetNextUse(u))
        if (!LLVMIsALoadInst(LLVMGetUser(u)))
            return true; /* a store, an atomic, or anything not understood */
    return false;
}

static size_t make_groups(w2n_alias_access *acc, size_t n, alias_group *g) {
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (!acc[i].covered)
            continue;
        size_t j = 0;
        while (j < ng && !w2n_alias_same_group(&acc[g[j].first], &acc[i]))
            j++;
        if (j == ng) {
            if (ng == MAX_GROUPS)
                return 0;
            g[ng++] = (alias_group){.first = i, .lo_off = INT64_MAX, .hi_off = INT64_MIN};
        }
        acc[i].group = j;
        /* Members share terms, so their bases differ by constant offsets. */
        int64_t off = acc[i].constant + (int64_t)acc[i].offset - acc[g[j].first].constant;
        if (off < g[j].lo_off)
            g[j].lo_off = off;
        if (off + (int64_t)acc[i].size > g[j].hi_off)
            g[j].hi_off = off + (int64_t)acc[i].size;
        acc[i].stores = writes_through(acc[i].ptr);
        g[j].stores |= acc[i].stores;
    }
    return ng;
}

/* [lo, end) of group g over every iteration: its bytes at iteration 0
 * shifted by the span the stride covers in tc - 1 steps. */
static void group_range(w2n_check_builder *cb, const w2n_alias_access *acc, alias_group *g,
                        LLVMValueRef tc) {
    LLVMBuilderRef b = cb->b;
    const w2n_alias_access *a = &acc[g->first];
    LLVMValueRef span = LLVMBuildMul(b, LLVMBuildSub(b, tc, w2n_c64(cb, 1), ""),
                                     a->step ? a->step : w2n_c64(cb, a->stride), "");
    LLVMValueRef lo = LLVMBuildAdd(b, a->base, w2n_c64(cb, g->lo_off), "");
    LLVMValueRef end = LLVMBuildAdd(b, a->base, w2n_c64(cb, g->hi_off), "");
    if (a->step) { /* a run-time stride: either way */
        LLVMValueRef down = LLVMBuildICmp(b, LLVMIntSLT, span, w2n_c64(cb, 0), "");
        lo = LLVMBuildSelect(b, down, LLVMBuildAdd(b, lo, span, ""), lo, "");
        end = LLVMBuildSelect(b, down, end, LLVMBuildAdd(b, end, span, ""), "");
    } else if (a->stride < 0) {
        lo = LLVMBuildAdd(b, lo, span, "");
    } else {
        end = LLVMBuildAdd(b, end, span, "");
    }
    g->lo = lo;
    g->end = end;
}

static LLVMMetadataRef md_string(LLVMContextRef ctx, const char *s) {
    return LLVMMDStringInContext2(ctx, s, strlen(s));
}

/* Scope `name` in `domain`, and its declaration before the loop. */
static LLVMMetadataRef declare_scope(w2n_check_builder *cb, LLVMMetadataRef domain,
                                     const char *name, LLVMValueRef decl_fn) {
    LLVMContextRef ctx = LLVMGetTypeContext(cb->i64);
    LLVMMetadataRef parts[2] = {md_string(ctx, name), domain};
    LLVMMetadataRef scope = LLVMMDNodeInContext2(ctx, parts, 2);
    LLVMMetadataRef list = LLVMMDNodeInContext2(ctx, &scope, 1);
    LLVMValueRef arg = LLVMMetadataAsValue(ctx, list);
    LLVMBuildCall2(cb->b, LLVMGlobalGetValueType(decl_fn), decl_fn, &arg, 1, "");
    return scope;
}

static void tag_group(LLVMContextRef ctx, const w2n_alias_access *acc, size_t n, size_t gi,
                      LLVMMetadataRef scope, LLVMMetadataRef *apart, size_t napart) {
    unsigned scope_kind = LLVMGetMDKindIDInContext(ctx, "alias.scope", 11);
    unsigned noalias_kind = LLVMGetMDKindIDInContext(ctx, "noalias", 7);
    LLVMValueRef scopes = LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, &scope, 1));
    LLVMValueRef others = LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, apart, napart));
    for (size_t i = 0; i < n; i++) {
        if (!acc[i].covered || acc[i].group != gi)
            continue;
        for (LLVMUseRef u = LLVMGetFirstUse(acc[i].ptr); u; u = LLVMGetNextUse(u)) {
            LLVMValueRef user = LLVMGetUser(u);
            if (!is_memory_op(user))
                continue;
            LLVMSetMetadata(user, scope_kind, scopes);
            if (napart)
                LLVMSetMetadata(user, noalias_kind, others);
        }
    }
}

bool w2n_loop_alias_separate(w2n_check_builder *cb, w2n_alias_access *acc, size_t n,
                             LLVMValueRef tc, unsigned loop_id, LLVMValueRef *ok) {
    alias_group g[MAX_GROUPS];
    size_t ng = make_groups(acc, n, g);
    bool any_store = false, stored_cell = false;
    for (size_t i = 0; i < ng; i++) {
        const w2n_alias_access *a = &acc[g[i].first];
        any_store |= g[i].stores;
        stored_cell |= g[i].stores && a->stride == 0 && !a->step;
    }
    /* LLVM vectorises no loop whose body branches (no masked stores on the
     * baseline CPUs): there the proof pays only for a cell kept in a
     * register, and costs code and placement (floyd's min, measured). */
    if (ng < 2 || !any_store || (cb->lv->v->body.branches && !stored_cell))
        return false;
    for (size_t i = 0; i < ng; i++)
        group_range(cb, acc, &g[i], tc);
    /* apart[i][j]: groups i and j proved apart (one of them stores). */
    bool apart[MAX_GROUPS][MAX_GROUPS] = {{false}};
    LLVMBuilderRef b = cb->b;
    for (size_t i = 0; i < ng; i++)
        for (size_t j = i + 1; j < ng; j++) {
            if (acc[g[i].first].memory != acc[g[j].first].memory) {
                apart[i][j] = apart[j][i] = true; /* different memories never alias */
                continue;
            }
            if (!g[i].stores && !g[j].stores)
                continue;
            LLVMValueRef below = LLVMBuildICmp(b, LLVMIntULE, g[i].end, g[j].lo, "");
            LLVMValueRef above = LLVMBuildICmp(b, LLVMIntULE, g[j].end, g[i].lo, "");
            *ok = LLVMBuildAnd(b, *ok, LLVMBuildOr(b, below, above, ""), "");
            apart[i][j] = apart[j][i] = true;
        }
    LLVMContextRef ctx = LLVMGetTypeContext(cb->i64);
    LLVMModuleRef mod = LLVMGetGlobalParent(LLVMGetBasicBlockParent(cb->lv->v->entry));
    LLVMValueRef decl_fn = LLVMGetNamedFunction(mod, "llvm.experimental.noalias.scope.decl");
    if (!decl_fn) {
        LLVMTypeRef md = LLVMMetadataTypeInContext(ctx);
        LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), &md, 1, 0);
        decl_fn = LLVMAddFunction(mod, "llvm.experimental.noalias.scope.decl", fty);
    }
    char name[64];
    snprintf(name, sizeof name, "w2n.loop%u", loop_id);
    LLVMMetadataRef dom_name = md_string(ctx, name);
    LLVMMetadataRef domain = LLVMMDNodeInContext2(ctx, &dom_name, 1);
    /* The declarations go at the fast version's entry, which only it runs. */
    LLVMBasicBlockRef entry = cb->lv->v->entry;
    LLVMPositionBuilderBefore(b, LLVMGetFirstInstruction(entry));
    for (size_t i = 0; i < ng; i++) {
        snprintf(name, sizeof name, "w2n.loop%u.group%zu", loop_id, i);
        g[i].scope = declare_scope(cb, domain, name, decl_fn);
    }
    for (size_t i = 0; i < ng; i++) {
        LLVMMetadataRef others[MAX_GROUPS];
        size_t nothers = 0;
        for (size_t j = 0; j < ng; j++)
            if (apart[i][j])
                others[nothers++] = g[j].scope;
        tag_group(ctx, acc, n, i, g[i].scope, others, nothers);
    }
    LLVMPositionBuilderBefore(b, cb->lv->v->choice);
    return true;
}
