/*
 * libcall_stubs.h — calls to the C library (common/libcalls.def) that need
 * no relocation in code at load (libcall_stubs.c).
 */
#ifndef W2N_LIBCALL_STUBS_H
#define W2N_LIBCALL_STUBS_H

#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>

#include "w2n/error.h"

/* The stub of library function F is the local function "w2n.libcall.F";
 * it jumps through the pointer "w2n.libcall.slot.F" in .data.rel.ro. */
#define W2N_LIBCALL_STUB_PREFIX "w2n.libcall."
#define W2N_LIBCALL_SLOT_PREFIX "w2n.libcall.slot."

/* Before code generation: a stub for each library function the back end
 * may call for the intrinsics the module declares.  Returns how many. */
unsigned w2n_libcall_stubs_add(LLVMModuleRef mod);

/* After it, in the emitted object: each call from code to a library
 * function that has a stub in the same section is made a call to that
 * stub, so that object_layout.c applies it in the file.  Returns the
 * number redirected, or -1 with *err set for an object it cannot read. */
int64_t w2n_libcall_stubs_redirect(uint8_t *object, size_t size, w2n_error *err);

#endif
