/* quicksort.c: recursive quicksort (median of three, insertion sort for
 * short ranges) of pseudo-random 32-bit keys (branchy kernel: unpredictable
 * compares and data-dependent swaps).  One unit of work sorts COUNT keys. */
#include "kernel.h"

#define COUNT 20000

static uint32_t keys[COUNT];

static void insertion_sort(uint32_t *v, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static inline void swap(uint32_t *v, int i, int j) {
    uint32_t t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static void quicksort(uint32_t *v, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(v, mid, lo);
        if (v[hi] < v[lo])
            swap(v, hi, lo);
        if (v[hi] < v[mid])
            swap(v, hi, mid);
        uint32_t pivot = v[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap(v, i, j);
                i++;
                j--;
            }
        }
        /* recurse into the smaller side, loop on the larger: depth O(log n) */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion_sort(v, lo, hi);
}

KERNEL_RUN {
    uint32_t h = 0, s = 0x1234567u;
    for (uint32_t r = 0; r < n; r++) {
        s ^= r;
        if (s == 0)
            s = 1;
        for (int i = 0; i < COUNT; i++)
            keys[i] = kxorshift(&s) % 1000003u;
        quicksort(keys, 0, COUNT - 1);
        for (int i = 0; i < COUNT; i += 97)
            h = kmix(h, keys[i]);
        for (int i = 1; i < COUNT; i++)
            if (keys[i - 1] > keys[i])
                return 0xdeadu; /* not sorted: a wrong answer */
    }
    return h;
}
