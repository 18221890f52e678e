/* fannkuch.c: pancake flipping over the permutations of 10 elements
 * (branchy kernel: short data-dependent loops over small arrays).  One unit
 * of work handles one permutation: it counts the flips until the first
 * element is 0, then steps to the next permutation in a fixed order
 * (rotate-prefix counting), wrapping around after all 10! of them. */
#include "kernel.h"

#define P 10

KERNEL_RUN {
    int perm[P], work[P], count[P];
    uint32_t checksum = 0, max_flips = 0, index = 0;

    for (int i = 0; i < P; i++) {
        perm[i] = i;
        count[i] = 0;
    }
    for (uint32_t done = 0; done < n; done++) {
        /* count flips of this permutation */
        for (int i = 0; i < P; i++)
            work[i] = perm[i];
        uint32_t flips = 0;
        while (work[0] != 0) {
            int k = work[0];
            for (int lo = 0, hi = k; lo < hi; lo++, hi--) {
                int t = work[lo];
                work[lo] = work[hi];
                work[hi] = t;
            }
            flips++;
        }
        if (flips > max_flips)
            max_flips = flips;
        checksum += (index & 1) ? flips : flips * 3;
        index++;

        /* next permutation: rotate the prefix of length i+1 left by one
		 * until a counter does not overflow */
        int i = 1;
        for (;;) {
            int first = perm[0];
            for (int j = 0; j < i; j++)
                perm[j] = perm[j + 1];
            perm[i] = first;
            if (++count[i] <= i)
                break;
            count[i] = 0;
            if (++i == P) {
                i = 0; /* all permutations seen: start over */
                index = 0;
                break;
            }
        }
    }
    return kmix(checksum, max_flips);
}
