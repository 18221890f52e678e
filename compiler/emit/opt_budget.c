/*
 * opt_budget.c — which functions are too large to optimise.
 *
 * LLVM's -O2 pipeline and back end are not linear in a function's size:
 * SimplifyCFG folds the empty blocks in front of a switch in time quadratic
 * in its cases, and the machine scheduler's work grows faster than a basic
 * block.  A function past W2N_OPT_MAX_BODY_BYTES of code or with more than
 * W2N_OPT_MAX_BR_TABLE_ENTRIES br_table entries is therefore compiled as at
 * -O0 (optnone: LLVM's optimiser skips it, and its back end picks its fast
 * instruction selector and register allocator for it), so that compile time
 * stays about linear in the module's size at any -O.  Real functions of that
 * size are rare (generated tables and unrolled code) and still run, unoptimised.
 *
 * A module's cost at -O2 also has a floor per function, whatever its size:
 * about 1 ms of CPU on the machines measured (0.5 ms for LLVM's IR
 * pipeline, 0.5 ms for its back end), so 100,000 small functions took two
 * minutes.  A module of more than W2N_OPT_MAX_MODULE_FUNCTIONS defined
 * functions (10,000: about 10 s of CPU at -O2, 5 s on two cores) is
 * therefore compiled with a short IR pipeline (mem2reg alone, codegen.c)
 * and LLVM's -O0 back end (fast instruction selector and register
 * allocator), about a tenth of the cost per function.  Real
 * programs measured have 1,260 to 2,216 (docs/performance.md).
 */
#include "lower.h"
#include "w2n/limits.h"

bool w2n_opt_budget_exceeded(const w2n_code *code, const w2n_function_facts *ff) {
    return code->body_end - code->body_start > W2N_OPT_MAX_BODY_BYTES ||
           ff->br_table_entries > W2N_OPT_MAX_BR_TABLE_ENTRIES;
}

bool w2n_opt_budget_module_exceeded(const w2n_module *m) {
    return m->nfuncs - m->nimported_funcs > W2N_OPT_MAX_MODULE_FUNCTIONS;
}
