/*
 * test_target_cache.c — target machines kept per thread for the next
 * compile (compiler/emit/target_cache.c): the same key gives the same
 * machine on one thread, another key or another thread a machine of its
 * own, a machine in use is never handed out evicted, and objects compiled
 * with a kept machine are byte for byte those of a new one.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>

#include "target.h"
#include "w2n/compiler.h"

static LLVMTargetMachineRef acquire(const char *target, const char *features, int level) {
    LLVMTargetMachineRef tm = NULL;
    w2n_error err;
    cr_assert_eq(
        w2n_target_machine_acquire(w2n_target_find(target), NULL, features, level, &tm, &err),
        W2N_OK, "%s", err.message);
    return tm;
}

Test(target_cache, same_key_same_machine_on_one_thread) {
    LLVMTargetMachineRef a = acquire("x86_64", NULL, 2);
    w2n_target_machine_release(a);
    LLVMTargetMachineRef b = acquire("x86_64", "", 2);
    cr_assert_eq(a, b, "NULL and \"\" features are the same key");
    LLVMTargetMachineRef c = acquire("x86_64", NULL, 0);
    LLVMTargetMachineRef d = acquire("aarch64", NULL, 2);
    LLVMTargetMachineRef e = acquire("x86_64", "+avx2", 2);
    cr_assert(c != b && d != b && e != b && d != c && e != c && e != d);
    w2n_target_machine_release(b);
    w2n_target_machine_release(c);
    w2n_target_machine_release(d);
    w2n_target_machine_release(e);
}

/* More keys in use at once than the cache holds: each still gets a machine
 * of its own, and none in use is disposed under it. */
Test(target_cache, machines_in_use_are_not_evicted) {
    enum {
        N = 10
    };
    static const char *const features[N] = {"+sse3", "+ssse3", "+sse4.1", "+sse4.2", "+popcnt",
                                            "+avx",  "+avx2",  "+bmi",    "+bmi2",   "+lzcnt"};
    LLVMTargetMachineRef tm[N];
    for (int i = 0; i < N; i++)
        tm[i] = acquire("x86_64", features[i], 2);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i; j++)
            cr_assert_neq(tm[i], tm[j]);
        char *triple = LLVMGetTargetMachineTriple(tm[i]); /* still alive */
        cr_assert(strstr(triple, "x86_64") != NULL);
        LLVMDisposeMessage(triple);
    }
    for (int i = 0; i < N; i++)
        w2n_target_machine_release(tm[i]);
}

static void *acquire_on_thread(void *arg) {
    (void)arg;
    LLVMTargetMachineRef tm = acquire("x86_64", NULL, 2);
    w2n_target_machine_release(tm);
    return tm;
}

Test(target_cache, each_thread_has_its_own) {
    LLVMTargetMachineRef mine = acquire("x86_64", NULL, 2);
    pthread_t t;
    void *theirs = NULL;
    cr_assert_eq(pthread_create(&t, NULL, acquire_on_thread, NULL), 0);
    pthread_join(t, &theirs);
    cr_assert_neq((void *)mine, theirs);
    w2n_target_machine_release(mine);
}

/* (module (func (export "run") (param i32) (result i32)
 *   local.get 0 i32.const 3 i32.mul)) */
static const uint8_t k_mul3[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06,
                                 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
                                 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, 0x0a,
                                 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x03, 0x6c, 0x0b};

static void compile(const char *target, int level, uint8_t **obj, size_t *size) {
    w2n_compile_options o;
    w2n_compile_options_init(&o);
    o.target = target;
    o.opt_level = level;
    w2n_error err;
    cr_assert_eq(w2n_compile(k_mul3, sizeof k_mul3, &o, obj, size, &err), W2N_OK, "%s",
                 err.message);
}

typedef struct object {
    uint8_t *bytes;
    size_t size;
} object;

static void *compile_on_thread(void *arg) {
    object *o = arg;
    compile("aarch64", 2, &o->bytes, &o->size);
    return NULL;
}

/* A new thread makes its machines; this one reuses its own, after
 * compiles for other targets and levels in between. */
Test(target_cache, kept_machines_compile_the_same_objects) {
    object fresh = {0}, kept = {0}, other = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, compile_on_thread, &fresh), 0);
    pthread_join(t, NULL);
    cr_assert(fresh.bytes != NULL);
    for (int i = 0; i < 3; i++) {
        compile("aarch64", 2, &kept.bytes, &kept.size);
        cr_assert_eq(kept.size, fresh.size);
        cr_assert_eq(memcmp(kept.bytes, fresh.bytes, fresh.size), 0, "compile %d differs", i);
        free(kept.bytes);
        compile("x86_64", i == 1 ? 0 : 2, &other.bytes, &other.size);
        free(other.bytes);
    }
    free(fresh.bytes);
}
