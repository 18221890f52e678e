/*
 * gdb_jit.h — tell GDB about loaded objects (GDB's JIT interface).
 *
 * GDB watches __jit_debug_register_code and reads __jit_debug_descriptor's
 * list of in-memory ELF images.  For each object compiled with -g the loader
 * registers a copy of the object whose allocated sections' sh_addr are
 * where it placed them; GDB relocates the debug sections against those
 * itself, so it sees the functions and their line tables (docs/debugging.md).
 */
#ifndef W2N_GDB_JIT_H
#define W2N_GDB_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_object.h"

typedef struct w2n_gdb_jit_entry w2n_gdb_jit_entry;

/* Register the object `bytes` (read as `elf`), section i loaded at
 * section_addr[i] (0: not loaded).  NULL when out of memory: the object
 * then loads without it. */
w2n_gdb_jit_entry *w2n_gdb_jit_register(const uint8_t *bytes, size_t size, const w2n_elf *elf,
                                        const uint64_t *section_addr);
void w2n_gdb_jit_unregister(w2n_gdb_jit_entry *entry);

/* Should objects be registered at all?  A copy of the whole object per
 * load is wasted without a debugger: yes when W2N_GDB_JIT=1, no when it is
 * 0, otherwise only when a debugger traces the process (TracerPid in
 * /proc/self/status), as `gdb --args w2n-run ...` does.  A debugger that
 * attaches later sees objects loaded after it, or all with W2N_GDB_JIT=1. */
bool w2n_gdb_jit_wanted(void);

#endif
