/*
 * backtrace.c — the Wasm frames a trap ends, and what they are.
 *
 * At a trap (a helper called by compiled code, or the fault handler) the
 * stack still holds every frame down to the entry: libgcc's unwinder walks
 * them with the unwind tables every object has (and through the signal
 * frame, after a fault), and the frames whose address lies in loaded code
 * are kept, up to the innermost entry (the w2n_entry in w2n_call_tramp's
 * frame: a Wasm frame whose CFA lies above it is past the boundary).  The
 * walk runs before the siglongjmp, so only addresses are kept; names and
 * lines are looked up when asked, from the image's symbols and line table.
 * The walk in a signal handler takes libgcc's lock on registered tables,
 * which compiled code never holds.
 */
#include <unwind.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_line.h"
#include "internal.h"

typedef struct walk {
    w2n_trap *trap;
    uintptr_t boundary;
} walk;

/* "w2n:NAME" and "w2n_fN" are Wasm functions (lower_module.c); entries
 * and adapters are not kept. */
static bool is_wasm_function(const char *symbol) {
    return symbol && (!strncmp(symbol, "w2n:", 4) || !strncmp(symbol, "w2n_f", 5));
}

static _Unwind_Reason_Code keep_frame(struct _Unwind_Context *ctx, void *arg) {
    walk *w = arg;
    int exact = 0;
    uintptr_t pc = _Unwind_GetIPInfo(ctx, &exact);
    if (!exact)
        pc--; /* a return address: the call lies before it */
    const w2n_image *img = w2n_trap_code_image(pc);
    if (!img)
        /* The handler's and helpers' own frames come first (on the signal
         * stack, maybe above the boundary); after Wasm, the host's. */
        return w->trap->nframes ? _URC_END_OF_STACK : _URC_NO_REASON;
    if (!is_wasm_function(w2n_image_symbolize(img, pc)))
        return _URC_NO_REASON; /* an entry trampoline: the host's frames follow */
    /* The CFA libgcc gives an interrupted frame (exact pc) is its signal
     * frame's, on the signal stack wherever that lies (AArch64, RISC-V). */
    bool past_boundary = !exact && _Unwind_GetCFA(ctx) > w->boundary;
    if (past_boundary || w->trap->nframes == W2N_TRAP_MAX_FRAMES)
        return _URC_END_OF_STACK;
    w->trap->frames[w->trap->nframes++] = pc;
    return _URC_NO_REASON;
}

void w2n_backtrace_capture(w2n_trap *trap, const void *boundary) {
    walk w = {trap, (uintptr_t)boundary};
    trap->nframes = 0;
    _Unwind_Backtrace(keep_frame, &w);
}

/* libgcc's walk needs a few KiB of stack per frame state: on a signal
 * stack the host made (a test framework's, often SIGSTKSZ), it could
 * overflow it, so the trap then comes without frames. */
void w2n_backtrace_capture_in_handler(w2n_trap *trap, const void *boundary) {
    enum {
        MIN_SIGNAL_STACK = 64 * 1024
    };
    stack_t ss;
    trap->nframes = 0;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK) && ss.ss_size < MIN_SIGNAL_STACK)
        return;
    w2n_backtrace_capture(trap, boundary);
}

static bool function_name(const char *symbol, char *out, size_t size) {
    if (!is_wasm_function(symbol))
        return false;
    if (!strncmp(symbol, "w2n:", 4)) {
        snprintf(out, size, "%s", symbol + 4);
        return true;
    }
    char *end;
    unsigned long index = strtoul(symbol + 5, &end, 10);
    if (end == symbol + 5 || *end || index > UINT32_MAX)
        return false;
    snprintf(out, size, "func[%lu]", index);
    return true;
}

bool w2n_frame_describe(uintptr_t pc, w2n_frame_info *out) {
    memset(out, 0, sizeof *out);
    const w2n_image *img = w2n_trap_code_image(pc);
    const char *symbol = img ? w2n_image_symbolize(img, pc) : NULL;
    if (!symbol || !function_name(symbol, out->function, sizeof out->function))
        return false;
    out->native_offset = pc - w2n_image_function_start(img, pc);
    const char *file;
    const w2n_line_row *row = w2n_image_line(img, pc, &file);
    if (!row || !file || !row->line)
        return true;
    size_t len = strlen(file);
    if (len > 5 && !strcmp(file + len - 5, ".wasm")) {
        /* A module without DWARF: its lines are Wasm code offsets. */
        out->has_wasm_offset = true;
        out->wasm_offset = row->line;
    } else {
        out->file = file;
        out->line = row->line;
        out->column = row->column;
    }
    return true;
}
