/*
 * libcalls.c — the allow-list of library calls LLVM may emit from our code
 * (common/libcalls.def says why LLVM may call each).
 *
 * The C-library functions are taken from the host's libc/libm; the C23
 * ones (roundeven, fminimum, fmaximum) are our own so that the runtime does
 * not depend on a recent libm, and their results do not depend on the
 * current rounding mode.  The 128-bit integer helpers come from libgcc (or
 * compiler-rt), which every GCC or Clang link pulls in; they use the names
 * of the compiler-rt ABI.
 */
#include <math.h>
#include <string.h>

#include "unwind_tables.h"
#include "libcalls.h"

/* libgcc / compiler-rt: 128-bit integer division and remainder.  LLVM emits
 * them for i128 arithmetic, e.g. from wide multiplies it legalises on
 * 64-bit targets or from division by constants it cannot strength-reduce. */
extern __int128 __divti3(__int128, __int128);
extern unsigned __int128 __udivti3(unsigned __int128, unsigned __int128);
extern __int128 __modti3(__int128, __int128);
extern unsigned __int128 __umodti3(unsigned __int128, unsigned __int128);

/* Wasm f64.nearest: round half to even, whatever the rounding mode. */
double w2n_libcall_roundeven(double x) {
    double r = round(x); /* ties away from zero */
    if (fabs(x - trunc(x)) == 0.5)
        r = 2.0 * round(x / 2.0); /* exact: x is a half-integer, x/2 loses nothing */
    return r;
}

float w2n_libcall_roundevenf(float x) {
    float r = roundf(x);
    if (fabsf(x - truncf(x)) == 0.5f)
        r = 2.0f * roundf(x / 2.0f);
    return r;
}

/* IEEE 754-2019 minimum/maximum: NaN if either is NaN, and -0 < +0. */
double w2n_libcall_fminimum(double a, double b) {
    if (isnan(a) || isnan(b))
        return a + b;
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

double w2n_libcall_fmaximum(double a, double b) {
    if (isnan(a) || isnan(b))
        return a + b;
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

float w2n_libcall_fminimumf(float a, float b) {
    if (isnan(a) || isnan(b))
        return a + b;
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

float w2n_libcall_fmaximumf(float a, float b) {
    if (isnan(a) || isnan(b))
        return a + b;
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

/* Their C-library names, bound to the host's functions (common/libcalls.def). */
static const struct {
    const char *name;
    void *addr;
} allowed[] = {
#define W2N_LIBCALL(name, family, signature, host) {#name, (void *)(host)},
#include "libcalls.def"
#undef W2N_LIBCALL
};

void *w2n_libcall_lookup(const char *name) {
    /* The personality routine of modules with exceptions (docs/abi.md,
     * "Exceptions"): the runtime's own, not a library call. */
    if (!strcmp(name, W2N_SYM_EH_PERSONALITY))
        return w2n_unwind_personality();
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (!strcmp(allowed[i].name, name))
            return allowed[i].addr;
    return NULL;
}

size_t w2n_libcall_count(void) { return sizeof allowed / sizeof allowed[0]; }

const char *w2n_libcall_name(size_t index) {
    return index < w2n_libcall_count() ? allowed[index].name : NULL;
}
