/* spawn_sum_native.c — spawn_sum.c with pthreads: the reference output. */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define WORKERS 4
#define N 20000000u

static uint64_t total;

static void *work(void *arg) {
    uint32_t slice = (uint32_t)(uintptr_t)arg;
    uint64_t sum = 0;
    for (uint32_t i = slice + 1; i <= N; i += WORKERS)
        sum += i;
    __atomic_fetch_add(&total, sum, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    pthread_t t[WORKERS];
    for (uintptr_t w = 0; w < WORKERS; w++)
        if (pthread_create(&t[w], NULL, work, (void *)w) != 0)
            return 2;
    for (int w = 0; w < WORKERS; w++)
        pthread_join(t[w], NULL);
    printf("sum %" PRIu64 "\n", total);
    return 0;
}
