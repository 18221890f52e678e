/*
 * dwarf_line.h — a DWARF line-number program (.debug_line), decoded into
 * rows that map code addresses to file:line.
 *
 * Both halves read one: the compiler reads the module's own (Wasm code
 * offsets to the C source, DWARF 4 or 5 as clang writes it), the runtime
 * reads the one w2n put in the object (native addresses to the same source,
 * or to Wasm code offsets; always DWARF 4, docs/debugging.md) once its
 * relocations are applied (runtime/loader/line_map.c); strings of DWARF 5 tables come from
 * .debug_line_str or .debug_str, which a linked Wasm module has resolved.
 * Every read is bounds-checked: a malformed program is an error value.
 */
#ifndef W2N_DWARF_LINE_H
#define W2N_DWARF_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "w2n/error.h"

typedef struct w2n_line_row {
    uint64_t address;
    uint32_t file; /* index into w2n_line_table.files */
    uint32_t line; /* 0: no source line */
    uint32_t column;
    bool end;              /* DW_LNE_end_sequence: address is one past the sequence */
    uint64_t sequence_end; /* of the row's sequence: sequences may overlap */
    uint32_t order;        /* position in the program: the later of two rows at one address wins */
} w2n_line_row;

typedef struct w2n_line_table {
    char **files; /* "dir/name", or the bare name */
    uint32_t nfiles;
    w2n_line_row *rows; /* sorted by address once w2n_line_table_sort ran */
    size_t nrows;
} w2n_line_table;

/* The strings DWARF 5 file tables point into (NULL when absent). */
typedef struct w2n_dwarf_strings {
    const uint8_t *line_str;
    size_t line_str_size;
    const uint8_t *str;
    size_t str_size;
} w2n_dwarf_strings;

/* Decode every program of a .debug_line section and append its rows and
 * files to *table (zeroed by the caller).  The section's relocations, if
 * any, must have been applied. */
w2n_status w2n_line_table_decode(const uint8_t *section, size_t size,
                                 const w2n_dwarf_strings *strings, w2n_line_table *table,
                                 w2n_error *err);

/* Sort the rows by address, a sequence's end before a start at the same
 * address, so that w2n_line_table_find can search them. */
void w2n_line_table_sort(w2n_line_table *table);

/* The row that covers `address`, or NULL.  Where sequences overlap (a
 * linker leaves those of dropped functions at address 0), the nearest
 * row before it whose sequence reaches it. */
const w2n_line_row *w2n_line_table_find(const w2n_line_table *table, uint64_t address);

void w2n_line_table_free(w2n_line_table *table);

#endif
