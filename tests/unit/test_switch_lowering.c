/*
 * test_switch_lowering.c — how a br_table dispatch loop is lowered on x86-64:
 * fewer than 16 cases become a compare tree, more stay a jump table (see
 * compiler/emit/target.c for the measurement behind the threshold).  Both shapes
 * must compute the same as the C model below, for every case.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "elf_kit.h"
#include "wat_kit.h"

/* An interpreter-shaped loop: case (i mod ncases) of a br_table updates acc.
 * Blocks $c(n-1) .. $c0 nest outwards in; case c's code follows the end of
 * block $cc and closes the next block out. */
static char *dispatch_wat(unsigned ncases) {
    size_t cap = 4096 + (size_t)ncases * 192;
    char *w = malloc(cap);
    size_t n = (size_t)snprintf(w, cap,
                                "(module (func (export \"run\") (param $n i32) (result i32)\n"
                                " (local $i i32) (local $acc i32)\n"
                                " (block $done (loop $next\n"
                                "  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n");
    for (unsigned c = ncases; c-- > 0;)
        n += (size_t)snprintf(w + n, cap - n, "  (block $c%u\n", c);
    n += (size_t)snprintf(w + n, cap - n, "  (br_table");
    for (unsigned c = 0; c < ncases; c++)
        n += (size_t)snprintf(w + n, cap - n, " $c%u", c);
    n += (size_t)snprintf(w + n, cap - n, " $done (i32.rem_u (local.get $i) (i32.const %u))))\n",
                          ncases);
    /* Five shapes of case, so that LLVM cannot fold the cases into tables
     * of constants and drop the switch. */
    static const char *const shapes[] = {
        "(i32.add (i32.mul (local.get $acc) (i32.const %u)) (i32.const %u))",
        "(i32.add (i32.rotl (local.get $acc) (i32.const %u)) (i32.const %u))",
        "(i32.xor (i32.shr_u (local.get $acc) (i32.const %u)) (i32.const %u))",
        "(i32.sub (i32.const %u) (i32.or (local.get $acc) (i32.const %u)))",
        "(i32.and (i32.add (local.get $acc) (i32.const %u)) (i32.const %u))",
    };
    for (unsigned c = 0; c < ncases; c++) {
        n += (size_t)snprintf(w + n, cap - n, "  (local.set $acc ");
        n += (size_t)snprintf(w + n, cap - n, shapes[c % 5], 3 + c, c * c + 7);
        n += (size_t)snprintf(w + n, cap - n,
                              ")\n  (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
                              "  (br $next)%s\n",
                              c + 1 < ncases ? ")" : "");
    }
    snprintf(w + n, cap - n, " )) (local.get $acc)))\n");
    return w;
}

static uint32_t dispatch_model(unsigned ncases, uint32_t iterations) {
    uint32_t acc = 0;
    for (uint32_t i = 0; i < iterations; i++) {
        uint32_t c = i % ncases, k = 3 + c, m = c * c + 7;
        switch (c % 5) {
        case 0: acc = acc * k + m; break;
        case 1: acc = ((acc << (k & 31)) | (acc >> ((32 - k) & 31))) + m; break;
        case 2: acc = (acc >> (k & 31)) ^ m; break;
        case 3: acc = k - (acc | m); break;
        default: acc = (acc + k) & m; break;
        }
    }
    return acc;
}

/* Does the relocation at `offset` of section `shndx` patch one of abi.h's
 * code arrays (w2n_functions and its siblings, also in .rodata)? */
static bool in_code_array(const uint8_t *obj, size_t size, unsigned shndx, uint64_t offset) {
    const char *arrays[] = {"w2n_functions", "w2n_trampolines", "w2n_import_adapters"};
    for (unsigned a = 0; a < 3; a++) {
        const Elf64_Sym *s = elf_symbol(obj, size, arrays[a], STT_OBJECT);
        if (s && s->st_shndx == shndx && offset >= s->st_value && offset < s->st_value + s->st_size)
            return true;
    }
    return false;
}

/* Relocations applied to .rodata* outside the code arrays: on x86-64 these
 * are jump-table entries (the only read-only data a dispatch loop needs). */
static unsigned rodata_relocations(const uint8_t *obj, size_t size) {
    unsigned n, count = 0;
    const Elf64_Shdr *sh = elf_sections(obj, size, &n);
    for (unsigned i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_RELA || sh[i].sh_info >= n ||
            strncmp(elf_section_name(obj, sh[i].sh_info), ".rodata", 7))
            continue;
        const Elf64_Rela *r = (const Elf64_Rela *)(obj + sh[i].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof *r; k++)
            count += !in_code_array(obj, size, sh[i].sh_info, r[k].r_offset);
    }
    return count;
}

/* Compile the dispatch loop for x86-64, count its jump-table entries and
 * check every case's arithmetic by running it. */
static unsigned check_dispatch(unsigned ncases) {
    char *wat = dispatch_wat(ncases);
    uint8_t *wasm, *obj;
    size_t wasm_size, obj_size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    opts.target = "x86_64-linux-gnu";
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &obj, &obj_size, &err), W2N_OK, "%s",
                 err.message);
    unsigned entries = rodata_relocations(obj, obj_size);
    free(wasm);
    free(obj);

    loaded l = load_with(wat, &opts);
    uint32_t iterations = 3 * ncases + 1;
    w2n_value arg = w2n_i32((int32_t)iterations), r;
    w2n_trap trap;
    cr_assert_eq(w2n_func_call(l.store, export_func(&l, "run"), &arg, 1, &r, 1, &trap, &err),
                 W2N_OK);
    cr_assert_eq((uint32_t)r.of.i32, dispatch_model(ncases, iterations), "%u cases", ncases);
    unload(&l);
    free(wat);
    return entries;
}

Test(switch_lowering, small_dispatch_is_a_compare_tree) { cr_assert_eq(check_dispatch(14), 0); }

Test(switch_lowering, large_dispatch_keeps_its_jump_table) {
    cr_assert_geq(check_dispatch(40), 40);
}
