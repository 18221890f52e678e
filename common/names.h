/*
 * names.h — helpers of names.c that the compiler and the runtime share but
 * the API does not offer (the API's own names are declared in w2n/types.h
 * and w2n/compiler_flags.h).
 */
#ifndef W2N_NAMES_H
#define W2N_NAMES_H

#include <stddef.h>

/* Append `name` to the comma-separated list in buf ("a, b, c"), truncating
 * at size; buf must hold a string (start with buf[0] = '\0'). */
void w2n_names_append(char *buf, size_t size, const char *name);

#endif
