/*
 * test_rt_libcalls.c — the allow-list and our own C23 math functions.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "libcalls.h"

Test(libcalls, lookup) {
    cr_assert_eq(w2n_libcall_lookup("memmove"), (void *)memmove);
    cr_assert_eq(w2n_libcall_lookup("floor"), (void *)floor);
    cr_assert_eq(w2n_libcall_lookup("roundeven"), (void *)w2n_libcall_roundeven);
    cr_assert_null(w2n_libcall_lookup("printf"));
    cr_assert_null(w2n_libcall_lookup("system"));
    cr_assert_null(w2n_libcall_lookup(""));
    cr_assert_gt(w2n_libcall_count(), 20);
    for (size_t i = 0; i < w2n_libcall_count(); i++) {
        const char *name = w2n_libcall_name(i);
        cr_assert_not_null(name);
        cr_assert_not_null(w2n_libcall_lookup(name), "%s", name);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(name, w2n_libcall_name(j), "duplicate");
    }
    cr_assert_null(w2n_libcall_name(w2n_libcall_count()));
}

Test(libcalls, roundeven) {
    static const double in[] = {
        0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 0.0, 4503599627370497.0, 1e300};
    static const double out[] = {
        0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 2.0, 3.0, -3.0, 0.0, 4503599627370497.0, 1e300};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        double r = w2n_libcall_roundeven(in[i]);
        cr_assert_eq(r, out[i], "roundeven(%g) = %g", in[i], r);
        cr_assert_eq(!!signbit(r), !!signbit(out[i]), "sign of roundeven(%g)", in[i]);
        float rf = w2n_libcall_roundevenf((float)in[i]);
        cr_assert_eq(rf, (float)out[i], "roundevenf(%g) = %g", in[i], rf);
    }
    cr_assert(isnan(w2n_libcall_roundeven(NAN)));
    cr_assert(isinf(w2n_libcall_roundeven(-INFINITY)));
    cr_assert_eq(w2n_libcall_roundevenf(8388609.0f), 8388609.0f);
}

Test(libcalls, fminimum_fmaximum) {
    cr_assert(isnan(w2n_libcall_fminimum(NAN, 1.0)));
    cr_assert(isnan(w2n_libcall_fmaximum(1.0, NAN)));
    cr_assert(signbit(w2n_libcall_fminimum(0.0, -0.0)));
    cr_assert(signbit(w2n_libcall_fminimum(-0.0, 0.0)));
    cr_assert(!signbit(w2n_libcall_fmaximum(0.0, -0.0)));
    cr_assert(!signbit(w2n_libcall_fmaximum(-0.0, 0.0)));
    cr_assert_eq(w2n_libcall_fminimum(1.0, 2.0), 1.0);
    cr_assert_eq(w2n_libcall_fmaximum(1.0, 2.0), 2.0);
    cr_assert(isnan(w2n_libcall_fminimumf(1.0f, NAN)));
    cr_assert(signbit(w2n_libcall_fminimumf(0.0f, -0.0f)));
    cr_assert(!signbit(w2n_libcall_fmaximumf(-0.0f, 0.0f)));
    cr_assert_eq(w2n_libcall_fmaximumf(-3.0f, -4.0f), -3.0f);
}
