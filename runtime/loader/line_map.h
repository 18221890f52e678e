/*
 * line_map.h — the line table of an object compiled with -g, at the
 * addresses where the loader placed its code.
 *
 * The object's .debug_line (DWARF 4, lowered instructions to source lines
 * or Wasm code offsets; docs/debugging.md) names code addresses through
 * relocations against code sections or functions; the loader resolves
 * them with the symbols' final addresses.  Debug information is optional:
 * an object whose table cannot be read loads without one.
 */
#ifndef W2N_LINE_MAP_H
#define W2N_LINE_MAP_H

#include "dwarf_line.h"
#include "elf_object.h"

/* Decode elf's .debug_line with sym_addr[i] the run-time address of symbol
 * i; an empty table when there is none or it is malformed. */
void w2n_line_map_build(const w2n_elf *elf, const uint64_t *sym_addr, w2n_line_table *out);

#endif
