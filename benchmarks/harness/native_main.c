/* native_main.c: the native driver of a kernel.  Runs run(N) once and
 * prints the checksum as an unsigned decimal, exactly what every other
 * engine's driver prints, so the runner can compare outputs as text. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

uint32_t run(uint32_t n);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    printf("%u\n", run((uint32_t)strtoul(argv[1], NULL, 10)));
    return 0;
}
