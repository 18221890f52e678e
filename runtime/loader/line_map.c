/*
 * line_map.c — resolve an object's line table to run-time addresses
 * (line_map.h).
 *
 * A copy of .debug_line gets its relocations applied with the target's
 * own relocation table (common/reloc_<arch>.c), as the loaded sections do:
 * DW_LNE_set_address operands are 64-bit absolute ones, and on RISC-V the
 * address advances are ADD16/SUB16 pairs of label differences.  Only
 * relocations computed from symbol and addend alone are taken; anything
 * else (or a place out of bounds) leaves the object without a table.
 */
#include "line_map.h"

#include <stdlib.h>
#include <string.h>

#include "reloc.h"

static bool relocate(const w2n_elf *elf, uint32_t rela, const uint64_t *sym_addr, uint8_t *data,
                     size_t size) {
    const w2n_reloc_arch *arch = w2n_reloc_arch_for_machine(elf->machine);
    if (!arch)
        return false;
    size_t n = w2n_elf_rela_count(elf, rela);
    for (size_t i = 0; i < n; i++) {
        w2n_error ignored;
        if (w2n_elf_rela_check(elf, rela, i, &ignored) != W2N_OK) /* read by headers only */
            return false;
        w2n_elf_rela r = w2n_elf_rela_get(elf, rela, i);
        const w2n_reloc_howto *h = w2n_reloc_lookup(arch, r.type);
        enum {
            NEEDS_MORE = W2N_RELOC_PAIR_LO | W2N_RELOC_PAIR_HI | W2N_RELOC_GOT | W2N_RELOC_GOT_BASE
        };
        if (!h || (h->flags & W2N_RELOC_IGNORE) || (h->flags & NEEDS_MORE) || !h->apply ||
            r.offset > size || h->size > size - r.offset)
            return false;
        w2n_reloc_args a = {.loc = data + r.offset, .S = sym_addr[r.sym], .A = r.addend};
        if (h->apply(&a) != W2N_RELOC_OK)
            return false;
    }
    return true;
}

void w2n_line_map_build(const w2n_elf *elf, const uint64_t *sym_addr, w2n_line_table *out) {
    memset(out, 0, sizeof *out);
    uint32_t line = w2n_elf_find_section(elf, ".debug_line");
    if (!line)
        return;
    uint32_t rela = 0;
    for (uint32_t i = 1; i < elf->nsections; i++)
        if (elf->sections[i].type == W2N_SHT_RELA && elf->sections[i].info == line)
            rela = i;
    const w2n_elf_section *s = &elf->sections[line];
    uint8_t *copy = malloc(s->size ? s->size : 1);
    w2n_error ignored;
    if (!copy || !rela || !s->data)
        goto done;
    memcpy(copy, s->data, s->size);
    if (!relocate(elf, rela, sym_addr, copy, s->size) ||
        w2n_line_table_decode(copy, s->size, NULL, out, &ignored) != W2N_OK) {
        w2n_line_table_free(out);
        goto done;
    }
    w2n_line_table_sort(out);
done:
    free(copy);
}
