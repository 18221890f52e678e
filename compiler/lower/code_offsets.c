/*
 * code_offsets.c — tables of code addresses as 32-bit offsets from the
 * table's own start.
 *
 * A table of 8-byte code pointers needs a relocation per entry when the
 * object is loaded (the pointers depend on where the image lands), and so
 * a written, private page of the file for every page of the table.  An
 * offset between two places of the same object does not: the compiler's
 * layout resolves it in the file (compiler/emit/object_layout.c), the
 * table stays read-only data shared with the page cache, and the loader
 * has nothing to do for it.  LLVM emits each entry `target - table` as a
 * PC-relative data relocation (R_X86_64_PC32, R_AARCH64_PREL32,
 * R_RISCV_32_PCREL), as it does for its own jump tables.
 *
 * For abi.h's code arrays, which the runtime reads once per instance.  The
 * tables compiled code reads on a hot path keep 8-byte pointers (the
 * pointer tables at the end of this file): an offset costs an add between
 * the load and the jump, and an interpreter's threaded dispatch
 * (lower_dispatch.c) ran 1.34x slower with it in explicit mode (bytecode),
 * call_indirect through a known table (lower_table_known.c) 1.04x
 * (indirect).
 *
 * Invariant: offset 0 means "no code": the table's start is read-only
 * data, never a function's entry.  The whole image is far below 2 GiB, so
 * every distance fits in 32 bits.
 */
#include "lower.h"

#include <stdlib.h>

LLVMValueRef w2n_lower_code_offset_table(w2n_lower_module *lm, const char *name,
                                         const LLVMValueRef *targets, unsigned n) {
    LLVMTypeRef ty = LLVMArrayType2(lm->t_i32, n);
    LLVMValueRef table = LLVMAddGlobal(lm->mod, ty, name);
    LLVMValueRef start = LLVMConstPtrToInt(table, lm->t_i64);
    LLVMValueRef *entries = w2n_xcalloc(n + 1, sizeof *entries);
    for (unsigned i = 0; i < n; i++)
        entries[i] =
            targets[i]
                ? LLVMConstTrunc(LLVMConstSub(LLVMConstPtrToInt(targets[i], lm->t_i64), start),
                                 lm->t_i32)
                : LLVMConstInt(lm->t_i32, 0, 0);
    LLVMSetInitializer(table, LLVMConstArray2(lm->t_i32, entries, n));
    free(entries);
    LLVMSetGlobalConstant(table, 1);
    LLVMSetAlignment(table, 4);
    return table;
}

LLVMValueRef w2n_lower_code_pointer_table(w2n_lower_module *lm, const char *name,
                                          LLVMValueRef *targets, unsigned n) {
    LLVMValueRef table = LLVMAddGlobal(lm->mod, LLVMArrayType2(lm->t_ptr, n), name);
    LLVMSetInitializer(table, LLVMConstArray2(lm->t_ptr, targets, n));
    LLVMSetGlobalConstant(table, 1);
    LLVMSetLinkage(table, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(table, LLVMGlobalUnnamedAddr);
    return table;
}

LLVMValueRef w2n_lower_load_code_pointer(w2n_lower_func *f, LLVMValueRef table, LLVMValueRef index,
                                         const char *slot_name, const char *name) {
    w2n_lower_module *lm = f->lm;
    LLVMValueRef at[2] = {LLVMConstInt(lm->t_i64, 0, 0), LLVMBuildZExt(f->b, index, lm->t_i64, "")};
    LLVMValueRef slot =
        LLVMBuildInBoundsGEP2(f->b, LLVMGlobalGetValueType(table), table, at, 2, slot_name);
    return LLVMBuildLoad2(f->b, lm->t_ptr, slot, name);
}
