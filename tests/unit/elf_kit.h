/*
 * elf_kit.h — reading the ELF64 headers of a compiled object in tests,
 * straight from the bytes w2n_compile returned (no libelf needed).
 */
#ifndef W2N_ELF_KIT_H
#define W2N_ELF_KIT_H

#include <criterion/criterion.h>
#include <elf.h>
#include <string.h>

/* The section headers of `obj`, after checking that it is ELF64. */
static inline const Elf64_Shdr *elf_sections(const uint8_t *obj, size_t size, unsigned *count) {
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj;
    cr_assert(size >= sizeof *eh && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
    cr_assert_eq(eh->e_ident[EI_CLASS], ELFCLASS64);
    cr_assert_leq(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size);
    *count = eh->e_shnum;
    return (const Elf64_Shdr *)(obj + eh->e_shoff);
}

static inline const char *elf_section_name(const uint8_t *obj, unsigned index) {
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(obj + eh->e_shoff);
    return (const char *)obj + sh[eh->e_shstrndx].sh_offset + sh[index].sh_name;
}

/* The symbol of type `type` (STT_FUNC, STT_OBJECT) called `name`, or NULL. */
static inline const Elf64_Sym *elf_symbol(const uint8_t *obj, size_t size, const char *name,
                                          unsigned type) {
    unsigned n;
    const Elf64_Shdr *sh = elf_sections(obj, size, &n);
    for (unsigned i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        const Elf64_Sym *syms = (const Elf64_Sym *)(obj + sh[i].sh_offset);
        const char *strs = (const char *)obj + sh[sh[i].sh_link].sh_offset;
        for (size_t k = 0; k < sh[i].sh_size / sizeof *syms; k++)
            if (ELF64_ST_TYPE(syms[k].st_info) == type && !strcmp(strs + syms[k].st_name, name))
                return &syms[k];
    }
    return NULL;
}

/* The function symbol called `name`, or NULL. */
static inline const Elf64_Sym *elf_function(const uint8_t *obj, size_t size, const char *name) {
    return elf_symbol(obj, size, name, STT_FUNC);
}

#endif
