/*
 * label_differences.c — `a - b` in data as one PC-relative relocation.
 *
 * A table of code offsets (compiler/lower/code_offsets.c) holds `f - table`
 * per entry.  x86-64 and AArch64 assemblers write that as one PC-relative
 * relocation, which the layout applies in the file.  LLVM's RISC-V
 * assembler writes a pair, R_RISCV_ADD32 f then R_RISCV_SUB32 table, and a
 * pair adds to what it finds, so the layout must leave it to the loader:
 * two relocations per entry at every load.  When b lies in the section the
 * pair patches, its distance to the place P is known here, so
 *     (a + A1) - (b + A2) = a + (A1 + P - b - A2) - P,
 * which is R_RISCV_32_PCREL against a with that addend; the SUB32 becomes
 * R_RISCV_NONE.  Any linker computes the same value from either form.
 *
 * Only pairs in loaded sections, adjacent, at one place whose four bytes
 * are zero (so that nothing was added to but the two symbols) are folded;
 * the rest stay as they are.
 */
#include "label_differences.h"

#include <stdbool.h>
#include <string.h>

#include "elf_object.h"
#include "reloc.h"

/* Fold the pair at entries k, k + 1 of RELA section r, if it is one. */
static bool fold_pair(const w2n_elf *elf, const w2n_reloc_arch *arch, uint32_t r, size_t k,
                      uint8_t *entries) {
    const w2n_elf_section *rs = &elf->sections[r], *target = &elf->sections[rs->info];
    w2n_elf_rela add = w2n_elf_rela_get(elf, r, k), sub = w2n_elf_rela_get(elf, r, k + 1);
    if (add.type != arch->diff_add32 || sub.type != arch->diff_sub32 || add.offset != sub.offset ||
        target->type == W2N_SHT_NOBITS || target->size < 4 || add.offset > target->size - 4 ||
        w2n_reloc_rd32(target->data + add.offset) != 0)
        return false;
    const w2n_elf_symbol *b = &elf->symbols[sub.sym];
    if (!sub.sym || b->shndx != rs->info)
        return false;
    int64_t addend = add.addend + (int64_t)add.offset - (int64_t)b->value - sub.addend;
    uint8_t *e = entries + k * W2N_ELF_RELA_SIZE;
    w2n_reloc_wr64(e + 8, ((uint64_t)add.sym << 32) | arch->pcrel32);
    w2n_reloc_wr64(e + 16, (uint64_t)addend);
    memset(e + W2N_ELF_RELA_SIZE + 8, 0, 16); /* R_*_NONE against no symbol */
    return true;
}

int64_t w2n_label_differences_fold(uint8_t *object, size_t size, w2n_error *err) {
    w2n_elf elf;
    if (w2n_elf_read(object, size, &elf, err) != W2N_OK)
        return -1;
    const w2n_reloc_arch *arch = w2n_reloc_arch_for_machine(elf.machine);
    int64_t folded = 0;
    for (uint32_t r = 1; arch && arch->diff_add32 && r < elf.nsections; r++) {
        const w2n_elf_section *rs = &elf.sections[r];
        if (rs->type != W2N_SHT_RELA || rs->info >= elf.nsections ||
            !(elf.sections[rs->info].flags & W2N_SHF_ALLOC))
            continue;
        uint8_t *entries = object + (rs->data - elf.bytes);
        size_t n = w2n_elf_rela_count(&elf, r);
        for (size_t k = 0; k + 1 < n; k++)
            if (fold_pair(&elf, arch, r, k, entries)) {
                folded++;
                k++;
            }
    }
    w2n_elf_free(&elf);
    return folded;
}
