/*
 * test_rt_cpu.c — the loader's CPU feature check: expanding --cpu and
 * --features into LLVM names and refusing, by name, what a (fake) machine
 * lacks, for all three architectures on any host; the real probe of this
 * host; and the refusal through w2n_object_load.
 */
#include <criterion/criterion.h>

#include "cpu.h"
#include "rt_testkit.h"

/* A fake machine: has exactly the comma-separated features of `data`;
 * names in `unknown_names` are unknown to it. */
static const char *unknown_names = "";

static int in(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !memcmp(p, name, n))
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int fake_probe(const char *name, void *data) {
    if (in(unknown_names, name))
        return -1;
    return in((const char *)data, name);
}

static w2n_status check(w2n_arch arch, const char *cpu, const char *features, const char *has,
                        w2n_error *err) {
    return w2n_cpu_check(arch, cpu, features, fake_probe, (void *)has, err);
}

Test(rt_cpu, baseline_needs_nothing) {
    w2n_error err;
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "", "", &err), W2N_OK);
    cr_assert_eq(check(W2N_ARCH_AARCH64, NULL, NULL, "", &err), W2N_OK);
    cr_assert_eq(check(W2N_ARCH_RISCV64, "generic-rv64", "", "", &err), W2N_OK);
    cr_assert_eq(check(W2N_ARCH_RISCV64, "sifive-u74", "", "", &err), W2N_OK,
                 "the U74 is rv64gc: %s", err.message);
}

Test(rt_cpu, x86_64_levels_name_what_is_missing) {
    w2n_error err;
    const char *v2 = "cx16,sahf,popcnt,sse3,sse4.1,sse4.2,ssse3";
    cr_assert_eq(check(W2N_ARCH_X86_64, "x86-64-v2", "", v2, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_X86_64, "x86-64-v3", "", v2, &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "lacks CPU features"), "%s", err.message);
    cr_assert(strstr(err.message, "avx2"), "%s", err.message);
    cr_assert(strstr(err.message, "bmi2"), "%s", err.message);
    cr_assert(strstr(err.message, "--cpu=x86-64-v3"), "%s", err.message);
    cr_assert(!strstr(err.message, "sse4.2"), "present features are not named: %s", err.message);
}

Test(rt_cpu, features_add_and_remove_in_order) {
    w2n_error err;
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "+avx2,+bmi2", "avx2", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "lacks CPU features the object needs: bmi2 "), "%s", err.message);
    cr_assert(strstr(err.message, "--features=+avx2,+bmi2"), "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "+avx2,-avx2", "", &err), W2N_OK, "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "-avx2,+avx2", "", &err), W2N_ERR_UNSUPPORTED);
    /* A -feature removes what the CPU implies: the Raspberry Pi 4 recipe. */
    const char *pi4 = "crc";
    cr_assert_eq(check(W2N_ARCH_AARCH64, "cortex-a72", "", pi4, &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "aes"), "%s", err.message);
    cr_assert(strstr(err.message, "sha2"), "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_AARCH64, "cortex-a72", "-aes,-sha2", pi4, &err), W2N_OK, "%s",
                 err.message);
    /* Unsigned words count as +; blanks around words are ignored. */
    cr_assert_eq(check(W2N_ARCH_X86_64, "", " avx2 , +fma", "avx2", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "needs: fma "), "%s", err.message);
}

Test(rt_cpu, cortex_a76_and_riscv_vector_cpus) {
    w2n_error err;
    const char *pi5 = "crc,aes,sha2,lse,rdm,fullfp16,dotprod,rcpc";
    cr_assert_eq(check(W2N_ARCH_AARCH64, "cortex-a76", "", pi5, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_AARCH64, "cortex-a76", "", "crc,aes,sha2", &err),
                 W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "dotprod"), "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_RISCV64, "", "+v", "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "needs: v "), "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_RISCV64, "", "+v", "v", &err), W2N_OK);
    /* The X280's code assumes 512-bit vectors. */
    cr_assert_eq(
        check(W2N_ARCH_RISCV64, "sifive-x280", "", "v,zba,zbb,zfh,zfhmin,zvfh,zvfhmin", &err),
        W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "zvl512b"), "%s", err.message);
}

Test(rt_cpu, tuning_features_are_not_requirements) {
    w2n_error err;
    unknown_names = "relax,fp-armv8,neon,cmov,slow-3ops-lea";
    cr_assert_eq(check(W2N_ARCH_RISCV64, "", "-relax,+relax", "", &err), W2N_OK, "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "+slow-3ops-lea", "", &err), W2N_OK, "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_AARCH64, "", "+neon,+fp-armv8", "", &err), W2N_OK, "%s",
                 err.message);
    unknown_names = "";
}

Test(rt_cpu, unknown_names_are_refused) {
    w2n_error err;
    cr_assert_eq(check(W2N_ARCH_X86_64, "pentium-mmx-9000", "", "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "--cpu=pentium-mmx-9000"), "%s", err.message);
    cr_assert(strstr(err.message, "does not know"), "%s", err.message);
    unknown_names = "frobnicate";
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "+frobnicate", "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "cannot check: frobnicate"), "%s", err.message);
    cr_assert_eq(check(W2N_ARCH_X86_64, "", "+frobnicate,+avx2", "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "needs: avx2; unknown: frobnicate"), "%s", err.message);
    unknown_names = "";
    char longname[80];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    cr_assert_eq(check(W2N_ARCH_X86_64, "", longname, "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert_eq(check((w2n_arch)99, "", "", "", &err), W2N_ERR_UNSUPPORTED);
}

Test(rt_cpu, many_missing_features_are_truncated_not_overflowed) {
    w2n_error err;
    char list[2048] = "";
    for (int i = 0; i < 90; i++) {
        char w[24];
        snprintf(w, sizeof w, "%s+feature%02d", i ? "," : "", i);
        strcat(list, w);
    }
    cr_assert_eq(check(W2N_ARCH_X86_64, "", list, "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "feature00, feature01"), "%s", err.message);
    cr_assert(strstr(err.message, "..."), "%s", err.message);
    strcat(list, ",+a,+b,+c,+d,+e,+f,+g");
    cr_assert_eq(check(W2N_ARCH_X86_64, "", list, "", &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "more than"), "%s", err.message);
}

Test(rt_cpu, every_table_cpu_expands_to_names_the_host_kind_of_probe_knows) {
    /* Each CPU of each table must expand without error; with a probe that
     * has everything, every CPU is accepted. */
    const w2n_arch arches[] = {W2N_ARCH_X86_64, W2N_ARCH_AARCH64, W2N_ARCH_RISCV64};
    for (size_t a = 0; a < 3; a++) {
        const w2n_cpu_arch *t = w2n_cpu_arch_get(arches[a]);
        cr_assert_not_null(t);
        for (size_t i = 0; i < t->nmodels; i++) {
            w2n_error err;
            cr_assert_eq(w2n_cpu_check(arches[a], t->models[i].name, "", fake_probe,
                                       (void *)t->models[i].features, &err),
                         W2N_OK, "%s: %s", t->models[i].name, err.message);
        }
    }
}

/* ---- this machine -------------------------------------------------------- */

Test(rt_cpu, host_probe_answers) {
    w2n_arch host = w2n_host_arch();
    w2n_error err;
    cr_assert_eq(w2n_arch_cpu_has("no-such-feature", NULL), -1);
    cr_assert_eq(w2n_cpu_check(host, "", "", w2n_arch_cpu_has, NULL, &err), W2N_OK, "%s",
                 err.message);
    if (host == W2N_ARCH_X86_64) {
        cr_assert_eq(w2n_arch_cpu_has("sse2", NULL), 1);
        cr_assert_eq(w2n_arch_cpu_has("cx8", NULL), 1);
        cr_assert_eq(w2n_arch_cpu_has("avx2", NULL), __builtin_cpu_supports("avx2") ? 1 : 0);
        cr_assert_eq(w2n_arch_cpu_has("popcnt", NULL), __builtin_cpu_supports("popcnt") ? 1 : 0);
        cr_assert_eq(w2n_arch_cpu_has("avx512f", NULL), __builtin_cpu_supports("avx512f") ? 1 : 0);
    } else if (host == W2N_ARCH_AARCH64) {
        cr_assert_eq(w2n_arch_cpu_has("neon", NULL), 1);
        cr_assert_eq(w2n_arch_cpu_has("fp-armv8", NULL), 1);
    } else if (host == W2N_ARCH_RISCV64) {
        cr_assert_eq(w2n_arch_cpu_has("d", NULL), 1);
        cr_assert_eq(w2n_arch_cpu_has("c", NULL), 1);
    }
}

Test(rt_cpu, object_load_refuses_what_the_machine_lacks) {
    kit_register_code();
    memset(fake_symbols, 0, sizeof fake_symbols);
    w2n_meta m = kit_meta();
    m.cpu = "no-such-cpu";
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    fake_object_bytes(&m, &bytes, &size);
    w2n_object *obj = (w2n_object *)1;
    cr_assert_eq(w2n_object_load(bytes, size, &obj, &err), W2N_ERR_UNSUPPORTED, "%s", err.message);
    cr_assert_null(obj);
    cr_assert(strstr(err.message, "--cpu=no-such-cpu"), "%s", err.message);
    free(bytes);
    m.cpu = "";
    m.features = "+no-such-feature";
    fake_object_bytes(&m, &bytes, &size);
    cr_assert_eq(w2n_object_load(bytes, size, &obj, &err), W2N_ERR_UNSUPPORTED);
    cr_assert(strstr(err.message, "no-such-feature"), "%s", err.message);
    free(bytes);
    m.features = "";
    fake_object_bytes(&m, &bytes, &size);
    cr_assert_eq(w2n_object_load(bytes, size, &obj, &err), W2N_OK, "%s", err.message);
    w2n_object_free(obj);
    free(bytes);
    cr_assert_eq(fake_images_live, 0);
}
