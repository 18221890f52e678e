/*
 * run_backtrace.c — a trap's backtrace as `w2n run` and `w2n-run` print it:
 *
 *     backtrace (innermost first):
 *       #0 divide at app.c:4:14
 *       #1 compute at app.c:11:25
 *       #2 func[7] at wasm offset 0x1a2     (-g, module without DWARF)
 *       #3 main +0x1c                        (no -g: native offset)
 */
#include "run_backtrace.h"

#include <inttypes.h>

void w2n_run_print_backtrace(const w2n_trap *trap, FILE *out) {
    if (!trap->nframes)
        return;
    fprintf(out, "backtrace (innermost first):\n");
    unsigned shown = 0;
    for (unsigned i = 0; i < trap->nframes; i++) {
        w2n_frame_info f;
        if (!w2n_frame_describe(trap->frames[i], &f))
            continue;
        fprintf(out, "  #%u %s", shown++, f.function);
        if (f.file && f.column)
            fprintf(out, " at %s:%" PRIu32 ":%" PRIu32 "\n", f.file, f.line, f.column);
        else if (f.file)
            fprintf(out, " at %s:%" PRIu32 "\n", f.file, f.line);
        else if (f.has_wasm_offset)
            fprintf(out, " at wasm offset 0x%" PRIx64 "\n", f.wasm_offset);
        else
            fprintf(out, " +0x%" PRIx64 "\n", f.native_offset);
    }
    if (trap->nframes == W2N_TRAP_MAX_FRAMES)
        fprintf(out, "  ... (outer frames not kept)\n");
}
