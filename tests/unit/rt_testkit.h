/*
 * rt_testkit.h — hand-made "compiled code" for runtime-core tests.
 *
 * Until the compiler exists, tests use C functions that follow the ABI of
 * abi.h (vmctx first, array-call trampolines writing slots) and build
 * objects with w2n_object_from_parts.  Functions marked TEST_CODE go into
 * one ELF section whose bounds the linker provides, so a test can register
 * exactly that range as "loaded code" with the fault handler.
 */
#ifndef W2N_RT_TESTKIT_H
#define W2N_RT_TESTKIT_H

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "rt_fake_image.h"

/* Tests that expect the process to die of SIGSEGV start from the default
 * action, so that a sanitizer's own handler (which exits with its status)
 * is not what the runtime chains to. */
#define DEFAULT_SEGV_ACTION() signal(SIGSEGV, SIG_DFL)

#define TEST_CODE __attribute__((section("w2n_test_code"), noinline, used))
#define KIT __attribute__((unused)) static

extern char __start_w2n_test_code[] __attribute__((weak));
extern char __stop_w2n_test_code[] __attribute__((weak));

/* The fault handler knows code through loaded images: one fake image,
 * whose code range (rt_fake_image.h) is the TEST_CODE section, stands for
 * it, registered once per process. */
KIT void kit_register_code(void) {
    static struct w2n_image kit_image;
    static bool registered;
    fake_code_start = (uintptr_t)__start_w2n_test_code;
    fake_code_end = (uintptr_t)__stop_w2n_test_code;
    if (!registered)
        registered = w2n_trap_register_image(&kit_image);
}

static w2n_valtype kit_i32s[] = {W2N_I32, W2N_I32, W2N_I32, W2N_I32};
/* Type indices used by the kit's metas. */
enum {
    T_II_I,
    T_I_I,
    T_V_V,
    T_V_I,
    T_III_I,
    T_IIII_I,
    T_COUNT
};
static w2n_functype kit_types[T_COUNT] = {
    [T_II_I] = {2, 1, kit_i32s, kit_i32s},  [T_I_I] = {1, 1, kit_i32s, kit_i32s},
    [T_V_V] = {0, 0, NULL, NULL},           [T_V_I] = {0, 1, NULL, kit_i32s},
    [T_III_I] = {3, 1, kit_i32s, kit_i32s}, [T_IIII_I] = {4, 1, kit_i32s, kit_i32s},
};

KIT w2n_meta kit_meta(void) {
    w2n_meta m;
    memset(&m, 0, sizeof m);
    m.abi_version = W2N_ABI_VERSION;
    m.arch = W2N_ARCH_X86_64;
    m.cpu = "";
    m.features = "";
    m.ntypes = T_COUNT;
    m.types = kit_types;
    m.start = -1;
    return m;
}

KIT w2n_object *kit_object(const w2n_meta *m, void *const *functions, const w2n_tramp_fn *tramps,
                           void *const *adapters) {
    w2n_object *obj = NULL;
    w2n_error err;
    w2n_status st = w2n_object_from_parts(m, functions, tramps, adapters, &obj, &err);
    if (st != W2N_OK) {
        fprintf(stderr, "kit_object: %s\n", err.message);
        return NULL;
    }
    return obj;
}

KIT w2n_limits kit_limits(uint64_t min, int64_t max) {
    w2n_limits l = {.min = min, .max = max < 0 ? 0 : (uint64_t)max, .has_max = max >= 0};
    return l;
}

KIT w2n_const_expr kit_i32_const(int32_t v) {
    w2n_const_expr c = {W2N_CONST_I32, 0, {(uint32_t)v, 0}};
    return c;
}

KIT w2n_const_expr kit_ref_func(uint32_t index) {
    w2n_const_expr c = {W2N_CONST_REF_FUNC, index, {0, 0}};
    return c;
}

#endif
