/*
 * run_imports.h — the imports `w2n run` provides besides WASI functions.
 */
#ifndef W2N_RUN_IMPORTS_H
#define W2N_RUN_IMPORTS_H

#include <stdbool.h>

#include "w2n/runtime.h"
#include "w2n/wasi.h"

/* Can `w2n run` satisfy import `index`: a WASI function, wasi-threads'
 * thread-spawn, or a memory (which it makes)? */
bool w2n_run_import_known(const w2n_object *obj, uint32_t index);

/* Make the memory the object imports (of its limits and bounds mode) and,
 * when it imports thread-spawn, the wasi-threads context (*threads; NULL
 * otherwise), and define them in `linker`. */
w2n_status w2n_run_define_imports(const w2n_object *obj, w2n_wasi *wasi, w2n_store *store,
                                  const w2n_store_options *sopts, w2n_linker *linker,
                                  w2n_wasi_threads **threads, w2n_error *err);

#endif
