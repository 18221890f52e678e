/* fd_limit: a program that opens descriptors until it cannot.  w2n stops it
 * at its cap on open descriptors (1024 by default, --max-open-files), not
 * at the host's own limit (issue 12: bounded host resources). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int n = 0, last = -1, fd;
    while (n < 100000 && (fd = open("/sandbox", O_RDONLY | O_DIRECTORY)) >= 0) {
        last = fd;
        n++;
    }
    printf("opened %d, the last fd %d, then: %s\n", n, last, strerror(errno));
    close(last);
    fd = open("/sandbox", O_RDONLY | O_DIRECTORY);
    printf("after a close: %s\n", fd == last ? "the same number again" : "another number");
    return 0;
}
