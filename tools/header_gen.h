/*
 * header_gen.h — `w2n compile --header`: the module as C functions
 * (header_gen.c says what the header holds).
 */
#ifndef W2N_HEADER_GEN_H
#define W2N_HEADER_GEN_H

/* Write the header for the object at `object_path`, its names prefixed
 * with `prefix` (made a C identifier); `wasm_name` is for messages and the
 * comment.  0, or an exit status after one line on stderr. */
int w2n_header_write(const char *object_path, const char *wasm_name, const char *prefix,
                     const char *header_path);

#endif
