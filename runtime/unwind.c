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
 * personality is w2n_eh_personality: every landing pad w2n emits is a
 * handler (its code matches tags, lower_exception.c), so the routine only
 * asks the LSDA whether the frame's call has a pad, and installs it with
 * the exception in the first exception-data register.
 *
 * Traps stay siglongjmp, through frames with handlers too: Wasm cannot
 * catch them.  Exceptions of other languages pass Wasm frames untouched.
 */
#include <unwind.h>

#include <string.h>

#include "exception.h"
#include "internal.h"

/* "W2N\0WASM": the exception class of Wasm exceptions. */
#define W2N_EXCEPTION_CLASS UINT64_C(0x4d5341570032574e)

_Static_assert(sizeof(struct _Unwind_Exception) <= sizeof(((w2n_exception_abi *)0)->unwind_header),
               "the unwinder's header fits in w2n_exception_abi");

/* libgcc's frame registry (unwind-dw2-fde.h). */
extern void __register_frame(void *begin);
extern void __deregister_frame(void *begin);

void w2n_unwind_register(void *eh_frame) { __register_frame(eh_frame); }
void w2n_unwind_deregister(void *eh_frame) { __deregister_frame(eh_frame); }

/* The landing pad of the frame's current call, if it is loaded Wasm code
 * with one. */
static bool frame_pad(struct _Unwind_Context *ctx, uintptr_t *out_pad) {
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!before)
        ip--; /* the return address may begin the next call-site range */
    const uint8_t *lsda = _Unwind_GetLanguageSpecificData(ctx);
    if (!lsda || !w2n_trap_image_room(ip))
        return false;
    size_t room = w2n_trap_image_room((uintptr_t)lsda);
    return room && w2n_lsda_landing_pad(lsda, room, _Unwind_GetRegionStart(ctx), ip, out_pad);
}

_Unwind_Reason_Code w2n_eh_personality_routine(int version, _Unwind_Action actions,
                                               _Unwind_Exception_Class cls,
                                               struct _Unwind_Exception *ue,
                                               struct _Unwind_Context *ctx);

_Unwind_Reason_Code w2n_eh_personality_routine(int version, _Unwind_Action actions,
                                               _Unwind_Exception_Class cls,
                                               struct _Unwind_Exception *ue,
                                               struct _Unwind_Context *ctx) {
    uintptr_t pad;
    if (version != 1 || cls != W2N_EXCEPTION_CLASS || !frame_pad(ctx, &pad))
        return _URC_CONTINUE_UNWIND;
    if (actions & _UA_SEARCH_PHASE)
        return _URC_HANDLER_FOUND;
    _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(0), (_Unwind_Word)(uintptr_t)ue);
    _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(1), 0);
    _Unwind_SetIP(ctx, pad);
    return _URC_INSTALL_CONTEXT;
}

void *w2n_unwind_personality(void) { return (void *)w2n_eh_personality_routine; }

typedef struct walk {
    uintptr_t boundary;
    bool handled;
} walk;

static _Unwind_Reason_Code find_handler(struct _Unwind_Context *ctx, void *arg) {
    walk *w = arg;
    if (_Unwind_GetCFA(ctx) > w->boundary)
        return _URC_END_OF_STACK;
    uintptr_t pad;
    if (frame_pad(ctx, &pad)) {
        w->handled = true;
        return _URC_END_OF_STACK;
    }
    return _URC_NO_REASON;
}

void w2n_exception_raise(w2n_exception *exn) {
    walk w = {(uintptr_t)w2n_trap_boundary(), false};
    if (w.boundary)
        _Unwind_Backtrace(find_handler, &w);
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
