/*
 * skip_probe.c — one passing and one skipped test, for the CTest check that
 * criterion_main.c turns "something skipped, nothing failed" into exit 77
 * (and "something failed" into 1 when W2N_SKIP_PROBE_FAIL is set).
 */
#include <stdlib.h>

#include <criterion/criterion.h>

Test(skip_probe, passes) { cr_assert(getenv("W2N_SKIP_PROBE_FAIL") == NULL, "failing on request"); }

Test(skip_probe, skips) { cr_skip_test("skipped on purpose"); }
