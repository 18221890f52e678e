/* stdin_echo: read all of stdin, count lines and bytes, echo it upper-cased. */
#include <ctype.h>
#include <stdio.h>

int main(void) {
    int c, lines = 0, bytes = 0;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n')
            lines++;
        putchar(toupper(c));
    }
    printf("%d lines, %d bytes\n", lines, bytes);
    return 0;
}
