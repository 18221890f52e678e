/* exit_code: output written before exit() must appear, and the status must
 * become the process's.  Run as: exit_code.wasm 7 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("about to exit with %s\n", argc > 1 ? argv[1] : "0");
    fflush(stdout);
    fprintf(stderr, "this goes to stderr\n");
    exit(argc > 1 ? atoi(argv[1]) : 0);
}
