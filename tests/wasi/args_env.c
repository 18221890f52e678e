/* args_env: the program's arguments and environment as WASI hands them over.
 * Run as: args_env.wasm first "second arg" "" with W2N_TEST=hello, EMPTY=. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    const char *v = getenv("W2N_TEST");
    printf("W2N_TEST=[%s]\n", v ? v : "(unset)");
    v = getenv("EMPTY");
    printf("EMPTY=[%s]\n", v ? v : "(unset)");
    v = getenv("NOT_SET_ANYWHERE");
    printf("NOT_SET_ANYWHERE=[%s]\n", v ? v : "(unset)");
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    printf("environ has %d entries\n", n);
    return 0;
}
