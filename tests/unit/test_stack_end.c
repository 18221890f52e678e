/*
 * test_stack_end.c — where the runtime thinks a thread's stack ends
 * (runtime/core/stack.c): for the initial thread it asks the kernel for the
 * stack's mapping instead of reading the text of /proc/self/maps, and must
 * land where glibc's pthread_getattr_np does; other threads ask glibc.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static uintptr_t glibc_stack_low(void) {
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    cr_assert_eq(pthread_getattr_np(pthread_self(), &attr), 0);
    cr_assert_eq(pthread_attr_getstack(&attr, &addr, &size), 0);
    pthread_attr_destroy(&attr);
    return (uintptr_t)addr;
}

Test(stack_end, initial_thread_matches_glibc) {
    if (getpid() != (pid_t)syscall(SYS_gettid))
        cr_skip_test("the test does not run on the initial thread");
    uintptr_t want = glibc_stack_low();
    cr_assert_eq(w2n_stack_low(), want, "runtime 0x%lx, glibc 0x%lx",
                 (unsigned long)w2n_stack_low(), (unsigned long)want);
    cr_assert(w2n_stack_in_guard(want - 1));
    cr_assert_not(w2n_stack_in_guard(want + W2N_STACK_RESERVE));
}

static void *other_thread(void *out) {
    *(uintptr_t *)out = w2n_stack_low() == glibc_stack_low();
    return NULL;
}

Test(stack_end, other_threads_match_glibc) {
    pthread_t t;
    uintptr_t same = 0;
    cr_assert_eq(pthread_create(&t, NULL, other_thread, &same), 0);
    pthread_join(t, NULL);
    cr_assert(same);
}
