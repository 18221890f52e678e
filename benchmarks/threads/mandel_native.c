/* mandel_native.c — the kernel on THREADS pthreads: the native reference. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include "mandel.h"

#ifndef THREADS
#define THREADS 2
#endif

static uint64_t total;

static void *work(void *arg) {
    uint64_t sum = mandel_rows((uint32_t)(uintptr_t)arg, THREADS);
    __atomic_fetch_add(&total, sum, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (uintptr_t w = 0; w < THREADS; w++)
        if (pthread_create(&t[w], NULL, work, (void *)w) != 0)
            return 2;
    for (int w = 0; w < THREADS; w++)
        pthread_join(t[w], NULL);
    printf("iterations %" PRIu64 "\n", total);
    return 0;
}
