/*
 * test_grow.c — common/grow.c, the one grow-by-doubling array: capacities
 * double from the first one until they hold what is asked, the contents
 * move with the array, and a size that would overflow size_t is a NULL the
 * caller turns into W2N_ERR_NOMEM (the lowering's w2n_xgrow aborts).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"
#include "xalloc.h"

Test(grow, doubles_from_the_first_capacity) {
    size_t cap = 0;
    uint32_t *a = w2n_grow(NULL, &cap, 1, sizeof *a, 16);
    cr_assert_not_null(a);
    cr_assert_eq(cap, 16);
    for (uint32_t i = 0; i < 16; i++)
        a[i] = i * 7;
    a = w2n_grow(a, &cap, 17, sizeof *a, 16);
    cr_assert_not_null(a);
    cr_assert_eq(cap, 32);
    a = w2n_grow(a, &cap, 100, sizeof *a, 16); /* doubles until it holds them */
    cr_assert_eq(cap, 128);
    for (uint32_t i = 0; i < 16; i++)
        cr_assert_eq(a[i], i * 7, "the contents move with the array");
    free(a);
}

Test(grow, leaves_a_large_enough_array_alone) {
    size_t cap = 8;
    char *a = malloc(8);
    cr_assert_eq(w2n_grow(a, &cap, 8, 1, 4), a);
    cr_assert_eq(cap, 8);
    free(a);
    cap = 0;
    a = w2n_grow(NULL, &cap, 3, 1, 0); /* a first capacity of 0 counts as 1 */
    cr_assert_eq(cap, 4);
    free(a);
}

Test(grow, overflow_is_null_and_changes_nothing) {
    size_t cap = 0;
    uint64_t *a = w2n_grow(NULL, &cap, 1, sizeof *a, 4);
    cr_assert_not_null(a);
    a[0] = 42;
    /* the byte count overflows: SIZE_MAX / 8 + 1 items of 8 bytes */
    cr_assert_null(w2n_grow(a, &cap, SIZE_MAX / sizeof *a + 1, sizeof *a, 4));
    cr_assert_eq(cap, 4);
    /* the capacity itself overflows: no power of two times 4 reaches it */
    cr_assert_null(w2n_grow(a, &cap, SIZE_MAX, 1, 4));
    cr_assert_eq(cap, 4);
    cr_assert_eq(a[0], 42, "the array stays the caller's");
    free(a);
}

Test(grow, the_lowering_aborts_instead, .signal = SIGABRT) {
    size_t cap = 0;
    w2n_xgrow(NULL, &cap, SIZE_MAX / 8 + 1, 8, 4);
}
