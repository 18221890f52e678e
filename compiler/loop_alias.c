/*
 * loop_alias.c — telling LLVM which accesses of a fast loop cannot overlap.
 *
 * All of linear memory is one object to LLVM, so two accesses off different
 * bases (two arrays) may alias as far as it knows, and its vectoriser then
 * checks at run time, or gives up on interleaving them.  The range check of a
 * fast version (loop_bounds.c) already knows each access's byte range over
 * the whole loop; for every two groups of accesses off different bases, at
 * least one of them storing, it also checks that their ranges do not overlap,
 * and then gives each group a scope of its own that the other groups'
 * accesses are marked not to alias.  A scope declaration at the loop's entry
 * lets LLVM copy the scopes whenever it copies the loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop_alias.h"
#include "lower.h"

static unsigned md_kind(w2n_lower_module *lm, const char *name) {
    return LLVMGetMDKindIDInContext(lm->ctx, name, (unsigned)strlen(name));
}

static bool is_store_through(LLVMValueRef ptr) {
    for (LLVMUseRef u = LLVMGetFirstUse(ptr); u; u = LLVMGetNextUse(u)) {
        LLVMValueRef user = LLVMGetUser(u);
        if (LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == ptr)
            return true;
    }
    return false;
}

LLVMValueRef w2n_loop_alias_check(w2n_loop_groups *g, LLVMBuilderRef b, LLVMTypeRef i1) {
    LLVMValueRef ok = LLVMConstInt(i1, 1, 0);
    if (g->ngroups < 2 || g->ngroups > W2N_MAX_ALIAS_GROUPS)
        return ok;
    /* Each group's byte range: the union of its accesses' ranges. */
    for (unsigned k = 0; k < g->ngroups; k++) {
        g->lo[k] = g->end[k] = NULL;
        g->stores[k] = false;
    }
    for (size_t i = 0; i < g->n; i++) {
        if (g->group[i] < 0)
            continue;
        unsigned k = (unsigned)g->group[i];
        LLVMValueRef lo = g->access_lo[i], end = g->access_end[i];
        g->lo[k] = g->lo[k] ? LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSLT, lo, g->lo[k], ""), lo,
                                              g->lo[k], "")
                            : lo;
        g->end[k] = g->end[k] ? LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, end, g->end[k], ""),
                                                end, g->end[k], "")
                              : end;
        g->stores[k] |= is_store_through(g->ptr[i]);
    }
    for (unsigned x = 0; x < g->ngroups; x++)
        for (unsigned y = x + 1; y < g->ngroups; y++) {
            if (!g->stores[x] && !g->stores[y])
                continue; /* loads may overlap loads */
            LLVMValueRef before = LLVMBuildICmp(b, LLVMIntSLE, g->end[x], g->lo[y], "");
            LLVMValueRef after = LLVMBuildICmp(b, LLVMIntSLE, g->end[y], g->lo[x], "");
            ok = LLVMBuildAnd(b, ok, LLVMBuildOr(b, before, after, ""), "");
        }
    g->checked = true;
    return ok;
}

void w2n_loop_alias_mark(w2n_loop_groups *g, w2n_lower_module *lm, LLVMBasicBlockRef entry,
                         unsigned loop_id) {
    if (!g->checked)
        return;
    LLVMContextRef ctx = lm->ctx;
    char name[64];
    snprintf(name, sizeof name, "w2n loop %u", loop_id);
    LLVMMetadataRef domain_name = LLVMMDStringInContext2(ctx, name, strlen(name));
    LLVMMetadataRef domain = LLVMMDNodeInContext2(ctx, &domain_name, 1);
    LLVMMetadataRef scope[W2N_MAX_ALIAS_GROUPS];
    for (unsigned k = 0; k < g->ngroups; k++) {
        snprintf(name, sizeof name, "w2n loop %u group %u", loop_id, k);
        LLVMMetadataRef ops[2] = {LLVMMDStringInContext2(ctx, name, strlen(name)), domain};
        scope[k] = LLVMMDNodeInContext2(ctx, ops, 2);
    }
    unsigned kind_scope = md_kind(lm, "alias.scope"), kind_noalias = md_kind(lm, "noalias");
    for (size_t i = 0; i < g->n; i++) {
        if (g->group[i] < 0)
            continue;
        unsigned k = (unsigned)g->group[i];
        LLVMMetadataRef others[W2N_MAX_ALIAS_GROUPS];
        unsigned nothers = 0;
        for (unsigned h = 0; h < g->ngroups; h++)
            if (h != k && (g->stores[h] || g->stores[k]))
                others[nothers++] = scope[h];
        LLVMValueRef own = LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, &scope[k], 1));
        LLVMValueRef not_these =
            LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, others, nothers));
        for (LLVMUseRef u = LLVMGetFirstUse(g->ptr[i]); u; u = LLVMGetNextUse(u)) {
            LLVMValueRef user = LLVMGetUser(u);
            if (!LLVMIsALoadInst(user) && !LLVMIsAStoreInst(user))
                continue;
            LLVMSetMetadata(user, kind_scope, own);
            if (nothers)
                LLVMSetMetadata(user, kind_noalias, not_these);
        }
    }
    /* Declare the scopes where the loop is entered. */
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(entry));
    const char *decl = "llvm.experimental.noalias.scope.decl";
    unsigned id = LLVMLookupIntrinsicID(decl, strlen(decl));
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(lm->mod, id, NULL, 0);
    LLVMTypeRef fty = LLVMIntrinsicGetType(ctx, id, NULL, 0);
    for (unsigned k = 0; k < g->ngroups; k++) {
        LLVMValueRef arg = LLVMMetadataAsValue(ctx, LLVMMDNodeInContext2(ctx, &scope[k], 1));
        LLVMBuildCall2(b, fty, fn, &arg, 1, "");
    }
    LLVMDisposeBuilder(b);
}
