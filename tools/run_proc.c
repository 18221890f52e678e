/*
 * run_proc.c — one number from a /proc file (run_proc.h).
 */
#include "run_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool w2n_proc_number(const char *path, unsigned field, unsigned long long *out) {
    FILE *f = fopen(path, "r");
    if (!f || field == 0) {
        if (f)
            fclose(f);
        return false;
    }
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = buf;
    unsigned at = 1;
    const char *close = strrchr(buf, ')');
    if (close && field > 2) { /* /proc/PID/stat: skip "pid (comm)" */
        p = close + 1;
        at = 2;
    }
    for (; *p && at < field; p++)
        if (*p == ' ')
            at++;
    if (at != field || *p < '0' || *p > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 10);
    if (errno || end == p)
        return false;
    *out = v;
    return true;
}
