/* mem_limit: malloc 1 MiB blocks (and touch them) until malloc fails or 32
 * MiB are taken.  Under `w2n run --max-memory=BYTES mem_limit.wasm BYTES`
 * memory.grow returns -1 at the limit, so malloc returns NULL cleanly; the
 * program checks that its memory stayed within BYTES (run_cli_test.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *kept[32];

int main(int argc, char **argv) {
    int n = 0;
    while (n < 32 && (kept[n] = malloc(1 << 20)) != NULL) {
        memset(kept[n], n + 1, 1 << 20);
        n++;
    }
    unsigned long long bytes = (unsigned long long)__builtin_wasm_memory_size(0) << 16;
    if (n == 32) {
        printf("allocated 32 MiB, malloc never failed\n");
    } else {
        unsigned long long limit = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
        printf("malloc returned NULL %s the limit\n", bytes <= limit ? "within" : "PAST");
    }
    for (int i = 0; i < n; i++)
        if (kept[i][12345] != (char)(i + 1))
            printf("block %d lost its contents\n", i);
    return 0;
}
