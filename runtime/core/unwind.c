/*
 * unwind.c — throwing Wasm exceptions through native frames.
 *
 * A throw that does not stay inside one function calls exception_throw,
 * which lands here.  First, _Unwind_Backtrace walks the frames up to the
 * innermost host-to-Wasm entry (trap.c; its w2n_entry lives in the frame of
 * w2n_call_tramp, so a frame whose CFA lies above the entry's address is
 * past the boundary): when no frame of loaded Wasm code has a landing pad
 * for its call before the boundary, the exception is uncaught and ends the
 * call the way a trap does (siglongjmp), as W2N_ERR_EXCEPTION.  So a Wasm
 * exception never reaches the host's frames, whatever language they are
 * in.  Otherwise _Unwind_RaiseException unwinds to that frame, whose
 * personality routine (personality.c) installs its landing pad.  A module
 * without exceptions has unwind tables for backtraces only (its functions
 * are nounwind): a walk that stops at one of its frames before the
 * boundary cannot tell whether a handler lies beyond, so the throw traps
 * rather than guess.
 *
 * Traps stay siglongjmp, through frames with handlers too: Wasm cannot
 * catch them.
 */
#include <unwind.h>

#include <string.h>

#include "exception.h"
#include "internal.h"
#include "unwind_tables.h"

typedef struct walk {
    uintptr_t boundary;
    bool handled;
    bool reached; /* the walk got to the boundary */
} walk;

static _Unwind_Reason_Code find_handler(struct _Unwind_Context *ctx, void *arg) {
    walk *w = arg;
    if (_Unwind_GetCFA(ctx) > w->boundary) {
        w->reached = true;
        return _URC_END_OF_STACK;
    }
    /* Frames of code compiled without exceptions have unwind tables for
     * backtraces only: a throw must not pass them (see above). */
    const w2n_image *img = w2n_trap_code_image(_Unwind_GetIP(ctx) - 1);
    if (img && !w2n_image_handles_exceptions(img))
        return _URC_END_OF_STACK;
    uintptr_t pad;
    if (w2n_trap_image_room(_Unwind_GetIP(ctx) - 1) && w2n_unwind_frame_pad(ctx, &pad)) {
        w->handled = true;
        return _URC_END_OF_STACK;
    }
    return _URC_NO_REASON;
}

void w2n_exception_raise(w2n_exception *exn) {
    walk w = {(uintptr_t)w2n_trap_boundary(), false, false};
    if (w.boundary)
        _Unwind_Backtrace(find_handler, &w);
    if (w.boundary && !w.handled && !w.reached) {
        w2n_trap_raise(W2N_TRAP_UNWIND_BARRIER, 0, NULL);
        return;
    }
    if (w.handled) {
        struct _Unwind_Exception *ue = (struct _Unwind_Exception *)exn;
        memset(ue, 0, sizeof *ue);
        ue->exception_class = W2N_EXCEPTION_CLASS;
        _Unwind_RaiseException(ue);
        /* Only a failed search returns: the walk above saw a handler, so the
         * unwinder disagrees with it; end the call as uncaught. */
    }
    exn->abi.flags |= W2N_EXCEPTION_REFERENCED; /* the host may now hold it */
    w2n_trap_raise_exception(exn);
}
