/*
 * w2n/api.h — W2N_API marks the functions of w2n's public C API.
 *
 * The libraries are built with -fvisibility=hidden, so everything else
 * (the runtime's internals, the metadata codec, the loader) stays out of
 * libw2n-runtime.so's dynamic symbol table: only what the headers in
 * include/w2n/ promise can be linked against, and an embedder cannot come
 * to depend on an internal by accident.  Every function declared in a public
 * header carries it (tests/install/check_api.py checks that, and that the
 * shared library exports exactly these).
 */
#ifndef W2N_API_H
#define W2N_API_H

#if defined(__GNUC__) || defined(__clang__)
#define W2N_API __attribute__((visibility("default")))
#else
#define W2N_API
#endif

#endif
