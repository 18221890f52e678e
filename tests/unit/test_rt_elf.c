/*
 * test_rt_elf.c — the ELF reader refuses every kind of corrupt object with a
 * clear message, and never reads outside the bytes.
 *
 * The tests build a minimal relocatable object by hand (so each field sits
 * at a known offset), check that it reads and loads, then break one field at
 * a time.  Loading is for x86-64 on any host: it only relocates, never runs.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "image.h"
#include "reloc.h"

/* Layout of the hand-made object. */
enum {
    TEXT_OFF = 64,    /* 16 bytes: call memmove; ret */
    STRTAB_OFF = 80,  /* "\0f\0memmove\0" (11 bytes) */
    SHSTR_OFF = 96,   /* section names (48 bytes) */
    SYMTAB_OFF = 144, /* 3 symbols * 24 */
    RELA_OFF = 216,   /* 1 relocation * 24 */
    SHDR_OFF = 240,   /* 6 section headers * 64 */
    OBJ_SIZE = 240 + 6 * 64
};
enum {
    S_TEXT = 1,
    S_SYMTAB = 2,
    S_STRTAB = 3,
    S_SHSTRTAB = 4,
    S_RELA = 5
};

static const char SHSTR[] = "\0.text\0.symtab\0.strtab\0.shstrtab\0.rela.text\0";

static uint8_t obj[OBJ_SIZE];

static void put16(size_t at, uint16_t v) { w2n_reloc_wr16(obj + at, v); }
static void put32(size_t at, uint32_t v) { w2n_reloc_wr32(obj + at, v); }
static void put64(size_t at, uint64_t v) { w2n_reloc_wr64(obj + at, v); }
static size_t shdr(int i) { return SHDR_OFF + 64 * (size_t)i; }
static size_t sym(int i) { return SYMTAB_OFF + 24 * (size_t)i; }

static void section(int i, uint32_t name, uint32_t type, uint64_t flags, uint64_t off,
                    uint64_t size, uint32_t link, uint32_t info, uint64_t align, uint64_t entsize) {
    size_t h = shdr(i);
    put32(h, name);
    put32(h + 4, type);
    put64(h + 8, flags);
    put64(h + 24, off);
    put64(h + 32, size);
    put32(h + 40, link);
    put32(h + 44, info);
    put64(h + 48, align);
    put64(h + 56, entsize);
}

static void make_object(uint16_t machine, uint32_t rtype) {
    memset(obj, 0, sizeof obj);
    memcpy(obj, "\177ELF\2\1\1", 7);
    put16(16, 1); /* ET_REL */
    put16(18, machine);
    put32(20, 1);
    put64(40, SHDR_OFF);
    put16(52, 64);
    put16(58, 64);
    put16(60, 6);
    put16(62, S_SHSTRTAB);
    static const uint8_t text[16] = {0xe8, 0, 0, 0, 0, 0xc3};
    memcpy(obj + TEXT_OFF, text, sizeof text);
    memcpy(obj + STRTAB_OFF, "\0f\0memmove\0", 11);
    memcpy(obj + SHSTR_OFF, SHSTR, sizeof SHSTR);
    /* symbol 1: f, global function in .text; symbol 2: memmove, undefined */
    put32(sym(1), 1);
    obj[sym(1) + 4] = (W2N_STB_GLOBAL << 4) | W2N_STT_FUNC;
    put16(sym(1) + 6, S_TEXT);
    put64(sym(1) + 16, 6);
    put32(sym(2), 3);
    obj[sym(2) + 4] = (W2N_STB_GLOBAL << 4) | W2N_STT_NOTYPE;
    /* call memmove: R_X86_64_PLT32 at .text+1, addend -4 */
    put64(RELA_OFF, 1);
    put64(RELA_OFF + 8, ((uint64_t)2 << 32) | rtype);
    put64(RELA_OFF + 16, (uint64_t)-4);
    section(S_TEXT, 1, W2N_SHT_PROGBITS, W2N_SHF_ALLOC | W2N_SHF_EXECINSTR, TEXT_OFF, 16, 0, 0, 16,
            0);
    section(S_SYMTAB, 7, W2N_SHT_SYMTAB, 0, SYMTAB_OFF, 72, S_STRTAB, 1, 8, 24);
    section(S_STRTAB, 15, W2N_SHT_STRTAB, 0, STRTAB_OFF, 11, 0, 0, 1, 0);
    section(S_SHSTRTAB, 23, W2N_SHT_STRTAB, 0, SHSTR_OFF, sizeof SHSTR, 0, 0, 1, 0);
    section(S_RELA, 33, W2N_SHT_RELA, 0, RELA_OFF, 24, S_SYMTAB, S_TEXT, 8, 24);
}

static void setup(void) { make_object(62, 4); }

/* Reading fails with a message containing `want`. */
static void rejects(size_t size, const char *want) {
    w2n_elf elf;
    w2n_error err;
    cr_assert_eq(w2n_elf_read(obj, size, &elf, &err), W2N_ERR_BAD_OBJECT, "accepted (%s)", want);
    cr_assert(strstr(err.message, want), "message '%s' lacks '%s'", err.message, want);
    cr_assert_null(elf.sections);
    cr_assert_null(elf.symbols);
}

/* Loading fails with a message containing `want`. */
static void load_rejects(w2n_arch arch, const char *want) {
    w2n_image *img = (w2n_image *)1;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, sizeof obj, arch, &img, &err), W2N_ERR_BAD_OBJECT,
                 "accepted (%s)", want);
    cr_assert_null(img);
    cr_assert(strstr(err.message, want), "message '%s' lacks '%s'", err.message, want);
}

TestSuite(elf, .init = setup);

Test(elf, reads_valid_object) {
    w2n_elf elf;
    w2n_error err;
    cr_assert_eq(w2n_elf_read(obj, sizeof obj, &elf, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(elf.machine, 62);
    cr_assert_eq(elf.nsections, 6);
    cr_assert_str_eq(elf.sections[S_TEXT].name, ".text");
    cr_assert_str_eq(elf.sections[S_RELA].name, ".rela.text");
    cr_assert_eq(elf.nsymbols, 3);
    cr_assert_str_eq(elf.symbols[1].name, "f");
    cr_assert_str_eq(elf.symbols[2].name, "memmove");
    cr_assert_eq(elf.symtab, S_SYMTAB);
    cr_assert_eq(w2n_elf_rela_count(&elf, S_RELA), 1);
    w2n_elf_rela r = w2n_elf_rela_get(&elf, S_RELA, 0);
    cr_assert_eq(r.offset, 1);
    cr_assert_eq(r.type, 4);
    cr_assert_eq(r.sym, 2);
    cr_assert_eq(r.addend, -4);
    cr_assert_eq(w2n_elf_find_section(&elf, ".symtab"), S_SYMTAB);
    cr_assert_eq(w2n_elf_find_section(&elf, ".nosuch"), 0);
    w2n_elf_free(&elf);
}

Test(elf, loads_valid_object) {
    w2n_image *img;
    w2n_error err;
    cr_assert_eq(w2n_image_load(obj, sizeof obj, W2N_ARCH_X86_64, &img, &err), W2N_OK, "%s",
                 err.message);
    uint8_t *f = w2n_image_symbol(img, "f");
    cr_assert_not_null(f);
    cr_assert_eq(f[0], 0xe8);
    int32_t rel = (int32_t)w2n_reloc_rd32(f + 1);
    uintptr_t dest = (uintptr_t)f + 5 + (intptr_t)rel;
    /* straight to memmove, or to a stub that jumps there */
    if (dest != (uintptr_t)memmove) {
        cr_assert_eq(((uint8_t *)dest)[0], 0xff);
        cr_assert_eq(w2n_reloc_rd64((uint8_t *)dest + 6), (uint64_t)(uintptr_t)memmove);
    }
    w2n_image_free(img);
}

Test(elf, truncated) {
    rejects(0, "not an ELF file");
    rejects(40, "not an ELF file");
    rejects(SHDR_OFF + 64, "section headers extend past end of file");
    rejects(sizeof obj - 1, "section headers extend past end of file");
}

Test(elf, not_elf64_le_rel) {
    obj[4] = 1;
    rejects(sizeof obj, "not an ELF64 relocatable object");
    obj[4] = 2;
    obj[5] = 2;
    rejects(sizeof obj, "not an ELF64 relocatable object");
    obj[5] = 1;
    put16(16, 2); /* ET_EXEC */
    rejects(sizeof obj, "not an ELF64 relocatable object");
    put16(16, 1);
    obj[0] = 'X';
    rejects(sizeof obj, "not an ELF file");
}

Test(elf, wrong_machine) {
    put16(18, 40); /* EM_ARM */
    rejects(sizeof obj, "ELF machine 40");
    put16(18, 183);
    load_rejects(W2N_ARCH_X86_64, "object is for aarch64");
    put16(18, 243);
    load_rejects(W2N_ARCH_X86_64, "object is for riscv64");
}

Test(elf, section_out_of_file) {
    put64(shdr(S_TEXT) + 24, OBJ_SIZE - 8);
    rejects(sizeof obj, "section 1 extends past end of file");
    put64(shdr(S_TEXT) + 24, TEXT_OFF);
    put64(shdr(S_TEXT) + 32, UINT64_MAX - 8); /* offset + size wraps */
    rejects(sizeof obj, "section 1 extends past end of file");
}

Test(elf, bad_header_fields) {
    put16(58, 40);
    rejects(sizeof obj, "section header size");
    put16(58, 64);
    put64(40, SHDR_OFF + 4);
    rejects(sizeof obj, "misaligned");
    put64(40, SHDR_OFF);
    put16(62, 9);
    rejects(sizeof obj, "string table index 9 out of range");
    put16(62, S_TEXT);
    rejects(sizeof obj, "not a string table");
}

Test(elf, bad_alignment) {
    put64(shdr(S_TEXT) + 48, 3);
    rejects(sizeof obj, "alignment 3 is not a power of two");
}

Test(elf, bad_string_offsets) {
    put32(shdr(S_TEXT), 4000);
    rejects(sizeof obj, "section 1 name offset 4000 out of range");
    put32(shdr(S_TEXT), 1);
    put32(sym(1), 11);
    rejects(sizeof obj, "symbol 1 name offset 11 out of range");
    put32(sym(1), 1);
    obj[STRTAB_OFF + 10] = 'x'; /* last string no longer terminated */
    rejects(sizeof obj, "not NUL-terminated");
}

Test(elf, bad_symbol_table) {
    put64(shdr(S_SYMTAB) + 56, 16);
    rejects(sizeof obj, "symbol table (section 2) has a bad entry size");
    put64(shdr(S_SYMTAB) + 56, 24);
    put64(shdr(S_SYMTAB) + 32, 70);
    rejects(sizeof obj, "bad entry size, size or alignment");
    put64(shdr(S_SYMTAB) + 32, 72);
    put16(sym(1) + 6, 17);
    rejects(sizeof obj, "bad section index 17");
    put16(sym(1) + 6, W2N_SHN_XINDEX);
    rejects(sizeof obj, "extended section indexes");
}

Test(elf, bad_symbol_index) {
    put64(RELA_OFF + 8, ((uint64_t)7 << 32) | 4);
    rejects(sizeof obj, "symbol index 7 out of range");
}

/* The loader's reading: relocation sections checked whole, each entry
 * only when w2n_elf_rela_check is asked about it. */
Test(elf, headers_leave_entries_to_rela_check) {
    w2n_elf elf;
    w2n_error err;
    cr_assert_eq(w2n_elf_read_headers(obj, sizeof obj, &elf, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_elf_rela_check(&elf, S_RELA, 0, &err), W2N_OK, "%s", err.message);
    w2n_elf_free(&elf);
    put64(RELA_OFF + 8, ((uint64_t)7 << 32) | 4);
    cr_assert_eq(w2n_elf_read_headers(obj, sizeof obj, &elf, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_elf_rela_check(&elf, S_RELA, 0, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "symbol index 7 out of range"), "%s", err.message);
    w2n_elf_free(&elf);
    put64(RELA_OFF + 8, ((uint64_t)2 << 32) | 4);
    put64(RELA_OFF, 17);
    cr_assert_eq(w2n_elf_read_headers(obj, sizeof obj, &elf, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_elf_rela_check(&elf, S_RELA, 0, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "past the end of .text"), "%s", err.message);
    w2n_elf_free(&elf);
    put32(shdr(S_RELA) + 44, 99); /* the section's own shape is still checked */
    cr_assert_eq(w2n_elf_read_headers(obj, sizeof obj, &elf, &err), W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "targets bad section 99"), "%s", err.message);
}

Test(elf, bad_relocation_section) {
    put32(shdr(S_RELA) + 44, 99);
    rejects(sizeof obj, "targets bad section 99");
    put32(shdr(S_RELA) + 44, S_TEXT);
    put32(shdr(S_RELA) + 40, S_STRTAB);
    rejects(sizeof obj, "does not link to the symbol table");
    put32(shdr(S_RELA) + 40, S_SYMTAB);
    put64(RELA_OFF, 17);
    rejects(sizeof obj, "offset 0x11 past the end of .text");
    put64(RELA_OFF, 14); /* inside, but four bytes do not fit */
    load_rejects(W2N_ARCH_X86_64, "extends past the section end");
}

Test(elf, unknown_relocation_type) {
    make_object(62, 200);
    load_rejects(W2N_ARCH_X86_64,
                 "relocation type 200 (unknown) at .text+0x1 is not supported on x86_64");
    make_object(62, 19);
    load_rejects(W2N_ARCH_X86_64, "relocation type 19 (R_X86_64_TLSGD)");
    make_object(183, 569);
    load_rejects(W2N_ARCH_AARCH64, "relocation type 569 (R_AARCH64_TLSDESC_CALL)");
    make_object(243, 60);
    put32(48, 0x5); /* lp64d + RVC */
    load_rejects(W2N_ARCH_RISCV64, "relocation type 60 (R_RISCV_SET_ULEB128)");
}

Test(elf, undefined_symbol_not_allowed) {
    memcpy(obj + STRTAB_OFF + 3, "printf\0\0", 8);
    load_rejects(W2N_ARCH_X86_64, "undefined symbol 'printf'");
}

Test(elf, symbol_outside_section) {
    put64(sym(1) + 8, 12); /* value 12, size 6 > 16 */
    load_rejects(W2N_ARCH_X86_64, "symbol 'f' lies outside its section");
}

Test(elf, relocation_out_of_range_named) {
    /* an ABS symbol far away, reached by PC32 (no stub: not undefined) */
    put16(sym(2) + 6, W2N_SHN_ABS);
    put64(sym(2) + 8, 0x100000000000ull);
    put64(RELA_OFF + 8, ((uint64_t)2 << 32) | 2); /* R_X86_64_PC32 */
    w2n_image *img;
    w2n_error err;
    w2n_status st = w2n_image_load(obj, sizeof obj, W2N_ARCH_X86_64, &img, &err);
    if (st == W2N_OK) { /* mapped within 2 GiB of 16 TiB: improbable, but fine */
        w2n_image_free(img);
        return;
    }
    cr_assert_eq(st, W2N_ERR_BAD_OBJECT);
    cr_assert(strstr(err.message, "R_X86_64_PC32 at .text+0x1 against 'memmove'"), "%s",
              err.message);
    cr_assert(strstr(err.message, "out of range"), "%s", err.message);
}

Test(elf, rel_sections_refused) {
    put32(shdr(S_RELA) + 4, W2N_SHT_REL);
    put64(shdr(S_RELA) + 56, 16);
    put64(shdr(S_RELA) + 32, 16);
    load_rejects(W2N_ARCH_X86_64, "REL relocations are not supported");
}

Test(elf, tls_refused) {
    put64(shdr(S_TEXT) + 8, W2N_SHF_ALLOC | W2N_SHF_WRITE | W2N_SHF_TLS);
    load_rejects(W2N_ARCH_X86_64, "thread-local storage is not supported");
}

/* Every truncation and every single-byte corruption either loads or fails
 * cleanly: no crash, no read outside the bytes (run under ASan/valgrind). */
Test(elf, every_truncation_and_byte_flip) {
    uint8_t copy[OBJ_SIZE];
    memcpy(copy, obj, sizeof obj);
    for (size_t n = 0; n < sizeof obj; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, copy, n);
        w2n_image *img;
        w2n_error err;
        cr_assert_neq(w2n_image_load(cut, n, W2N_ARCH_X86_64, &img, &err), W2N_OK);
        free(cut);
    }
    for (size_t i = 0; i < sizeof obj; i++) {
        memcpy(obj, copy, sizeof obj);
        obj[i] ^= 0xff;
        w2n_image *img;
        w2n_error err;
        if (w2n_image_load(obj, sizeof obj, W2N_ARCH_X86_64, &img, &err) == W2N_OK)
            w2n_image_free(img);
    }
}
