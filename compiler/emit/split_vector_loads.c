/*
 * split_vector_loads.c — vector loads of linear memory outside loops split
 * back into their elements, after LLVM's optimisation (explicit mode).
 *
 * In explicit mode accesses are plain, so LLVM's SLP vectoriser may join
 * the loads of neighbouring fields into one vector load: a function that
 * takes a structure by value (on the shadow stack, in linear memory) reads
 * its y and z as one 16-byte load.  But its caller wrote them a moment
 * before with two 8-byte stores, and a load that spans two stores still in
 * the store buffer cannot take its data from them: the CPU waits until the
 * stores have reached the cache, some twenty cycles on the AMD EPYC we
 * measure on (raytrace in explicit mode ran 1.12 x native against guard
 * mode's 1.01 x with fewer instructions; docs/performance.md, "Explicit mode
 * on the real programs").  Guard mode never has the stall: its accesses
 * outside versioned loops are volatile, and LLVM leaves them as they are.
 *
 * So each vector load of linear memory in a block that is in no cycle of
 * the control flow becomes one load per element, put back together with
 * insertelement: the back end makes a scalar load and an insert (movsd,
 * movhpd) of it, each of which forwards from the store that wrote it.  A
 * block in a cycle keeps its vector loads: there the data was mostly
 * written long before (a loop over an array), and the vector is what the
 * vectoriser gained.  Splitting changes no meaning: the loads are plain,
 * their bounds checked before them, and they read the same bytes.
 */
#include "split_vector_loads.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alias_classes.h"
#include "xalloc.h"

#define MAX_LANES 4 /* wider vectors (a v128 of bytes) stay as they are */

/* Does `inst` carry the TBAA tag of linear memory (an access tag whose
 * base type is lower_core.c's W2N_ALIAS_LINEAR_MEMORY)? */
static bool linear_memory_access(LLVMValueRef inst, unsigned tbaa) {
    LLVMValueRef tag = LLVMGetMetadata(inst, tbaa);
    if (!tag || LLVMGetMDNodeNumOperands(tag) < 1 || LLVMGetMDNodeNumOperands(tag) > 3)
        return false; /* not one of lower_core.c's access tags */
    LLVMValueRef ops[3];
    LLVMGetMDNodeOperands(tag, ops);
    LLVMValueRef base = ops[0];
    if (!base || LLVMGetMDNodeNumOperands(base) < 1)
        return false;
    LLVMValueRef name_ops[3];
    unsigned n = LLVMGetMDNodeNumOperands(base);
    if (n > 3)
        return false;
    LLVMGetMDNodeOperands(base, name_ops);
    unsigned len = 0;
    const char *name = name_ops[0] ? LLVMGetMDString(name_ops[0], &len) : NULL;
    return name && len == strlen(W2N_ALIAS_LINEAR_MEMORY) &&
           memcmp(name, W2N_ALIAS_LINEAR_MEMORY, len) == 0;
}

/* The blocks of one function, numbered, with Tarjan's strongly connected
 * components: a block is in a cycle when its component has more than one
 * block or it branches to itself. */
typedef struct cfg {
    LLVMBasicBlockRef *blocks;
    unsigned n;
    unsigned *index, *low, *stack, nstack, next_index;
    bool *on_stack, *in_cycle;
} cfg;

/* The number of `bb`: its place in the table of blocks sorted by address. */
static unsigned block_number(const cfg *g, LLVMBasicBlockRef bb) {
    unsigned lo = 0, hi = g->n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if ((uintptr_t)g->blocks[mid] < (uintptr_t)bb)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int by_address(const void *a, const void *b) {
    uintptr_t x = (uintptr_t) * (LLVMBasicBlockRef const *)a;
    uintptr_t y = (uintptr_t) * (LLVMBasicBlockRef const *)b;
    return x < y ? -1 : x > y;
}

/* Tarjan's algorithm with an explicit stack of (block, next successor). */
static void find_cycles(cfg *g) {
    unsigned *work = w2n_xcalloc(g->n, sizeof *work), *succ_at = w2n_xcalloc(g->n, sizeof *succ_at);
    for (unsigned root = 0; root < g->n; root++) {
        if (g->index[root] != UINT32_MAX)
            continue;
        unsigned depth = 0;
        work[depth++] = root;
        succ_at[root] = 0;
        g->index[root] = g->low[root] = g->next_index++;
        g->stack[g->nstack++] = root;
        g->on_stack[root] = true;
        while (depth) {
            unsigned v = work[depth - 1];
            LLVMValueRef term = LLVMGetBasicBlockTerminator(g->blocks[v]);
            unsigned nsucc = term ? LLVMGetNumSuccessors(term) : 0;
            if (succ_at[v] < nsucc) {
                unsigned w = block_number(g, LLVMGetSuccessor(term, succ_at[v]++));
                if (w == v)
                    g->in_cycle[v] = true;
                if (g->index[w] == UINT32_MAX) {
                    g->index[w] = g->low[w] = g->next_index++;
                    g->stack[g->nstack++] = w;
                    g->on_stack[w] = true;
                    succ_at[w] = 0;
                    work[depth++] = w;
                } else if (g->on_stack[w] && g->index[w] < g->low[v]) {
                    g->low[v] = g->index[w];
                }
                continue;
            }
            depth--;
            if (depth && g->low[v] < g->low[work[depth - 1]])
                g->low[work[depth - 1]] = g->low[v];
            if (g->low[v] != g->index[v])
                continue;
            unsigned first = g->nstack;
            do
                first--;
            while (g->stack[first] != v);
            bool cycle = g->nstack - first > 1;
            for (unsigned i = first; i < g->nstack; i++) {
                g->on_stack[g->stack[i]] = false;
                if (cycle)
                    g->in_cycle[g->stack[i]] = true;
            }
            g->nstack = first;
        }
    }
    free(work);
    free(succ_at);
}

/* The bits of a lane of type `elem`: 0 for a type other than an integer,
 * float or double. */
static unsigned lane_bits(LLVMTypeRef elem) {
    switch (LLVMGetTypeKind(elem)) {
    case LLVMIntegerTypeKind: return LLVMGetIntTypeWidth(elem);
    case LLVMFloatTypeKind: return 32;
    case LLVMDoubleTypeKind: return 64;
    default: return 0;
    }
}

/* Replace `load` (a vector of lanes of `elem`) by one load per lane. */
static void split_load(LLVMBuilderRef b, LLVMValueRef load, unsigned tbaa) {
    LLVMTypeRef vty = LLVMTypeOf(load), elem = LLVMGetElementType(vty);
    LLVMContextRef ctx = LLVMGetTypeContext(vty);
    unsigned lanes = LLVMGetVectorSize(vty);
    unsigned bytes = lane_bits(elem) / 8;
    LLVMTypeRef i8 = LLVMInt8TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMValueRef ptr = LLVMGetOperand(load, 0), tag = LLVMGetMetadata(load, tbaa);
    LLVMPositionBuilderBefore(b, load);
    LLVMValueRef vec = LLVMGetPoison(vty);
    for (unsigned i = 0; i < lanes; i++) {
        LLVMValueRef at = ptr;
        if (i) {
            LLVMValueRef off = LLVMConstInt(i64, (uint64_t)i * bytes, 0);
            at = LLVMBuildGEP2(b, i8, ptr, &off, 1, "");
        }
        LLVMValueRef lane = LLVMBuildLoad2(b, elem, at, "");
        LLVMSetAlignment(lane, 1);
        LLVMSetVolatile(lane, 1); /* or the back end joins them again */
        if (tag)
            LLVMSetMetadata(lane, tbaa, tag);
        vec = LLVMBuildInsertElement(b, vec, lane, LLVMConstInt(i64, i, 0), "");
    }
    LLVMReplaceAllUsesWith(load, vec);
    LLVMInstructionEraseFromParent(load);
}

/* Is `inst` a vector load of linear memory that may be split? */
static bool splittable(LLVMValueRef inst, unsigned tbaa) {
    if (!LLVMIsALoadInst(inst) || LLVMGetVolatile(inst) ||
        LLVMGetOrdering(inst) != LLVMAtomicOrderingNotAtomic)
        return false;
    LLVMTypeRef ty = LLVMTypeOf(inst);
    if (LLVMGetTypeKind(ty) != LLVMVectorTypeKind || LLVMGetVectorSize(ty) > MAX_LANES)
        return false;
    unsigned bits = lane_bits(LLVMGetElementType(ty));
    return bits >= 32 && bits % 8 == 0 && linear_memory_access(inst, tbaa);
}

static unsigned split_function(LLVMValueRef fn, LLVMBuilderRef b, unsigned tbaa) {
    unsigned n = LLVMCountBasicBlocks(fn);
    if (n == 0)
        return 0;
    cfg g = {0};
    g.n = n;
    g.blocks = w2n_xcalloc(n, sizeof *g.blocks);
    g.index = w2n_xcalloc(n, sizeof *g.index);
    g.low = w2n_xcalloc(n, sizeof *g.low);
    g.stack = w2n_xcalloc(n, sizeof *g.stack);
    g.on_stack = w2n_xcalloc(n, sizeof *g.on_stack);
    g.in_cycle = w2n_xcalloc(n, sizeof *g.in_cycle);
    LLVMGetBasicBlocks(fn, g.blocks);
    qsort(g.blocks, n, sizeof *g.blocks, by_address);
    memset(g.index, 0xff, sizeof *g.index * n);
    find_cycles(&g);
    unsigned split = 0;
    for (unsigned i = 0; i < n; i++) {
        if (g.in_cycle[i])
            continue;
        LLVMValueRef inst = LLVMGetFirstInstruction(g.blocks[i]);
        while (inst) {
            LLVMValueRef next = LLVMGetNextInstruction(inst);
            if (splittable(inst, tbaa)) {
                split_load(b, inst, tbaa);
                split++;
            }
            inst = next;
        }
    }
    free(g.blocks);
    free(g.index);
    free(g.low);
    free(g.stack);
    free(g.on_stack);
    free(g.in_cycle);
    return split;
}

unsigned w2n_split_vector_loads(LLVMModuleRef mod) {
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    unsigned tbaa = LLVMGetMDKindIDInContext(ctx, "tbaa", 4);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    unsigned split = 0;
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        split += split_function(fn, b, tbaa);
    LLVMDisposeBuilder(b);
    return split;
}
