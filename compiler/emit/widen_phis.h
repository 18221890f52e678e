/*
 * widen_phis.h — 32-bit phis used as addresses made 64-bit (widen_phis.c),
 * a step after LLVM's optimisation on targets whose 32-bit instructions
 * clear the upper half of the register.
 */
#ifndef W2N_WIDEN_PHIS_H
#define W2N_WIDEN_PHIS_H

#include <llvm-c/Core.h>

/* Widen every i32 phi that some zext to i64 uses; returns how many. */
unsigned w2n_widen_address_phis(LLVMModuleRef mod);

#endif
