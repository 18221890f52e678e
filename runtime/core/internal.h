/*
 * internal.h — the runtime's private structures and cross-file functions.
 *
 * Ownership: a w2n_store owns every instance, host function, memory, table
 * and global created in it (each kind on an intrusive list) and frees them
 * together.  An object (code image + decoded metadata) is independent of
 * stores and must outlive every instance made from it.
 *
 * Each public handle embeds the structure compiled code sees (abi.h) as its
 * first member, so the vmctx can point straight into it:
 *   w2n_memory -> w2n_memory_abi, w2n_table -> w2n_table_abi,
 *   w2n_global -> 16 bytes of storage, w2n_instance -> w2n_vmctx.
 */
#ifndef W2N_RUNTIME_INTERNAL_H
#define W2N_RUNTIME_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "meta.h"
#include "w2n/runtime.h"

/* ---- objects (object.c) ---------------------------------------------------- */

/* One of abi.h's code arrays as the object holds it: 4-byte offsets from
 * the array's start, 0 for none (ABI 6.5 on), or 8-byte pointers (older
 * objects, and objects made from parts). */
typedef struct w2n_code_array {
    const void *entries; /* NULL: every entry is none */
    bool offsets;
} w2n_code_array;

/* Bytes per entry of `a`. */
static inline size_t w2n_code_width(w2n_code_array a) {
    return a.offsets ? sizeof(int32_t) : sizeof(void *);
}

/* Entry i of `a`, or NULL for none. */
static inline void *w2n_code_at(w2n_code_array a, uint32_t i) {
    if (!a.entries)
        return NULL;
    if (!a.offsets)
        return ((void *const *)a.entries)[i];
    int32_t off = ((const int32_t *)a.entries)[i];
    return off ? (void *)((const uint8_t *)a.entries + off) : NULL;
}

struct w2n_object {
    w2n_image *image; /* NULL for objects made from parts (tests) */
    w2n_meta meta;
    w2n_code_array functions;       /* meta.nfuncs native entries */
    w2n_code_array trampolines;     /* meta.nfuncs array-call entries (may be none) */
    w2n_code_array import_adapters; /* meta.nimported_funcs adapters */
    struct w2n_stackmap *stackmap;  /* GC safepoints (runtime/gc/stackmap.h), or NULL */
    w2n_load_phase load_phases[W2N_LOAD_PHASES_MAX]; /* where the load's time went */
    uint32_t nload_phases;
};

/* Build an object without an ELF image: the meta is deep-copied (through the
 * codec, so it is checked exactly like a loaded one); the arrays must stay
 * valid while the object lives.  For tests and embedders with their own
 * loader.  Code of such objects is not known to the trap handler: faults
 * in it are not traps (the tests register a fake image covering theirs). */
w2n_status w2n_object_from_parts(const w2n_meta *meta, void *const *functions,
                                 const w2n_tramp_fn *trampolines, void *const *import_adapters,
                                 w2n_object **out, w2n_error *err);

/* w2n_object_load with the image mapped near `hint` (0: anywhere), e.g.
 * far from the runtime and libc so that calls must go through stubs (the
 * far-placement test). */
w2n_status w2n_object_load_at(const uint8_t *bytes, size_t size, const uint8_t *trusted_key,
                              uintptr_t hint, w2n_object **out, w2n_error *err);

/* The typing rules of a decoded meta that decoding alone does not check:
 * start function [] -> [], constant expressions of their declared types,
 * element segments of their tables' types (meta_check.c). */
w2n_status w2n_meta_check(const w2n_meta *meta, w2n_error *err);

/* ---- function records (func.c) ------------------------------------------------ */

enum {
    W2N_FUNC_HOST = 1u << 0,    /* a w2n_host_func: no native code of its own */
    W2N_FUNC_ADAPTER = 1u << 1, /* an instance's record of an imported host function */
};

typedef struct w2n_host_func {
    w2n_func base; /* code = NULL, tramp = NULL, vmctx = NULL */
    w2n_host_fn fn;
    void *data;
    struct w2n_host_func *next; /* in the store */
} w2n_host_func;

/* How an instance reaches an imported host function j through its adapter. */
typedef struct w2n_adapter_func {
    w2n_func base; /* code = import adapter j, vmctx = importer's */
    w2n_host_func *host;
} w2n_adapter_func;

/* ---- canonical types (functype.c) ------------------------------------------------ */

/* What an id stands for: a function, struct or array type with its
 * references by canonical id.  Lives as long as the process. */
typedef struct w2n_canon_type {
    uint8_t kind; /* w2n_meta_type_kind */
    bool is_final;
    uint32_t super;   /* canonical id of the declared supertype, or 0 */
    w2n_functype sig; /* function types */
    uint32_t nfields; /* struct: its fields; array: 1 */
    const w2n_gc_field *fields;
} w2n_canon_type;

/* Intern a host's signature (a final function type alone in its group,
 * references by canonical id); ids start at 1 and are process-wide.  0 on
 * NOMEM. */
uint32_t w2n_functype_intern(const w2n_functype *type);
/* Type `self` of a module as a final function type alone in its group,
 * its references to earlier types by their ids (type_ids[0..self)), to
 * itself relative.  0 when out of memory. */
uint32_t w2n_functype_intern_module(const w2n_functype *type, uint32_t self,
                                    const uint32_t *type_ids);
/* Every type of a module, group by group (iso-recursive identity): fills
 * type_ids[0..ntypes).  False when out of memory, or when the ids disagree
 * with the metadata's canonical indices. */
bool w2n_types_intern_module(const w2n_meta *m, uint32_t *type_ids);
/* A module's value type with its concrete type index, if any, replaced by
 * that type's canonical id: what tables and globals of the store hold. */
w2n_valtype w2n_valtype_canonical(w2n_valtype t, const uint32_t *type_ids);
/* The type of an id, or NULL; the signature of a function type's id. */
const w2n_canon_type *w2n_type_lookup(uint32_t id);
const w2n_functype *w2n_functype_lookup(uint32_t id);
/* Is canonical type `sub` `super` or a declared subtype of it? */
bool w2n_type_id_sub(uint32_t sub, uint32_t super);
/* Subtyping of value types whose concrete types are canonical ids. */
bool w2n_valtype_sub_canonical(w2n_valtype a, w2n_valtype b);

/* ---- memories, tables, globals ------------------------------------------------------ */

struct w2n_memory {
    w2n_memory_abi abi; /* first: vmctx->memory points here */
    uint64_t max_pages; /* declared maximum, capped at W2N_MAX_PAGES(64) */
    bool has_max;
    bool shared; /* threads: never moves; grow takes grow_lock */
    pthread_mutex_t grow_lock;
    bool is64; /* memory64: always mapped as in explicit mode */
    w2n_bounds_mode mode;
    w2n_huge_pages huge_pages; /* the store's placement when it was made */
    size_t mapped;             /* bytes of the mapping (reservation in guard mode) */
    uint8_t *slack;            /* a reservation's whole mapping, from its unaligned start */
    size_t slack_size;         /* (it ends past base + mapped), or NULL and 0 */
    w2n_store *store;          /* whose limits it grows under */
    struct w2n_memory *next;
};

/* Create a memory owned by `store` (linked into its list, freed with it),
 * and free one (the store does, when it is freed). */
w2n_status w2n_memory_create(w2n_store *store, w2n_limits limits, w2n_bounds_mode mode,
                             w2n_memory **out, w2n_error *err);
void w2n_memory_destroy(w2n_memory *mem);
/* Put a module's initial memory image (common/memory_image.h) in place in
 * a new memory: the file's pages mapped private at their offset (fd >= 0),
 * else `bytes` copied.  *applied is false, and nothing changed, for a
 * memory that may move or an image that does not fit; the caller then
 * applies the data segments. */
w2n_status w2n_memory_apply_image(w2n_memory *mem, const w2n_memory_image *image, int fd,
                                  uint64_t file_offset, const uint8_t *bytes, bool *applied,
                                  w2n_error *err);
/* Fault in [offset, offset + len) of the memory's accessible bytes,
 * writable, in one system call: for bytes about to be written page after
 * page (data segments), where a fault each costs more (11-15 us on a
 * virtual machine).  Only a hint: without MADV_POPULATE_WRITE (Linux 5.14)
 * the pages fault as they are written. */
void w2n_memory_prefault(w2n_memory *mem, uint64_t offset, uint64_t len);

struct w2n_table {
    w2n_table_abi abi; /* first: vmctx->tables[i] points here */
    w2n_valtype elem;
    bool has_max;
    bool is64;             /* table64: i64 indices, size still below 2^32 */
    uint64_t declared_max; /* for import matching: abi.max is capped at 2^32 - 1 */
    w2n_store *store;      /* whose limits it grows under */
    struct w2n_table *next;
};

/* Create a table owned by `store` (linked into its list, freed with it). */
w2n_status w2n_table_create(w2n_store *store, w2n_tabletype type, void *init, w2n_table **out,
                            w2n_error *err);
void w2n_table_destroy(w2n_table *table);
/* Grow by delta filled with init: old size, or -1 (max, overflow or NOMEM). */
int64_t w2n_table_grow_by(w2n_table *table, uint64_t delta, void *init);

struct w2n_global {
    w2n_raw storage; /* first: vmctx->globals[i] points here */
    w2n_globaltype type;
    struct w2n_global *next;
};

w2n_global *w2n_global_create(w2n_globaltype type);

/* Typed value <-> 16-byte slot (the slot is zeroed first, so unused bytes
 * are deterministic). */
void w2n_value_to_raw(const w2n_value *v, w2n_raw *out);
w2n_value w2n_value_from_raw(w2n_valtype type, const w2n_raw *raw);
/* Whether a host value may be passed where `want` is expected: numbers of
 * that type; references by their dynamic type (a function's signature,
 * non-null-ness), as the spec's embedding checks them.  self_id stands for
 * id 0 in `want` (an interned signature naming itself). */
bool w2n_value_fits(const w2n_value *v, w2n_valtype want, uint32_t self_id);

/* ---- stores and instances ------------------------------------------------------------- */

struct w2n_store {
    size_t stack_size;
    uintptr_t stack_limit;   /* what every instance's vmctx holds */
    uint64_t frame_reserve;  /* largest native frame of its objects (call.c) */
    uint32_t depth;          /* active host->Wasm entries into this store */
    w2n_store_limits limits; /* limits.c */
    uint64_t memory_bytes;   /* current sizes of all its memories, summed */
    uint32_t ninstances, nmemories, ntables;
    /* Linear memories' placement, never DEFAULT; the GC heap asks for huge
     * pages unless it is NEVER. */
    w2n_huge_pages huge_pages;
    /* Stopping guests (interrupt.c): stop_lock guards the fields below it and
     * the instances list against other threads. */
    pthread_mutex_t stop_lock;
    _Atomic bool stop; /* the running call was asked to end */
    bool running;      /* an outermost call runs on `thread` */
    uint32_t flagged;  /* what every instance's vmctx.interrupt holds */
    pthread_t thread;
    uint64_t deadline;                       /* engine epoch that ends calls; UINT64_MAX: none */
    struct w2n_store *live_prev, *live_next; /* every store, for epoch walks */
    int64_t fuel;                            /* what fuel-counting code may still run */
    bool fuel_limited;                       /* w2n_store_set_fuel was called */
    struct w2n_instance *instances;
    w2n_host_func *host_funcs;
    w2n_memory *memories;
    w2n_table *tables;
    w2n_global *globals;
    w2n_tag *tags;             /* made by w2n_tag_new and by instances */
    w2n_exception *exceptions; /* every live exception (exception.c) */
    uint32_t nexceptions;
    uint64_t exception_bytes;
    struct w2n_gc_heap *gc; /* made at the first GC allocation or type (runtime/gc/) */
};

struct w2n_instance {
    w2n_vmctx vmctx; /* first: compiled code gets &inst->vmctx */
    w2n_store *store;
    const w2n_object *obj;
    const w2n_meta *meta;
    uint32_t nfuncs, ntables, nmemories, nglobals; /* imports included */
    w2n_func **funcs;                              /* vmctx.funcs */
    w2n_func *defined;                             /* records of defined functions */
    w2n_adapter_func *adapters;                    /* one per imported function (used if host) */
    w2n_table **tables;
    w2n_table_abi **table_abis; /* vmctx.tables */
    w2n_memory **memories;
    w2n_memory_abi **memory_abis; /* vmctx.memories */
    w2n_global **globals;
    void **global_ptrs;          /* vmctx.globals */
    uint32_t *type_ids;          /* vmctx.type_ids */
    const w2n_gc_rtt **gc_types; /* vmctx.gc_types: NULL when the module has no GC types */
    uint32_t ntags;              /* imports included */
    w2n_tag **tags;              /* vmctx.tags: each tag's identity */
    uint32_t nelems;             /* copied from the meta: destroy needs no object */
    void ***elem_items;          /* evaluated element segments */
    uint32_t *elem_sizes;        /* 0 once dropped */
    bool *data_dropped;
    uint32_t imaged_memory; /* its active data segments came as an image, or UINT32_MAX */
    void *host_data;
    struct w2n_instance *next;
};

static inline w2n_instance *w2n_instance_of(w2n_vmctx *vmctx) {
    return (w2n_instance *)vmctx->instance;
}

/* Free one instance's own allocations (not its imports). */
void w2n_instance_destroy(w2n_instance *inst);

/* ---- resource limits (limits.c) -------------------------------------------------------
 * W2N_OK, or W2N_ERR_LIMIT with *err (may be NULL) naming the limit.  They
 * only check: the caller updates the store's counts once it succeeded. */
/* May a memory of the store go from `current` to `desired` bytes (0 to its
 * initial size when created)? */
w2n_status w2n_limits_memory(w2n_store *store, uint64_t current, uint64_t desired, uint64_t maximum,
                             w2n_error *err);
/* May a table go from `current` to `desired` elements? */
w2n_status w2n_limits_table(w2n_store *store, uint64_t current, uint64_t desired, uint64_t maximum,
                            w2n_error *err);
/* Room for this many more instances, memories and tables? */
w2n_status w2n_limits_admit(w2n_store *store, uint32_t instances, uint32_t memories,
                            uint32_t tables, w2n_error *err);
/* Room for one instance of the module: counts and initial sizes, checked
 * before instantiation creates anything. */
w2n_status w2n_limits_admit_instance(w2n_store *store, const w2n_meta *m, w2n_error *err);

/* ---- stopping guests (interrupt.c) ------------------------------------------------------ */

/* The signal that preempts a thread running Wasm (SIGURG: ignored by
 * default, so a stray one is harmless; not SA_RESTART, so it ends a
 * blocking system call of a host function with EINTR). */
#define W2N_PREEMPT_SIGNAL SIGURG

void w2n_stop_store_init(w2n_store *s);
void w2n_stop_store_fini(w2n_store *s);
/* Put a new instance on the store's list, its flags and fuel pointer set. */
void w2n_stop_link_instance(w2n_store *s, w2n_instance *inst);
/* Around an outermost call into the store: clear earlier interrupts; false
 * (run nothing, trap "interrupted") when the store's deadline has passed. */
bool w2n_stop_enter(w2n_store *s);
void w2n_stop_leave(w2n_store *s);
/* Was the store's running call asked to stop (safe in a signal handler)? */
bool w2n_stop_requested(const w2n_store *s);

/* ---- helpers (helpers.c): checked bulk operations -------------------------------------
 * Each returns W2N_TRAP_NONE or the trap to raise; nothing is written when it
 * traps.  The helpers table wraps them; instantiation calls them directly. */
extern const w2n_helpers w2n_runtime_helpers;
/* memory.atomic.wait32/64 and notify (atomic_wait.c): the helpers themselves. */
int32_t w2n_atomic_wait(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr, int64_t expected,
                        int64_t timeout, uint32_t bytes);
int32_t w2n_atomic_notify(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr, uint32_t count);
/* The exception helpers (exception.c). */
w2n_exception_abi *w2n_helper_exception_new(w2n_vmctx *vmctx, uint32_t tag);
void w2n_helper_exception_throw(w2n_vmctx *vmctx, w2n_exception_abi *exn);
void w2n_helper_exception_drop(w2n_vmctx *vmctx, w2n_exception_abi *exn);
w2n_trap_code w2n_op_memory_init(w2n_instance *inst, uint32_t memory, uint32_t seg, uint64_t dst,
                                 uint32_t src, uint32_t n);
w2n_trap_code w2n_op_table_init(w2n_instance *inst, uint32_t table, uint32_t seg, uint64_t dst,
                                uint32_t src, uint32_t n);

/* ---- traps and calls (trap.c, call.c) -------------------------------------------------- */

/* A host-to-Wasm entry: where a trap unwinds to.  Entries form a per-thread
 * stack through prev; they live in the frames of call.c. */
typedef struct w2n_entry {
    sigjmp_buf jb;
    struct w2n_entry *prev;
    unsigned host_depth;     /* host functions running when it was pushed */
    struct w2n_store *store; /* the store called into (its stop flag) */
    w2n_trap trap;
} w2n_entry;

void w2n_trap_push(w2n_entry *e);
void w2n_trap_pop(w2n_entry *e);

/* Is Wasm innermost on this thread (a call active, no host function since)? */
bool w2n_trap_in_wasm(void);
/* Raise a trap in the innermost active call on this thread.  This returns
 * only when a host function, not Wasm, is innermost (it called a helper
 * itself) or nothing runs at all: the trap then becomes the host function's
 * pending trap, if there is one, and the caller must return without effect. */
void w2n_trap_raise(w2n_trap_code code, int exit_status, const char *message);
/* The loaded image whose code holds pc, or NULL. */
const w2n_image *w2n_trap_code_image(uintptr_t pc);
/* Fill trap->frames with the Wasm frames between here (a helper or the
 * fault handler) and the entry `boundary` (backtrace.c). */
void w2n_backtrace_capture(w2n_trap *trap, const void *boundary);
/* The same from the fault handler: nothing when the signal stack is small. */
void w2n_backtrace_capture_in_handler(w2n_trap *trap, const void *boundary);
/* End the innermost call with an uncaught exception (trap.exception set,
 * code W2N_TRAP_NONE), as w2n_trap_raise ends it with a trap. */
void w2n_trap_raise_exception(w2n_exception *exn);
/* The innermost host-to-Wasm entry while Wasm is innermost on this thread
 * (its address marks the boundary on the stack), else NULL. */
const void *w2n_trap_boundary(void);
/* The outermost host-to-Wasm entry into `store` on this thread (its
 * address lies in w2n_call_tramp's frame), or NULL when no call into it is
 * active: the GC's stack walk must get past it to have seen every frame of
 * the store's compiled code (gc/stack_walk.c). */
const void *w2n_trap_outermost_entry(const struct w2n_store *store);
/* Bytes from addr to the end of the loaded image holding it; 0 if none. */
size_t w2n_trap_image_room(uintptr_t addr);
/* Call a host function; true (and *out filled) if it recorded a trap with
 * w2n_host_trap or an exception with w2n_host_throw (out->exception). */
bool w2n_trap_call_host(w2n_host_func *host, w2n_instance *caller, w2n_raw *slots, w2n_trap *out);
/* Install the fault handler (once per process) and this thread's sigaltstack. */
w2n_status w2n_trap_init_thread(w2n_error *err);

/* Registries the fault handler consults (fixed-size, read lock-free). */
bool w2n_trap_register_memory(uintptr_t base, size_t size);
void w2n_trap_unregister_memory(uintptr_t base);
bool w2n_trap_register_image(const w2n_image *img);
void w2n_trap_unregister_image(const w2n_image *img);

/* This thread's stack (stack.c): its lowest usable address (1 if unknown),
 * looked up once per thread; and whether a faulting address lies in its guard
 * region (below the end, or in the runtime's reserve just above it).  The
 * latter is async-signal-safe; it knows only threads that called the former. */
uintptr_t w2n_stack_low(void);
bool w2n_stack_in_guard(uintptr_t addr);

/* Per-architecture (arch_<arch>.c): the pc of a signal's ucontext; the size
 * in bytes of a scalable vector register (RISC-V vlenb; 0 where none). */
uintptr_t w2n_arch_fault_pc(void *ucontext);
uint64_t w2n_arch_vector_bytes(void);
/* The DWARF number of the stack pointer (GC stack maps; arch_<arch>.c). */
uint16_t w2n_arch_dwarf_sp(void);

/* Make the store keep room for the object's largest stack frame (frame.h)
 * below its stack limit; refused when that cannot fit in this thread's
 * stack. */
w2n_status w2n_call_admit_frames(w2n_store *store, const w2n_meta *meta, w2n_error *err);
/* Call a Wasm array-call entry under a fresh trap boundary. */
w2n_status w2n_call_tramp(w2n_store *store, w2n_tramp_fn tramp, w2n_vmctx *vmctx, w2n_raw *slots,
                          w2n_trap *trap);
/* Call a function (any kind) with slots; the core of w2n_func_call. */
w2n_status w2n_call_raw(w2n_store *store, w2n_func *func, w2n_raw *slots, w2n_trap *trap,
                        w2n_error *err);

#endif
