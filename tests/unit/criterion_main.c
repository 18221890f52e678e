/*
 * criterion_main.c — the main of every unit test executable: Criterion's own
 * run, except that a run in which a test was skipped (cr_skip_test) and none
 * failed exits with 77, which tests/CMakeLists.txt declares as CTest's
 * SKIP_RETURN_CODE.  So `ctest` shows such an executable as "Skipped" and
 * never as "Passed" when some of its tests did not run; a failure still
 * wins, and `--verbose` output still names the skipped tests.
 */
#include <stddef.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>

#define EXIT_SKIPPED 77

static size_t skipped;

/* Report hooks run in the runner process, after every test has ended. */
ReportHook(POST_ALL)(struct criterion_global_stats *stats) { skipped = stats->tests_skipped; }

int main(int argc, char *argv[]) {
    struct criterion_test_set *tests = criterion_initialize();
    int status = 0;
    if (criterion_handle_args(argc, argv, true))
        status = !criterion_run_all_tests(tests);
    criterion_finalize(tests);
    return status == 0 && skipped ? EXIT_SKIPPED : status;
}
