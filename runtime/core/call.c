/*
 * call.c — calling into Wasm: the runtime's only sigsetjmp.
 *
 * w2n_call_tramp is the trap boundary.  It pushes a w2n_entry, points every
 * instance of the store at a stack limit, and enters the array-call
 * trampoline; a trap from a helper, a host function or the fault handler
 * siglongjmps back here and becomes W2N_ERR_TRAP.  Nested calls (Wasm ->
 * host -> Wasm) push further entries, so a trap unwinds to the innermost one
 * and the host function in between sees an ordinary error.
 *
 * Stack: Wasm runs on the calling thread's own stack.  At the outermost
 * entry into a store the limit is the current stack pointer minus the
 * store's stack_size, but never closer than HOST_RESERVE plus the store's
 * frame reserve to the end of the thread's stack (pthread_getattr_np), so
 * host functions and helpers called from deep Wasm recursion, and the
 * runtime itself, still have room, and so does the largest frame of the
 * store's objects: where frames are not probed (frame.h) a function
 * allocates and writes its frame before it compares sp with the limit.
 * Nested entries keep the outer limit: the whole chain shares one budget.
 *
 * Slots for arguments and results are allocated before the boundary and
 * freed after it, so a trap leaks nothing.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "gc.h"
#include "internal.h"

#define HOST_RESERVE W2N_STACK_RESERVE
#define INLINE_SLOTS 16

/* The lowest the limit may be on this thread: the end of its stack plus
 * HOST_RESERVE plus the frame reserve; 0 for a stack of unknown extent.
 * Also looks up this thread's stack end, which the fault handler needs to
 * tell a stack overflow (a probe into the guard) from other faults. */
static uintptr_t stack_floor(uint64_t frame_reserve) {
    uintptr_t low = w2n_stack_low();
    if (low <= 1)
        return 0;
    uint64_t room =
        frame_reserve > UINT64_MAX - HOST_RESERVE ? UINT64_MAX : HOST_RESERVE + frame_reserve;
    return room > UINTPTR_MAX - low ? UINTPTR_MAX : low + (uintptr_t)room;
}

static uintptr_t compute_limit(const w2n_store *store) {
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t limit = sp > store->stack_size ? sp - store->stack_size : 0;
    uintptr_t floor = stack_floor(store->frame_reserve);
    if (limit < floor)
        limit = floor < sp ? floor : sp; /* no room at all: every check traps */
    return limit;
}

/* The limit is store-wide; compiled code reads each instance's copy. */
static void set_stack_limit(w2n_store *s, uintptr_t limit) {
    if (s->stack_limit == limit)
        return;
    s->stack_limit = limit;
    for (w2n_instance *i = s->instances; i; i = i->next)
        i->vmctx.stack_limit = limit;
}

w2n_status w2n_call_admit_frames(w2n_store *store, const w2n_meta *meta, w2n_error *err) {
    uint64_t frame = w2n_frame_bytes(meta->max_frame, meta->max_frame_vlenb,
                                     meta->max_frame_vlenb ? w2n_arch_vector_bytes() : 0);
    if (meta->max_frame_vlenb && !w2n_arch_vector_bytes())
        frame = UINT64_MAX; /* vector frames on a machine without vectors */
    if (frame <= store->frame_reserve)
        return W2N_OK;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t floor = stack_floor(frame);
    if (floor >= sp)
        return w2n_error_set(err, W2N_ERR_LIMIT, W2N_NO_OFFSET,
                             "the module's largest stack frame (%llu bytes) does not fit in "
                             "this thread's stack above the runtime's reserve of %u KiB",
                             (unsigned long long)frame, (unsigned)(HOST_RESERVE / 1024));
    store->frame_reserve = frame;
    /* Instantiated from inside a call: the running chain must keep the room. */
    if (store->depth > 0 && store->stack_limit < floor)
        set_stack_limit(store, floor);
    return W2N_OK;
}

static void set_trap_text(w2n_trap *t) {
    if (!t->message[0]) {
        const char *text = w2n_trap_message(t->code);
        strncpy(t->message, text, sizeof t->message - 1);
        t->message[sizeof t->message - 1] = 0;
    }
}

w2n_status w2n_call_tramp(w2n_store *store, w2n_tramp_fn tramp, w2n_vmctx *vmctx, w2n_raw *slots,
                          w2n_trap *trap) {
    w2n_entry e;
    if (w2n_trap_init_thread(NULL) != W2N_OK) {
        if (trap) {
            trap->code = W2N_TRAP_HOST;
            trap->exit_status = 0;
            trap->exception = NULL;
            strcpy(trap->message, "cannot install the trap handler");
        }
        return W2N_ERR_TRAP;
    }
    if (store->depth == 0) {
        if (!w2n_stop_enter(store)) { /* the deadline has passed: run nothing */
            if (trap) {
                memset(trap, 0, sizeof *trap);
                trap->code = W2N_TRAP_INTERRUPTED;
                set_trap_text(trap);
            }
            return W2N_ERR_TRAP;
        }
        set_stack_limit(store, compute_limit(store));
    } else {
        w2n_stack_low(); /* the fault handler needs this thread's stack end */
    }
    store->depth++;
    e.store = store; /* before the push: the preemption handler reads it */
    w2n_trap_push(&e);
    if (sigsetjmp(e.jb, 0) == 0) {
        tramp(vmctx, slots);
        w2n_trap_pop(&e);
        if (--store->depth == 0)
            w2n_stop_leave(store);
        return W2N_OK;
    }
    w2n_trap_pop(&e);
    if (--store->depth == 0)
        w2n_stop_leave(store);
    set_trap_text(&e.trap);
    if (trap)
        *trap = e.trap;
    return e.trap.exception ? W2N_ERR_EXCEPTION : W2N_ERR_TRAP;
}

static w2n_status call_host(w2n_host_func *host, w2n_instance *caller, w2n_raw *slots,
                            w2n_trap *trap) {
    w2n_trap t;
    if (!w2n_trap_call_host(host, caller, slots, &t))
        return W2N_OK;
    if (trap)
        *trap = t;
    return t.exception ? W2N_ERR_EXCEPTION : W2N_ERR_TRAP;
}

w2n_status w2n_call_raw(w2n_store *store, w2n_func *func, w2n_raw *slots, w2n_trap *trap,
                        w2n_error *err) {
    if (func->flags & W2N_FUNC_HOST)
        return call_host((w2n_host_func *)func, NULL, slots, trap);
    if (func->flags & W2N_FUNC_ADAPTER)
        return call_host(((w2n_adapter_func *)func)->host, w2n_instance_of(func->vmctx), slots,
                         trap);
    if (!func->tramp)
        return w2n_error_set(err, W2N_ERR_UNSUPPORTED, W2N_NO_OFFSET,
                             "function has no array-call entry (not callable from the host)");
    w2n_instance *owner = w2n_instance_of(func->vmctx);
    return w2n_call_tramp(owner ? owner->store : store, func->tramp, func->vmctx, slots, trap);
}

static w2n_status check_args(const w2n_functype *type, uint32_t type_id, const w2n_value *args,
                             uint32_t nargs, uint32_t nresults, w2n_error *err) {
    if (nargs != type->nparams)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "function takes %u arguments, %u given", type->nparams, nargs);
    if (nresults < type->nresults)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "function returns %u results, room for %u given", type->nresults,
                             nresults);
    for (uint32_t i = 0; i < nargs; i++)
        if (!w2n_value_fits(&args[i], type->params[i], type_id))
            return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                                 "argument %u is a %s%s, the function expects %s", i,
                                 w2n_valtype_is_ref(args[i].type) && !args[i].of.ref ? "null " : "",
                                 w2n_valtype_name(args[i].type), w2n_valtype_name(type->params[i]));
    return W2N_OK;
}

w2n_status w2n_func_call(w2n_store *store, w2n_func *func, const w2n_value *args, uint32_t nargs,
                         w2n_value *results, uint32_t nresults, w2n_trap *trap, w2n_error *err) {
    if (!store || !func)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "null store or function");
    const w2n_functype *type = w2n_functype_lookup(func->type_id);
    if (!type)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "not a function");
    w2n_status st = check_args(type, func->type_id, args, nargs, nresults, err);
    if (st != W2N_OK)
        return st;
    uint32_t n = type->nparams > type->nresults ? type->nparams : type->nresults;
    w2n_raw inline_slots[INLINE_SLOTS];
    w2n_raw *slots = n <= INLINE_SLOTS ? inline_slots : calloc(n, sizeof *slots);
    if (!slots)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < nargs; i++) {
        w2n_value_to_raw(&args[i], &slots[i]);
        if (w2n_gc_is_gc_type(type->params[i])) /* a handle: pass what it names */
            slots[i].ref = w2n_gc_raw_of(args[i].of.ref);
    }
    w2n_trap local;
    st = w2n_call_raw(store, func, slots, &local, err);
    if (st == W2N_OK) {
        for (uint32_t i = 0; i < type->nresults; i++) {
            results[i] = w2n_value_from_raw(type->results[i], &slots[i]);
            if (w2n_gc_is_gc_type(type->results[i]) && slots[i].ref &&
                !(results[i].of.ref = w2n_gc_ref_from_raw(store, slots[i].ref)))
                st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory for a handle");
        }
    } else if (st == W2N_ERR_TRAP) {
        if (trap)
            *trap = local;
        w2n_error_set(err, W2N_ERR_TRAP, W2N_NO_OFFSET, "trap: %s", local.message);
    } else if (st == W2N_ERR_EXCEPTION) {
        if (trap)
            *trap = local;
        w2n_error_set(err, W2N_ERR_EXCEPTION, W2N_NO_OFFSET, "uncaught exception");
    }
    if (slots != inline_slots)
        free(slots);
    return st;
}
