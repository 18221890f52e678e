/*
 * source_lines.h — the module's own DWARF line table: which C (or other
 * source) file and line each Wasm instruction came from.
 *
 * A module built with `clang -g` carries .debug_line (and .debug_line_str,
 * .debug_str for DWARF 5) as custom sections, whose addresses are offsets
 * from the start of the code section's contents.  `w2n compile -g` reads
 * them here and the lowering asks for each instruction's line.
 */
#ifndef W2N_SOURCE_LINES_H
#define W2N_SOURCE_LINES_H

#include "dwarf_line.h"
#include "module.h"

typedef struct w2n_source_lines {
    w2n_line_table table; /* addresses: offsets into the code section's contents */
    size_t code_start;    /* module offset of those contents */
    bool present;         /* the module has a .debug_line section */
} w2n_source_lines;

/* Find and decode the module's .debug_line; a module without one gives an
 * empty table (present false).  A malformed one is an error value. */
w2n_status w2n_source_lines_read(const w2n_module *m, w2n_source_lines *out, w2n_error *err);

/* The row of the instruction at `module_offset`, or NULL. */
const w2n_line_row *w2n_source_lines_at(const w2n_source_lines *s, size_t module_offset);

void w2n_source_lines_free(w2n_source_lines *s);

#endif
