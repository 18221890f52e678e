/*
 * reloc_smoke_driver.c — load reloc_smoke_obj.o with the runtime's loader on
 * this machine (native or under qemu-user), call its functions and compare
 * with the expected results; once mapped anywhere and once mapped far
 * (> 2 GiB) from libc so that calls to memmove/memset go through stubs.
 * Prints one line per check; exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

static int failures;

static void check(const char *what, long got, long want) {
    printf("  %-22s %ld %s\n", what, got, got == want ? "ok" : "FAIL");
    if (got != want) {
        printf("    expected %ld\n", want);
        failures++;
    }
}

static void *sym(w2n_image *img, const char *name) {
    void *p = w2n_image_symbol(img, name);
    if (!p) {
        printf("  missing symbol %s FAIL\n", name);
        exit(1);
    }
    return p;
}

static void run(const uint8_t *bytes, size_t size, int far) {
    uintptr_t target = (uintptr_t)memmove, dist = (uintptr_t)16 << 30;
    uintptr_t away = target > 2 * dist ? target - dist : target + dist;
    uintptr_t hint = far ? away & ~(uintptr_t)0xffff : 0;
    w2n_image *img;
    w2n_error err;
    if (w2n_image_load_at(bytes, size, w2n_host_arch(), hint, &img, &err) != W2N_OK) {
        if (far && strstr(err.message, "low 2 GiB")) {
            /* x86-64 static model: 32S addresses; the far mapping cannot work */
            printf("%s, mapped far: refused as it must be: %s\n", w2n_arch_name(w2n_host_arch()),
                   err.message);
            return;
        }
        printf("load failed: %s FAIL\n", err.message);
        failures++;
        return;
    }
    uintptr_t base = w2n_image_base(img, NULL);
    uintptr_t d = base > target ? base - target : target - base;
    printf("%s, mapped %s: base %#lx, %.1f GiB from memmove, %zu stub uses\n",
           w2n_arch_name(w2n_host_arch()), far ? "far" : "anywhere", (unsigned long)base,
           d / (double)(1 << 30), w2n_image_stub_uses(img));
    if (far && d <= ((uintptr_t)1 << 31)) {
        printf("  the kernel ignored the far hint FAIL\n");
        failures++;
    }
    if (far)
        check("stubs used", w2n_image_stub_uses(img) >= 2, 1);
    int (*add)(int, int) = (int (*)(int, int))sym(img, "add");
    int (*apply)(int, int, int) = (int (*)(int, int, int))sym(img, "apply");
    int (*sum_table)(int) = (int (*)(int))sym(img, "sum_table");
    int (*sw)(int) = (int (*)(int))sym(img, "sw");
    long (*fill)(int) = (long (*)(int))sym(img, "fill");
    void (*move)(char *, const char *, unsigned long) =
        (void (*)(char *, const char *, unsigned long))sym(img, "move");
    void (*set)(char *, int, unsigned long) = (void (*)(char *, int, unsigned long))sym(img, "set");
    double (*fl)(double) = (double (*)(double))sym(img, "fl");
    double (*nearest)(double) = (double (*)(double))sym(img, "nearest");
    int (*msgsum)(void) = (int (*)(void))sym(img, "msgsum");
    check("add(2,40)", add(2, 40), 42);
    check("apply(1,10,3)", apply(1, 10, 3), 7);
    check("apply(2,6,7)", apply(2, 6, 7), 42);
    check("sum_table(16)", sum_table(16), 136);
    check("sw(3)", sw(3), 41);
    check("sw(6)", sw(6), 71);
    check("sw(9)", sw(9), -1);
    check("fill(1000)", fill(1000), 499500 + 1);
    check("counter", *(int *)sym(img, "counter"), 1);
    char buf[8] = "abcdef";
    move(buf + 1, buf, 4);
    set(buf + 5, 'z', 1);
    check("move+set", strcmp(buf, "aabcdz"), 0);
    check("floor(-2.5)", (long)fl(-2.5), -3);
    check("nearest(2.5)", (long)nearest(2.5), 2);
    check("nearest(3.5)", (long)nearest(3.5), 4);
    check("msgsum", msgsum(), 'h' + 'o');
    const char *name = w2n_image_symbolize(img, (uintptr_t)sum_table + 4);
    check("symbolize", name && !strcmp(name, "sum_table"), 1);
    w2n_image_free(img);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t bytes[1 << 20];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    run(bytes, n, 0);
    run(bytes, n, 1);
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures != 0;
}
