/*
 * alias_classes.h — the names of the TBAA types that lowering gives every
 * memory access (lower_core.c), for the later steps that recognise them
 * (emit/split_vector_loads.c): one class per kind of storage, none of
 * which aliases another.
 */
#ifndef W2N_ALIAS_CLASSES_H
#define W2N_ALIAS_CLASSES_H

#define W2N_ALIAS_ROOT "w2n alias classes"
#define W2N_ALIAS_LINEAR_MEMORY "linear memory"
#define W2N_ALIAS_VMCTX "vmctx"
#define W2N_ALIAS_RUNTIME "runtime state"
#define W2N_ALIAS_GLOBALS "globals"
#define W2N_ALIAS_TABLES "table elements"

#endif
