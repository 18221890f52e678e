/*
 * codegen.h — the LLVM steps of the pipeline that every partition of a
 * module repeats (codegen.c): optimise, emit an object.
 */
#ifndef W2N_CODEGEN_H
#define W2N_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/TargetMachine.h>

#include "w2n/error.h"

/* An LLVM failure as W2N_ERR_INTERNAL: "what: first line of llvm_msg";
 * disposes of llvm_msg. */
w2n_status w2n_codegen_llvm_error(w2n_error *err, const char *what, char *llvm_msg);

/* Run LLVM's default<O`level`> pipeline, or, for a module past the function
 * budget (`many_functions`, level > 0; lower.h), the short one; then, when
 * `merge_checks` (explicit bounds, full pipeline), merge the bounds checks
 * of each address (bounds_merge.h). */
w2n_status w2n_codegen_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                                bool many_functions, bool merge_checks, w2n_error *err);

/* Dispose of a context and its module, or, when the process is `exiting`
 * (w2n_compile_options), keep them reachable for the exit to reclaim: freeing
 * a context of 50,000 functions value by value took 0.1 to 0.4 s. */
void w2n_codegen_release(LLVMContextRef ctx, LLVMModuleRef mod, bool exiting);

/* Add values to the module's llvm.compiler.used (made when absent), so that
 * no pass drops a global or function that nothing refers to. */
void w2n_codegen_keep(LLVMModuleRef mod, const LLVMValueRef *values, unsigned n);
/* A private constant `name` holding `bytes`, alone in `section`, which is
 * emitted as a non-allocated section (!exclude: the loader reads it, never
 * maps it as part of the image) and kept though nothing refers to it. */
LLVMValueRef w2n_codegen_excluded_blob(LLVMModuleRef mod, const char *name, const char *section,
                                       const uint8_t *bytes, size_t size, unsigned align);

/* Code-generate the module into a malloc'd ELF relocatable object, with
 * stubs for the library calls it may make (libcall_stubs.h). */
w2n_status w2n_codegen_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, uint8_t **out,
                            size_t *out_size, w2n_error *err);

#endif
