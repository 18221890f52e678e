/*
 * multi_memory_driver.c — run the two-memory module of multi_memory.wat
 * through the public API: copy a block from memory 1 to memory 0 (memory.copy
 * between two memories, and a byte loop) and compare the checksum with one
 * computed here from the data segment; check every memory instruction on
 * memory 1 (size, grow, load, store, fill, init, v128 and lane accesses),
 * that each memory keeps its own bounds, and that both are reachable by index
 * and by export name.  Runtime only, so it builds with a plain cross gcc and
 * runs under qemu-user.  Exits non-zero on a failure.
 *   multi_memory_driver OBJECT
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2n/runtime.h"

/* Room for a trap message or an error (w2n_error holds up to 256 bytes). */
#define TEXT_SIZE 300

static int failures;

static void check(const char *what, int ok, const char *detail) {
    printf("  %-46s %s%s%s\n", what, ok ? "ok" : "FAIL", detail ? ": " : "", detail ? detail : "");
    failures += !ok;
}

static w2n_extern export(w2n_instance *inst, const char *name) {
    w2n_extern e;
    if (w2n_instance_export(inst, name, &e) != W2N_OK) {
        printf("  missing export %s FAIL\n", name);
        exit(1);
    }
    return e;
}

/* Call `name`; the single result, if any, in *out; a trap message in trapped. */
static void call(w2n_store *store, w2n_instance *inst, const char *name, const w2n_value *args,
                 uint32_t nargs, w2n_value *out, char *trapped) {
    w2n_value r;
    memset(&r, 0, sizeof r);
    w2n_trap trap;
    w2n_error err;
    trapped[0] = '\0';
    w2n_status st = w2n_func_call(store, export(inst, name).of.func, args, nargs, &r, 1, &trap,
                                  &err); /* room for one result, used or not */
    if (st == W2N_ERR_TRAP)
        snprintf(trapped, TEXT_SIZE, "%s", trap.message);
    else if (st != W2N_OK)
        snprintf(trapped, TEXT_SIZE, "error: %s", err.message);
    if (out)
        *out = r;
}

static void expect_int(w2n_store *s, w2n_instance *inst, const char *name, const w2n_value *a,
                       uint32_t n, int64_t want) {
    char trapped[TEXT_SIZE], detail[TEXT_SIZE + 80];
    w2n_value r;
    call(s, inst, name, a, n, &r, trapped);
    int64_t got = r.type == W2N_I32 ? (int64_t)r.of.i32 : r.of.i64;
    snprintf(detail, sizeof detail, "got %" PRId64 " want %" PRId64 "%s%s", got, want,
             *trapped ? ", " : "", trapped);
    check(name, !*trapped && got == want, detail);
}

static void expect_done(w2n_store *s, w2n_instance *inst, const char *name, const w2n_value *a,
                        uint32_t n) {
    char trapped[TEXT_SIZE];
    call(s, inst, name, a, n, NULL, trapped);
    check(name, !*trapped, trapped);
}

static void expect_trap(w2n_store *s, w2n_instance *inst, const char *name, const w2n_value *a,
                        uint32_t n) {
    char trapped[TEXT_SIZE], what[64];
    call(s, inst, name, a, n, NULL, trapped);
    snprintf(what, sizeof what, "%s traps", name);
    check(what, !strcmp(trapped, "out of bounds memory access"), trapped);
}

static int64_t checksum(const uint8_t *p, size_t n) {
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + p[i];
    return (int64_t)h;
}

static const char block[] = "a block from the second memory, 40 bytes";

static void run_copies(w2n_store *store, w2n_instance *inst) {
    int64_t want = checksum((const uint8_t *)block, 40);
    w2n_value copy[] = {w2n_i32(1000), w2n_i32(100), w2n_i32(40)};
    expect_int(store, inst, "copy", copy, 3, want);
    w2n_value loop[] = {w2n_i32(2000), w2n_i32(100), w2n_i32(40)};
    expect_int(store, inst, "copy_loop", loop, 3, want);
    uint8_t *m0 = w2n_memory_data(w2n_instance_memory(inst));
    check("memory 0 holds both copies",
          !memcmp(m0 + 1000, block, 40) && !memcmp(m0 + 2000, block, 40), NULL);
    check("memory 0 keeps its own data", !memcmp(m0, "memory zero", 11), NULL);
    /* Past memory 1's end (2 pages) the copies trap; memory 0 is 1 page. */
    w2n_value far_src[] = {w2n_i32(0), w2n_i32(2 * 65536 - 8), w2n_i32(16)};
    expect_trap(store, inst, "copy", far_src, 3);
    expect_trap(store, inst, "copy_loop", far_src, 3);
    w2n_value far_dst[] = {w2n_i32(65536 - 8), w2n_i32(100), w2n_i32(16)};
    expect_trap(store, inst, "copy", far_dst, 3);
    check("a trapping memory.copy writes nothing", m0[65536 - 8] == 0, NULL);
    expect_trap(store, inst, "copy_loop", far_dst, 3);
    /* The byte loop stores one byte at a time: the 8 before the end stay. */
    check("a trapping byte loop keeps its first 8 bytes", !memcmp(m0 + 65536 - 8, block, 8), NULL);
}

static void run_accesses(w2n_store *store, w2n_instance *inst) {
    w2n_memory *m1 = w2n_instance_memory_at(inst, 1);
    check("memory 1 by index and by export",
          m1 && m1 == export(inst, "mem1").of.memory &&
              w2n_instance_memory_at(inst, 0) == export(inst, "mem0").of.memory &&
              !w2n_instance_memory_at(inst, 2),
          NULL);
    expect_int(store, inst, "size0", NULL, 0, 1);
    expect_int(store, inst, "size1", NULL, 0, 2);
    /* Memory 1's address 70000 is in bounds, memory 0's is not. */
    w2n_value a70000 = w2n_i32(70000);
    w2n_value st[] = {w2n_i32(70000), w2n_i64(0x0102030405060708)};
    expect_done(store, inst, "store1", st, 2);
    expect_int(store, inst, "load1", (w2n_value[]){w2n_i32(69996)}, 1, 0x05060708);
    expect_trap(store, inst, "load0", &a70000, 1);
    expect_trap(store, inst, "load1", (w2n_value[]){w2n_i32(2 * 65536 - 7)}, 1);
    w2n_value fill[] = {w2n_i32(300), w2n_i32('x'), w2n_i32(5)};
    expect_done(store, inst, "fill1", fill, 3);
    expect_done(store, inst, "init1", (w2n_value[]){w2n_i32(305)}, 1);
    uint8_t *d1 = w2n_memory_data(m1);
    check("memory.fill and memory.init on memory 1", !memcmp(d1 + 300, "xxxxxPASSIVE", 12), NULL);
    expect_done(store, inst, "simd_copy", (w2n_value[]){w2n_i32(3000), w2n_i32(300)}, 2);
    uint8_t *m0 = w2n_memory_data(w2n_instance_memory(inst));
    check("v128 and lane accesses across memories",
          !memcmp(m0 + 3000, "xxxxxPASSIVE", 12) && !memcmp(m0 + 3016, d1 + 304, 4), NULL);
    /* Grow memory 1 to its maximum of 3 pages, not past it. */
    expect_int(store, inst, "grow1", (w2n_value[]){w2n_i32(1)}, 1, 2);
    expect_int(store, inst, "grow1", (w2n_value[]){w2n_i32(1)}, 1, -1);
    expect_int(store, inst, "size1", NULL, 0, 3);
    expect_int(store, inst, "size0", NULL, 0, 1);
    expect_int(store, inst, "load1", (w2n_value[]){w2n_i32(2 * 65536 - 4)}, 1, 0);
    check("memory 1's size in bytes", w2n_memory_size(m1) == 3 * 65536, NULL);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
        return 2;
    }
    w2n_error err;
    w2n_object *obj;
    if (w2n_object_load_file(argv[1], &obj, &err) != W2N_OK) {
        printf("load failed: %s FAIL\n", err.message);
        return 1;
    }
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    w2n_trap trap;
    if (w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err) != W2N_OK) {
        printf("instantiate failed: %s FAIL\n", err.message);
        return 1;
    }
    run_copies(store, inst);
    run_accesses(store, inst);
    w2n_store_free(store);
    w2n_object_free(obj);
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures != 0;
}
