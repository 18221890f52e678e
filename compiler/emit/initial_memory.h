/*
 * initial_memory.h — the module's initial linear memory as whole pages of
 * the object (initial_memory.c; the format is common/memory_image.h).
 */
#ifndef W2N_INITIAL_MEMORY_H
#define W2N_INITIAL_MEMORY_H

#include <stdbool.h>

#include <llvm-c/Core.h>

#include "module.h"

/* Add the section W2N_MEMORY_IMAGE_SECTION to `mod` when the module's
 * active data segments allow one; true when it was added. */
bool w2n_initial_memory_add(LLVMModuleRef mod, const w2n_module *m);

#endif
