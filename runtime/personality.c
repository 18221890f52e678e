/*
 * personality.c — the personality routine of Wasm frames, and the
 * registration of objects' unwind tables with libgcc.
 *
 * Every landing pad w2n emits is a handler (its code matches tags,
 * compiler/lower_exception.c), so the routine only asks the frame's LSDA
 * whether its current call has a pad (lsda.c) and installs it with the
 * exception in the first exception-data register.  It answers for Wasm
 * exceptions only (their class, W2N_EXCEPTION_CLASS): an exception of
 * another language passes Wasm frames untouched.  Only objects w2n loaded
 * name this routine, and their tables are as trusted as their code (both
 * under the object's seal), so the LSDA is read as the table says.
 */
#include <unwind.h>

#include "exception.h"

_Static_assert(sizeof(struct _Unwind_Exception) <= sizeof(((w2n_exception_abi *)0)->unwind_header),
               "the unwinder's header fits in w2n_exception_abi");

/* The most bytes a function's LSDA may span. */
#define LSDA_MAX ((size_t)1 << 30)

/* libgcc's frame registry (unwind-dw2-fde.h). */
extern void __register_frame(void *begin);
extern void __deregister_frame(void *begin);

void w2n_unwind_register(void *eh_frame) { __register_frame(eh_frame); }
void w2n_unwind_deregister(void *eh_frame) { __deregister_frame(eh_frame); }

bool w2n_unwind_frame_pad(struct _Unwind_Context *ctx, uintptr_t *out_pad) {
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!before)
        ip--; /* the return address may begin the next call-site range */
    const uint8_t *lsda = _Unwind_GetLanguageSpecificData(ctx);
    return lsda && w2n_lsda_landing_pad(lsda, LSDA_MAX, _Unwind_GetRegionStart(ctx), ip, out_pad);
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
    if (version != 1 || cls != W2N_EXCEPTION_CLASS || !w2n_unwind_frame_pad(ctx, &pad))
        return _URC_CONTINUE_UNWIND;
    if (actions & _UA_SEARCH_PHASE)
        return _URC_HANDLER_FOUND;
    _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(0), (_Unwind_Word)(uintptr_t)ue);
    _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(1), 0);
    _Unwind_SetIP(ctx, pad);
    return _URC_INSTALL_CONTEXT;
}

void *w2n_unwind_personality(void) { return (void *)w2n_eh_personality_routine; }
