/* trap: output before a trap is kept, the trap is reported on stderr and the
 * exit status is w2n's trap status (134). */
#include <stdio.h>

int main(void) {
    printf("before the trap\n");
    fflush(stdout);
    __builtin_trap();
}
