/*
 * line_map.c — resolve an object's line table to run-time addresses
 * (line_map.h).
 *
 * Only DW_LNE_set_address operands are relocated in a DWARF 4 line
 * program w2n emits (without linker relaxation, address advances are
 * plain numbers), each by one 64-bit absolute relocation: symbol + addend.
 * An operand without a relocation is refused, so no row can name an
 * address outside the mapping by accident of a malformed object.
 */
#include "line_map.h"

#include <string.h>

typedef struct resolver {
    const w2n_elf *elf;
    const uint64_t *sym_addr;
    uint32_t rela; /* the section relocating .debug_line */
} resolver;

static bool resolve(void *arg, uint64_t offset, uint64_t raw, uint64_t *out) {
    (void)raw;
    const resolver *r = arg;
    size_t n = w2n_elf_rela_count(r->elf, r->rela);
    for (size_t i = 0; i < n; i++) {
        w2n_elf_rela rel = w2n_elf_rela_get(r->elf, r->rela, i);
        if (rel.offset == offset && r->sym_addr[rel.sym]) {
            *out = r->sym_addr[rel.sym] + (uint64_t)rel.addend;
            return true;
        }
    }
    return false;
}

void w2n_line_map_build(const w2n_elf *elf, const uint64_t *sym_addr, w2n_line_table *out) {
    memset(out, 0, sizeof *out);
    uint32_t line = w2n_elf_find_section(elf, ".debug_line");
    if (!line)
        return;
    resolver r = {elf, sym_addr, 0};
    for (uint32_t i = 1; i < elf->nsections; i++)
        if (elf->sections[i].type == W2N_SHT_RELA && elf->sections[i].info == line)
            r.rela = i;
    w2n_error ignored;
    const w2n_elf_section *s = &elf->sections[line];
    if (!r.rela ||
        w2n_line_table_decode(s->data, s->size, NULL, resolve, &r, out, &ignored) != W2N_OK) {
        w2n_line_table_free(out);
        return;
    }
    w2n_line_table_sort(out);
}
