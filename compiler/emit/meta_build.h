/*
 * meta_build.h — the metadata of a compiled module (see common/meta.h).
 */
#ifndef W2N_META_BUILD_H
#define W2N_META_BUILD_H

#include "meta.h"
#include "module.h"
#include "target.h"
#include "w2n/compiler.h"

/* Fill *out from the module; it borrows m's memory (keep m alive). */
w2n_status w2n_meta_build(const w2n_module *m, const w2n_target *t, const w2n_compile_options *opts,
                          w2n_meta *out, w2n_error *err);
void w2n_meta_build_free(w2n_meta *meta);

#endif
