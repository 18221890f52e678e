/*
 * lower.h — state shared by the files that lower Wasm to LLVM IR.
 *
 * lower_function.c drives one function at a time: it keeps the control
 * stack, lower_core.c the operand stack of LLVM values and the services every
 * family uses, lower_trap.c the trap blocks; and hands each instruction to the file of its
 * family (lower_control.c, lower_numeric.c, lower_memory.c, lower_call.c,
 * lower_table.c, lower_simd.c).  A family function returns true when it
 * handled the opcode.  The input is validated before lowering, so the
 * lowering never re-checks types; it only asserts its own invariants.
 */
#ifndef W2N_LOWER_H
#define W2N_LOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include "instr.h"
#include "module.h"
#include "module_facts.h"
#include "w2n/abi.h"
#include "w2n/compiler.h"
#include "w2n_assert.h"
#include "xalloc.h"

/* One memory access of a loop's fast version (loop_version.c): its address
 * before the offset, zext(addr) to i64, its explicit bounds check, which
 * loop_bounds.c drops when the loop's range check covers the access, and
 * the pointer its loads and stores use.  `may_fault`: guard mode, where an
 * access left uncovered goes back to a volatile access and a guard page. */
typedef struct w2n_fast_access {
    LLVMValueRef eff;
    LLVMValueRef oob;
    LLVMValueRef ptr;
    uint64_t offset;
    unsigned size;
    bool may_fault;
    bool wide;       /* a 64-bit memory's: eff is the checked add */
    uint32_t memory; /* its memory, below W2N_VERSIONED_MEMORIES */
} w2n_fast_access;

/* The memories whose accesses a loop's range check can cover. */
#define W2N_VERSIONED_MEMORIES 4u

/* A loop lowered twice: a fast version and the ordinary one, chosen at run
 * time by a range check that loop_bounds.c builds in place of `choice`. */
/* The most Wasm instructions a loop's fast version may run without an
 * interrupt check in --interruptible code (loop_bounds.c): 2^26, tens of
 * milliseconds of simple work. */
#define W2N_UNCHECKED_LOOP_WORK (UINT64_C(1) << 26)

/* What a loop's body holds, from the scan that decides to version it. */
typedef struct w2n_loop_body {
    uint32_t instrs;   /* Wasm instructions, its end included */
    uint32_t accesses; /* of them, accesses the range check may cover */
    uint32_t writes;   /* of those, stores and atomics: any that may write */
    bool calls;        /* a call or call_indirect (explicit mode only) */
    bool branches;     /* an if, or a branch other than the loop's own back edge */
    bool exits_early;  /* a branch out of the loop or a return: the data decides */
} w2n_loop_body;

typedef struct w2n_versioned_loop {
    LLVMValueRef choice;                           /* placeholder i1 call before the dispatch */
    LLVMValueRef mem_size[W2N_VERSIONED_MEMORIES]; /* sizes in bytes, read before it */
    LLVMBasicBlockRef entry;                       /* the fast loop's one predecessor outside it */
    LLVMBasicBlockRef header;                      /* the fast loop's header */
    LLVMBasicBlockRef last;                        /* last block appended by the fast pass */
    LLVMBasicBlockRef outer_header;                /* the header of the loop around it, or NULL */
    w2n_loop_body body;                            /* what the loop's body holds */
    bool separate; /* the version that also proves its groups of accesses apart */
    w2n_fast_access *accesses;
    size_t naccesses, accesses_cap;
} w2n_versioned_loop;

/* Module-wide lowering state. */
typedef struct w2n_lower_module {
    const w2n_module *m;
    /* What the whole module uses, found once before partitioning and shared
     * by every partition (front/module_facts.h); read only. */
    const w2n_module_facts *facts;
    const w2n_compile_options *opts;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMTargetDataRef data_layout;

    /* Types used everywhere. */
    LLVMTypeRef t_void, t_i1, t_i8, t_i16, t_i32, t_i64, t_f32, t_f64, t_ptr;
    LLVMTypeRef t_v128; /* <16 x i8> */
    /* GC (lower_gc.c): the module uses references of the any hierarchy;
     * then those and externrefs are t_gcref, ptr addrspace(1). */
    bool gc;
    LLVMTypeRef t_gcref;

    LLVMTypeRef *wasm_fn_types; /* native signature of each module type */
    LLVMValueRef *funcs;        /* LLVM function of every Wasm function:
                                      defined ones, and import adapters for imports */
    LLVMValueRef *host_thunks;  /* per type index, made on first use (lower_entry.c) */
    const struct w2n_target *target;
    uint32_t tail_calls, tail_calls_unsure; /* for w2n_compile_stats (lower_call.c) */

    /* Alias classes (TBAA): linear memory never aliases the runtime's own
     * structures, so stores to memory do not force reloads of bases. */
    LLVMValueRef tbaa_memory, tbaa_vmctx, tbaa_runtime, tbaa_global, tbaa_table;
    unsigned md_kind_tbaa, md_kind_invariant, md_kind_nonnull, md_kind_range;
    unsigned md_kind_dereferenceable, md_kind_align;
    LLVMValueRef loop_choice_fn; /* declaration of the placeholder (loop_version.c) */
    /* A module past the function budget checks the stack in one shared
     * function, made on first use (lower_function.c). */
    bool many_functions;
    LLVMValueRef stack_check_fn;
    /* Per Wasm function: called in the target's private convention, the
     * vmctx in a callee-saved register (lower_convention.c); NULL: none is. */
    bool *private_cc;
    /* Tables whose elements are known (lower_table_known.c), made on first
     * use: per table the function of each element, or NULL; per table and
     * type used, the constant array of code call_indirect reads. */
    bool known_tables_scanned;
    uint32_t **known_tables;
    struct w2n_known_table_code {
        uint32_t table, type_index;
        LLVMValueRef code;
    } * known_table_code; /* W2N_OPT_MAX_KNOWN_TABLE_ARRAYS entries */
    uint32_t nknown_table_code;
    uint64_t known_table_code_elements; /* elements of all the arrays made */
    /* Exceptions (lower_exception.c): a module that uses them (tags or an
     * exception instruction) unwinds natively through every function. */
    bool eh;
    LLVMValueRef personality; /* declaration of W2N_SYM_EH_PERSONALITY, on first use */
    w2n_versioned_loop *vloops;
    size_t nvloops, vloops_cap;
    /* The Wasm functions whose bodies w2n_lower_module_body lowers: all
     * defined ones, or one partition's range (compiler/emit/partition.c);
     * the others stay declarations. */
    uint32_t bodies_first, bodies_end;
    struct w2n_lower_debug *debug; /* -g only (lower_debug.c), else NULL */
} w2n_lower_module;

/* One entry of the control stack. */
typedef struct w2n_lower_block {
    uint32_t op; /* W2N_OP_BLOCK / LOOP / IF, or 0 for the function body */
    uint32_t nparams, nresults;
    const w2n_valtype *param_types; /* Wasm value types */
    const w2n_valtype *result_types;
    LLVMBasicBlockRef br_target;  /* loop: header; others: continuation */
    LLVMBasicBlockRef else_block; /* if without else yet: the false edge */
    LLVMValueRef *phis;           /* at br_target: one per label arity value */
    LLVMValueRef *else_params;    /* if: params to re-push at else */
    size_t stack_height;          /* operand stack height below the params */
    w2n_valtype single_result;    /* storage for a one-value block type */
    bool unreachable;             /* the rest of this block is dead code */
    bool has_branch;              /* some br reaches the continuation */
    bool dispatch_loop; /* loop: holds a br_table of DISPATCH_TARGETS or more (lower_control.c) */
    /* try_table: where a thrown exception goes (lower_exception.c). */
    LLVMBasicBlockRef dispatch; /* matches the clauses; phi `exn` of the exception */
    LLVMValueRef exn;
    LLVMBasicBlockRef landing; /* landing pad of the calls inside, made on first use */
    /* legacy try (lower_exception_legacy.c): the dispatch's end, where the
     * next catch's test goes (NULL after catch_all), the exception's tag
     * loaded there, and whether the catch body being lowered holds the
     * exception until it leaves (a rethrow names it). */
    LLVMBasicBlockRef no_match;
    LLVMValueRef exn_tag;
    bool holds_exn;
} w2n_lower_block;

/* Per-function lowering state. */
typedef struct w2n_lower_func {
    w2n_lower_module *lm;
    uint32_t func_index; /* Wasm function index */
    const w2n_functype *type;
    LLVMValueRef fn;
    LLVMBuilderRef b;
    LLVMValueRef vmctx; /* first parameter */
    uint32_t nlocals;   /* params + declared locals */
    w2n_valtype *local_types;
    LLVMValueRef *locals; /* allocas, promoted by mem2reg */

    LLVMValueRef *stack; /* operand stack */
    size_t sp, stack_cap;
    w2n_lower_block *blocks; /* control stack */
    size_t nblocks, blocks_cap;

    LLVMBuilderRef phi_b;                          /* places phis at the top of merge blocks */
    size_t dead_depth;                             /* blocks opened inside dead code */
    LLVMBasicBlockRef trap_blocks[W2N_TRAP_COUNT]; /* shared per trap code, cold */
    w2n_versioned_loop *fast;                      /* set while lowering a loop's fast version */
    bool unoptimised;          /* past the optimisation budget: optnone, no loop versions */
    bool calls;                /* the body has a call or call_indirect */
    uint32_t fuel_pending;     /* instructions not yet charged (lower_fuel.c) */
    LLVMValueRef fuel_counter; /* the store's counter, vmctx->fuel */
    LLVMValueRef fuel_left;    /* alloca: this function's copy of it */
    w2n_error *err;
    /* legacy catches that a rethrow names (lower_exception_legacy.c), found
     * when the first `try` is lowered */
    struct w2n_rethrown_catch *rethrown;
    size_t nrethrown;
    bool rethrown_scanned;
    /* -g (lower_debug.c): the DISubprogram, and the scope of the current file */
    LLVMMetadataRef di_scope, di_file, di_block;
} w2n_lower_func;

/* ---- operand stack (lower_core.c) ------------------------------------------- */
/* Push v; a float or v128 identity constant (-0, +-1) goes in behind an
 * llvm.arithmetic.fence so that no later fold can drop a quieting op. */
void w2n_lower_push(w2n_lower_func *f, LLVMValueRef v);
/* llvm.arithmetic.fence(v): v, opaque to LLVM's folds, no instruction. */
LLVMValueRef w2n_lower_fence(w2n_lower_func *f, LLVMValueRef v);
/* The scalar constant behind such a fence that nothing uses yet, else NULL. */
LLVMValueRef w2n_lower_fenced_constant(LLVMValueRef v);
/* The same constant with the fence erased, for an op that no fold can turn
 * into its operand; else NULL. */
LLVMValueRef w2n_lower_unfence(LLVMValueRef v);
LLVMValueRef w2n_lower_pop(w2n_lower_func *f);
/* Pop a value that must have LLVM type `type` (W2N_ASSERT checks it). */
LLVMValueRef w2n_lower_pop_as(w2n_lower_func *f, LLVMTypeRef type);
LLVMValueRef w2n_lower_peek(w2n_lower_func *f, size_t depth); /* 0 = top */
/* Pop n operands into out[0..n-1], deepest first (the order they were pushed). */
void w2n_lower_pop_n(w2n_lower_func *f, LLVMValueRef *out, unsigned n);
/* The same, widening the operands marked in `wide` (bit i: out[i]) to i64 as
 * the runtime helpers take addresses and lengths (zero-extending an i32). */
void w2n_lower_pop_n_wide(w2n_lower_func *f, LLVMValueRef *out, unsigned n, unsigned wide);

/* ---- helpers (lower_core.c; traps in lower_trap.c) ------------------------- */
/* An i32 constant (indices of tables, memories, segments passed to helpers). */
LLVMValueRef w2n_lower_u32(w2n_lower_func *f, uint32_t v);
/* LLVM type of a Wasm value type. */
LLVMTypeRef w2n_lower_type(w2n_lower_module *lm, w2n_valtype valtype);
/* Fill lm's LLVM types (t_i32, ...) and alias-class metadata (lower_core.c). */
void w2n_lower_init_types(w2n_lower_module *lm);
void w2n_lower_init_metadata(w2n_lower_module *lm);
/* Branch to a shared cold block that calls helpers->trap(vmctx, code) when cond. */
void w2n_lower_trap_if(w2n_lower_func *f, LLVMValueRef cond, w2n_trap_code code);
/* The same, naming an element index in the message ("uninitialized element 2"). */
void w2n_lower_trap_if_index(w2n_lower_func *f, LLVMValueRef cond, w2n_trap_code code,
                             LLVMValueRef index);
/* Trap unconditionally (the current block then ends in unreachable). */
void w2n_lower_trap(w2n_lower_func *f, w2n_trap_code code);
/* Call an overloaded LLVM intrinsic, e.g. ("llvm.ctlz", {i32}, {x, false}). */
LLVMValueRef w2n_lower_intrinsic(w2n_lower_func *f, const char *name, LLVMTypeRef *overloads,
                                 unsigned noverloads, LLVMValueRef *args, unsigned nargs);
/* Whether v calls an intrinsic whose name starts with `prefix`, e.g.
 * "llvm.fabs." (any overload) or "llvm." (any intrinsic). */
bool w2n_lower_calls_intrinsic(LLVMValueRef v, const char *prefix);
/* Load a pointer at base + offset that never changes once instantiated
 * (vmctx arrays, w2n_func records): an invariant load. */
LLVMValueRef w2n_lower_fixed_ptr(w2n_lower_func *f, LLVMValueRef base, uint64_t offset);
/* Mark a loaded pointer as pointing at `bytes` readable bytes (none: no mark). */
void w2n_lower_dereferenceable(w2n_lower_module *lm, LLVMValueRef load, uint64_t bytes);
/* The same for a value of any type (a type id, a record's call_id). */
LLVMValueRef w2n_lower_fixed_load(w2n_lower_func *f, LLVMTypeRef type, LLVMValueRef base,
                                  uint64_t offset);
/* Load a pointer-sized field of the vmctx (invariant, non-null). */
LLVMValueRef w2n_lower_vmctx_field(w2n_lower_func *f, unsigned offset);
/* Load helper `index` (enum w2n_helper_index) from vmctx->helpers. */
LLVMValueRef w2n_lower_helper(w2n_lower_func *f, unsigned index);
/* Tag a load or store with a TBAA alias class. */
void w2n_lower_tbaa(w2n_lower_module *lm, LLVMValueRef inst, LLVMValueRef tag);
/* Mark a load as invariant: what it reads never changes while code runs. */
void w2n_lower_invariant(w2n_lower_module *lm, LLVMValueRef load);
/* Guard mode: memory accesses are volatile and the hardware checks bounds. */
bool w2n_lower_guard_bounds(const w2n_lower_module *lm);
/* Keep a store to other Wasm-visible state (a global, a table element) in
 * program order with the guard-mode memory accesses around it. */
void w2n_lower_ordered_store(w2n_lower_func *f, LLVMValueRef store);
/* Add the enum attribute `name` to function fn. */
void w2n_lower_fn_attr(w2n_lower_module *lm, LLVMValueRef fn, const char *name);
/* Mark a function to be compiled without optimisation (optnone, noinline). */
void w2n_lower_unoptimised(w2n_lower_module *lm, LLVMValueRef fn);

/* ---- the drivers ---------------------------------------------------------------- */
/* Set up types, alias classes and one LLVM function per Wasm function (lower_module.c). */
void w2n_lower_module_init(w2n_lower_module *lm, const w2n_module *m, const w2n_module_facts *facts,
                           const w2n_compile_options *opts, LLVMContextRef ctx, LLVMModuleRef mod);
/* Lower every body (of [bodies_first, bodies_end)), then the trampolines, adapters and symbol arrays. */
w2n_status w2n_lower_module_body(w2n_lower_module *lm, w2n_error *err);
void w2n_lower_module_free(w2n_lower_module *lm);
/* Trampolines, import adapters and the symbol arrays of abi.h (lower_entry.c). */
void w2n_lower_entries(w2n_lower_module *lm);
/* The host-call thunk of module type `type_index`: R thunk(vmctx, w2n_func *record,
 * params...) calls helpers->call_func with the arguments in slots (lower_entry.c). */
LLVMValueRef w2n_lower_host_thunk(w2n_lower_module *lm, uint32_t type_index);
/* Choose each function's convention (lm->private_cc), after lm->target,
 * many_functions and gc are set (lower_convention.c). */
void w2n_lower_conventions_init(w2n_lower_module *lm);
/* Give the declaration of function `func_index` its convention. */
void w2n_lower_declare_convention(w2n_lower_module *lm, LLVMValueRef fn, uint32_t func_index);
/* Make a call (or invoke) of `callee` in its convention: a direct call of
 * a function declared here in its declaration's, any other in the C one. */
void w2n_lower_call_convention(w2n_lower_module *lm, LLVMValueRef call, LLVMValueRef callee);
/* A constant table `name` of the code addresses `targets[0..n)` (NULL for
 * none) as 32-bit offsets from the table's start, 0 for none:
 * resolved in the file, nothing for the loader to patch (code_offsets.c).
 * The linkage is the caller's to set. */
LLVMValueRef w2n_lower_code_offset_table(w2n_lower_module *lm, const char *name,
                                         const LLVMValueRef *targets, unsigned n);
/* A private constant table `name` of the code addresses `targets[0..n)`
 * (null for none) as 8-byte pointers, which the loader relocates: for the
 * tables compiled code reads on a hot path (code_offsets.c). */
LLVMValueRef w2n_lower_code_pointer_table(w2n_lower_module *lm, const char *name,
                                          LLVMValueRef *targets, unsigned n);
/* Entry `index` (i32 or i64, within the table) of such a table; the IR names
 * its address `slot_name` and the loaded value `name`. */
LLVMValueRef w2n_lower_load_code_pointer(w2n_lower_func *f, LLVMValueRef table, LLVMValueRef index,
                                         const char *slot_name, const char *name);
/* For a call_indirect of type `type_index` through `table`, whose elements
 * nothing can change: a constant array of the table's size holding, per
 * element, the code of a function defined here of that type, else null;
 * NULL when the table's elements are not known (lower_table_known.c). */
LLVMValueRef w2n_lower_known_table_code(w2n_lower_module *lm, uint32_t table, uint32_t type_index);
void w2n_lower_known_tables_free(w2n_lower_module *lm);
/* Lower the dispatch br_table on `index` (targets `all[0..n)`, default
 * `all[n]`, reached through `edges` indexed by depth) as a table of code
 * addresses and an indirectbr when its index is a byte and the target wants
 * one; false, with nothing built, otherwise (lower_dispatch.c). */
bool w2n_lower_threaded_dispatch(w2n_lower_func *f, LLVMValueRef index, LLVMBasicBlockRef *edges,
                                 const uint32_t *all, uint32_t n);
/* Lower the body of defined function `func_index` into lm->funcs[func_index]. */
w2n_status w2n_lower_function(w2n_lower_module *lm, uint32_t func_index, w2n_error *err);
/* Lower instructions until the control stack is back to `depth` blocks or
 * the body ends (lower_function.c). */
w2n_status w2n_lower_instrs(w2n_lower_func *f, w2n_instr_reader *ir, size_t depth);
/* Lower one instruction, skipping dead code (lower_function.c). */
w2n_status w2n_lower_instr(w2n_lower_func *f, const w2n_instr *in);

/* ---- debug information, -g (lower_debug.c) ------------------------------------
 * begin after w2n_lower_module_init (reads the module's line table), a
 * function's subprogram before its entry, each instruction's location
 * before its handler, end (finalises the DWARF) before verifying; without
 * -g, begin is not called and the others do nothing. */
typedef struct w2n_lower_debug w2n_lower_debug;
w2n_status w2n_lower_debug_begin(w2n_lower_module *lm, w2n_error *err);
void w2n_lower_debug_function(w2n_lower_func *f, size_t body_start);
void w2n_lower_debug_instr(w2n_lower_func *f, const w2n_instr *in);
void w2n_lower_debug_end(w2n_lower_module *lm);

/* ---- loop versioning (loop_version.c, loop_bounds.c) ------------------------ */
/* Is the loop whose LOOP instruction was just read worth a fast version? */
bool w2n_loop_version_wanted(w2n_lower_func *f, w2n_instr_reader *ir, w2n_loop_body *body);

/* opt_budget.c: true when a function, of body `code` and facts `ff`, is too
 * large to optimise in about linear time (w2n/limits.h, W2N_OPT_*); it is
 * then compiled as at -O0. */
bool w2n_opt_budget_exceeded(const w2n_code *code, const w2n_function_facts *ff);
/* opt_budget.c: true when a module has too many functions to optimise each
 * in full (W2N_OPT_MAX_MODULE_FUNCTIONS): a short IR pipeline and LLVM's
 * -O0 back end (compiler/emit/codegen.c). */
bool w2n_opt_budget_module_exceeded(const w2n_module *m);
/* Lower that loop twice, fast and ordinary, behind a placeholder choice. */
w2n_status w2n_lower_versioned_loop(w2n_lower_func *f, w2n_instr_reader *ir, const w2n_instr *loop,
                                    const w2n_loop_body *held);
/* After mem2reg: replace every placeholder choice by a range check (or
 * false), and drop the covered checks of the fast versions. */
void w2n_loop_bounds_resolve(w2n_lower_module *lm, w2n_compile_stats *stats);
/* Are guard-mode accesses volatile here?  Not in explicit mode, and not in a
 * fast version, whose accesses are checked or proven in bounds. */
bool w2n_lower_mem_volatile(const w2n_lower_func *f);
/* Memory `memory`'s current size in bytes (i64), known to be at least its
 * declared minimum (!range); _plain without that, for the range check that
 * chooses a loop's version (loop_version.c). */
LLVMValueRef w2n_lower_mem_size(w2n_lower_func *f, uint32_t memory);
LLVMValueRef w2n_lower_mem_size_plain(w2n_lower_func *f, uint32_t memory);
/* Open the function's own frame (lower_control.c). */
void w2n_lower_control_begin(w2n_lower_func *f);
/* The current block has ended (br, return, a tail call): what follows up to
 * its end is dead code, which is skipped. */
void w2n_lower_mark_dead(w2n_lower_func *f);
/* In dead code: true if `in` is skipped (only nesting is tracked). */
bool w2n_lower_control_skip_dead(w2n_lower_func *f, const w2n_instr *in);
/* Trap if the host asked to interrupt (only with opts->interruptible). */
void w2n_lower_interrupt_check(w2n_lower_func *f);
/* ---- fuel (lower_fuel.c; only with opts->fuel) ----------------------------- */

/* Count live instruction `in`; before a control instruction, charge the count. */
void w2n_lower_fuel_count(w2n_lower_func *f, const w2n_instr *in);
/* Charge what was counted so far to the function's copy of the counter. */
void w2n_lower_fuel_flush(w2n_lower_func *f);
/* Write the copy to the store's counter and trap if it is below zero (at
 * loop headers, before calls and at the return). */
void w2n_lower_fuel_sync(w2n_lower_func *f);
/* At the function's entry: take a copy of the store's counter. */
void w2n_lower_fuel_enter(w2n_lower_func *f);
/* After a call: the callee (or the host) charged the counter; copy it again. */
void w2n_lower_fuel_reload(w2n_lower_func *f);

/* Call a function of LLVM type `fn_type` and push its results. */
void w2n_lower_emit_call(w2n_lower_func *f, LLVMTypeRef fn_type, LLVMValueRef callee,
                         LLVMValueRef callee_vmctx, const w2n_functype *type);
/* Call helper `index` with the given LLVM signature (vmctx is prepended). */
LLVMValueRef w2n_lower_call_helper(w2n_lower_func *f, unsigned index, LLVMTypeRef ret,
                                   LLVMValueRef *args, unsigned nargs);

/* ---- instruction handlers: true when the opcode was theirs -------------------- */
/* Every HANDLER named in opcodes.def, declared from the table itself, so a new
 * row's function needs no declaration here.  The families: lower_control.c
 * (control, drop, select), lower_numeric.c, lower_memory.c (loads, stores,
 * memory.*), lower_function.c (w2n_lower_variable: locals, globals), lower_call.c,
 * lower_table.c (tables, references), lower_simd.c, lower_simd_memory.c;
 * w2n_lower_unsupported for rows of features w2n does not implement. */
#define W2N_OP(prefix, code, id, name, imm, sig, size, feature, handler) \
    bool handler(w2n_lower_func *f, const w2n_instr *in);
#include "opcodes.def"
#undef W2N_OP

/* Whether row `row` of the instruction table has a real lowering handler. */
bool w2n_lower_has_handler(unsigned row);

/* Branch to the label `depth` when `cond`, carrying the operands the label
 * takes (the top of the stack), which stay on the stack for the code after
 * (br_on_cast, br_on_cast_fail; lower_control.c). */
void w2n_lower_br_on_keeping(w2n_lower_func *f, uint32_t depth, LLVMValueRef cond);

/* The innermost block's current part ends (else, a legacy catch): if live,
 * its results go to the continuation; the stack goes back to the block's
 * base and the next part starts live (lower_control.c). */
void w2n_lower_block_next_part(w2n_lower_func *f);

/* ---- exceptions (lower_exception.c) ------------------------------------------ */
/* The declaration of the runtime's personality routine (W2N_SYM_EH_PERSONALITY). */
LLVMValueRef w2n_lower_personality(w2n_lower_module *lm);
/* Where a call that throws goes: the landing pad of the innermost try_table
 * of the function, or NULL outside every try_table (lower_call.c then makes
 * a plain call, else an invoke). */
LLVMBasicBlockRef w2n_lower_landing_pad(w2n_lower_func *f);
/* try_table's block was pushed: build its dispatch (lower_control.c calls it). */
void w2n_lower_try_table_begin(w2n_lower_func *f, w2n_lower_block *b, const w2n_instr *in);
/* Raise `exn` from the current block: to the innermost handler below control
 * depth `below` (an index into f->blocks, exclusive), else to the caller.
 * Ends the current block. */
void w2n_lower_exception_raise(w2n_lower_func *f, size_t below, LLVMValueRef exn);
/* The tag's parameters from exception `exn`'s payload, into vals. */
void w2n_lower_exception_payload(w2n_lower_func *f, LLVMValueRef exn, const w2n_functype *type,
                                 LLVMValueRef *vals);

/* ---- GC references (lower_gc.c) ------------------------------------------------ */
/* Is `t` a reference lowered as t_gcref (only in a module that uses GC)? */
bool w2n_lower_is_gc_ref(const w2n_lower_module *lm, w2n_valtype t);
/* Give a defined function the statepoint strategy (GC modules only). */
void w2n_lower_gc_function(w2n_lower_module *lm, LLVMValueRef fn);
/* Give an entry trampoline or host-call thunk unwind tables (GC modules
 * only): the collector's stack walk must pass its frame to reach the Wasm
 * frames beyond, and stops with a trap where it cannot (runtime/gc/
 * stack_walk.c); Wasm functions have them already. */
void w2n_lower_gc_walkable(w2n_lower_module *lm, LLVMValueRef fn);
/* Mark a call of helper `helper` as one that cannot collect, unless it can
 * (GC modules only). */
void w2n_lower_gc_helper_call(w2n_lower_module *lm, unsigned helper, LLVMValueRef call);
/* Keep `call` out of the statepoint rewrite, which would make it an
 * ordinary call (GC modules only): a helper that cannot collect, or a tail
 * call, after which the caller holds nothing (lower_call.c). */
void w2n_lower_gc_leaf_call(w2n_lower_module *lm, LLVMValueRef call);
/* GC objects (lower_gc_object.c, lower_gc_array.c): the typedef of a
 * struct or array type; the LLVM type of a field's storage (i8, i16 for
 * packed ones); a field's address; a field's load (packed ones widened to
 * i32) and store (narrowed); an allocation of type `type` of `bytes` (i64)
 * with `length` (i32, arrays; NULL for structs): inline bump, else
 * helpers->gc_alloc. */
const w2n_typedef *w2n_lower_gc_typedef(w2n_lower_func *f, uint32_t type);
LLVMTypeRef w2n_lower_gc_storage_type(w2n_lower_module *lm, w2n_valtype storage);
LLVMValueRef w2n_lower_gc_field_addr(w2n_lower_func *f, LLVMValueRef obj, LLVMValueRef offset);
LLVMValueRef w2n_lower_gc_load(w2n_lower_func *f, LLVMValueRef addr, w2n_valtype storage,
                               bool is_signed);
void w2n_lower_gc_store(w2n_lower_func *f, LLVMValueRef addr, w2n_valtype storage, LLVMValueRef v);
LLVMValueRef w2n_lower_gc_alloc(w2n_lower_func *f, uint32_t type, LLVMValueRef length,
                                LLVMValueRef bytes);
/* i1: is a function of canonical type id `actual` acceptable where type
 * id `expected` is, a type that is not final: equal ids, else the runtime's
 * subtype check (helpers->type_sub). */
LLVMValueRef w2n_lower_func_type_matches(w2n_lower_func *f, LLVMValueRef actual,
                                         LLVMValueRef expected);

/* ---- legacy exceptions (lower_exception_legacy.c) ---------------------------- */
/* catch, catch_all, rethrow (try and delegate are lower_control.c's block
 * and end, which call the two below). */
bool w2n_lower_legacy_exception(w2n_lower_func *f, const w2n_instr *in);
/* A `try` block was pushed: start its dispatch. */
void w2n_lower_legacy_try_begin(w2n_lower_func *f, w2n_lower_block *b);
/* The `end` or `delegate` (in) of try block b, before its results go on:
 * send what no catch took onwards. */
void w2n_lower_legacy_try_end(w2n_lower_func *f, w2n_lower_block *b, const w2n_instr *in);
/* A branch from the current block to the label of control depth `target`
 * (an index into f->blocks; its continuation, the end of a part included)
 * is about to be built: give back the exceptions of the catch bodies it
 * leaves (with emit).  Whether there are any. */
bool w2n_lower_legacy_leaving(w2n_lower_func *f, size_t target, bool emit);

/* vmctx->funcs[index], the w2n_func record of a function (lower_call.c). */
LLVMValueRef w2n_lower_func_record(w2n_lower_func *f, uint32_t index);
/* Whether table `table` is declared with minimum == maximum, a size it keeps
 * for good (lower_table.c); that size in *out_size. */
bool w2n_lower_table_fixed_size(const w2n_lower_module *lm, uint32_t table, uint32_t *out_size);
/* Table `table`'s current size (i32; a constant when fixed) and the address
 * of element `index`; `rec` is its w2n_table_abi (vmctx->tables[table]). */
LLVMValueRef w2n_lower_table_size(w2n_lower_func *f, uint32_t table, LLVMValueRef rec);
/* Is `index` (i32, or i64 for a 64-bit table) at or past the table's size? */
LLVMValueRef w2n_lower_table_oob(w2n_lower_func *f, uint32_t table, LLVMValueRef rec,
                                 LLVMValueRef index);
LLVMValueRef w2n_lower_table_slot(w2n_lower_func *f, uint32_t table, LLVMValueRef rec,
                                  LLVMValueRef index);

/* Memory address of a load/store: checks bounds per the mode (trapping) and
 * returns a pointer for `size` bytes at addr + offset (lower_memory.c). */
LLVMValueRef w2n_lower_mem_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                   uint64_t offset, unsigned size);
/* The same for a store.  In guard mode on a target where a faulting store
 * may already have written part of its bytes (RISC-V: LLVM splits unaligned
 * stores into byte stores, and misaligned stores emulated by the kernel are
 * byte stores too), a volatile load of the last byte comes first, so that a
 * store reaching past the end traps before writing anything, as Wasm says. */
LLVMValueRef w2n_lower_mem_store_address(w2n_lower_func *f, uint32_t memory, LLVMValueRef addr,
                                         uint64_t offset, unsigned size);

#endif
