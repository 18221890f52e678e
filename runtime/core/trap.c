/*
 * trap.c — raising traps and turning guard-page faults into traps.
 *
 * Every host-to-Wasm call (call.c) pushes a w2n_entry on a per-thread stack
 * before it enters compiled code; a trap, whether raised by a helper, by a
 * host function (as a pending trap) or by a fault, fills the innermost entry
 * and siglongjmps to it.  Nothing is allocated between entry and trap, so
 * unwinding leaks nothing.  A trap raised while a host function is innermost
 * (it called a helper itself, not through Wasm), or with no call active at
 * all, unwinds nothing: the helper returns without effect, and the host
 * function, if any, reports the trap when it returns.
 *
 * The SIGSEGV/SIGBUS handler runs on a sigaltstack (the fault may be a stack
 * overflow) and claims a fault only when a call is active on this thread AND
 * the pc lies in registered code AND the address lies either in a registered
 * linear-memory reservation ("out of bounds memory access") or in this
 * thread's stack guard region (stack.c: "call stack exhausted", where a
 * compiled frame's page-by-page probe stops); anything else goes to the
 * previous handler.  The
 * registries are fixed arrays of atomics: writers take a mutex, the handler
 * reads without locks.  The handler is installed with SA_NODEFER and entries
 * are set with sigsetjmp(jb, 0): leaving the handler by siglongjmp then
 * needs no signal-mask restore, which saves a system call on every entry.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>

#include "internal.h"

/* Address space bounds the memories (16384 x 8 GiB = 128 TiB); objects are
 * cheap, so a long-running host (the spec runner) may keep many alive.  The
 * handler scans only up to each registry's high-water mark. */
#define MAX_MEMORIES 16384
#define MAX_IMAGES 16384
#define ALT_STACK_SIZE (64 * 1024)

typedef struct range {
    _Atomic uintptr_t start; /* 0 = free slot */
    _Atomic uintptr_t end;
} range;

typedef struct registry {
    range *slots;
    size_t cap;
    _Atomic size_t used; /* high-water mark: no live slot at or above */
} registry;

static range memory_slots[MAX_MEMORIES];
static registry memories = {memory_slots, MAX_MEMORIES, 0};
static const w2n_image *_Atomic images[MAX_IMAGES];
static _Atomic size_t images_used;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static _Thread_local w2n_entry *top;
static _Thread_local bool pending_set;
static _Thread_local w2n_trap pending;
static _Thread_local unsigned host_depth; /* host functions running on this thread */
static _Thread_local bool altstack_ready;

static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static bool handler_ok;
static pthread_key_t altstack_key; /* frees a thread's signal stack at its exit */
static bool altstack_key_ok;
static struct sigaction old_segv, old_bus;

/* ---- messages --------------------------------------------------------------- */

const char *w2n_trap_message(w2n_trap_code code) {
    switch (code) {
    case W2N_TRAP_NONE: return "no trap";
    case W2N_TRAP_UNREACHABLE: return "unreachable";
    case W2N_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case W2N_TRAP_TABLE_OOB: return "out of bounds table access";
    case W2N_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case W2N_TRAP_UNINITIALIZED: return "uninitialized element";
    case W2N_TRAP_INDIRECT_TYPE: return "indirect call type mismatch";
    case W2N_TRAP_INT_DIV_ZERO: return "integer divide by zero";
    case W2N_TRAP_INT_OVERFLOW: return "integer overflow";
    case W2N_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case W2N_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case W2N_TRAP_INTERRUPTED: return "interrupted";
    case W2N_TRAP_HOST: return "host function failed";
    case W2N_TRAP_EXIT: return "exit";
    case W2N_TRAP_OUT_OF_FUEL: return "all fuel consumed";
    case W2N_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
    case W2N_TRAP_EXPECTED_SHARED: return "expected shared memory";
    case W2N_TRAP_NULL_FUNC_REF: return "null function reference";
    case W2N_TRAP_NULL_REF: return "null reference";
    case W2N_TRAP_NULL_EXCEPTION: return "null exception reference";
    case W2N_TRAP_TOO_MANY_EXCEPTIONS: return "too many live exceptions";
    case W2N_TRAP_UNWIND_BARRIER:
        return "exception cannot unwind through a module compiled without exceptions";
    case W2N_TRAP_GC_OUT_OF_MEMORY: return "out of memory";
    case W2N_TRAP_NULL_STRUCT: return "null structure reference";
    case W2N_TRAP_NULL_ARRAY: return "null array reference";
    case W2N_TRAP_ARRAY_OOB: return "out of bounds array access";
    case W2N_TRAP_NULL_I31: return "null i31 reference";
    case W2N_TRAP_CAST_FAILURE: return "cast failure";
    case W2N_TRAP_COUNT: break;
    }
    return "unknown trap";
}

static void fill_trap(w2n_trap *t, w2n_trap_code code, int exit_status, const char *message) {
    t->code = code;
    t->exception = NULL;
    t->exit_status = exit_status;
    const char *text = message && message[0] ? message : w2n_trap_message(code);
    size_t n = strlen(text);
    if (n >= sizeof t->message)
        n = sizeof t->message - 1;
    memcpy(t->message, text, n);
    t->message[n] = 0;
}

/* ---- the entry stack and raising ---------------------------------------------- */

void w2n_trap_push(w2n_entry *e) {
    e->prev = top;
    e->host_depth = host_depth;
    e->trap.code = W2N_TRAP_NONE;
    e->trap.exit_status = 0;
    e->trap.message[0] = 0;
    e->trap.exception = NULL;
    e->trap.nframes = 0;
    top = e;
}

void w2n_trap_pop(w2n_entry *e) {
    top = e->prev;
    host_depth = e->host_depth;
}

bool w2n_trap_in_wasm(void) { return top && host_depth == top->host_depth; }

void w2n_trap_raise(w2n_trap_code code, int exit_status, const char *message) {
    if (code <= W2N_TRAP_NONE || code >= W2N_TRAP_COUNT)
        code = W2N_TRAP_UNREACHABLE;
    w2n_entry *e = top;
    if (host_depth > (e ? e->host_depth : 0)) {
        /* A host function is innermost and called a helper itself: unwinding
         * would skip its frames, so the trap becomes its pending trap, as
         * w2n_host_trap would make it, reported when it returns. */
        fill_trap(&pending, code, exit_status, message);
        pending_set = true;
        return;
    }
    if (e) {
        fill_trap(&e->trap, code, exit_status, message);
        w2n_backtrace_capture(&e->trap, e);
        siglongjmp(e->jb, 1);
    }
    /* No Wasm call and no host function on this thread: nobody to tell. */
}

/* An uncaught exception ends the innermost call as a trap does, but with
 * the exception instead of a trap code. */
static void fill_exception(w2n_trap *t, w2n_exception *exn) {
    fill_trap(t, W2N_TRAP_NONE, 0, "uncaught exception");
    t->exception = exn;
}

void w2n_trap_raise_exception(w2n_exception *exn) {
    w2n_entry *e = top;
    if (host_depth > (e ? e->host_depth : 0)) {
        fill_exception(&pending, exn);
        pending_set = true;
        return;
    }
    if (e) {
        fill_exception(&e->trap, exn);
        siglongjmp(e->jb, 1);
    }
}

const void *w2n_trap_boundary(void) { return w2n_trap_in_wasm() ? (const void *)top : NULL; }

const void *w2n_trap_outermost_entry(const struct w2n_store *store) {
    const w2n_entry *found = NULL;
    for (const w2n_entry *e = top; e; e = e->prev)
        if (e->store == store)
            found = e;
    return found;
}

void w2n_host_throw(w2n_instance *caller, w2n_exception *exn) {
    (void)caller;
    if (!exn) {
        w2n_host_trap(caller, W2N_TRAP_NULL_EXCEPTION, 0, NULL);
        return;
    }
    fill_exception(&pending, exn);
    pending_set = true;
}

void w2n_host_trap(w2n_instance *caller, w2n_trap_code code, int exit_status, const char *message) {
    (void)caller;
    if (code <= W2N_TRAP_NONE || code >= W2N_TRAP_COUNT)
        code = W2N_TRAP_HOST;
    fill_trap(&pending, code, exit_status, message);
    pending_set = true;
}

bool w2n_trap_call_host(w2n_host_func *host, w2n_instance *caller, w2n_raw *slots, w2n_trap *out) {
    /* Each host invocation gets its own slot, so a trap an enclosing host
     * function recorded survives the nested calls it makes afterwards.  No
     * trap unwinds across this frame (an inner trap stops at the inner
     * entry), so the restore below always runs. */
    bool outer_set = pending_set;
    w2n_trap outer;
    if (outer_set)
        outer = pending;
    pending_set = false;
    host_depth++;
    host->fn(host->data, caller, slots);
    host_depth--;
    if (!pending_set && top && w2n_stop_requested(top->store)) {
        /* Interrupted while in the host: stop on the way back to Wasm. */
        fill_trap(&pending, W2N_TRAP_INTERRUPTED, 0, NULL);
        pending_set = true;
    }
    bool trapped = pending_set;
    if (trapped && out)
        *out = pending;
    pending_set = outer_set;
    if (outer_set)
        pending = outer;
    return trapped;
}

/* ---- registries ----------------------------------------------------------------- */

/* Lowest free slot is reused first, so the high-water mark stays low. */
static bool add_range(registry *r, uintptr_t start, uintptr_t end) {
    bool ok = false;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < r->cap; i++) {
        if (atomic_load_explicit(&r->slots[i].start, memory_order_relaxed) == 0) {
            atomic_store_explicit(&r->slots[i].end, end, memory_order_relaxed);
            atomic_store_explicit(&r->slots[i].start, start, memory_order_release);
            if (i + 1 > atomic_load_explicit(&r->used, memory_order_relaxed))
                atomic_store_explicit(&r->used, i + 1, memory_order_release);
            ok = true;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

static void remove_range(registry *r, uintptr_t start) {
    pthread_mutex_lock(&registry_lock);
    size_t used = atomic_load_explicit(&r->used, memory_order_relaxed);
    for (size_t i = 0; i < used; i++) {
        if (atomic_load_explicit(&r->slots[i].start, memory_order_relaxed) == start) {
            atomic_store_explicit(&r->slots[i].start, 0, memory_order_release);
            break;
        }
    }
    while (used > 0 && atomic_load_explicit(&r->slots[used - 1].start, memory_order_relaxed) == 0)
        used--;
    atomic_store_explicit(&r->used, used, memory_order_release);
    pthread_mutex_unlock(&registry_lock);
}

static bool in_ranges(registry *r, uintptr_t addr) {
    size_t used = atomic_load_explicit(&r->used, memory_order_acquire);
    for (size_t i = 0; i < used; i++) {
        uintptr_t s = atomic_load_explicit(&r->slots[i].start, memory_order_acquire);
        if (s && addr >= s && addr < atomic_load_explicit(&r->slots[i].end, memory_order_relaxed))
            return true;
    }
    return false;
}

bool w2n_trap_register_memory(uintptr_t base, size_t size) {
    return base && add_range(&memories, base, base + size);
}
void w2n_trap_unregister_memory(uintptr_t base) { remove_range(&memories, base); }

bool w2n_trap_register_image(const w2n_image *img) {
    bool ok = false;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < MAX_IMAGES; i++) {
        if (!atomic_load_explicit(&images[i], memory_order_relaxed)) {
            atomic_store_explicit(&images[i], img, memory_order_release);
            if (i + 1 > atomic_load_explicit(&images_used, memory_order_relaxed))
                atomic_store_explicit(&images_used, i + 1, memory_order_release);
            ok = true;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

void w2n_trap_unregister_image(const w2n_image *img) {
    pthread_mutex_lock(&registry_lock);
    size_t used = atomic_load_explicit(&images_used, memory_order_relaxed);
    for (size_t i = 0; i < used; i++) {
        if (atomic_load_explicit(&images[i], memory_order_relaxed) == img) {
            atomic_store_explicit(&images[i], NULL, memory_order_release);
            break;
        }
    }
    while (used > 0 && !atomic_load_explicit(&images[used - 1], memory_order_relaxed))
        used--;
    atomic_store_explicit(&images_used, used, memory_order_release);
    pthread_mutex_unlock(&registry_lock);
}

size_t w2n_trap_image_room(uintptr_t addr) {
    size_t used = atomic_load_explicit(&images_used, memory_order_acquire);
    for (size_t i = 0; i < used; i++) {
        const w2n_image *img = atomic_load_explicit(&images[i], memory_order_acquire);
        size_t size;
        uintptr_t base = img ? w2n_image_base(img, &size) : 0;
        if (img && addr >= base && addr - base < size)
            return size - (addr - base);
    }
    return 0;
}

const w2n_image *w2n_trap_code_image(uintptr_t pc) {
    size_t used = atomic_load_explicit(&images_used, memory_order_acquire);
    for (size_t i = 0; i < used; i++) {
        const w2n_image *img = atomic_load_explicit(&images[i], memory_order_acquire);
        if (img && w2n_image_contains_code(img, pc))
            return img;
    }
    return NULL;
}

static bool in_code(uintptr_t pc) { return w2n_trap_code_image(pc) != NULL; }

/* ---- the fault handler ------------------------------------------------------------- */

static void chain(int sig, siginfo_t *si, void *uc) {
    struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;
    if (old->sa_flags & SA_SIGINFO) {
        if (old->sa_sigaction) {
            old->sa_sigaction(sig, si, uc);
            return;
        }
    } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
        return;
    }
    /* Default action: restore it and return; the faulting instruction runs
     * again and the kernel delivers the signal to the default handler. */
    sigaction(sig, old, NULL);
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
    w2n_entry *e = top;
    uintptr_t addr = (uintptr_t)si->si_addr;
    w2n_trap_code code = W2N_TRAP_NONE;
    if (e && in_ranges(&memories, addr))
        code = W2N_TRAP_MEMORY_OOB;
    else if (e && w2n_stack_in_guard(addr))
        code = W2N_TRAP_STACK_EXHAUSTED;
    if (code != W2N_TRAP_NONE && in_code(w2n_arch_fault_pc(uc))) {
        e->trap.code = code;
        e->trap.exit_status = 0;
        e->trap.message[0] = 0; /* call.c fills the text outside the handler */
        w2n_backtrace_capture_in_handler(&e->trap, e);
        siglongjmp(e->jb, 1);
    }
    chain(sig, si, uc);
}

/* W2N_PREEMPT_SIGNAL (interrupt.c): unwind the call when the store asked to
 * stop and this thread is in Wasm code; elsewhere (a helper, a host function,
 * the runtime) do nothing: the signal has ended any blocking system call,
 * and the stop is seen on the way back to Wasm or by the next signal. */
static void on_preempt(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)si;
    w2n_entry *e = top;
    if (e && host_depth == e->host_depth && w2n_stop_requested(e->store) &&
        in_code(w2n_arch_fault_pc(uc))) {
        e->trap.code = W2N_TRAP_INTERRUPTED;
        e->trap.exit_status = 0;
        e->trap.message[0] = 0;
        w2n_backtrace_capture_in_handler(&e->trap, e);
        siglongjmp(e->jb, 1);
    }
}

bool w2n_host_should_stop(void) { return top && w2n_stop_requested(top->store); }

static void free_altstack(void *p) {
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    munmap(p, ALT_STACK_SIZE);
}

static void install_handler(void) {
    altstack_key_ok = pthread_key_create(&altstack_key, free_altstack) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    handler_ok = sigaction(SIGSEGV, &sa, &old_segv) == 0 && sigaction(SIGBUS, &sa, &old_bus) == 0;
    sa.sa_sigaction = on_preempt; /* no SA_RESTART: blocking calls end with EINTR */
    handler_ok = handler_ok && sigaction(W2N_PREEMPT_SIGNAL, &sa, NULL) == 0;
}

w2n_status w2n_trap_init_thread(w2n_error *err) {
    pthread_once(&handler_once, install_handler);
    if (!handler_ok)
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET,
                             "cannot install the SIGSEGV/SIGBUS handler");
    if (altstack_ready)
        return W2N_OK;
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) {
        altstack_ready = true; /* the host (or a sanitizer) has one already */
        return W2N_OK;
    }
    /* One alternate stack per thread, kept for the thread's life (a key
     * destructor unmaps it when a thread other than the main one exits). */
    void *p =
        mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "cannot map a signal stack");
    stack_t ss = {.ss_sp = p, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(p, ALT_STACK_SIZE);
        return w2n_error_set(err, W2N_ERR_INTERNAL, W2N_NO_OFFSET, "cannot set a signal stack");
    }
    if (altstack_key_ok)
        pthread_setspecific(altstack_key, p);
    altstack_ready = true;
    return W2N_OK;
}
