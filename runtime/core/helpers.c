/*
 * helpers.c — the runtime services compiled code calls (abi.h w2n_helpers).
 *
 * Spec semantics of the bulk operations: every bound is checked, in 64-bit
 * arithmetic, before anything is written, so a trapping operation has no
 * effect; n = 0 exactly at the end is allowed; copies may overlap; a dropped
 * segment behaves as one of length 0.  The checked cores (w2n_op_*) return a
 * trap code so that instantiation can use them without a trap boundary; the
 * helper wrappers raise that trap.
 *
 * Indices (segment, table, import) come from validated code and are trusted.
 */
#include <stdio.h>
#include <string.h>

#include "exception.h"
#include "gc.h"
#include "internal.h"

/* Returns only when no Wasm call is innermost (see w2n_trap_raise): each
 * caller then returns at once, having changed nothing. */
static void raise_code(w2n_trap_code code) { w2n_trap_raise(code, 0, NULL); }

static void h_trap(w2n_vmctx *vmctx, uint32_t code) {
    (void)vmctx;
    raise_code((w2n_trap_code)code);
}

static void h_trap_index(w2n_vmctx *vmctx, uint32_t code, uint32_t index) {
    (void)vmctx;
    char message[96];
    snprintf(message, sizeof message, "%s %u", w2n_trap_message((w2n_trap_code)code), index);
    w2n_trap_raise((w2n_trap_code)code, 0, message);
}

/* Is [start, start + n) inside a region of `size`?  In 64-bit arithmetic
 * that cannot wrap: n <= size and start <= size - n. */
static bool in_bounds(uint64_t start, uint64_t n, uint64_t size) {
    return n <= size && start <= size - n;
}

static int64_t h_memory_grow(w2n_vmctx *vmctx, uint32_t memory, uint64_t delta) {
    return w2n_memory_grow(w2n_instance_of(vmctx)->memories[memory], delta);
}

static void h_memory_copy(w2n_vmctx *vmctx, uint32_t dst_memory, uint32_t src_memory, uint64_t dst,
                          uint64_t src, uint64_t n) {
    w2n_memory_abi *d = vmctx->memories[dst_memory], *s = vmctx->memories[src_memory];
    if (!in_bounds(dst, n, d->size) || !in_bounds(src, n, s->size))
        raise_code(W2N_TRAP_MEMORY_OOB);
    else if (n)
        memmove(d->base + dst, s->base + src, n);
}

static void h_memory_fill(w2n_vmctx *vmctx, uint32_t memory, uint64_t dst, uint32_t value,
                          uint64_t n) {
    w2n_memory_abi *m = vmctx->memories[memory];
    if (!in_bounds(dst, n, m->size))
        raise_code(W2N_TRAP_MEMORY_OOB);
    else if (n)
        memset(m->base + dst, (int)(value & 0xFF), n);
}

w2n_trap_code w2n_op_memory_init(w2n_instance *inst, uint32_t memory, uint32_t seg, uint64_t dst,
                                 uint32_t src, uint32_t n) {
    const w2n_meta_data *d = &inst->meta->datas[seg];
    uint64_t seg_size = inst->data_dropped[seg] ? 0 : d->size;
    w2n_memory_abi *m = memory < inst->nmemories ? &inst->memories[memory]->abi : NULL;
    uint64_t mem_size = m ? m->size : 0;
    if (!in_bounds(src, n, seg_size) || !in_bounds(dst, n, mem_size))
        return W2N_TRAP_MEMORY_OOB;
    if (n)
        memcpy(m->base + dst, d->bytes + src, n);
    return W2N_TRAP_NONE;
}

static void h_memory_init(w2n_vmctx *vmctx, uint32_t memory, uint32_t seg, uint64_t dst,
                          uint32_t src, uint32_t n) {
    w2n_trap_code code = w2n_op_memory_init(w2n_instance_of(vmctx), memory, seg, dst, src, n);
    if (code != W2N_TRAP_NONE)
        raise_code(code);
}

static void h_data_drop(w2n_vmctx *vmctx, uint32_t seg) {
    w2n_instance_of(vmctx)->data_dropped[seg] = true;
}

static int64_t h_table_grow(w2n_vmctx *vmctx, uint32_t table, void *init, uint64_t delta) {
    return w2n_table_grow_by(w2n_instance_of(vmctx)->tables[table], delta, init);
}

static void h_table_fill(w2n_vmctx *vmctx, uint32_t table, uint64_t dst, void *value, uint64_t n) {
    w2n_table_abi *t = vmctx->tables[table];
    if (!in_bounds(dst, n, t->size)) {
        raise_code(W2N_TRAP_TABLE_OOB);
        return;
    }
    for (uint64_t i = 0; i < n; i++)
        t->elems[dst + i] = value;
}

static void h_table_copy(w2n_vmctx *vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst,
                         uint64_t src, uint64_t n) {
    w2n_table_abi *d = vmctx->tables[dst_table], *s = vmctx->tables[src_table];
    if (!in_bounds(dst, n, d->size) || !in_bounds(src, n, s->size))
        raise_code(W2N_TRAP_TABLE_OOB);
    else if (n)
        memmove(d->elems + dst, s->elems + src, (size_t)n * sizeof(void *));
}

w2n_trap_code w2n_op_table_init(w2n_instance *inst, uint32_t table, uint32_t seg, uint64_t dst,
                                uint32_t src, uint32_t n) {
    w2n_table_abi *t = inst->table_abis[table];
    if (!in_bounds(src, n, inst->elem_sizes[seg]) || !in_bounds(dst, n, t->size))
        return W2N_TRAP_TABLE_OOB;
    if (n)
        memcpy(t->elems + dst, inst->elem_items[seg] + src, (size_t)n * sizeof(void *));
    return W2N_TRAP_NONE;
}

static void h_table_init(w2n_vmctx *vmctx, uint32_t table, uint32_t seg, uint64_t dst, uint32_t src,
                         uint32_t n) {
    w2n_trap_code code = w2n_op_table_init(w2n_instance_of(vmctx), table, seg, dst, src, n);
    if (code != W2N_TRAP_NONE)
        raise_code(code);
}

static void h_elem_drop(w2n_vmctx *vmctx, uint32_t seg) {
    /* The items stay allocated until the instance goes; size 0 hides them. */
    w2n_instance_of(vmctx)->elem_sizes[seg] = 0;
}

/* Pass on how a host function or a nested call ended: its trap, or the
 * exception it threw, which Wasm handlers may catch. */
static void raise_outcome(const w2n_trap *t) {
    if (t->exception)
        w2n_exception_raise(t->exception);
    else
        w2n_trap_raise(t->code, t->exit_status, t->message);
}

/* Call a host function from Wasm: its trap or exception goes on, and GC
 * results of the wrong type trap rather than reach compiled code. */
static void call_host_func(w2n_host_func *host, w2n_instance *caller, w2n_raw *slots) {
    w2n_trap t;
    char why[160];
    if (w2n_trap_call_host(host, caller, slots, &t))
        raise_outcome(&t);
    else if (!w2n_gc_host_results_fit(host->base.type_id, slots, why, sizeof why))
        w2n_trap_raise(W2N_TRAP_HOST, 0, why);
}

static void h_call_host(w2n_vmctx *vmctx, uint32_t import_func, w2n_raw *slots) {
    w2n_instance *inst = w2n_instance_of(vmctx);
    w2n_func *f = inst->funcs[import_func];
    if (f->flags & W2N_FUNC_ADAPTER) {
        call_host_func(((w2n_adapter_func *)f)->host, inst, slots);
    } else if (f->tramp && w2n_trap_in_wasm()) {
        /* A Wasm function of another instance reached through an adapter:
         * still inside the current trap boundary. */
        f->tramp(f->vmctx, slots);
    } else if (f->tramp) {
        /* A host called this helper itself: the callee needs a boundary. */
        w2n_trap t;
        w2n_status st = w2n_call_tramp(inst->store, f->tramp, f->vmctx, slots, &t);
        if (st == W2N_ERR_TRAP || st == W2N_ERR_EXCEPTION)
            raise_outcome(&t);
    } else {
        raise_code(W2N_TRAP_UNREACHABLE);
    }
}

/* call_indirect of a record without native code: a host function the host
 * put in a table itself rather than importing it (no adapter exists). */
static void h_call_func(w2n_vmctx *vmctx, w2n_func *f, w2n_raw *slots) {
    if (!(f->flags & W2N_FUNC_HOST)) {
        raise_code(W2N_TRAP_UNREACHABLE);
        return;
    }
    call_host_func((w2n_host_func *)f, w2n_instance_of(vmctx), slots);
}

/* A type check that equal ids did not settle: subtyping (functype.c). */
static uint32_t h_type_sub(w2n_vmctx *vmctx, uint32_t sub, uint32_t super) {
    (void)vmctx;
    return w2n_type_id_sub(sub, super) ? 1 : 0;
}

const w2n_helpers w2n_runtime_helpers = {
    .trap = h_trap,
    .memory_grow = h_memory_grow,
    .memory_copy = h_memory_copy,
    .memory_fill = h_memory_fill,
    .memory_init = h_memory_init,
    .data_drop = h_data_drop,
    .table_grow = h_table_grow,
    .table_fill = h_table_fill,
    .table_copy = h_table_copy,
    .table_init = h_table_init,
    .elem_drop = h_elem_drop,
    .call_host = h_call_host,
    .trap_index = h_trap_index,
    .call_func = h_call_func,
    .memory_atomic_wait = w2n_atomic_wait,
    .memory_atomic_notify = w2n_atomic_notify,
    .exception_new = w2n_helper_exception_new,
    .exception_throw = w2n_helper_exception_throw,
    .exception_drop = w2n_helper_exception_drop,
    .gc_alloc = w2n_helper_gc_alloc,
    .gc_internalize = w2n_helper_gc_internalize,
    .gc_externalize = w2n_helper_gc_externalize,
    .type_sub = h_type_sub,
    .gc_array_new_data = w2n_helper_gc_array_new_data,
    .gc_array_new_elem = w2n_helper_gc_array_new_elem,
    .gc_array_init_data = w2n_helper_gc_array_init_data,
    .gc_array_init_elem = w2n_helper_gc_array_init_elem,
};
