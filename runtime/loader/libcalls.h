/*
 * libcalls.h — the fixed allow-list of library functions compiled code may
 * call.  Compiled code reaches the runtime only through the vmctx; the one
 * exception is the calls LLVM itself emits for operations it lowers to a
 * library routine (memcpy for large copies, floor/ceil on baseline x86-64,
 * 128-bit division helpers, ...).  The loader resolves undefined symbols
 * here and nowhere else; any other name is a load error.
 */
#ifndef W2N_LIBCALLS_H
#define W2N_LIBCALLS_H

#include <stddef.h>

/* Address of the allowed function `name`, or NULL if it is not allowed. */
void *w2n_libcall_lookup(const char *name);

/* The allow-list, for tools and tests: entries 0..count-1. */
size_t w2n_libcall_count(void);
const char *w2n_libcall_name(size_t index);

/* Our own versions of functions not every C library has (C23 names). */
double w2n_libcall_roundeven(double x);
float w2n_libcall_roundevenf(float x);
double w2n_libcall_fminimum(double a, double b);
double w2n_libcall_fmaximum(double a, double b);
float w2n_libcall_fminimumf(float a, float b);
float w2n_libcall_fmaximumf(float a, float b);

#endif
