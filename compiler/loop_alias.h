/*
 * loop_alias.h — disjointness checks and alias scopes for the accesses a
 * fast loop version's range check covers (loop_alias.c, used by
 * loop_bounds.c).
 */
#ifndef W2N_LOOP_ALIAS_H
#define W2N_LOOP_ALIAS_H

#include "lower.h"

/* More groups than this get no scopes: the pairwise checks would cost too much. */
#define W2N_MAX_ALIAS_GROUPS 8

typedef struct w2n_loop_groups {
    size_t n;                   /* accesses of the fast version */
    int *group;                 /* per access: its group (same base and stride), or -1 */
    LLVMValueRef *ptr;          /* per access: the pointer its loads and stores use */
    LLVMValueRef *access_lo;    /* per access: first byte over the loop (i64) */
    LLVMValueRef *access_end;   /* per access: one past its last byte */
    unsigned ngroups;
    LLVMValueRef lo[W2N_MAX_ALIAS_GROUPS], end[W2N_MAX_ALIAS_GROUPS];
    bool stores[W2N_MAX_ALIAS_GROUPS];
    bool checked;               /* the pairwise check was built */
} w2n_loop_groups;

/* The condition that no two groups, one of them storing, overlap; built
 * with `b` before the loop.  True (and nothing to mark) for one group. */
LLVMValueRef w2n_loop_alias_check(w2n_loop_groups *g, LLVMBuilderRef b, LLVMTypeRef i1);
/* Once the check guards the fast version: scopes on its accesses, declared
 * in `entry`, the block that enters the fast loop. */
void w2n_loop_alias_mark(w2n_loop_groups *g, w2n_lower_module *lm, LLVMBasicBlockRef entry,
                         unsigned loop_id);

#endif
