/*
 * w2n_assert.h — W2N_ASSERT(cond): a cheap internal-invariant check.
 *
 * On when W2N_ASSERTIONS is defined (Debug and CI builds, see the top-level
 * CMakeLists.txt); otherwise it compiles to nothing and `cond` is not
 * evaluated, so it must have no side effects.  A failed assertion is a w2n
 * bug, not bad input: it prints where and aborts.  Bad input is reported as
 * an error value, never through W2N_ASSERT.
 */
#ifndef W2N_ASSERT_H
#define W2N_ASSERT_H

#ifdef W2N_ASSERTIONS
#include <stdio.h>
#include <stdlib.h>
#define W2N_ASSERT(cond)                                                                       \
    ((cond) ? (void)0                                                                          \
            : (fprintf(stderr, "%s:%d: w2n internal error: assertion '%s' failed\n", __FILE__, \
                       __LINE__, #cond),                                                       \
               abort()))
#else
#define W2N_ASSERT(cond) ((void)0)
#endif

#endif
