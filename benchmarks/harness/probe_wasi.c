/* probe_wasi.c: the WASI program the runner tries before the real ones:
 * writes its first argument's text to the file named by its second and
 * echoes it on stdout.  An engine that gets this wrong is skipped for the
 * WASI programs. */
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 3)
        return 2;
    FILE *f = fopen(argv[2], "wb");
    if (!f || fputs(argv[1], f) < 0 || fclose(f) != 0)
        return 1;
    printf("%s\n", argv[1]);
    return 0;
}
