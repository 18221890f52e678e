/* random: getentropy (random_get) fills buffers, and two draws differ. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    unsigned char a[32], b[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    int ra = getentropy(a, sizeof a), rb = getentropy(b, sizeof b);
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++)
        zeros += a[i] == 0;
    printf("getentropy: %d %d\n", ra, rb);
    printf("mostly non-zero: %s\n", zeros < 8 ? "yes" : "no");
    printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    unsigned char big[256];
    printf("getentropy 256 bytes: %d\n", getentropy(big, sizeof big));
    return 0;
}
