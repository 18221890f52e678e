/*
 * w2n/abi.h — the contract between compiled code and the runtime.
 *
 * The compiler (compiler/) emits code that obeys this file; the runtime
 * (runtime/) builds the structures it describes.  Changing any layout here
 * means bumping W2N_ABI_VERSION (the major): the loader refuses objects of
 * another major.  What older runtimes may lack but older objects keep
 * working with (fields appended to the metadata) bumps W2N_ABI_MINOR: the
 * loader takes objects of its major and any minor up to its own.  Offsets
 * are fixed for 64-bit targets (all pointers 8 bytes); the static asserts at
 * the bottom pin them.
 *
 * Calling convention of compiled Wasm functions (the "native" entry):
 *     R f(w2n_vmctx *vmctx, P1 p1, P2 p2, ...)
 * with the platform C calling convention, tail calls included: return_call
 * and return_call_indirect are musttail or sibling calls within it where LLVM
 * guarantees them (docs/abi.md, "Tail calls"); i32 -> int32_t, i64 -> int64_t,
 * f32 -> float, f64 -> double, v128 -> <16 x i8> (a 128-bit vector),
 * funcref/externref/exnref -> pointer.  Zero results: void; one: that type; more: an
 * LLVM literal struct of the results (LLVM returns it in registers or through
 * a hidden pointer as the target's ABI says).
 *
 * The "array-call" entry, generated for every function the host may call:
 *     void tramp(w2n_vmctx *vmctx, w2n_raw *args_and_results)
 * reads the arguments from slots 0..nparams-1 and writes the results to
 * slots 0..nresults-1.
 */
#ifndef W2N_ABI_H
#define W2N_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define W2N_ABI_VERSION 6
/* Within a major version, minors only append to the metadata (docs/abi.md):
 * a loader reads every minor up to its own.  6.0: the first of ABI 6:
 * garbage collection adds vmctx->gc and vmctx->gc_types, the GC helpers,
 * the trap "out of memory" and the object and type-descriptor layouts
 * below ("garbage collection").  6.1: objects laid out so that the loader
 * maps their code from the file, with the relocations the layout fixes
 * applied and the rest listed in section .w2n.loadrel (docs/abi.md, "The
 * object"); no layout here changed, and 6.0 objects still load (copied).
 * 6.2: the metadata ends with the module's GC types (recursion groups,
 * supertypes, finality, fields), the helper type_sub and the GC traps.
 * 6.3: the helpers gc_array_new_data/new_elem/init_data/init_elem, and GC
 * instructions (struct.new*, array.new*, the conversions) and numeric and
 * reference constants in the pool of constant instructions.  6.4:
 * w2n_func.call_id (offset 28, before the runtime-private flags), which
 * call_indirect compares instead of type_id; older objects never read it.
 * 6.5: the code arrays below hold 4-byte offsets instead of pointers, so
 * that loading patches none of them; older objects keep their pointers. */
#define W2N_ABI_MINOR 5
/* The first minor whose code arrays are offsets (W2N_SYM_FUNCTIONS). */
#define W2N_ABI_MINOR_CODE_OFFSETS 5

/* ---- value types (the Wasm binary encoding) ----------------------------
 * Number and vector types, and the nullable reference shorthands, are their
 * binary codes; the shorthands are also the codes of their abstract heap
 * types (0x70 is `funcref` and the heap type `func`).  Typed references
 * (`(ref null? ht)`) widen these with flag bits: see w2n/types.h. */

enum w2n_valtype_code {
    W2N_I32 = 0x7F,
    W2N_I64 = 0x7E,
    W2N_F32 = 0x7D,
    W2N_F64 = 0x7C,
    W2N_V128 = 0x7B,
    W2N_FUNCREF = 0x70,
    W2N_EXTERNREF = 0x6F,
    W2N_EXNREF = 0x69,
    W2N_ANYREF = 0x6E,
    W2N_EQREF = 0x6D,
    W2N_I31REF = 0x6C,
    W2N_STRUCTREF = 0x6B,
    W2N_ARRAYREF = 0x6A,
    W2N_NULLREF = 0x71,       /* (ref null none) */
    W2N_NULLEXTERNREF = 0x72, /* (ref null noextern) */
    W2N_NULLFUNCREF = 0x73,   /* (ref null nofunc) */
    W2N_NULLEXNREF = 0x74     /* (ref null noexn) */
};

/* One slot of an array call: every value type fits in 16 bytes. */
typedef union w2n_raw {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    void *ref; /* funcref: w2n_func*, externref: host pointer, exnref: exception */
} w2n_raw;

/* ---- traps ---------------------------------------------------------------
 * Compiled code ends a call with helpers->trap(vmctx, code).  Guard-page
 * faults become W2N_TRAP_MEMORY_OOB in the signal handler.  The messages are
 * the spec's own words, as the official test suite expects them. */
typedef enum w2n_trap_code {
    W2N_TRAP_NONE = 0,
    W2N_TRAP_UNREACHABLE,         /* "unreachable" */
    W2N_TRAP_MEMORY_OOB,          /* "out of bounds memory access" */
    W2N_TRAP_TABLE_OOB,           /* "out of bounds table access" */
    W2N_TRAP_UNDEFINED_ELEMENT,   /* "undefined element" (call_indirect index >= size) */
    W2N_TRAP_UNINITIALIZED,       /* "uninitialized element" (call_indirect of null) */
    W2N_TRAP_INDIRECT_TYPE,       /* "indirect call type mismatch" */
    W2N_TRAP_INT_DIV_ZERO,        /* "integer divide by zero" */
    W2N_TRAP_INT_OVERFLOW,        /* "integer overflow" */
    W2N_TRAP_INVALID_CONVERSION,  /* "invalid conversion to integer" */
    W2N_TRAP_STACK_EXHAUSTED,     /* "call stack exhausted" */
    W2N_TRAP_INTERRUPTED,         /* "interrupted" */
    W2N_TRAP_HOST,                /* a host function failed; message from the host */
    W2N_TRAP_EXIT,                /* WASI proc_exit; not an error, carries a status */
    W2N_TRAP_OUT_OF_FUEL,         /* "all fuel consumed" (objects built --fuel) */
    W2N_TRAP_UNALIGNED_ATOMIC,    /* "unaligned atomic" */
    W2N_TRAP_EXPECTED_SHARED,     /* "expected shared memory" (wait on an unshared memory) */
    W2N_TRAP_NULL_FUNC_REF,       /* "null function reference" (call_ref of null) */
    W2N_TRAP_NULL_REF,            /* "null reference" (ref.as_non_null of null) */
    W2N_TRAP_NULL_EXCEPTION,      /* "null exception reference" (throw_ref of null) */
    W2N_TRAP_TOO_MANY_EXCEPTIONS, /* the store's bound on live exceptions was reached */
    W2N_TRAP_UNWIND_BARRIER,      /* an exception met a frame without unwind tables (a
                                   module compiled without exceptions) before its entry */
    W2N_TRAP_GC_OUT_OF_MEMORY,    /* "out of memory": a GC allocation past the store's
                                   GC heap limit, after a collection */
    /* Since ABI 6.2 (GC instructions): */
    W2N_TRAP_NULL_STRUCT,  /* "null structure reference" (struct.get/set of null) */
    W2N_TRAP_NULL_ARRAY,   /* "null array reference" (array.* of null) */
    W2N_TRAP_ARRAY_OOB,    /* "out of bounds array access" */
    W2N_TRAP_NULL_I31,     /* "null i31 reference" (i31.get_s/u of null) */
    W2N_TRAP_CAST_FAILURE, /* "cast failure" (ref.cast) */
    W2N_TRAP_COUNT
} w2n_trap_code;

/* ---- runtime structures that compiled code reads -------------------------- */

typedef struct w2n_vmctx w2n_vmctx;

/* ---- garbage collection (docs/abi.md, "Garbage collection"; docs/gc.md) ----
 * A GC reference is one machine word: 0 is null; an odd word is an i31
 * ((uint32_t)value << 1 | 1, upper 32 bits zero, so ref.eq is a compare);
 * any other is the 8-aligned address of a heap object whose first word
 * points to its type descriptor (w2n_gc_rtt).  Structs keep their fields
 * in declaration order from offset 8, each at its natural alignment capped
 * at 8 (i8/i16 fields take 1/2 bytes; v128 fields are 8-aligned and read
 * unaligned); arrays keep their length (u32) at offset 8 and their
 * elements from offset 12 (elements of 1, 2 or 4 bytes) or 16 (8 or 16).
 * Objects move: only the collector's roots (stack maps, globals, tables,
 * exceptions, host handles) are updated. */
#define W2N_GC_I31_TAG 1u
#define W2N_GC_ALIGN 8u
#define W2N_GC_HEADER 8u /* word 0: const w2n_gc_rtt * */
#define W2N_GC_ARRAY_LENGTH 8u
#define W2N_GC_ARRAY_DATA_SMALL 12u
#define W2N_GC_ARRAY_DATA_WIDE 16u
/* Supertypes a descriptor holds inline: a cast to a type of depth below
 * this reads display[depth]; deeper ones read supers[depth]. */
#define W2N_GC_DISPLAY 6u

typedef enum w2n_gc_kind {
    W2N_GC_KIND_STRUCT = 1,
    W2N_GC_KIND_ARRAY = 2,
    W2N_GC_KIND_HOST = 3 /* an internalised host value (any.convert_extern): one word */
} w2n_gc_kind;

/* Where each field lives and what it holds (struct fields; an array has
 * one, its element).  `storage` is a value type, or W2N_GC_PACKED_I8 /
 * W2N_GC_PACKED_I16. */
#define W2N_GC_PACKED_I8 0x78u
#define W2N_GC_PACKED_I16 0x77u
typedef struct w2n_gc_field_layout {
    uint32_t offset; /* bytes from the object's start (arrays: of element 0) */
    uint32_t storage;
    uint8_t size;       /* 1, 2, 4, 8 or 16 bytes */
    uint8_t is_ref;     /* a reference the collector traces */
    uint8_t is_mutable; /* validation's business; kept for the host API */
    uint8_t reserved;
} w2n_gc_field_layout;

/* A runtime type (RTT) per canonical struct or array type, made once per
 * store and never moved.  A cast to type T of depth d (its supertype chain's
 * length) is `rtt->depth >= d && (d < W2N_GC_DISPLAY ? rtt->display[d] :
 * rtt->supers[d]) == T`: constant time, no loop. */
typedef struct w2n_gc_rtt {
    uint32_t kind;    /* w2n_gc_kind */
    uint32_t depth;   /* 0 for a type without a supertype */
    uint32_t type_id; /* canonical type id */
    uint32_t size;    /* struct: bytes of an object; array: bytes of an element */
    const struct w2n_gc_rtt *display[W2N_GC_DISPLAY]; /* supertypes 0..depth, then NULL */
    const struct w2n_gc_rtt *const *supers;           /* all depth + 1 of them */
    uint32_t nfields;
    uint32_t nrefs;              /* struct: reference fields; array: 1 if its elements are */
    const uint32_t *ref_offsets; /* struct: offset of each reference field */
    const w2n_gc_field_layout *fields;
} w2n_gc_rtt;

#define W2N_GC_RTT_KIND 0
#define W2N_GC_RTT_DEPTH 4
#define W2N_GC_RTT_SIZE 12
#define W2N_GC_RTT_DISPLAY 16
#define W2N_GC_RTT_SUPERS 64

/* The allocation window compiled code bumps (vmctx->gc): an object of n
 * bytes (a multiple of 8) is at `top` when top + n <= end; code stores its
 * header and advances top.  Otherwise it calls helpers->gc_alloc. */
typedef struct w2n_gc_alloc_abi {
    uint8_t *top;
    uint8_t *end;
} w2n_gc_alloc_abi;

typedef void (*w2n_tramp_fn)(w2n_vmctx *vmctx, w2n_raw *args_and_results);

/* A function reference: what tables hold and what call_indirect calls.
 * A funcref value is a pointer to one of these (NULL is ref.null).
 * call_id lets call_indirect's hot path make one compare: canonical ids
 * start at 1, so a record without native code (a host function the host
 * put in a table) never equals the expected id there, and the cold path
 * sorts host calls from mismatches by type_id. */
typedef struct w2n_func {
    void *code;         /* native entry, called as code(vmctx, params...) */
    w2n_tramp_fn tramp; /* array-call entry, or NULL for host functions */
    w2n_vmctx *vmctx;   /* the context to pass to code/tramp */
    uint32_t type_id;   /* canonical signature id (process-wide) */
    uint32_t call_id;   /* type_id when code is non-NULL, else 0 (ABI 6.4) */
    uint32_t flags;     /* runtime-private */
} w2n_func;

/* An exception as compiled code sees it (an exnref points to one).  The
 * unwinder's header comes first (struct _Unwind_Exception: 32 bytes on every
 * 64-bit target w2n has), then the tag's identity (the pointer vmctx->tags
 * holds for the tag), flags, runtime-private fields and the payload, one
 * 16-byte slot per parameter of the tag's type.  Compiled code sets
 * W2N_EXCEPTION_REFERENCED when a handler makes the exception a value
 * (catch_ref, catch_all_ref): exception_drop then keeps it. */
typedef struct w2n_exception_abi {
    uint64_t unwind_header[4];
    const void *tag;
    uint32_t flags;
    uint32_t reserved;
    void *runtime_private[2];
    /* then the payload: w2n_raw slots at W2N_EXCEPTION_PAYLOAD */
} w2n_exception_abi;

/* A linear memory as compiled code sees it.  In guard mode base never moves
 * once the memory exists; in explicit mode it may move on grow. */
typedef struct w2n_memory_abi {
    uint8_t *base;
    uint64_t size; /* current size in bytes */
} w2n_memory_abi;

/* A table as compiled code sees it.  elems may move on grow. */
typedef struct w2n_table_abi {
    void **elems;  /* funcref: w2n_func*, externref: host pointer */
    uint32_t size; /* current number of elements */
    uint32_t max;  /* maximum (UINT32_MAX if none) */
} w2n_table_abi;

/* Runtime services that compiled code calls.  Indices are table / segment /
 * import indices of the calling module.  The bulk operations check bounds
 * and trap themselves (they never return on a trap). */
typedef struct w2n_helpers {
    void (*trap)(w2n_vmctx *vmctx, uint32_t code); /* never returns */
    /* Memory operands are 64-bit so that one signature serves 32-bit and
     * 64-bit memories (compiled code zero-extends i32 addresses); `memory` is
     * the module's memory index, imports first. */
    int64_t (*memory_grow)(w2n_vmctx *vmctx, uint32_t memory,
                           uint64_t delta_pages); /* old pages or -1 */
    void (*memory_copy)(w2n_vmctx *vmctx, uint32_t dst_memory, uint32_t src_memory, uint64_t dst,
                        uint64_t src, uint64_t n);
    void (*memory_fill)(w2n_vmctx *vmctx, uint32_t memory, uint64_t dst, uint32_t value,
                        uint64_t n);
    void (*memory_init)(w2n_vmctx *vmctx, uint32_t memory, uint32_t seg, uint64_t dst, uint32_t src,
                        uint32_t n);
    void (*data_drop)(w2n_vmctx *vmctx, uint32_t seg);
    /* Table operands are 64-bit for the same reason (table64). */
    int64_t (*table_grow)(w2n_vmctx *vmctx, uint32_t table, void *init,
                          uint64_t delta); /* old size or -1 */
    void (*table_fill)(w2n_vmctx *vmctx, uint32_t table, uint64_t dst, void *value, uint64_t n);
    void (*table_copy)(w2n_vmctx *vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                       uint64_t src, uint64_t n);
    void (*table_init)(w2n_vmctx *vmctx, uint32_t table, uint32_t seg, uint64_t dst, uint32_t src,
                       uint32_t n);
    void (*elem_drop)(w2n_vmctx *vmctx, uint32_t seg);
    /* Call imported host function `import_func` (a function index < number of
     * imported functions) with arguments in slots; results come back in slots. */
    void (*call_host)(w2n_vmctx *vmctx, uint32_t import_func, w2n_raw *args_and_results);
    /* Trap naming the element, e.g. "uninitialized element 2". */
    void (*trap_index)(w2n_vmctx *vmctx, uint32_t code, uint32_t index); /* never returns */
    /* Call a function record without native code (code == NULL: a host
     * function put in a table by the host) with arguments in slots. */
    void (*call_func)(w2n_vmctx *vmctx, w2n_func *func, w2n_raw *args_and_results);
    /* memory.atomic.wait32/64 at the aligned address `addr` of `memory`
     * (bounds unchecked): 0 woken, 1 not equal, 2 timed out; a negative
     * timeout (ns) waits forever.  `bytes` is 4 or 8. */
    int32_t (*memory_atomic_wait)(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr,
                                  int64_t expected, int64_t timeout, uint32_t bytes);
    /* memory.atomic.notify: wakes up to `count` waiters at `addr`, returns how many. */
    int32_t (*memory_atomic_notify)(w2n_vmctx *vmctx, uint32_t memory, uint64_t addr,
                                    uint32_t count);
    /* Exception handling (docs/abi.md, "Exceptions").  exception_new makes
     * an exception of tag `tag` (the module's tag index, imports first) with
     * its payload unset; it traps past the store's bound on live exceptions.
     * exception_throw raises `exn` (NULL traps "null exception reference"):
     * to the nearest Wasm handler, or, when none lies before the innermost
     * host-to-Wasm entry, out of the call as an uncaught exception.
     * exception_drop frees one a handler caught without keeping a reference. */
    w2n_exception_abi *(*exception_new)(w2n_vmctx *vmctx, uint32_t tag);
    void (*exception_throw)(w2n_vmctx *vmctx, w2n_exception_abi *exn); /* never returns */
    void (*exception_drop)(w2n_vmctx *vmctx, w2n_exception_abi *exn);
    /* Garbage collection (docs/gc.md).  gc_alloc is the allocation slow
     * path: an object of `rtt` (arrays: `length` elements) with its header
     * set and its body zeroed; it may collect, so every call to it (and to
     * any helper that can reach the host) is a statepoint; it traps "out of
     * memory" past the store's limit.  gc_internalize is any.convert_extern,
     * gc_externalize extern.convert_any (docs/gc.md, "externref"). */
    void *(*gc_alloc)(w2n_vmctx *vmctx, const w2n_gc_rtt *rtt, uint32_t length);
    void *(*gc_internalize)(w2n_vmctx *vmctx, void *externref);
    void *(*gc_externalize)(w2n_vmctx *vmctx, void *anyref);
    /* Since ABI 6.2: is canonical type `sub` `super` or a declared subtype
     * of it (1) or not (0)?  call_indirect and casts to a function type
     * that is not final, when the ids differ. */
    uint32_t (*type_sub)(w2n_vmctx *vmctx, uint32_t sub, uint32_t super);
    /* Since ABI 6.3: arrays from and into segments (`type` an array type
     * index of the module, `seg` its data or element segment).  new_data
     * and new_elem check the segment's bounds, then allocate (they may
     * collect); init_data and init_elem fill a non-null array (compiled
     * code checks null) and never collect.  Each traps as the spec says,
     * having changed nothing. */
    void *(*gc_array_new_data)(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                               uint32_t n);
    void *(*gc_array_new_elem)(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, uint32_t offset,
                               uint32_t n);
    void (*gc_array_init_data)(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                               uint32_t dst, uint32_t src, uint32_t n);
    void (*gc_array_init_elem)(w2n_vmctx *vmctx, uint32_t type, uint32_t seg, void *array,
                               uint32_t dst, uint32_t src, uint32_t n);
} w2n_helpers;

/* The instance context, first argument of every compiled function.  The
 * runtime allocates and fills it before any compiled code runs; the pointer
 * fields never change afterwards (the compiler may load them as invariant). */
struct w2n_vmctx {
    w2n_memory_abi *memory;      /* memory 0, or NULL if the module has none */
    uintptr_t stack_limit;       /* trap when the stack pointer drops below */
    volatile uint32_t interrupt; /* non-zero: interrupt at next check */
    uint32_t reserved0;
    const w2n_helpers *helpers;
    w2n_table_abi **tables;            /* every table, imports first */
    w2n_func **funcs;                  /* every function, imports first */
    const uint32_t *type_ids;          /* canonical id of each module type index */
    void **globals;                    /* storage of each global, imports first (16 bytes each) */
    void *instance;                    /* runtime-private back pointer */
    int64_t *fuel;                     /* the store's remaining fuel (objects built --fuel):
                                   code subtracts what it runs and traps below 0 */
    w2n_memory_abi **memories;         /* every memory, imports first (memories[0] == memory);
                                   code reads memory i > 0 here, memory 0 from `memory` */
    const void *const *tags;           /* identity of every tag, imports first (exceptions) */
    w2n_gc_alloc_abi *gc;              /* the store's allocation window (garbage collection) */
    const w2n_gc_rtt *const *gc_types; /* descriptor of each module type index (NULL: a
                                           function type) */
};

/* Stack contract (docs/abi.md, "Stack"): compiled code traps when the stack
 * pointer is below vmctx->stack_limit, which the runtime keeps at least
 * W2N_STACK_RESERVE above the end of the thread's stack.  Where the target
 * supports it, frames are probed every W2N_STACK_PROBE_SIZE bytes, so a frame
 * of any size meets the guard page below the stack before anything else. */
#define W2N_STACK_RESERVE ((uintptr_t)256 * 1024)
/* Where the target has no probes (RISC-V with LLVM 19), the compiler
 * measures every function's native frame from the code it emitted and
 * records the largest in the metadata (max_frame bytes plus max_frame_vlenb
 * vector registers); the runtime keeps that much more between the limit and
 * the end of the stack, so a frame is allocated and written wholly inside
 * the stack before its compare.  Larger values are refused as corrupt. */
#define W2N_FRAME_MAX ((uint64_t)1 << 32)
#define W2N_FRAME_VLENB_MAX ((uint32_t)1 << 20)
#define W2N_STACK_PROBE_SIZE 4096
#define W2N_STACK_PROBE_SIZE_TEXT "4096"

#define W2N_VMCTX_MEMORY 0
#define W2N_VMCTX_STACK_LIMIT 8
#define W2N_VMCTX_INTERRUPT 16
#define W2N_VMCTX_HELPERS 24
#define W2N_VMCTX_TABLES 32
#define W2N_VMCTX_FUNCS 40
#define W2N_VMCTX_TYPE_IDS 48
#define W2N_VMCTX_GLOBALS 56
#define W2N_VMCTX_INSTANCE 64
#define W2N_VMCTX_FUEL 72
#define W2N_VMCTX_MEMORIES 80
#define W2N_VMCTX_TAGS 88
#define W2N_VMCTX_GC 96
#define W2N_VMCTX_GC_TYPES 104
#define W2N_VMCTX_SIZE 112

/* Offsets in w2n_func that calls through a record read. */
#define W2N_FUNC_CODE 0
#define W2N_FUNC_VMCTX 16
#define W2N_FUNC_TYPE_ID 24
#define W2N_FUNC_CALL_ID 28

/* Offsets in w2n_exception_abi that compiled code reads and writes. */
#define W2N_EXCEPTION_TAG 32
#define W2N_EXCEPTION_FLAGS 40
#define W2N_EXCEPTION_PAYLOAD 64
#define W2N_EXCEPTION_REFERENCED 1u

/* Index of each helper in w2n_helpers, in declaration order. */
enum w2n_helper_index {
    W2N_HELPER_TRAP,
    W2N_HELPER_MEMORY_GROW,
    W2N_HELPER_MEMORY_COPY,
    W2N_HELPER_MEMORY_FILL,
    W2N_HELPER_MEMORY_INIT,
    W2N_HELPER_DATA_DROP,
    W2N_HELPER_TABLE_GROW,
    W2N_HELPER_TABLE_FILL,
    W2N_HELPER_TABLE_COPY,
    W2N_HELPER_TABLE_INIT,
    W2N_HELPER_ELEM_DROP,
    W2N_HELPER_CALL_HOST,
    W2N_HELPER_TRAP_INDEX,
    W2N_HELPER_CALL_FUNC,
    W2N_HELPER_MEMORY_ATOMIC_WAIT,
    W2N_HELPER_MEMORY_ATOMIC_NOTIFY,
    W2N_HELPER_EXCEPTION_NEW,
    W2N_HELPER_EXCEPTION_THROW,
    W2N_HELPER_EXCEPTION_DROP,
    W2N_HELPER_GC_ALLOC,
    W2N_HELPER_GC_INTERNALIZE,
    W2N_HELPER_GC_EXTERNALIZE,
    W2N_HELPER_TYPE_SUB,
    W2N_HELPER_GC_ARRAY_NEW_DATA,
    W2N_HELPER_GC_ARRAY_NEW_ELEM,
    W2N_HELPER_GC_ARRAY_INIT_DATA,
    W2N_HELPER_GC_ARRAY_INIT_ELEM,
    W2N_HELPER_COUNT
};

/* ---- symbols every object defines ------------------------------------------
 * Each is a read-only array of code addresses, each entry an int32_t offset
 * from the array's own start, 0 for none (since 6.5; before, 8-byte
 * pointers the loader relocated):
 *   w2n_functions[i]        native entry of defined function i
 *                           (Wasm function index nimported_funcs + i)
 *   w2n_trampolines[i]      array-call entry of defined function i, or none
 *                           when the host can never call it directly
 *   w2n_import_adapters[i]  native entry for imported function i: packs the
 *                           arguments into slots and calls helpers->call_host;
 *                           the runtime uses it when the import is a host
 *                           function.  (Only present with imported functions.)
 * Function symbols are named from the name section where it has a name
 * ("w2n:<name>" made unique), else "w2n_f<index>". */
#define W2N_SYM_FUNCTIONS "w2n_functions"
#define W2N_SYM_TRAMPOLINES "w2n_trampolines"
#define W2N_SYM_IMPORT_ADAPTERS "w2n_import_adapters"
/* The personality routine of modules that use exceptions: an undefined
 * symbol their unwind tables name, which the loader resolves to the
 * runtime's (docs/abi.md, "Exceptions"). */
#define W2N_SYM_EH_PERSONALITY "w2n_eh_personality"

/* The bounds-checking mode as the code itself states it: every object
 * defines W2N_SYM_BOUNDS_MODE, an 8-byte read-only constant holding one of
 * the two values below (the ASCII of "w2nguard" / "w2nexplc", little-endian).
 * The loader requires it to agree with W2N_FLAG_EXPLICIT_BOUNDS of the
 * metadata, so that one flipped flag bit cannot hand code without bounds
 * checks an exact-size memory; the two values differ in 13 bits, so no
 * single flipped bit turns one into the other either. */
#define W2N_SYM_BOUNDS_MODE "w2n_bounds_mode"
#define W2N_BOUNDS_MODE_GUARD UINT64_C(0x64726175676e3277)
#define W2N_BOUNDS_MODE_EXPLICIT UINT64_C(0x636c7078656e3277)

/* The metadata section, encoded as common/meta.h describes. */
#define W2N_META_SECTION ".w2n.module"
#define W2N_META_MAGIC "W2NMETA" /* 8 bytes with the NUL */

/* Targets, as recorded in the metadata. */
typedef enum w2n_arch {
    W2N_ARCH_X86_64 = 1,
    W2N_ARCH_AARCH64 = 2,
    W2N_ARCH_RISCV64 = 3
} w2n_arch;

/* Compile flags recorded in the metadata; the loader refuses a mode the
 * runtime was not asked for. */
enum w2n_meta_flags {
    W2N_FLAG_EXPLICIT_BOUNDS = 1u << 0, /* else guard pages */
    W2N_FLAG_INTERRUPTIBLE = 1u << 1,
    W2N_FLAG_FUEL = 1u << 2 /* counts executed work in vmctx->fuel */
};

/* Guard mode reserves this much address space per 32-bit memory: 4 GiB
 * addressable, 4 GiB for the largest static offset, and one more Wasm page
 * for the bytes of an access that starts just below 8 GiB. */
#define W2N_GUARD_RESERVATION ((UINT64_C(8) << 30) + 65536u)
#define W2N_PAGE_SIZE 65536u
#define W2N_MAX_PAGES 65536u
/* A 64-bit memory's (memory64): 2^64 bytes in Wasm pages. */
#define W2N_MAX_PAGES64 (UINT64_C(1) << 48)

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && UINTPTR_MAX == UINT64_MAX
_Static_assert(offsetof(struct w2n_vmctx, memory) == W2N_VMCTX_MEMORY, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, stack_limit) == W2N_VMCTX_STACK_LIMIT, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, interrupt) == W2N_VMCTX_INTERRUPT, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, helpers) == W2N_VMCTX_HELPERS, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, tables) == W2N_VMCTX_TABLES, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, funcs) == W2N_VMCTX_FUNCS, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, type_ids) == W2N_VMCTX_TYPE_IDS, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, globals) == W2N_VMCTX_GLOBALS, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, instance) == W2N_VMCTX_INSTANCE, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, fuel) == W2N_VMCTX_FUEL, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, memories) == W2N_VMCTX_MEMORIES, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, tags) == W2N_VMCTX_TAGS, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, gc) == W2N_VMCTX_GC, "vmctx layout");
_Static_assert(offsetof(struct w2n_vmctx, gc_types) == W2N_VMCTX_GC_TYPES, "vmctx layout");
_Static_assert(sizeof(struct w2n_vmctx) == W2N_VMCTX_SIZE, "vmctx layout");
_Static_assert(offsetof(w2n_gc_rtt, kind) == W2N_GC_RTT_KIND &&
                   offsetof(w2n_gc_rtt, depth) == W2N_GC_RTT_DEPTH &&
                   offsetof(w2n_gc_rtt, size) == W2N_GC_RTT_SIZE &&
                   offsetof(w2n_gc_rtt, display) == W2N_GC_RTT_DISPLAY &&
                   offsetof(w2n_gc_rtt, supers) == W2N_GC_RTT_SUPERS,
               "gc descriptor layout");
_Static_assert(sizeof(w2n_gc_alloc_abi) == 16, "gc window layout");
_Static_assert(offsetof(w2n_exception_abi, tag) == W2N_EXCEPTION_TAG &&
                   offsetof(w2n_exception_abi, flags) == W2N_EXCEPTION_FLAGS &&
                   sizeof(w2n_exception_abi) == W2N_EXCEPTION_PAYLOAD,
               "exception layout");
_Static_assert(offsetof(w2n_func, code) == W2N_FUNC_CODE && offsetof(w2n_func, tramp) == 8 &&
                   offsetof(w2n_func, vmctx) == W2N_FUNC_VMCTX &&
                   offsetof(w2n_func, type_id) == W2N_FUNC_TYPE_ID &&
                   offsetof(w2n_func, call_id) == W2N_FUNC_CALL_ID,
               "w2n_func layout");
_Static_assert(offsetof(w2n_memory_abi, size) == 8, "memory layout");
_Static_assert(offsetof(w2n_table_abi, size) == 8 && offsetof(w2n_table_abi, max) == 12,
               "table layout");
_Static_assert(sizeof(w2n_raw) == 16, "raw slot");
#endif

#ifdef __cplusplus
}
#endif
#endif
