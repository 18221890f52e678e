/*
 * test_rt_reloc_x86_64.c — every x86-64 relocation type on byte buffers,
 * with the psABI's formulas and range rules.  Runs on any host.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "reloc.h"

static const w2n_reloc_arch *X64 = &w2n_reloc_x86_64;

enum {
    NONE = 0,
    R64 = 1,
    PC32 = 2,
    PLT32 = 4,
    GOTPCREL = 9,
    R32 = 10,
    R32S = 11,
    R16 = 12,
    PC16 = 13,
    R8 = 14,
    PC8 = 15,
    PC64 = 24,
    GOTOFF64 = 25,
    GOTPC32 = 26,
    SIZE32 = 32,
    SIZE64 = 33,
    GOTPCRELX = 41,
    REX_GOTPCRELX = 42
};

static uint8_t buf[16];

static w2n_reloc_result run(uint32_t type, uint64_t P, uint64_t S, int64_t A) {
    const w2n_reloc_howto *h = w2n_reloc_lookup(X64, type);
    cr_assert_not_null(h, "type %u missing", type);
    w2n_reloc_args a = {
        .loc = buf, .P = P, .S = S, .A = A, .Z = 0x40, .got = 0x3000, .got_base = 0x2800};
    return h->apply(&a);
}

Test(reloc_x86_64, table) {
    cr_assert_str_eq(w2n_reloc_lookup(X64, PLT32)->name, "R_X86_64_PLT32");
    cr_assert(w2n_reloc_lookup(X64, NONE)->flags & W2N_RELOC_IGNORE);
    cr_assert(w2n_reloc_lookup(X64, R32S)->flags & W2N_RELOC_LOW);
    cr_assert(w2n_reloc_lookup(X64, PLT32)->flags & W2N_RELOC_STUB_OK);
    cr_assert(w2n_reloc_lookup(X64, REX_GOTPCRELX)->flags & W2N_RELOC_GOT);
    cr_assert_null(w2n_reloc_lookup(X64, 19), "TLSGD unsupported");
    cr_assert_null(w2n_reloc_lookup(X64, 999));
    cr_assert_eq(w2n_reloc_arch_for_machine(62), X64);
    cr_assert_eq(w2n_reloc_arch_get(W2N_ARCH_X86_64), X64);
}

Test(reloc_x86_64, abs64_pc64) {
    cr_assert_eq(run(R64, 0, 0x123456789abcdef0ull, 0x10), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x123456789abcdf00ull);
    cr_assert_eq(run(PC64, 0x7f0000000000ull, 0x1000, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x1000 - 0x7f0000000000ull);
}

Test(reloc_x86_64, pc32_plt32) {
    memset(buf, 0xaa, sizeof buf);
    cr_assert_eq(run(PC32, 0x1000, 0x2000, -4), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xffc);
    cr_assert_eq(buf[4], 0xaa, "only four bytes written");
    cr_assert_eq(run(PLT32, 0x2000, 0x1000, -4), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), (uint32_t)-0x1004);
    /* the edges of +-2 GiB */
    cr_assert_eq(run(PC32, 0, 0x7fffffff, 0), W2N_RELOC_OK);
    cr_assert_eq(run(PC32, 0x80000000ull, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x80000000u);
    cr_assert_eq(run(PLT32, 0x1000, 0x1000 + 0x80000000ull, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x80000000u, "untouched after failure");
    cr_assert_eq(run(PC32, 0x80000001ull, 0, 0), W2N_RELOC_OVERFLOW);
}

Test(reloc_x86_64, abs32_32s) {
    cr_assert_eq(run(R32, 0, 0xfffffff0u, 0xf), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0xffffffffu);
    cr_assert_eq(run(R32, 0, 0x100000000ull, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(run(R32, 0, 0, -1), W2N_RELOC_OVERFLOW, "32 zero-extends");
    cr_assert_eq(run(R32S, 0, 0x7fffffff, 0), W2N_RELOC_OK);
    cr_assert_eq(run(R32S, 0, 0, -8), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), (uint32_t)-8);
    cr_assert_eq(run(R32S, 0, 0x80000000ull, 0), W2N_RELOC_OVERFLOW, "32S sign-extends");
}

Test(reloc_x86_64, small_fields) {
    cr_assert_eq(run(R16, 0, 0xfffe, 1), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), 0xffff);
    cr_assert_eq(run(R16, 0, 0x10000, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(run(PC16, 0x100, 0x80, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd16(buf), (uint16_t)-0x80);
    cr_assert_eq(run(PC16, 0, 0x8000, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(run(R8, 0, 0xff, 0), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0xff);
    cr_assert_eq(run(R8, 0, 0x100, 0), W2N_RELOC_OVERFLOW);
    cr_assert_eq(run(PC8, 0x10, 0x0, 0), W2N_RELOC_OK);
    cr_assert_eq(buf[0], 0xf0);
    cr_assert_eq(run(PC8, 0, 0x80, 0), W2N_RELOC_OVERFLOW);
}

Test(reloc_x86_64, got_forms) {
    for (uint32_t t = 0; t < 3; t++) {
        uint32_t type = t == 0 ? GOTPCREL : t == 1 ? GOTPCRELX : REX_GOTPCRELX;
        cr_assert_eq(run(type, 0x1000, 0xdead0000, -4), W2N_RELOC_OK);
        cr_assert_eq(w2n_reloc_rd32(buf), 0x3000 - 4 - 0x1000, "G+GOT+A-P");
    }
    cr_assert_eq(run(GOTPC32, 0x1000, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x1800, "GOT+A-P");
    cr_assert_eq(run(GOTOFF64, 0, 0x2900, 8), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x108, "S+A-GOT");
}

Test(reloc_x86_64, size) {
    cr_assert_eq(run(SIZE32, 0, 0, 2), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(buf), 0x42);
    cr_assert_eq(run(SIZE64, 0, 0, 0), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd64(buf), 0x40);
}

Test(reloc_x86_64, stub) {
    uint8_t stub[16];
    X64->write_stub(stub, 0x1000, 0x7f1234567890ull);
    cr_assert_eq(X64->stub_size, 16);
    cr_assert_eq(stub[0], 0xff);
    cr_assert_eq(stub[1], 0x25);
    cr_assert_eq(w2n_reloc_rd32(stub + 2), 0, "jmp *0(%%rip)");
    cr_assert_eq(w2n_reloc_rd64(stub + 6), 0x7f1234567890ull);
}

Test(reloc_shared, helpers) {
    cr_assert(w2n_reloc_fits_signed(-128, 8));
    cr_assert(!w2n_reloc_fits_signed(128, 8));
    cr_assert(w2n_reloc_fits_unsigned(255, 8));
    cr_assert(!w2n_reloc_fits_unsigned(256, 8));
    cr_assert_eq(w2n_reloc_insert(0xffffffffu, 4, 8, 0), 0xfffff00fu);
    cr_assert_eq(w2n_reloc_insert(0, 28, 8, 0xff), 0xf0000000u, "bits past 31 are dropped");
    uint8_t b[4] = {0};
    cr_assert_eq(w2n_reloc_insn_signed(b, 6, 2, 0, 8), W2N_RELOC_MISALIGNED);
    cr_assert_eq(w2n_reloc_insn_signed(b, 4 * 128, 2, 0, 8), W2N_RELOC_OVERFLOW);
    cr_assert_eq(w2n_reloc_insn_signed(b, -4 * 128, 2, 0, 8), W2N_RELOC_OK);
    cr_assert_eq(w2n_reloc_rd32(b), 0x80);
    cr_assert_eq(w2n_reloc_insn_unsigned(b, 0x100, 0, 0, 8), W2N_RELOC_OVERFLOW);
    cr_assert_str_eq(w2n_reloc_result_name(W2N_RELOC_OVERFLOW), "value out of range");
}

/* Each table: unique types, an apply function unless ignored, psABI-style
 * names, and no type both supported and listed as refused. */
Test(reloc_shared, tables_consistent) {
    const w2n_reloc_arch *all[] = {&w2n_reloc_x86_64, &w2n_reloc_aarch64, &w2n_reloc_riscv64};
    const char *prefix[] = {"R_X86_64_", "R_AARCH64_", "R_RISCV_"};
    for (int k = 0; k < 3; k++) {
        const w2n_reloc_arch *a = all[k];
        cr_assert_eq(w2n_reloc_arch_get(a->arch), a);
        cr_assert_eq(a->stub_size % 8, 0);
        for (size_t i = 0; i < a->nhowtos; i++) {
            const w2n_reloc_howto *h = &a->howtos[i];
            cr_assert_eq(w2n_reloc_lookup(a, h->type), h, "%s duplicated", h->name);
            cr_assert_eq(!h->apply, !!(h->flags & W2N_RELOC_IGNORE), "%s", h->name);
            cr_assert(!strncmp(h->name, prefix[k], strlen(prefix[k])), "%s", h->name);
            cr_assert_leq(h->size, 8);
        }
        for (size_t i = 0; i < a->nunsupported; i++) {
            cr_assert_null(w2n_reloc_lookup(a, a->unsupported[i].type), "%s",
                           a->unsupported[i].name);
            cr_assert_str_eq(w2n_reloc_type_name(a, a->unsupported[i].type),
                             a->unsupported[i].name);
        }
    }
    cr_assert_null(w2n_reloc_type_name(&w2n_reloc_x86_64, 4000));
}
