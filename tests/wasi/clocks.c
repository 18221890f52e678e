/* clocks: realtime is plausible, monotonic never goes back, sleeping waits
 * (poll_oneoff with a clock subscription), CPU clocks and resolutions work.
 * Prints only facts that hold on any machine.  Waits are checked with 1 ms
 * of slack: node:wasi, the reference, rounds timeouts to milliseconds. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0)
        return -1;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    long long real = ns(CLOCK_REALTIME);
    printf("realtime after 2020: %s\n", real > 1577836800LL * 1000000000LL ? "yes" : "no");
    long long prev = ns(CLOCK_MONOTONIC), back = 0;
    for (int i = 0; i < 1000; i++) {
        long long now = ns(CLOCK_MONOTONIC);
        back += now < prev;
        prev = now;
    }
    printf("monotonic went back: %lld times\n", back);
    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec req = {0, 30 * 1000000L};
    int r = nanosleep(&req, NULL);
    long long slept = ns(CLOCK_MONOTONIC) - t0;
    printf("nanosleep 30ms: rc=%d, waited at least 30ms: %s\n", r,
           slept >= 29000000LL ? "yes" : "no");
    t0 = ns(CLOCK_MONOTONIC);
    usleep(10000);
    printf("usleep 10ms: waited at least 10ms: %s\n",
           ns(CLOCK_MONOTONIC) - t0 >= 9000000LL ? "yes" : "no");
    printf("process cputime readable: %s\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0 ? "yes" : "no");
    struct timespec res;
    printf("monotonic resolution positive: %s\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0) ? "yes"
                                                                                           : "no");
    time_t t = time(NULL);
    printf("time() agrees with realtime: %s\n",
           (long long)t - real / 1000000000LL <= 1 ? "yes" : "no");
    return 0;
}
