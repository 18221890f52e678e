/* poll: poll() and select() over poll_oneoff — a timeout alone waits, a
 * regular file is always ready, and stdin (a file in the harness) reads. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static long long ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(void) {
    long long t0 = ms_now();
    int r = poll(NULL, 0, 25);
    printf("poll(nothing, 25ms) = %d, waited >= 25ms: %s\n", r, ms_now() - t0 >= 24 ? "yes" : "no");
    struct pollfd p[2] = {{.fd = 0, .events = POLLIN}, {.fd = 1, .events = POLLOUT}};
    r = poll(p, 2, 1000);
    printf("poll(stdin, stdout) = %d, stdin readable: %s, stdout writable: %s\n", r,
           (p[0].revents & POLLIN) ? "yes" : "no", (p[1].revents & POLLOUT) ? "yes" : "no");
    char buf[64] = {0};
    ssize_t n = read(0, buf, 10);
    printf("read %zd bytes of stdin: [%s]\n", n, buf);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(0, &rd);
    struct timeval tv = {1, 0};
    r = select(1, &rd, NULL, NULL, &tv);
    printf("select(stdin) = %d, set: %s\n", r, FD_ISSET(0, &rd) ? "yes" : "no");
    return 0;
}
