/*
 * firmware.c — a static program in the style of firmware: the object's
 * bytes are linked in (embed.S), no file is read, and the module is called
 * through the header `w2n compile --header` generated (app.h).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

void app_import_env_log(app_module *m, int32_t a0) {
    (void)m;
    printf("log(%d)\n", a0);
}

double app_import_env_scale(app_module *m, double a0) {
    (void)m;
    return a0 * 4;
}

int main(void) {
    app_module m;
    w2n_trap trap;
    w2n_error err;
    if (app_init(&m, NULL, &trap, &err) != W2N_OK) {
        printf("init failed: %s\n", err.message);
        return 1;
    }
    int32_t fib;
    if (app_fib(&m, 20, &fib, &trap) == W2N_OK)
        printf("fib(20) = %d\n", fib);
    int64_t tripled;
    double scaled;
    if (app_report(&m, 14, 1.5f, &tripled, &scaled, &trap) == W2N_OK)
        printf("report(14, 1.5) = %lld, %g\n", (long long)tripled, scaled);
    int32_t never;
    if (app_boom(&m, &never, &trap) == W2N_ERR_TRAP)
        printf("boom trapped: %s\n", trap.message);
    uint64_t size = 0;
    uint8_t *mem = app_memory_memory(&m, &size);
    if (mem) {
        strcpy((char *)mem, "written by the host");
        printf("memory: %llu bytes, '%s'\n", (unsigned long long)size, (char *)mem);
    }
    if (app_fib(&m, 10, &fib, &trap) == W2N_OK) /* still usable after a trap */
        printf("fib(10) = %d\n", fib);
    app_free(&m);
    return 0;
}
