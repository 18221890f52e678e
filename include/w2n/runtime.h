/*
 * w2n/runtime.h — load compiled objects, instantiate them, call their exports.
 *
 * Everything lives in a w2n_store: instances, host functions, memories,
 * tables and globals are freed together with it.  A store is used by one
 * thread at a time.
 *
 *     w2n_error err;
 *     w2n_object *obj;
 *     if (w2n_object_load_file("app.o", &obj, &err) != W2N_OK) { ... }
 *     w2n_store *store = w2n_store_new(NULL);
 *     w2n_linker *linker = w2n_linker_new(store);
 *     w2n_instance *inst;
 *     w2n_trap trap;
 *     if (w2n_linker_instantiate(linker, obj, &inst, &trap, &err) != W2N_OK) { ... }
 *     w2n_extern fib;
 *     w2n_instance_export(inst, "fib", &fib);
 *     w2n_value arg = w2n_i32(30), result;
 *     if (w2n_func_call(store, fib.of.func, &arg, 1, &result, 1, &trap, &err) == W2N_ERR_TRAP)
 *         printf("trap: %s\n", trap.message);
 *     w2n_linker_free(linker);
 *     w2n_store_free(store);
 *     w2n_object_free(obj);
 */
#ifndef W2N_RUNTIME_H
#define W2N_RUNTIME_H

#include "w2n/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/compiler_flags.h"
#include "w2n/error.h"
#include "w2n/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct w2n_object w2n_object; /* a loaded, relocated, immutable code image */
typedef struct w2n_store w2n_store;
typedef struct w2n_instance w2n_instance;
typedef struct w2n_memory w2n_memory;
typedef struct w2n_table w2n_table;
typedef struct w2n_global w2n_global;
typedef struct w2n_linker w2n_linker;
/* Functions are the ABI's w2n_func (abi.h); host functions extend it. */

/* ---- values --------------------------------------------------------------- */

typedef struct w2n_value {
    w2n_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uint8_t v128[16];
        void *ref; /* funcref: w2n_func*, externref: any host pointer */
    } of;
} w2n_value;

static inline w2n_value w2n_i32(int32_t v) {
    w2n_value x = {W2N_I32, {.i32 = v}};
    return x;
}
static inline w2n_value w2n_i64(int64_t v) {
    w2n_value x = {W2N_I64, {.i64 = v}};
    return x;
}
static inline w2n_value w2n_f32(float v) {
    w2n_value x = {W2N_F32, {.f32 = v}};
    return x;
}
static inline w2n_value w2n_f64(double v) {
    w2n_value x = {W2N_F64, {.f64 = v}};
    return x;
}

/* ---- traps ------------------------------------------------------------------ */

typedef struct w2n_exception w2n_exception;
typedef struct w2n_tag w2n_tag;

#define W2N_TRAP_MAX_FRAMES 32

typedef struct w2n_trap {
    w2n_trap_code code;
    int exit_status;   /* W2N_TRAP_EXIT: the status passed to proc_exit */
    char message[160]; /* the spec's words, e.g. "integer divide by zero" */
    /* W2N_ERR_EXCEPTION: the exception no Wasm handler caught (code is
     * W2N_TRAP_NONE); NULL otherwise.  It belongs to the store. */
    w2n_exception *exception;
    /* The Wasm frames the trap ended, innermost first: the faulting or
     * calling instruction's address in each.  w2n_frame_describe names them
     * while their object is loaded (docs/debugging.md).  Frames past
     * W2N_TRAP_MAX_FRAMES are left out; host functions' are never in. */
    uintptr_t frames[W2N_TRAP_MAX_FRAMES];
    unsigned nframes;
} w2n_trap;

/* Where a code address of loaded Wasm code lies. */
typedef struct w2n_frame_info {
    char function[128];     /* the name section's name, or func[N] */
    uint64_t native_offset; /* of the address from the function's native start */
    /* From an object compiled with -g: the source file and line (file NULL
     * when unknown; it lives as long as the object), or, for a module
     * without DWARF, the Wasm code offset (byte offset in the module). */
    const char *file;
    uint32_t line, column;
    bool has_wasm_offset;
    uint64_t wasm_offset;
} w2n_frame_info;

/* Describe an address of trap.frames; false when it lies in no loaded Wasm
 * function (an entry or adapter, or an object since freed). */
W2N_API bool w2n_frame_describe(uintptr_t pc, w2n_frame_info *out);

/* The spec's text for a trap code ("out of bounds memory access"). */
W2N_API const char *w2n_trap_message(w2n_trap_code code);

/* ---- objects ---------------------------------------------------------------- */

/* Verify the object's seal (its SHA-256), then parse, check, map and
 * relocate an ELF object of this host's architecture.  A wrong hash, or any
 * mismatch (ABI version, architecture, CPU features, unknown relocation or
 * symbol, metadata that disagrees with the code) fails with
 * W2N_ERR_BAD_OBJECT naming both sides. */
W2N_API w2n_status w2n_object_load(const uint8_t *bytes, size_t size, w2n_object **out,
                                   w2n_error *err);
W2N_API w2n_status w2n_object_load_file(const char *path, w2n_object **out, w2n_error *err);
/* The machine this runtime runs on, as a `w2n compile --target` name
 * ("x86_64", "aarch64", "riscv64"; under qemu-user the emulated one), or
 * NULL when it is none of those. */
W2N_API const char *w2n_host_target(void);

/* The same, and require an Ed25519 signature by `trusted_key` (32 bytes; NULL
 * requires none): an unsigned object, one signed by another key or one whose
 * signature does not verify is W2N_ERR_BAD_OBJECT.  A runtime built without
 * W2N_SIGNING fails every such load with W2N_ERR_UNSUPPORTED. */
W2N_API w2n_status w2n_object_load_trusted(const uint8_t *bytes, size_t size,
                                           const uint8_t *trusted_key, w2n_object **out,
                                           w2n_error *err);
W2N_API w2n_status w2n_object_load_file_trusted(const char *path, const uint8_t *trusted_key,
                                                w2n_object **out, w2n_error *err);
/* The cache of verified seals (docs/security.md, "Mapped object files and
 * the seal cache"): w2n_object_load_file skips the hash of a file whose
 * seal it verified before while the file's device, inode, size and times
 * are unchanged.  It uses the directory $W2N_SEAL_CACHE, or when that is
 * unset the directory set here (created, mode 0700, at the first entry),
 * or none: the default is none; set to "" or NULL for none again.  An
 * empty $W2N_SEAL_CACHE turns the cache off.  `w2n-run` sets
 * $XDG_CACHE_HOME/w2n/seals (~/.cache/w2n/seals).  Call it before loading,
 * not while other threads load. */
W2N_API void w2n_seal_cache_set_default(const char *dir);
/* Verify the seal of the object file at `path` and remember it in that
 * cache, so that its first load need not hash it (`w2n compile` calls this
 * for each object it writes).  The file is read back and hashed once the
 * file system's clock has passed its change time, which it waits for (a
 * few milliseconds at most: none for a file system whose timestamps are
 * coarser); only for a regular file that nobody but the running user or
 * root can write.  Returns whether it remembered the file: false is never
 * an error, the first load then hashes. */
W2N_API bool w2n_seal_cache_add_file(const char *path);
/* Free a loaded object; every store that instantiated it must be freed first
 * (its instances run the object's code). */
W2N_API void w2n_object_free(w2n_object *obj);

/* Introspection of what an object imports and exports (index < count). */
W2N_API uint32_t w2n_object_import_count(const w2n_object *obj);
W2N_API void w2n_object_import(const w2n_object *obj, uint32_t index, const char **module,
                               const char **name, w2n_extern_kind *kind);
/* The limits of memory import `index` (false when it is not a memory):
 * what a host must provide, e.g. a shared memory for wasi-threads. */
W2N_API bool w2n_object_import_memory(const w2n_object *obj, uint32_t index, w2n_limits *limits);
W2N_API uint32_t w2n_object_export_count(const w2n_object *obj);
W2N_API void w2n_object_export(const w2n_object *obj, uint32_t index, const char **name,
                               w2n_extern_kind *kind);

/* Where the time of this object's load went, for measuring start-up
 * (`w2n-run --time-instantiate` prints it): the loader's steps in order
 * ("seal", "elf", "map", "relocate", ...), each with the CPU time the
 * loading thread spent in it (user and system), in microseconds.  Returns how many (*out is valid while the object lives);
 * 0 for an object not loaded from ELF, or loaded while recording was off.
 * Recording is off by default (reading a thread's CPU clock is a system
 * call, ~10 us a load): w2n_load_phases_record(true) turns it on for the
 * loads that start afterwards, in every thread.
 *
 *     const w2n_load_phase *p;
 *     for (uint32_t i = 0, n = w2n_object_load_phases(obj, &p); i < n; i++)
 *         printf("%s %.1f\n", p[i].name, p[i].us);
 */
#define W2N_LOAD_PHASES_MAX 24
typedef struct w2n_load_phase {
    const char *name; /* a static string */
    double us;
} w2n_load_phase;
W2N_API uint32_t w2n_object_load_phases(const w2n_object *obj, const w2n_load_phase **out);
W2N_API void w2n_load_phases_record(bool on);

/* Name the object's functions for `perf`: append their addresses, sizes and
 * symbols (w2n_f<index>, or w2n:<name> from the module's name section) to
 * /tmp/perf-<this process's id>.map, where perf looks up code that no file
 * backs.  The file is not removed: perf reads it after the process ends. */
W2N_API w2n_status w2n_object_write_perf_map(const w2n_object *obj, w2n_error *err);

/* ---- stores and externals ----------------------------------------------------- */

/* Resource limits of a store (docs/security.md).  A zero number means no
 * limit of w2n's own: the spec's (65536 pages, 2^32 - 1 elements) and the
 * host's still apply.  Past a limit, memory.grow and table.grow return -1,
 * whether compiled code or the host (w2n_memory_grow) asks, as the spec
 * allows any grow to fail; creating a memory, table or instance past one
 * (instantiation included: a module whose initial memory is too large, one
 * instance too many) fails with W2N_ERR_LIMIT and creates nothing more.
 * Memories and tables count whether an instance or the host made them.
 *
 *     w2n_store_options o = {.limits = {.max_memory = 64 << 20, .max_instances = 1}};
 *     w2n_store *store = w2n_store_new(&o);
 *
 * The callbacks, when set, are asked after the numbers have passed, before
 * each creation (current 0) and each grow by more than 0, and may refuse
 * (return false) for reasons of their own, as Wasmtime's ResourceLimiter
 * may.  `maximum` is the declared maximum (bytes / elements), or the spec's
 * when none is declared.  They run on the thread that grows, with Wasm
 * code below them on the stack: they must not call into the store. */
typedef struct w2n_store_limits {
    uint64_t max_memory;         /* bytes of linear memory, all the store's memories
                                     together (a store running one module with one
                                     memory: that memory's size) */
    uint64_t max_table_elements; /* elements of any one table */
    uint32_t max_instances;      /* instances, those whose instantiation trapped included */
    uint32_t max_memories;       /* linear memories */
    uint32_t max_tables;         /* tables */
    bool (*memory_growing)(void *data, uint64_t current, uint64_t desired, uint64_t maximum);
    bool (*table_growing)(void *data, uint64_t current, uint64_t desired, uint64_t maximum);
    void *data; /* passed to the callbacks */
    /* Exceptions alive at once and their bytes (0: 65536 and 64 MiB); a
     * throw past either traps "too many live exceptions". */
    uint32_t max_exceptions;
    uint64_t max_exception_bytes;
    /* Bytes of GC objects the store may hold (0: 1 GiB; docs/gc.md).  An
     * allocation that does not fit after a collection traps "out of
     * memory" in Wasm, W2N_ERR_LIMIT for the host.  A collection copies the
     * survivors, so the heap's memory reaches this plus the live bytes. */
    uint64_t max_gc_heap;
} w2n_store_limits;

/* Where linear memories ask the kernel for transparent huge pages
 * (MADV_HUGEPAGE): fewer page faults, but RAM taken in 2 MiB steps and cache
 * sets that 2 MiB of contiguous physical memory decides (runtime/core/memory.c,
 * docs/performance.md "Huge pages: the default").  The default is GROWN. */
typedef enum w2n_huge_pages {
    W2N_HUGE_PAGES_DEFAULT = 0, /* the runtime's choice: W2N_HUGE_PAGES_GROWN */
    W2N_HUGE_PAGES_NEVER,       /* nowhere: 4 KiB pages */
    W2N_HUGE_PAGES_ALWAYS,      /* the whole memory, from its creation */
    W2N_HUGE_PAGES_GROWN,       /* only the bytes memory.grow adds, below 64 MiB */
} w2n_huge_pages;

typedef struct w2n_store_options {
    size_t stack_size;         /* bytes of native stack Wasm may use (default 1 MiB) */
    bool no_huge_pages;        /* no transparent huge pages at all, for linear memories
                                     and the GC heap (overrides huge_pages) */
    w2n_store_limits limits;   /* all zero: no limits but the spec's */
    w2n_huge_pages huge_pages; /* linear memories' placement (gc/heap.c asks unless
                                     no_huge_pages or W2N_HUGE_PAGES_NEVER) */
} w2n_store_options;

W2N_API w2n_store *w2n_store_new(const w2n_store_options *opts); /* NULL opts = defaults */
W2N_API void w2n_store_free(w2n_store *store);

typedef struct w2n_extern {
    w2n_extern_kind kind;
    union {
        w2n_func *func;
        w2n_table *table;
        w2n_memory *memory;
        w2n_global *global;
        w2n_tag *tag;
    } of;
} w2n_extern;

/* A host function gets its arguments in slots 0..nparams-1 and writes its
 * results to slots 0..nresults-1 (see abi.h).  `caller` is the instance
 * whose code called it (for its memory); it may be NULL when the host calls
 * the function itself.  To trap, call w2n_host_trap and return. */
typedef void (*w2n_host_fn)(void *data, w2n_instance *caller, w2n_raw *args_and_results);

/* Callable from Wasm once imported, or put in a table (w2n_table_set). */
W2N_API w2n_func *w2n_host_func_new(w2n_store *store, const w2n_functype *type, w2n_host_fn fn,
                                    void *data);
/* From inside a host function: make the current Wasm call trap once the host
 * function returns.  W2N_TRAP_EXIT carries `exit_status`. */
W2N_API void w2n_host_trap(w2n_instance *caller, w2n_trap_code code, int exit_status,
                           const char *message);

/* ---- exceptions --------------------------------------------------------------
 * A tag is an exception's identity: `params` are its payload's types (a
 * function type with no results).  Tags made here, or defined by instances,
 * belong to the store.  An exception is one throw's tag and payload: Wasm
 * makes them with `throw`, the host with w2n_exception_new.  The store owns
 * every exception.  One that Wasm catches with `catch` or `catch_all` (no
 * reference kept) is freed there; one that ever became a value (an exnref:
 * catch_ref, catch_all_ref, an uncaught exception handed to the host, one
 * the host made) lives until the store is freed.  The store bounds how many
 * are alive (w2n_store_limits.max_exceptions, max_exception_bytes). */
W2N_API w2n_tag *w2n_tag_new(w2n_store *store, const w2n_functype *type, w2n_error *err);
/* The tag's payload types (nresults is 0); valid while the process lives. */
W2N_API const w2n_functype *w2n_tag_type(const w2n_tag *tag);
/* A new exception of `tag` with payload values of its types. */
W2N_API w2n_status w2n_exception_new(w2n_store *store, w2n_tag *tag, const w2n_value *values,
                                     uint32_t nvalues, w2n_exception **out, w2n_error *err);
W2N_API w2n_tag *w2n_exception_tag(const w2n_exception *exn);
W2N_API uint32_t w2n_exception_arity(const w2n_exception *exn);
/* Payload value `index` (< arity). */
W2N_API w2n_value w2n_exception_value(const w2n_exception *exn, uint32_t index);
/* The instance's tag `index` (its tag index space: imports first), or NULL. */
W2N_API w2n_tag *w2n_instance_tag(w2n_instance *inst, uint32_t index);
/* From inside a host function: make the call throw `exn` to its Wasm
 * caller once the host function returns (its results are then ignored). */
W2N_API void w2n_host_throw(w2n_instance *caller, w2n_exception *exn);

/* A memory for guard-mode code reserves 8 GiB and never moves; one for
 * explicit-bounds code is sized exactly and may move on grow.  Guard-mode
 * code cannot import an explicit memory (a link error).  A 64-bit memory
 * (limits.is64, memory64) is always made as for explicit-bounds code, and
 * code of either mode may import it: its accesses are always checked.  An
 * import matches only a memory or table of its own index type. */
W2N_API w2n_memory *w2n_memory_new(w2n_store *store, w2n_limits limits, w2n_bounds_mode mode,
                                   w2n_error *err);
W2N_API w2n_table *w2n_table_new(w2n_store *store, w2n_tabletype type, void *init, w2n_error *err);
W2N_API w2n_global *w2n_global_new(w2n_store *store, w2n_globaltype type, w2n_value value);

/* Memory access for hosts (WASI): base and size in bytes; base may move on
 * grow in explicit-bounds mode, so re-read it after any call into Wasm. */
W2N_API uint8_t *w2n_memory_data(w2n_memory *mem);
W2N_API uint64_t w2n_memory_size(w2n_memory *mem);
/* -1 on failure (the declared maximum, the store's limits, or the host
 * refused), else the old size in pages. */
W2N_API int64_t w2n_memory_grow(w2n_memory *mem, uint64_t delta_pages);

W2N_API uint32_t w2n_table_size(w2n_table *table);
/* Element `index`: a w2n_func* (funcref) or host pointer (externref), NULL for
 * ref.null.  Any function may go into a funcref table, host functions
 * included: call_indirect calls them like imported ones.  W2N_ERR_ARGUMENT
 * for an index out of range, or for null into a table of non-null references
 * (`(ref func)`; w2n_table_new refuses to fill one with null too). */
W2N_API w2n_status w2n_table_get(w2n_table *table, uint32_t index, void **out, w2n_error *err);
W2N_API w2n_status w2n_table_set(w2n_table *table, uint32_t index, void *ref, w2n_error *err);
/* A global's value as compiled code holds it: a GC reference (any, eq,
 * i31, struct, array, `(ref $t)`) is its raw word (w2n_gc_ref_from_raw). */
W2N_API w2n_value w2n_global_get(w2n_global *global);
/* A global's value for the host: a GC reference comes back as a new handle
 * the caller owns (NULL for null), other values as w2n_global_get gives
 * them. */
W2N_API w2n_status w2n_global_read(w2n_store *store, w2n_global *global, w2n_value *out,
                                   w2n_error *err);
/* Set a mutable global: W2N_ERR_ARGUMENT, with the types, for an immutable
 * global or a value of another type.  A GC reference is passed as a handle
 * and checked by what it names: a `(ref $t)` global takes only objects of
 * $t (by canonical id) or its subtypes, null only if the type is nullable. */
W2N_API w2n_status w2n_global_set(w2n_store *store, w2n_global *global, w2n_value value,
                                  w2n_error *err);
/* A function's signature, as interned process-wide: a typed reference in it,
 * `(ref $t)`, names $t by its canonical type id (w2n_func.type_id of the
 * functions of that type), and id 0 is the signature itself. */
W2N_API w2n_functype w2n_func_type(w2n_store *store, const w2n_func *func);

/* ---- instances ------------------------------------------------------------------ */

/* Instantiate with imports given in the object's import order.  A failing
 * start function or segment initialisation returns W2N_ERR_TRAP with *trap
 * filled (W2N_ERR_EXCEPTION when the start function throws); a missing or mismatching import returns W2N_ERR_LINK with the
 * spec's words ("unknown import", "incompatible import type"). */
W2N_API w2n_status w2n_instantiate(w2n_store *store, const w2n_object *obj,
                                   const w2n_extern *imports, uint32_t nimports, w2n_instance **out,
                                   w2n_trap *trap, w2n_error *err);

/* W2N_OK and *out filled, or W2N_ERR_ARGUMENT for an unknown name. */
W2N_API w2n_status w2n_instance_export(w2n_instance *inst, const char *name, w2n_extern *out);
/* The same for a name of `len` bytes, which may contain NULs (Wasm allows it). */
W2N_API w2n_status w2n_instance_export_n(w2n_instance *inst, const char *name, size_t len,
                                         w2n_extern *out);
/* The instance's memory 0, or NULL. */
W2N_API w2n_memory *w2n_instance_memory(w2n_instance *inst);
/* Memory `index` of the instance (multi-memory: imports first, then the
 * module's own), or NULL past the last.  An exported memory is also found by
 * name with w2n_instance_export. */
W2N_API w2n_memory *w2n_instance_memory_at(w2n_instance *inst, uint32_t index);
/* Per-instance host data (WASI keeps its state here). */
W2N_API void w2n_instance_set_host_data(w2n_instance *inst, void *data);
W2N_API void *w2n_instance_host_data(w2n_instance *inst);
/* The same as w2n_store_interrupt(the instance's store). */
W2N_API void w2n_instance_interrupt(w2n_instance *inst);

/* ---- stopping guests ---------------------------------------------------------------
 *
 * Interrupt: from any thread, end the call running in a store with the trap
 * "interrupted" (W2N_TRAP_INTERRUPTED).  Code built --interruptible sees it
 * at its next function entry or loop back edge; any other code is preempted
 * by a signal (SIGURG) to the running thread, which unwinds the call when
 * the thread is in Wasm code.  A host function in a blocking system call gets
 * EINTR and should return early when w2n_host_should_stop() says so (WASI's
 * fd_read and poll_oneoff do); the call then traps once it returns to Wasm.
 * An interrupt while no call runs does nothing: the next call starts clean.
 * If the thread happened to be in a runtime helper (say a long memory.fill),
 * the signal is ignored; call w2n_store_interrupt again until the call ends.
 * The embedding process must leave SIGURG to the runtime.
 *
 *     // watchdog thread                     // the store's thread
 *     sleep(1);                              st = w2n_func_call(store, f, ...);
 *     w2n_store_interrupt(store);            // W2N_ERR_TRAP, trap.code ==
 *                                            //   W2N_TRAP_INTERRUPTED
 *
 * Epochs and deadlines: the engine (the process) has one epoch counter that
 * the host advances, e.g. from a timer thread every 10 ms; a store's deadline
 * is `epochs` increments from now.  When the epoch reaches it, the store's
 * running call is interrupted as above; a call begun at or after the deadline
 * traps at once.  Calls before the deadline are unaffected.
 *
 *     w2n_store_set_deadline(store, 100);    // 100 ticks, 1 s at 10 ms a tick
 *     // timer thread: for (;;) { usleep(10000); w2n_engine_increment_epoch(); }
 */
W2N_API void w2n_store_interrupt(w2n_store *store);
/* Advance the engine epoch by one and interrupt every store whose running
 * call has reached its deadline; returns the new epoch.  Thread-safe. */
W2N_API uint64_t w2n_engine_increment_epoch(void);
W2N_API uint64_t w2n_engine_epoch(void);
/* Deadline at the current epoch + epochs (saturating); until then, none. */
W2N_API void w2n_store_set_deadline(w2n_store *store, uint64_t epochs);
W2N_API void w2n_store_clear_deadline(w2n_store *store);
/* From inside a host function: was the running call asked to stop?  A host
 * function whose blocking wait ended with EINTR returns early when it was. */
W2N_API bool w2n_host_should_stop(void);

/* Fuel: objects built with `w2n compile --fuel` subtract one unit per Wasm
 * instruction they execute from the store's fuel and trap with "all fuel
 * consumed" (W2N_TRAP_OUT_OF_FUEL) when it runs out; the point is the same
 * on every run and every target.  Without a budget the fuel is unlimited
 * (INT64_MAX).  Setting one fails (W2N_ERR_ARGUMENT) when an instance of
 * the store was built without --fuel, and once set, instantiating such an
 * object fails with W2N_ERR_LINK: it would run unmetered.
 *
 *     w2n_store_set_fuel(store, 1000000, &err);
 *     st = w2n_func_call(store, f, ...);    // maybe trap.code == W2N_TRAP_OUT_OF_FUEL
 *     uint64_t left = w2n_store_fuel(store);
 */
W2N_API w2n_status w2n_store_set_fuel(w2n_store *store, uint64_t fuel, w2n_error *err);
/* The fuel left (0 once a call ran out). */
W2N_API uint64_t w2n_store_fuel(const w2n_store *store);
/* What an object was compiled with: `w2n compile --interruptible`, `--fuel`. */
W2N_API bool w2n_object_interruptible(const w2n_object *obj);
W2N_API bool w2n_object_counts_fuel(const w2n_object *obj);
/* Its bounds-check mode: a memory the host makes for it must be of this mode. */
W2N_API w2n_bounds_mode w2n_object_bounds_mode(const w2n_object *obj);

/* Call any function with typed values; types must match its signature
 * (W2N_ERR_ARGUMENT otherwise).  A trap returns W2N_ERR_TRAP and fills *trap;
 * an exception no Wasm handler caught returns W2N_ERR_EXCEPTION with
 * trap->exception set; the store stays usable afterwards. */
W2N_API w2n_status w2n_func_call(w2n_store *store, w2n_func *func, const w2n_value *args,
                                 uint32_t nargs, w2n_value *results, uint32_t nresults,
                                 w2n_trap *trap, w2n_error *err);

/* ---- garbage collection --------------------------------------------------------
 * GC objects (Wasm 3.0 structs, arrays, i31) live in the store's heap
 * (docs/gc.md) and move when it collects, so the host never holds their
 * addresses: it holds handles.  A w2n_gc_ref* is a rooted handle: the
 * object it names stays alive and reachable through it until the handle is
 * released.  Every function below that returns a handle gives the caller
 * one of its own (w2n_gc_ref_free releases it, w2n_gc_scope_close releases
 * all made since w2n_gc_scope_open, w2n_store_free all of them).  A null
 * reference is a NULL handle.  In a w2n_value of a GC reference type (any,
 * eq, i31, struct, array, none and their concrete types), `of.ref` is a
 * w2n_gc_ref* owned by whoever made the value; externref stays a host
 * pointer.  A store's heap is used by one thread at a time, like the store.
 *
 *     w2n_gc_field node[2] = {{W2N_ANYREF, 0, true}, {W2N_ANYREF, 0, true}};
 *     const w2n_gc_rtt *t = w2n_gc_struct_type(store, node, 2, NULL, &err);
 *     size_t scope = w2n_gc_scope_open(store);
 *     w2n_value kids[2] = {{W2N_ANYREF, {.ref = NULL}}, {W2N_ANYREF, {.ref = NULL}}};
 *     w2n_gc_ref *leaf;
 *     if (w2n_gc_struct_new(store, t, kids, 2, &leaf, &err) != W2N_OK) { ... }
 *     ...
 *     w2n_gc_scope_close(store, scope);     // releases leaf and its siblings
 */
typedef struct w2n_gc_ref w2n_gc_ref;

/* A field of a struct type, or an array's element: a value type, or
 * W2N_GC_PACKED_I8 / W2N_GC_PACKED_I16 (read back as i32). */
typedef struct w2n_gc_field {
    w2n_valtype type;
    uint32_t reserved;
    bool is_mutable;
} w2n_gc_field;

/* Struct and array types made by the host (the store owns them; modules'
 * own types come from their metadata).  `super`, when not NULL, must be a
 * struct type whose fields are a prefix of these (or an array type of the
 * same element): the new type is its subtype.  NULL with *err on failure. */
W2N_API const w2n_gc_rtt *w2n_gc_struct_type(w2n_store *store, const w2n_gc_field *fields,
                                             uint32_t nfields, const w2n_gc_rtt *super,
                                             w2n_error *err);
W2N_API const w2n_gc_rtt *w2n_gc_array_type(w2n_store *store, w2n_gc_field element,
                                            const w2n_gc_rtt *super, w2n_error *err);
/* Is `type` (or `ref`'s type) `super` or one of its subtypes? */
W2N_API bool w2n_gc_type_sub(const w2n_gc_rtt *type, const w2n_gc_rtt *super);
/* The descriptor of a module's struct or array type, by the canonical id a
 * signature or global type names it with (w2n_func_type: `(ref $t)`), so
 * that a host can make objects a function of that type accepts.  NULL and
 * W2N_ERR_ARGUMENT for an id of no struct or array type. */
W2N_API const w2n_gc_rtt *w2n_gc_type_of_id(w2n_store *store, uint32_t type_id, w2n_error *err);

/* A new struct with the given field values (nfields must match), or a new
 * array of `length` elements each `init` (NULL: zero / null).  W2N_ERR_LIMIT
 * when the heap limit is reached even after a collection, W2N_ERR_ARGUMENT
 * for values of the wrong types. */
W2N_API w2n_status w2n_gc_struct_new(w2n_store *store, const w2n_gc_rtt *type,
                                     const w2n_value *fields, uint32_t nfields, w2n_gc_ref **out,
                                     w2n_error *err);
W2N_API w2n_status w2n_gc_array_new(w2n_store *store, const w2n_gc_rtt *type, uint32_t length,
                                    const w2n_value *init, w2n_gc_ref **out, w2n_error *err);
/* An i31 reference (the low 31 bits of value); NULL on NOMEM. */
W2N_API w2n_gc_ref *w2n_gc_i31_new(w2n_store *store, int32_t value);
W2N_API bool w2n_gc_ref_is_i31(const w2n_gc_ref *ref);
/* The i31's value, sign- or zero-extended from 31 bits. */
W2N_API int32_t w2n_gc_i31_get(const w2n_gc_ref *ref, bool is_signed);
/* The object's type, NULL for null and i31. */
W2N_API const w2n_gc_rtt *w2n_gc_ref_type(const w2n_gc_ref *ref);
/* Do two handles name the same reference (ref.eq)? */
W2N_API bool w2n_gc_ref_eq(const w2n_gc_ref *a, const w2n_gc_ref *b);

/* Field or element access.  A reference read comes back as a new handle the
 * caller owns; packed fields read as i32 (sign-extended if is_signed).
 * W2N_ERR_ARGUMENT for a bad index, a null or wrong kind of reference, a
 * value of the wrong type, or a write to an immutable field. */
W2N_API w2n_status w2n_gc_struct_get(w2n_store *store, const w2n_gc_ref *ref, uint32_t field,
                                     bool is_signed, w2n_value *out, w2n_error *err);
W2N_API w2n_status w2n_gc_struct_set(w2n_store *store, const w2n_gc_ref *ref, uint32_t field,
                                     const w2n_value *value, w2n_error *err);
W2N_API uint32_t w2n_gc_array_len(const w2n_gc_ref *ref);
W2N_API w2n_status w2n_gc_array_get(w2n_store *store, const w2n_gc_ref *ref, uint32_t index,
                                    bool is_signed, w2n_value *out, w2n_error *err);
W2N_API w2n_status w2n_gc_array_set(w2n_store *store, const w2n_gc_ref *ref, uint32_t index,
                                    const w2n_value *value, w2n_error *err);

/* any.convert_extern and extern.convert_any, as Wasm does them: a host
 * pointer becomes an anyref and back unchanged; a GC reference becomes an
 * externref and back the same reference.  Internalising allocates (NULL
 * with W2N_ERR_LIMIT / NOMEM in *err); the externref of a GC object is its
 * address, valid until the next allocation, so keep the anyref's handle. */
W2N_API w2n_status w2n_gc_any_from_extern(w2n_store *store, void *externref, w2n_gc_ref **out,
                                          w2n_error *err);
W2N_API void *w2n_gc_extern_from_any(w2n_store *store, const w2n_gc_ref *ref);

/* Handles.  Clone gives a second handle to the same reference (NULL on
 * NOMEM or for a NULL ref); free releases one (NULL is ignored). */
W2N_API w2n_gc_ref *w2n_gc_ref_clone(w2n_store *store, const w2n_gc_ref *ref);
W2N_API void w2n_gc_ref_free(w2n_store *store, w2n_gc_ref *ref);
/* Scopes: close releases every handle made since the matching open
 * (scopes nest; handles are released in any order within them). */
W2N_API size_t w2n_gc_scope_open(w2n_store *store);
W2N_API void w2n_gc_scope_close(w2n_store *store, size_t scope);
/* Close `scope` but keep `ref` (made inside it): the returned handle, in
 * the enclosing scope, names the same reference (NULL for NULL or NOMEM). */
W2N_API w2n_gc_ref *w2n_gc_scope_escape(w2n_store *store, size_t scope, const w2n_gc_ref *ref);

/* The raw word of a reference, as compiled code and slots (w2n_raw) hold
 * it, and a new handle for one: what a host function, which sees its
 * arguments and results as slots, uses.  Take a handle before anything
 * that may allocate: the raw word of an object is stale after a
 * collection.  w2n_func_call does both for its values. */
W2N_API void *w2n_gc_raw_of(const w2n_gc_ref *ref);
W2N_API w2n_gc_ref *w2n_gc_ref_from_raw(w2n_store *store, void *raw);

/* Collect now (hosts and tests; allocation collects by itself). */
W2N_API void w2n_gc_collect(w2n_store *store);
typedef struct w2n_gc_stats {
    uint64_t collections;
    uint64_t bytes_allocated; /* since the store was made */
    uint64_t bytes_live;      /* survivors of the last collection */
    uint64_t bytes_copied;    /* by all collections */
    uint64_t peak_bytes;      /* most heap memory in use at once (objects + copies) */
    uint64_t longest_pause_ns;
    uint64_t total_pause_ns;
    uint64_t max_live_bytes; /* most survivors of any one collection */
    /* Most of the heap's pages resident at once (mincore), sampled at each
     * collection when objects and their copies are both in memory: what
     * the heap adds to the process's RSS, without its other mappings. */
    uint64_t peak_resident_bytes;
} w2n_gc_stats;
/* All zero for a store that never used GC. */
W2N_API void w2n_gc_get_stats(w2n_store *store, w2n_gc_stats *out);

/* ---- linker: resolve imports by name ---------------------------------------------- */

W2N_API w2n_linker *w2n_linker_new(w2n_store *store);
W2N_API void w2n_linker_free(w2n_linker *linker);
/* Define module.name; a later definition replaces an earlier one. */
W2N_API w2n_status w2n_linker_define(w2n_linker *linker, const char *module, const char *name,
                                     w2n_extern ext, w2n_error *err);
/* Define every export of inst under module name `module` ("register"). */
W2N_API w2n_status w2n_linker_define_instance(w2n_linker *linker, const char *module,
                                              w2n_instance *inst, w2n_error *err);
/* Resolve the object's imports by name and instantiate. */
W2N_API w2n_status w2n_linker_instantiate(w2n_linker *linker, const w2n_object *obj,
                                          w2n_instance **out, w2n_trap *trap, w2n_error *err);

#ifdef __cplusplus
}
#endif
#endif
