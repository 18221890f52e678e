/*
 * test_rt_image.c — the loader end to end on real objects.
 *
 * Objects are made at test time with clang-19 from small C files, for the
 * compiler's configuration: static relocation model, small code model
 * (medany on RISC-V).  On an x86-64 host the x86-64 objects are called; the
 * AArch64 and RISC-V objects are loaded and relocated (not run) on any host,
 * which exercises their tables on real relocation streams.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

static const char *triple(w2n_arch arch) {
    switch (arch) {
    case W2N_ARCH_X86_64: return "x86_64-linux-gnu";
    case W2N_ARCH_AARCH64: return "aarch64-linux-gnu";
    case W2N_ARCH_RISCV64: return "riscv64-linux-gnu -mcmodel=medany";
    }
    return "?";
}

/* Compile `src` (C, or assembly if ext is "s") for `arch` with extra
 * flags and return the object's bytes (malloc'd). */
static uint8_t *build(const char *src, w2n_arch arch, const char *ext, const char *flags,
                      size_t *size) {
    char dir[] = "/tmp/w2n_image_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cpath[64], opath[64], cmd[512];
    snprintf(cpath, sizeof cpath, "%s/t.%s", dir, ext);
    snprintf(opath, sizeof opath, "%s/t.o", dir);
    FILE *f = fopen(cpath, "w");
    cr_assert_not_null(f);
    fputs(src, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "clang-19 -c -O2 -Wno-unused-command-line-argument %s --target=%s %s -o %s", flags,
             triple(arch), cpath, opath);
    if (system("command -v clang-19 >/dev/null 2>&1") != 0)
        cr_skip_test("clang-19 not installed");
    cr_assert_eq(system(cmd), 0, "%s failed", cmd);
    f = fopen(opath, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *bytes = malloc((size_t)n);
    cr_assert_eq(fread(bytes, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(cpath);
    unlink(opath);
    rmdir(dir);
    *size = (size_t)n;
    return bytes;
}

/* The compiler's configuration: static relocation model. */
static uint8_t *build_object(const char *src, w2n_arch arch, size_t *size) {
    return build(src, arch, "c", "-fno-pic", size);
}

static const char *SRC =
    "#include <string.h>\n"
    "static int table[16] = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16};\n"
    "int counter;\n"
    "const char *msg = \"hello\";\n"
    "int add(int a, int b) { return a + b; }\n"
    "int sum_table(int n) { int s = 0; for (int i = 0; i < n && i < 16; i++) s += table[i];\n"
    "  counter++; return s; }\n"
    "void move(char *d, const char *s, unsigned long n) { memmove(d, s, n); }\n"
    "int sw(int x) { switch (x) { case 0: return 10; case 1: return 22; case 2: return 37;\n"
    "  case 3: return 41; case 4: return 53; case 5: return 66; default: return -1; } }\n"
    "double fl(double x) { return __builtin_floor(x); }\n"
    "int msglen(void) { return msg[0] == 104 && msg[4] == 111 ? 5 : 0; }\n"
    "__asm__(\".section .w2n.module,\\\"\\\",@progbits\\n.ascii \\\"W2NMETA\\\"\\n.previous\");\n";

static int host_is(w2n_arch a) { return w2n_host_arch() == a; }

Test(image, host_arch_names) {
    cr_assert(w2n_host_arch() != 0);
    cr_assert_str_eq(w2n_arch_name(W2N_ARCH_X86_64), "x86_64");
    cr_assert_str_eq(w2n_arch_name(W2N_ARCH_AARCH64), "aarch64");
    cr_assert_str_eq(w2n_arch_name(W2N_ARCH_RISCV64), "riscv64");
}

Test(image, load_and_call_x86_64) {
    if (!host_is(W2N_ARCH_X86_64))
        cr_skip_test("not an x86-64 host");
    size_t n;
    uint8_t *obj = build_object(SRC, W2N_ARCH_X86_64, &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_X86_64, &img, &err), W2N_OK, "%s", err.message);
    memset(obj, 0xee, n); /* the image must not keep pointers into the bytes */
    free(obj);

    int (*add)(int, int) = (int (*)(int, int))w2n_image_symbol(img, "add");
    int (*sum_table)(int) = (int (*)(int))w2n_image_symbol(img, "sum_table");
    void (*move)(char *, const char *, unsigned long) =
        (void (*)(char *, const char *, unsigned long))w2n_image_symbol(img, "move");
    int (*sw)(int) = (int (*)(int))w2n_image_symbol(img, "sw");
    double (*fl)(double) = (double (*)(double))w2n_image_symbol(img, "fl");
    int (*msglen)(void) = (int (*)(void))w2n_image_symbol(img, "msglen");
    int *counter = w2n_image_symbol(img, "counter");
    cr_assert(add && sum_table && move && sw && fl && msglen && counter);
    cr_assert_null(w2n_image_symbol(img, "table"), "local symbols are not exported");
    cr_assert_null(w2n_image_symbol(img, "nosuch"));

    cr_assert_eq(add(2, 40), 42);
    cr_assert_eq(sum_table(4), 10);
    cr_assert_eq(sum_table(16), 136);
    cr_assert_eq(*counter, 2);
    cr_assert_eq(sw(3), 41);
    cr_assert_eq(sw(5), 66);
    cr_assert_eq(sw(9), -1);
    cr_assert_eq(fl(-2.5), -3.0);
    cr_assert_eq(msglen(), 5);
    char buf[8] = "abcdef";
    move(buf + 1, buf, 4);
    cr_assert_str_eq(buf, "aabcdf");

    cr_assert(w2n_image_contains_code(img, (uintptr_t)add));
    cr_assert(!w2n_image_contains_code(img, (uintptr_t)counter));
    cr_assert_str_eq(w2n_image_symbolize(img, (uintptr_t)sum_table + 3), "sum_table");
    cr_assert_null(w2n_image_symbolize(img, (uintptr_t)counter));

    size_t msize;
    const uint8_t *meta = w2n_image_section(img, ".w2n.module", &msize);
    cr_assert_not_null(meta);
    cr_assert_eq(msize, 7);
    cr_assert_eq(memcmp(meta, "W2NMETA", 7), 0);
    cr_assert_null(w2n_image_section(img, ".nosuch", &msize));
    w2n_image_free(img);
}

/* `src` compiled for `arch` and loaded (the bytes freed). */
static w2n_image *build_and_load(const char *src, w2n_arch arch) {
    size_t n;
    uint8_t *obj = build_object(src, arch, &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, arch, &img, &err), W2N_OK, "%s", err.message);
    free(obj);
    return img;
}

/* Backtraces find functions whatever the symbol table's order: static
 * functions come first in it but lie after the global one, and their
 * alignment spreads them over more than one byte of address (the sort
 * takes several passes). */
Test(image, symbolize_functions_out_of_symbol_order) {
    if (!host_is(W2N_ARCH_X86_64))
        cr_skip_test("not an x86-64 host");
    static const char *src = "#define F __attribute__((noinline, aligned(1024)))\n"
                             "F int first(int x) { return x * 3 + 1; }\n"
                             "F static int second(int x) { return x * 5 + first(x); }\n"
                             "F static int third(int x) { return x * 7 + second(x); }\n"
                             "F int last(int x) { return third(x) + 2; }\n";
    w2n_image *img = build_and_load(src, W2N_ARCH_X86_64);
    uintptr_t first = (uintptr_t)w2n_image_symbol(img, "first");
    uintptr_t last = (uintptr_t)w2n_image_symbol(img, "last");
    cr_assert(first && last);
    cr_assert_eq(((int (*)(int))last)(1), 7 + 5 + 4 + 2);
    cr_assert_str_eq(w2n_image_symbolize(img, first + 2), "first");
    cr_assert_str_eq(w2n_image_symbolize(img, last + 2), "last");
    /* The code starts the image; each function has a 1 KiB slot of it. */
    uintptr_t code = w2n_image_base(img, NULL);
    const char *want[] = {"first", "second", "third", "last"};
    bool seen[4] = {false};
    for (uintptr_t k = 0; k < 4; k++) {
        const char *name = w2n_image_symbolize(img, code + 1024 * k + 2);
        cr_assert_not_null(name, "slot %u has no function", (unsigned)k);
        for (int i = 0; i < 4; i++)
            seen[i] = seen[i] || !strcmp(name, want[i]);
        cr_assert_eq(w2n_image_function_start(img, code + 1024 * k + 5), code + 1024 * k);
    }
    cr_assert(seen[0] && seen[1] && seen[2] && seen[3], "a function is missing");
    w2n_image_free(img);
}

/* No mapping of the process is writable and executable at once, and the
 * image's own pages carry the permissions of their region. */
Test(image, w_xor_x) {
    w2n_image *img = build_and_load(SRC, w2n_host_arch());
    size_t size;
    uintptr_t base = w2n_image_base(img, &size);
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert_not_null(f);
    char line[512];
    int seen_rx = 0, seen_rw = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        cr_assert_eq(sscanf(line, "%lx-%lx %7s", &lo, &hi, perms), 3);
        cr_assert(!(perms[1] == 'w' && perms[2] == 'x'), "W+X mapping: %s", line);
        if (lo >= base && hi <= base + size) {
            seen_rx |= perms[0] == 'r' && perms[2] == 'x';
            seen_rw |= perms[1] == 'w';
        }
    }
    fclose(f);
    cr_assert(seen_rx && seen_rw, "image has code and data regions");
    w2n_image_free(img);
}

/* A mapping far (> 2 GiB) from libc: the call to memmove must go through a
 * stub, and still work. */
Test(image, call_stub_when_far_x86_64) {
    if (!host_is(W2N_ARCH_X86_64))
        cr_skip_test("not an x86-64 host");
    size_t n;
    uint8_t *obj = build_object("#include <string.h>\n"
                                "void mv(char *d, const char *s, unsigned long n)"
                                " { memmove(d, s, n); }\n"
                                "void st(char *d, int c, unsigned long n) { memset(d, c, n); }\n",
                                W2N_ARCH_X86_64, &n);
    uintptr_t target = (uintptr_t)memmove;
    uintptr_t far = (uintptr_t)16 << 30;
    uintptr_t hint = (target > 2 * far ? target - far : target + far) & ~(uintptr_t)0xffff;
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load_at(obj, n, W2N_ARCH_X86_64, hint, &img, &err), W2N_OK, "%s",
                 err.message);
    free(obj);
    uintptr_t base = w2n_image_base(img, NULL);
    uintptr_t dist = base > target ? base - target : target - base;
    cr_assert_gt(dist, (uintptr_t)1 << 31, "mapping at %#lx is near memmove %#lx",
                 (unsigned long)base, (unsigned long)target);
    cr_assert_eq(w2n_image_stub_uses(img), 2);
    void (*mv)(char *, const char *, unsigned long) =
        (void (*)(char *, const char *, unsigned long))w2n_image_symbol(img, "mv");
    void (*st)(char *, int, unsigned long) =
        (void (*)(char *, int, unsigned long))w2n_image_symbol(img, "st");
    char buf[8] = "abcdef";
    mv(buf, buf + 2, 3);
    cr_assert_str_eq(buf, "cdedef");
    st(buf, 'z', 2);
    cr_assert_str_eq(buf, "zzedef");
    w2n_image_free(img);
}

/* The other targets' objects relocate on any host (we do not call them). */
static void load_foreign(w2n_arch arch) {
    w2n_image *img = build_and_load(SRC, arch);
    void *add = w2n_image_symbol(img, "add");
    cr_assert_not_null(add);
    cr_assert(w2n_image_contains_code(img, (uintptr_t)add));
    cr_assert_str_eq(w2n_image_symbolize(img, (uintptr_t)add), "add");
    cr_assert_not_null(w2n_image_symbol(img, "counter"));
    w2n_image_free(img);
}

Test(image, relocate_aarch64_object) { load_foreign(W2N_ARCH_AARCH64); }
Test(image, relocate_riscv64_object) { load_foreign(W2N_ARCH_RISCV64); }

Test(image, wrong_architecture) {
    size_t n;
    uint8_t *obj = build_object(SRC, W2N_ARCH_AARCH64, &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_X86_64, &img, &err), W2N_ERR_BAD_OBJECT);
    cr_assert_null(img);
    cr_assert(strstr(err.message, "object is for aarch64"), "%s", err.message);
    cr_assert(strstr(err.message, "x86_64"), "%s", err.message);
    free(obj);
}

Test(image, undefined_symbol_rejected) {
    size_t n;
    w2n_arch host = w2n_host_arch();
    uint8_t *obj = build_object("int printf(const char *, ...);\n"
                                "int f(void) { return printf(\"x\"); }\n",
                                host, &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, host, &img, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "undefined symbol 'printf'"), "%s", err.message);
    free(obj);
}

Test(image, libcalls_resolve) {
    /* floor on baseline x86-64 and nearbyint/roundeven everywhere are calls */
    size_t n;
    w2n_arch host = w2n_host_arch();
    uint8_t *obj = build_object("double r(double x) { return __builtin_roundeven(x); }\n"
                                "float rf(float x) { return __builtin_roundevenf(x); }\n"
                                "double nb(double x) { return __builtin_nearbyint(x); }\n",
                                host, &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, host, &img, &err), W2N_OK, "%s", err.message);
    free(obj);
    double (*r)(double) = (double (*)(double))w2n_image_symbol(img, "r");
    float (*rf)(float) = (float (*)(float))w2n_image_symbol(img, "rf");
    double (*nb)(double) = (double (*)(double))w2n_image_symbol(img, "nb");
    cr_assert_eq(r(2.5), 2.0);
    cr_assert_eq(r(3.5), 4.0);
    cr_assert_eq(r(-0.5), 0.0);
    cr_assert(signbit(r(-0.5)));
    cr_assert_eq(rf(-1.5f), -2.0f);
    cr_assert_eq(nb(5.5), 6.0);
    w2n_image_free(img);
}

/* PIC code reaches globals through the GOT: the loader builds one. */
Test(image, got_relocations_x86_64) {
    if (!host_is(W2N_ARCH_X86_64))
        cr_skip_test("not an x86-64 host");
    size_t n;
    uint8_t *obj = build(SRC, W2N_ARCH_X86_64, "c", "-fPIC", &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_X86_64, &img, &err), W2N_OK, "%s", err.message);
    free(obj);
    int (*sum_table)(int) = (int (*)(int))w2n_image_symbol(img, "sum_table");
    int (*msglen)(void) = (int (*)(void))w2n_image_symbol(img, "msglen");
    int *counter = w2n_image_symbol(img, "counter");
    cr_assert_eq(sum_table(3), 6);
    cr_assert_eq(*counter, 1, "counter reached through its GOT slot");
    cr_assert_eq(msglen(), 5);
    w2n_image_free(img);
}

/* RISC-V: each PCREL_LO12 finds its HI20 through the label, although the
 * first LO12 comes before its AUIPC (in the code and in the relocation
 * list) and the others are several instructions away. */
static const char *PAIR_SRC =
    "\t.text\n\t.globl f\nf:\n\tj 1f\n"
    "\t.globl lo1_at\nlo1_at:\n\taddi a1, a0, %pcrel_lo(.Lhi)\n1:\n"
    "\t.globl hi_at\nhi_at:\n.Lhi:\n\tauipc a0, %pcrel_hi(target)\n\tnop\n\tnop\n\tnop\n"
    "\t.globl lo2_at\nlo2_at:\n\tld a2, %pcrel_lo(.Lhi)(a0)\n"
    "\t.globl lo3_at\nlo3_at:\n\tsd a2, %pcrel_lo(.Lhi)(a0)\n"
    "\t.globl got_at\ngot_at:\n.Lgot:\n\tauipc a3, %got_pcrel_hi(target)\n\tnop\n"
    "\t.globl gotlo_at\ngotlo_at:\n\tld a3, %pcrel_lo(.Lgot)(a3)\n\tret\n"
    "\t.data\n\t.zero 0x900\n\t.globl target\ntarget:\n\t.quad 42\n";

static int64_t u_imm(const uint8_t *p) {
    uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (int64_t)(int32_t)(w & 0xfffff000u);
}

static int64_t i_imm(const uint8_t *p) {
    uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (int64_t)((int32_t)w >> 20);
}

static int64_t s_imm(const uint8_t *p) {
    uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (int64_t)(int32_t)((uint32_t)(((int32_t)w >> 25) * 32) | ((w >> 7) & 0x1f));
}

Test(image, riscv_pcrel_lo_through_label) {
    size_t n;
    uint8_t *obj = build(PAIR_SRC, W2N_ARCH_RISCV64, "s", "", &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_RISCV64, &img, &err), W2N_OK, "%s", err.message);
    free(obj);
    uint8_t *hi = w2n_image_symbol(img, "hi_at");
    uint8_t *target = w2n_image_symbol(img, "target");
    cr_assert(hi && target);
    int64_t want = target - hi;
    cr_assert_geq(want & 0xfff, 0x800, "the low part is negative: tests the rounding");
    int64_t h = u_imm(hi);
    cr_assert_eq(h + i_imm(w2n_image_symbol(img, "lo1_at")), want);
    cr_assert_eq(h + i_imm(w2n_image_symbol(img, "lo2_at")), want);
    cr_assert_eq(h + s_imm(w2n_image_symbol(img, "lo3_at")), want);
    /* the GOT pair points at a slot that holds target's address */
    uint8_t *got_at = w2n_image_symbol(img, "got_at");
    uint8_t *slot = got_at + u_imm(got_at) + i_imm(w2n_image_symbol(img, "gotlo_at"));
    uint64_t held;
    memcpy(&held, slot, 8);
    cr_assert_eq(held, (uint64_t)(uintptr_t)target);
    cr_assert_eq(*(uint64_t *)target, 42);
    w2n_image_free(img);
}

/* A PCREL_LO12 whose label has no HI20 is an error, not a guess. */
Test(image, riscv_pcrel_lo_without_hi) {
    size_t n;
    uint8_t *obj = build(PAIR_SRC, W2N_ARCH_RISCV64, "s", "", &n);
    /* turn the R_RISCV_PCREL_HI20 (type 23) into R_RISCV_NONE */
    int patched = 0;
    for (size_t i = 0; i + 24 <= n; i += 8)
        if (obj[i + 8] == 23 && obj[i + 9] == 0 && obj[i + 10] == 0 && obj[i + 11] == 0 &&
            obj[i] == 6 && obj[i + 1] == 0) {
            obj[i + 8] = 0;
            patched++;
        }
    cr_assert_eq(patched, 1);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_RISCV64, &img, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "R_RISCV_PCREL_LO12_I"), "%s", err.message);
    cr_assert(strstr(err.message, "no PCREL_HI20/GOT_HI20 relocation at its label .text+0x6"), "%s",
              err.message);
    free(obj);
}

/* An object too big for one direct branch still loads: the veneer story on
 * AArch64 with a real object placed far from libc. */
Test(image, aarch64_veneer_far_from_libc) {
    size_t n;
    uint8_t *obj = build_object("#include <string.h>\n"
                                "void mv(char *d, const char *s, unsigned long n)"
                                " { memmove(d, s, n); }\n",
                                W2N_ARCH_AARCH64, &n);
    uintptr_t target = (uintptr_t)memmove, far = (uintptr_t)16 << 30;
    uintptr_t hint = (target > 2 * far ? target - far : target + far) & ~(uintptr_t)0xffff;
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load_at(obj, n, W2N_ARCH_AARCH64, hint, &img, &err), W2N_OK, "%s",
                 err.message);
    free(obj);
    cr_assert_eq(w2n_image_stub_uses(img), 1);
    /* mv is a tail call: b <veneer>; the veneer is ldr x16,#8; br x16; .quad memmove */
    uint8_t *mv = w2n_image_symbol(img, "mv");
    uint32_t b;
    memcpy(&b, mv, 4);
    cr_assert_eq(b >> 26, 0x05, "b");
    int32_t off = (int32_t)(b << 6) >> 4;
    uint8_t *veneer = mv + off;
    uint32_t w[2];
    uint64_t dest;
    memcpy(w, veneer, 8);
    memcpy(&dest, veneer + 8, 8);
    cr_assert_eq(w[0], 0x58000050u);
    cr_assert_eq(w[1], 0xd61f0200u);
    cr_assert_eq(dest, (uint64_t)target);
    w2n_image_free(img);
}

/* Every single-byte corruption of real objects loads or fails cleanly (the
 * sanitizer build turns any stray access into a crash). */
static void flip_every_byte(w2n_arch arch) {
    size_t n;
    uint8_t *obj = build_object(SRC, arch, &n);
    uint8_t *copy = malloc(n);
    size_t loaded = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, obj, n);
        copy[i] ^= (uint8_t)(0x5a + i);
        w2n_image *img;
        w2n_error err;
        if (w2n_image_load(copy, n, arch, &img, &err) == W2N_OK) {
            loaded++;
            w2n_image_free(img);
        } else {
            cr_assert_neq(err.message[0], 0, "an error always has a message");
        }
    }
    cr_assert_lt(loaded, n, "some corruptions must be caught");
    free(copy);
    free(obj);
}

Test(image, byte_flips_x86_64) { flip_every_byte(W2N_ARCH_X86_64); }
Test(image, byte_flips_aarch64) { flip_every_byte(W2N_ARCH_AARCH64); }
Test(image, byte_flips_riscv64) { flip_every_byte(W2N_ARCH_RISCV64); }

Test(image, constructors_refused) {
    size_t n;
    w2n_arch host = w2n_host_arch();
    uint8_t *obj = build("int x;\n__attribute__((constructor)) void init(void) { x = 1; }\n", host,
                         "c", "-fno-pic -O0", &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, host, &img, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, ".init_array"), "%s", err.message);
    cr_assert(strstr(err.message, "constructors"), "%s", err.message);
    free(obj);
}

Test(image, riscv_soft_float_abi_refused) {
    size_t n;
    uint8_t *obj = build("int f(int x) { return x + 1; }\n", W2N_ARCH_RISCV64, "c",
                         "-fno-pic -mabi=lp64 -march=rv64imac", &n);
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, n, W2N_ARCH_RISCV64, &img, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "lp64d"), "%s", err.message);
    free(obj);
}
