/*
 * far_load_driver.c — load a w2n-compiled object (tests/cross/far_load.wat)
 * mapped farther from the runtime and libc than any direct branch reaches
 * (16 GiB: beyond ±128 MiB on AArch64 and ±2 GiB on x86-64 and RISC-V),
 * and once mapped anywhere, then run its exports through the public API:
 * results, traps (helper longjmp, guard-page fault, stack limit) and that
 * the instance still works after each trap.  Runtime only, so it builds with
 * a plain cross gcc and runs under qemu-user.  Exits non-zero on a failure.
 *   far_load_driver OBJECT guard|explicit
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int failures;

static void check(const char *what, int ok, const char *detail) {
    printf("  %-34s %s%s%s\n", what, ok ? "ok" : "FAIL", detail ? ": " : "", detail ? detail : "");
    failures += !ok;
}

static w2n_func *export(w2n_instance *inst, const char *name) {
    w2n_extern e;
    if (w2n_instance_export(inst, name, &e) != W2N_OK || e.kind != W2N_EXTERN_FUNC) {
        printf("  missing export %s FAIL\n", name);
        exit(1);
    }
    return e.of.func;
}

/* Call and return the single result (or a trap message in *trapped). */
static w2n_value call(w2n_store *store, w2n_instance *inst, const char *name, const w2n_value *args,
                      uint32_t nargs, char *trapped) {
    w2n_value r;
    memset(&r, 0, sizeof r);
    w2n_trap trap;
    w2n_error err;
    trapped[0] = '\0';
    w2n_status st = w2n_func_call(store, export(inst, name), args, nargs, &r, 1, &trap, &err);
    if (st == W2N_ERR_TRAP)
        snprintf(trapped, 160, "%s", trap.message);
    else if (st != W2N_OK)
        snprintf(trapped, 160, "error: %s", err.message);
    return r;
}

static void expect_i64(w2n_store *s, w2n_instance *inst, const char *name, const w2n_value *a,
                       uint32_t n, int64_t want) {
    char trapped[160], what[64], detail[200];
    w2n_value r = call(s, inst, name, a, n, trapped);
    snprintf(what, sizeof what, "%s", name);
    snprintf(detail, sizeof detail, "got %" PRId64 " want %" PRId64 "%s%s",
             r.type == W2N_I32 ? (int64_t)r.of.i32 : r.of.i64, want, *trapped ? ", " : "", trapped);
    int64_t got = r.type == W2N_I32 ? (int64_t)r.of.i32 : r.of.i64;
    check(what, !*trapped && got == want, detail);
}

static void expect_trap(w2n_store *s, w2n_instance *inst, const char *name, const w2n_value *a,
                        uint32_t n, const char *want) {
    char trapped[160], what[64];
    call(s, inst, name, a, n, trapped);
    snprintf(what, sizeof what, "%s traps", name);
    check(what, !strcmp(trapped, want), trapped);
}

static int64_t le64(const char *s) {
    int64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | (uint8_t)s[i];
    return v;
}

static void run(const uint8_t *bytes, size_t size, int far) {
    uintptr_t target = (uintptr_t)memmove, dist = (uintptr_t)16 << 30;
    uintptr_t hint =
        far ? (target > 2 * dist ? target - dist : target + dist) & ~(uintptr_t)0xffff : 0;
    w2n_object *obj;
    w2n_error err;
    if (w2n_object_load_at(bytes, size, NULL, hint, &obj, &err) != W2N_OK) {
        printf("load failed: %s FAIL\n", err.message);
        failures++;
        return;
    }
    uintptr_t base = w2n_image_base(obj->image, NULL);
    uintptr_t self = (uintptr_t)w2n_func_call;
    uintptr_t d1 = base > target ? base - target : target - base;
    uintptr_t d2 = base > self ? base - self : self - base;
    printf("%s, mapped %s: %.1f GiB from memmove, %.1f GiB from the runtime, %zu stub uses\n",
           w2n_arch_name(w2n_host_arch()), far ? "far" : "anywhere", d1 / 1073741824.0,
           d2 / 1073741824.0, w2n_image_stub_uses(obj->image));
    if (far)
        check("beyond every direct-branch range",
              d1 > ((uintptr_t)2 << 30) && d2 > ((uintptr_t)2 << 30), NULL);

    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    w2n_trap trap;
    if (w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err) != W2N_OK) {
        printf("instantiate failed: %s FAIL\n", err.message);
        failures++;
        w2n_store_free(store);
        w2n_object_free(obj);
        return;
    }
    /* memory.copy 2 <- 0 (10 bytes, overlapping), then fill 24..33 with '.'. */
    char mem[34] = "0123456789abcdefghijklmnopqrstuv";
    memmove(mem + 2, mem, 10);
    memset(mem + 24, '.', 10);
    int64_t want = le64(mem) ^ le64(mem + 8) ^ le64(mem + 16) ^ le64(mem + 24);
    w2n_value copy_args[] = {w2n_i32(2), w2n_i32(0), w2n_i32(10)};
    expect_i64(store, inst, "copy", copy_args, 3, want);
    w2n_value at = w2n_i32(26);
    expect_i64(store, inst, "bytes", &at, 1, le64(mem + 26));
    w2n_value round_args[] = {w2n_f64(-2.5), w2n_f32(2.5f)};
    char trapped[160];
    w2n_value r = call(store, inst, "round", round_args, 2, trapped);
    /* ceil -2, floor -3, nearest(2.5) 2, trunc -2: -5 */
    check("round (ceil, floor, nearest, trunc)", !*trapped && r.of.f64 == -5.0, trapped);
    w2n_value one = w2n_i32(1);
    expect_i64(store, inst, "grow", &one, 1, 1);
    w2n_value ind[] = {w2n_i32(0), w2n_i32(21)}, ind2[] = {w2n_i32(1), w2n_i32(41)};
    expect_i64(store, inst, "indirect", ind, 2, 42);
    expect_i64(store, inst, "indirect", ind2, 2, 42);
    w2n_value dz[] = {w2n_i64(1), w2n_i64(0)}, dv[] = {w2n_i64(84), w2n_i64(2)};
    expect_trap(store, inst, "div", dz, 2, "integer divide by zero");
    expect_i64(store, inst, "div", dv, 2, 42);
    w2n_value oob = w2n_i32((int32_t)0xfffffff0u), inb = w2n_i32(0);
    expect_trap(store, inst, "load", &oob, 1, "out of bounds memory access");
    expect_i64(store, inst, "load", &inb, 1, (int32_t)le64(mem) & 0xffffffff);
    w2n_value deep = w2n_i32(100000000), shallow = w2n_i32(1000);
    expect_trap(store, inst, "deep", &deep, 1, "call stack exhausted");
    expect_i64(store, inst, "deep", &shallow, 1, 1000);
    w2n_store_free(store);
    w2n_object_free(obj);
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
