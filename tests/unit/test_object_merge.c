/*
 * test_object_merge.c — joining the objects of a module's partitions
 * (compiler/emit/object_merge.c): one part comes out with the same code and
 * symbols, two parts are laid end to end, and a definition in two parts is
 * an internal error, not a guess.  Whole partitioned compiles are tested by
 * tests/bounds (bounds.partition_*).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "elf_object.h"
#include "object_merge.h"
#include "w2n/compiler.h"

/* (module (func (export "run") (result i32) i32.const 7)) */
static const uint8_t k_run7[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                                 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                                 0x00, 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00,
                                 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x07, 0x0b};

static void compile_run7(uint8_t **obj, size_t *size) {
    w2n_error err;
    cr_assert_eq(w2n_compile(k_run7, sizeof k_run7, NULL, obj, size, &err), W2N_OK, "%s",
                 err.message);
}

static const w2n_elf_section *section(const w2n_elf *e, const char *name) {
    uint32_t i = w2n_elf_find_section(e, name);
    cr_assert_neq(i, 0, "no section %s", name);
    return &e->sections[i];
}

Test(object_merge, one_part_keeps_code_and_symbols) {
    uint8_t *obj, *out;
    size_t size, out_size;
    compile_run7(&obj, &size);
    w2n_object_part part = {obj, size};
    w2n_error err;
    cr_assert_eq(w2n_object_merge(&part, 1, &out, &out_size, &err), W2N_OK, "%s", err.message);
    w2n_elf in, joined;
    cr_assert_eq(w2n_elf_read(obj, size, &in, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_elf_read(out, out_size, &joined, &err), W2N_OK, "%s", err.message);
    const w2n_elf_section *a = section(&in, ".text"), *b = section(&joined, ".text");
    cr_assert_eq(a->size, b->size);
    cr_assert_eq(memcmp(a->data, b->data, a->size), 0, ".text differs");
    cr_assert_eq(joined.machine, in.machine);
    /* Every named symbol of the part, with its binding. */
    for (uint32_t i = 1; i < in.nsymbols; i++) {
        const w2n_elf_symbol *s = &in.symbols[i];
        if (!*s->name || s->type == W2N_STT_FILE)
            continue;
        bool found = false;
        for (uint32_t j = 1; j < joined.nsymbols && !found; j++)
            found = !strcmp(joined.symbols[j].name, s->name) && joined.symbols[j].bind == s->bind &&
                    joined.symbols[j].value == s->value;
        cr_assert(found, "symbol %s lost or moved", s->name);
    }
    w2n_elf_free(&in);
    w2n_elf_free(&joined);
    free(out);
    free(obj);
}

Test(object_merge, a_definition_in_two_parts_is_refused) {
    uint8_t *obj, *out;
    size_t size, out_size;
    compile_run7(&obj, &size);
    w2n_object_part parts[2] = {{obj, size}, {obj, size}};
    w2n_error err;
    cr_assert_eq(w2n_object_merge(parts, 2, &out, &out_size, &err), W2N_ERR_INTERNAL);
    cr_assert(strstr(err.message, "defined in two partitions"), "%s", err.message);
    cr_assert_null(out);
    free(obj);
}

Test(object_merge, not_an_object_is_refused) {
    uint8_t junk[64] = {0};
    w2n_object_part part = {junk, sizeof junk};
    uint8_t *out;
    size_t out_size;
    w2n_error err;
    cr_assert_neq(w2n_object_merge(&part, 1, &out, &out_size, &err), W2N_OK);
    cr_assert_null(out);
}
