/*
 * image.c — map a checked relocatable object and make it runnable.
 *
 * Steps, each a function below: check the target; choose the sections to
 * load (SHF_ALLOC) and refuse what we cannot honour (TLS, constructors, REL);
 * scan relocations, so that every type is known before anything is mapped
 * and we know which symbols need a GOT slot or a call stub; resolve
 * undefined symbols against the allow-list (libcalls.c); lay the sections
 * out in one anonymous mapping as three page-aligned regions by final
 * permission (code + stubs | read-only data + GOT | writable data); copy,
 * relocate, then protect: R+X, R, R+W.
 *
 * Invariants: the mapping is created read+write and never executable until
 * the writes are done, so no page is ever writable and executable at once;
 * .data.rel.ro* sections (pointers the loader fills in) end up read-only.
 * The image keeps copies of what it needs (symbol names, non-allocated
 * sections), never pointers into the caller's bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "elf_object.h"
#include "unwind_tables.h"
#include "image.h"
#include "gdb_jit.h"
#include "grow.h"
#include "image_layout.h"
#include "libcalls.h"
#include "line_map.h"
#include "load_phases.h"
#include "reloc.h"
#include "w2n/runtime.h" /* w2n_host_target is public API */

#define NONE UINT64_MAX
#define SHT_NOTE 7
#define SHT_INIT_ARRAY 14
#define SHT_FINI_ARRAY 15
#define SHT_PREINIT_ARRAY 16
#define SHT_X86_64_UNWIND 0x70000001u

enum region {
    RX = W2N_REGION_RX,
    RO = W2N_REGION_RO,
    RW = W2N_REGION_RW,
    NREGIONS = W2N_NREGIONS
};

typedef struct img_sym {
    const char *name; /* in img->strings */
    uint64_t addr;
    uint64_t size;
    uint8_t type;
} img_sym;

typedef struct img_section {
    char *name;
    uint8_t *data;
    size_t size;
    void *mapping; /* mapped from the file (data lies inside), or NULL: data is malloc'd */
    size_t mapping_size;
} img_section;

struct w2n_image {
    uint8_t *map;
    size_t map_size;
    uintptr_t code_start, code_end;
    char *strings;    /* copy of the symbol string table */
    img_sym *globals; /* defined global/weak symbols, sorted by name */
    size_t nglobals;
    img_sym *funcs; /* function symbols in code, sorted by address */
    size_t nfuncs;
    img_section *extra; /* copied non-allocated sections */
    size_t nextra;
    size_t stub_uses;
    bool mapped_from_file;    /* code and read-only data are private pages of the file */
    uint8_t *eh_frame;        /* registered with the unwinder, or NULL */
    bool handles_exceptions;  /* names the personality: its frames may be unwound */
    w2n_line_table lines;     /* -g: code addresses to source lines (line_map.c) */
    w2n_gdb_jit_entry *gdb;   /* -g: registered with GDB (gdb_jit.c), or NULL */
    const uint8_t *stackmaps; /* the mapped, relocated .llvm_stackmaps (GC), or NULL */
    size_t stackmaps_size;
    w2n_memory_image memory_image; /* the object's initial memory, if one of: */
    int memory_image_fd;           /* its file, or -1: the pages are memory_image_copy */
    uint64_t memory_image_at;      /* file offset of its first page */
    uint8_t *memory_image_copy;
};

typedef struct hi_value {
    uint32_t section;
    uint64_t offset;
    int64_t value;
} hi_value;

/* Everything the load needs while it runs; freed at the end. */
typedef struct loader {
    w2n_elf elf;
    const w2n_reloc_arch *arch;
    uint64_t *sec_off;   /* per section: offset in the mapping, NONE if not loaded */
    uint8_t *sec_region; /* per section: enum region */
    uint64_t *sym_addr;  /* per symbol: run-time address (after mapping) */
    uint64_t *ext_addr;  /* per symbol: resolved allow-listed address, or 0 */
    uint32_t *got_slot;  /* per symbol: GOT slot + 1, or 0 */
    uint32_t *stub_slot; /* per symbol: stub + 1, or 0 */
    uint32_t ngot, nstubs;
    int want_low;
    bool pair_lo; /* some relocation is a PAIR_LO: apply needs its second pass */
    uint64_t region_start[NREGIONS], region_size[NREGIONS];
    uint64_t stub_off, got_off, total;
    /* An object laid out for mapping (image_layout.h): its table of the
     * relocations left to apply, and the file span the image starts at. */
    const uint8_t *table;
    size_t ntable;
    bool from_file;
    uint64_t file_base, file_span; /* code and read-only data: [base, base + span) */
    int fd;                        /* the object's file, or -1: copy the span instead */
    bool file_mapped;              /* that span is the file's pages (read-only until patched) */
    uint8_t *writable_page;        /* the last of them a relocation made writable */
    bool ro_writable;              /* the read-only data region made writable at once */
    hi_value *his;
    size_t nhis, cap_his;
    bool uses_eh;       /* names the personality routine */
    uint32_t eh_frame;  /* its section index, or 0 */
    uint32_t stackmaps; /* index of .llvm_stackmaps, or 0 */
    w2n_image *img;
} loader;

/* ---- small helpers ------------------------------------------------------------ */

static uint64_t align_up(uint64_t x, uint64_t a) { return a <= 1 ? x : (x + a - 1) & ~(a - 1); }

/* Asked once: make_writable wants it for each relocation.  Threads that
 * race store the same value. */
static size_t page_size(void) {
    static _Atomic size_t cached;
    size_t pg = cached;
    if (!pg) {
        long p = sysconf(_SC_PAGESIZE);
        cached = pg = p > 0 ? (size_t)p : 4096;
    }
    return pg;
}

static int is_loaded(const loader *L, uint32_t shndx) {
    return shndx < L->elf.nsections && L->sec_off[shndx] != NONE;
}

static const char *sym_label(const loader *L, uint32_t i) {
    const w2n_elf_symbol *s = &L->elf.symbols[i];
    if (s->type == W2N_STT_SECTION && s->shndx < L->elf.nsections)
        return L->elf.sections[s->shndx].name;
    return s->name[0] ? s->name : "<unnamed>";
}

static enum region region_of(const w2n_elf_section *s) { return (enum region)w2n_layout_region(s); }

const char *w2n_arch_name(w2n_arch arch) {
    const w2n_reloc_arch *a = w2n_reloc_arch_get(arch);
    return a ? a->name : "unknown";
}

/* The machine the kernel reports: under qemu-user, the emulated one. */
w2n_arch w2n_host_arch(void) {
    struct utsname u;
    if (uname(&u) == 0) {
        if (!strcmp(u.machine, "x86_64"))
            return W2N_ARCH_X86_64;
        if (!strcmp(u.machine, "aarch64") || !strcmp(u.machine, "arm64"))
            return W2N_ARCH_AARCH64;
        if (!strcmp(u.machine, "riscv64"))
            return W2N_ARCH_RISCV64;
    }
    return (w2n_arch)0;
}

const char *w2n_host_target(void) {
    w2n_arch host = w2n_host_arch();
    return host ? w2n_arch_name(host) : NULL;
}

/* ---- checks before anything is mapped ------------------------------------------ */

static w2n_status check_target(loader *L, w2n_arch arch, w2n_error *err) {
    const w2n_reloc_arch *want = w2n_reloc_arch_get(arch);
    if (!want)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET, "unknown architecture %d",
                             (int)arch);
    L->arch = w2n_reloc_arch_for_machine(L->elf.machine);
    if (L->arch != want)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 18, "object is for %s, %s %s", L->arch->name,
                             arch == w2n_host_arch() ? "this host is" : "expected", want->name);
    if ((L->elf.flags & want->eflags_mask) != want->eflags_value)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, 48,
                             "object ELF flags 0x%x do not match the runtime (%s)", L->elf.flags,
                             want->eflags_meaning);
    return W2N_OK;
}

/* Which sections to load, and refusals for what we would silently get wrong. */
static w2n_status choose_sections(loader *L, w2n_error *err) {
    size_t pg = page_size();
    for (uint32_t i = 0; i < L->elf.nsections; i++) {
        const w2n_elf_section *s = &L->elf.sections[i];
        L->sec_off[i] = NONE;
        if ((s->type == W2N_SHT_REL) && s->size && (L->elf.sections[s->info].flags & W2N_SHF_ALLOC))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                 "section %u (%s): REL relocations are not supported (RELA only)",
                                 i, s->name);
        if (i == 0 || !(s->flags & W2N_SHF_ALLOC))
            continue;
        if (s->flags & W2N_SHF_TLS)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                 "section %u (%s): thread-local storage is not supported", i,
                                 s->name);
        if (s->type == SHT_INIT_ARRAY || s->type == SHT_FINI_ARRAY || s->type == SHT_PREINIT_ARRAY)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                 "section %u (%s): static constructors and destructors are not "
                                 "supported",
                                 i, s->name);
        if (s->type != W2N_SHT_PROGBITS && s->type != W2N_SHT_NOBITS && s->type != SHT_NOTE &&
            s->type != SHT_X86_64_UNWIND)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                 "section %u (%s) has unsupported type 0x%x", i, s->name, s->type);
        if (s->align > pg)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                 "section %u (%s) alignment %llu exceeds the page size", i, s->name,
                                 (unsigned long long)s->align);
        if (s->size > ((uint64_t)1 << 40))
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset, "section %u (%s) is too large",
                                 i, s->name);
        L->sec_off[i] = 0; /* loaded; the real offset comes with the layout */
        L->sec_region[i] = (uint8_t)region_of(s);
    }
    return W2N_OK;
}

/* The relocations this load applies, one call each: every entry of a
 * loaded section's RELA, or only those of the table of an object laid out
 * for mapping (the others are applied in the file already). */
typedef w2n_status (*reloc_visit)(loader *L, uint32_t rsec, size_t k, int pass, w2n_error *err);

static w2n_status visit_relocs(loader *L, reloc_visit visit, int pass, w2n_error *err) {
    if (L->from_file) {
        for (size_t e = 0; e < L->ntable; e++) {
            w2n_layout_entry t = w2n_layout_entry_at(L->table, e);
            const w2n_elf_section *rs =
                t.rela_section < L->elf.nsections ? &L->elf.sections[t.rela_section] : NULL;
            if (!rs || rs->type != W2N_SHT_RELA || !is_loaded(L, rs->info) ||
                t.index >= w2n_elf_rela_count(&L->elf, t.rela_section))
                return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                     "%s entry %zu names relocation %u of section %u, which does "
                                     "not exist",
                                     W2N_LAYOUT_SECTION, e, t.index, t.rela_section);
            w2n_status st = visit(L, t.rela_section, t.index, pass, err);
            if (st != W2N_OK)
                return st;
        }
        return W2N_OK;
    }
    for (uint32_t i = 1; i < L->elf.nsections; i++) {
        const w2n_elf_section *rs = &L->elf.sections[i];
        if (rs->type != W2N_SHT_RELA || !rs->size || !is_loaded(L, rs->info))
            continue;
        size_t n = w2n_elf_rela_count(&L->elf, i);
        for (size_t k = 0; k < n; k++) {
            w2n_status st = visit(L, i, k, pass, err);
            if (st != W2N_OK)
                return st;
        }
    }
    return W2N_OK;
}

/* A relocation: known type, inside its section; note GOT slots, stubs and
 * the low-address wish. */
static w2n_status scan_one(loader *L, uint32_t i, size_t k, int pass, w2n_error *err) {
    (void)pass;
    const w2n_elf_section *rs = &L->elf.sections[i];
    const w2n_elf_section *t = &L->elf.sections[rs->info];
    /* The ELF was read without checking each entry: only the ones visited
     * here are ever applied (the apply pass visits the same ones). */
    w2n_status st = w2n_elf_rela_check(&L->elf, i, k, err);
    if (st != W2N_OK)
        return st;
    w2n_elf_rela r = w2n_elf_rela_get(&L->elf, i, k);
    const w2n_reloc_howto *h = w2n_reloc_lookup(L->arch, r.type);
    uint64_t at = rs->offset + k * 24;
    if (!h) {
        const char *name = w2n_reloc_type_name(L->arch, r.type);
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at,
                             "relocation type %u (%s) at %s+0x%llx is not supported on %s", r.type,
                             name ? name : "unknown", t->name, (unsigned long long)r.offset,
                             L->arch->name);
    }
    if (h->size > t->size || r.offset > t->size - h->size)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, at,
                             "relocation %s at %s+0x%llx extends past the section end", h->name,
                             t->name, (unsigned long long)r.offset);
    const w2n_elf_symbol *s = &L->elf.symbols[r.sym];
    if ((h->flags & W2N_RELOC_GOT) && !L->got_slot[r.sym])
        L->got_slot[r.sym] = ++L->ngot;
    if ((h->flags & W2N_RELOC_STUB_OK) && r.sym && s->shndx == W2N_SHN_UNDEF &&
        !L->stub_slot[r.sym])
        L->stub_slot[r.sym] = ++L->nstubs;
    if (h->flags & W2N_RELOC_LOW)
        L->want_low = 1;
    if (h->flags & W2N_RELOC_PAIR_LO)
        L->pair_lo = true;
    return W2N_OK;
}

static w2n_status scan_relocs(loader *L, w2n_error *err) {
    return visit_relocs(L, scan_one, 0, err);
}

/* Undefined symbols come only from the allow-list; defined ones must lie in
 * their section; kinds we cannot honour are refused. */
static w2n_status resolve_symbols(loader *L, w2n_error *err) {
    L->stackmaps = w2n_elf_find_section(&L->elf, ".llvm_stackmaps");
    for (uint32_t i = 1; i < L->elf.nsymbols; i++) {
        const w2n_elf_symbol *s = &L->elf.symbols[i];
        if (s->type == W2N_STT_FILE)
            continue;
        if (s->shndx == W2N_SHN_UNDEF) {
            if (!s->name[0])
                continue;
            if (!strcmp(s->name, W2N_SYM_EH_PERSONALITY))
                L->uses_eh = true;
            void *p = w2n_libcall_lookup(s->name);
            if (!p)
                return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                     "undefined symbol '%s' (not an allowed library call)",
                                     s->name);
            L->ext_addr[i] = (uint64_t)(uintptr_t)p;
            continue;
        }
        if (s->shndx == W2N_SHN_COMMON || s->type == W2N_STT_COMMON)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "common symbol '%s' is not supported", s->name);
        if (s->type == W2N_STT_TLS || s->type == W2N_STT_GNU_IFUNC)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "symbol '%s' has unsupported type %u", s->name, s->type);
        if (s->shndx == W2N_SHN_ABS || !is_loaded(L, s->shndx))
            continue;
        const w2n_elf_section *sec = &L->elf.sections[s->shndx];
        if (s->value > sec->size || s->size > sec->size - s->value)
            return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                                 "symbol '%s' lies outside its section %s", sym_label(L, i),
                                 sec->name);
    }
    return W2N_OK;
}

/* Offsets of loaded sections, stubs and GOT; three page-aligned regions. */
static w2n_status layout(loader *L, w2n_error *err) {
    uint64_t pg = page_size(), off = 0;
    for (int r = 0; r < NREGIONS; r++) {
        off = align_up(off, pg);
        L->region_start[r] = off;
        for (uint32_t i = 1; i < L->elf.nsections; i++) {
            if (!is_loaded(L, i) || L->sec_region[i] != r)
                continue;
            off = align_up(off, L->elf.sections[i].align);
            L->sec_off[i] = off;
            off += L->elf.sections[i].size;
            /* The unwinder reads .eh_frame up to a zero length word: room
             * for it in the (zero-filled) mapping. */
            if (!strcmp(L->elf.sections[i].name, ".eh_frame")) {
                L->eh_frame = i;
                off += 4;
            }
        }
        if (r == RX) {
            off = align_up(off, 16);
            L->stub_off = off;
            off += (uint64_t)L->nstubs * L->arch->stub_size;
        } else if (r == RO) {
            off = align_up(off, 8);
            L->got_off = off;
            off += (uint64_t)L->ngot * 8;
        }
        L->region_size[r] = off - L->region_start[r];
    }
    L->total = align_up(off, pg);
    if (L->total == 0)
        L->total = pg;
    if (L->total > ((uint64_t)1 << 40))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET, "object is too large");
    return W2N_OK;
}

/* An object laid out for mapping (image_layout.h): each section at its
 * file offset from the first region's, so that the relocations applied in
 * the file hold; stubs and GOT on pages of their own after the rest.
 * False (and the copying layout) when the layout does not fit this host:
 * regions not on its pages, or out of order. */
static bool layout_from_file(loader *L) {
    uint64_t pg = page_size(), lo[NREGIONS], hi[NREGIONS];
    for (int r = 0; r < NREGIONS; r++)
        lo[r] = UINT64_MAX, hi[r] = 0;
    for (uint32_t i = 1; i < L->elf.nsections; i++) {
        if (!is_loaded(L, i))
            continue;
        const w2n_elf_section *s = &L->elf.sections[i];
        int r = L->sec_region[i];
        if (s->type == W2N_SHT_NOBITS && r != RW)
            return false;
        uint64_t end = s->offset + s->size;
        if (w2n_layout_needs_terminator(s)) { /* four zero bytes of the file */
            if (end > L->elf.size - 4 || w2n_reloc_rd32(L->elf.bytes + end) != 0)
                return false;
            L->eh_frame = i;
            end += 4;
        }
        if (s->offset % (s->align ? s->align : 1))
            return false;
        lo[r] = s->offset < lo[r] ? s->offset : lo[r];
        hi[r] = end > hi[r] ? end : hi[r];
    }
    uint64_t prev_end = 0, first = UINT64_MAX;
    for (int r = 0; r < NREGIONS; r++) {
        if (lo[r] == UINT64_MAX)
            continue;
        if (lo[r] % pg || lo[r] < prev_end)
            return false;
        first = first == UINT64_MAX ? lo[r] : first;
        prev_end = align_up(hi[r], pg);
    }
    if (first == UINT64_MAX)
        return false;
    for (uint32_t i = 1; i < L->elf.nsections; i++)
        if (is_loaded(L, i))
            L->sec_off[i] = L->elf.sections[i].offset - first;
    for (int r = 0; r < NREGIONS; r++) {
        L->region_start[r] = lo[r] == UINT64_MAX ? 0 : lo[r] - first;
        L->region_size[r] = lo[r] == UINT64_MAX ? 0 : hi[r] - lo[r];
    }
    /* Code and read-only data come from the file; writable data is copied. */
    uint64_t mapped_end = lo[RO] != UINT64_MAX ? hi[RO] : lo[RX] != UINT64_MAX ? hi[RX] : first;
    L->file_base = first;
    L->file_span = mapped_end > first ? align_up(mapped_end, pg) - first : 0;
    if (first + L->file_span > align_up(L->elf.size, pg))
        return false;
    L->stub_off = prev_end - first;
    L->got_off = align_up(L->stub_off + (uint64_t)L->nstubs * L->arch->stub_size, pg);
    L->total = align_up(L->got_off + (uint64_t)L->ngot * 8, pg);
    return L->total <= ((uint64_t)1 << 40);
}

/* ---- mapping ------------------------------------------------------------------------ */

static uint8_t *map_near(size_t size, uintptr_t hint) {
    void *p = mmap((void *)hint, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Absolute 32-bit relocations need the image in the low 2 GiB: try a few
 * hints there (portable, unlike MAP_32BIT), else anywhere and let the range
 * checks speak. */
static uint8_t *map_image(size_t size, uintptr_t hint, int want_low) {
    if (hint)
        return map_near(size, hint);
    if (want_low) {
        const uintptr_t limit = (uintptr_t)1 << 31;
        for (uintptr_t h = 0x10000000; h + size <= limit; h += 0x8000000) {
            uint8_t *p = map_near(size, h);
            if (p && (uintptr_t)p + size <= limit)
                return p;
            if (p)
                munmap(p, size);
        }
    }
    return map_near(size, 0);
}

/* The bytes of the loaded sections.  Mapped from the file: code and
 * read-only data become private file pages over the reservation (read+
 * write until protect(): the pages a relocation patches become copies, the
 * rest stay the page cache's); without the file, that span is copied. */
static w2n_status fill_image(loader *L, w2n_error *err) {
    uint8_t *map = L->img->map;
    if (L->from_file && L->file_span && L->fd >= 0) {
        /* Read-only: a private file page of a mapping that was ever
         * writable becomes a private copy when it is first touched (seen
         * on Linux 6.18), so only the pages a relocation patches are made
         * writable (make_writable). */
        void *p =
            mmap(map, L->file_span, PROT_READ, MAP_PRIVATE | MAP_FIXED, L->fd, (off_t)L->file_base);
        if (p == MAP_FAILED)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                                 "cannot map the object's code from its file");
        L->file_mapped = true;
    } else if (L->from_file && L->file_span) {
        uint64_t n =
            L->file_base + L->file_span <= L->elf.size ? L->file_span : L->elf.size - L->file_base;
        memcpy(map, L->elf.bytes + L->file_base, n);
    }
    for (uint32_t i = 1; i < L->elf.nsections; i++) {
        const w2n_elf_section *s = &L->elf.sections[i];
        if (!is_loaded(L, i) || s->type == W2N_SHT_NOBITS ||
            (L->from_file && L->sec_region[i] != RW))
            continue;
        memcpy(map + L->sec_off[i], s->data, s->size);
    }
    return W2N_OK;
}

/* ---- relocation ---------------------------------------------------------------------- */

static uint64_t base(const loader *L) { return (uint64_t)(uintptr_t)L->img->map; }

static void compute_addresses(loader *L) {
    for (uint32_t i = 1; i < L->elf.nsymbols; i++) {
        const w2n_elf_symbol *s = &L->elf.symbols[i];
        if (s->shndx == W2N_SHN_UNDEF)
            L->sym_addr[i] = L->ext_addr[i];
        else if (s->shndx == W2N_SHN_ABS)
            L->sym_addr[i] = s->value;
        else if (is_loaded(L, s->shndx))
            L->sym_addr[i] = base(L) + L->sec_off[s->shndx] + s->value;
    }
    for (uint32_t i = 1; i < L->elf.nsymbols; i++) {
        if (L->got_slot[i])
            w2n_reloc_wr64(L->img->map + L->got_off + 8 * (L->got_slot[i] - 1), L->sym_addr[i]);
        if (L->stub_slot[i]) {
            uint64_t off = L->stub_off + L->arch->stub_size * (L->stub_slot[i] - 1);
            L->arch->write_stub(L->img->map + off, base(L) + off, L->sym_addr[i]);
        }
    }
}

static int cmp_hi(const void *a, const void *b) {
    const hi_value *x = a, *y = b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static w2n_status record_hi(loader *L, uint32_t section, uint64_t offset, int64_t value,
                            w2n_error *err) {
    if (L->nhis == L->cap_his) {
        hi_value *p = w2n_grow(L->his, &L->cap_his, L->nhis + 1, sizeof *p, 64);
        if (!p)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        L->his = p;
    }
    L->his[L->nhis++] = (hi_value){section, offset, value};
    return W2N_OK;
}

/* "relocation R_X86_64_PC32 at .text+0x10 against 'f'": said only on
 * failure (formatting it for each of 10^4 relocations took a third of a
 * large object's load). */
static const char *reloc_where(const loader *L, uint32_t tsec, const w2n_elf_rela *r,
                               const w2n_reloc_howto *h, char *buf, size_t size) {
    snprintf(buf, size, "relocation %s at %s+0x%llx against '%s'", h->name,
             L->elf.sections[tsec].name, (unsigned long long)r->offset, sym_label(L, r->sym));
    return buf;
}

/* PCREL_LO12: its symbol labels the AUIPC; find that HI20 by address. */
static w2n_status find_pair(const loader *L, uint32_t tsec, const w2n_elf_rela *r,
                            const w2n_reloc_howto *h, w2n_reloc_args *a, w2n_error *err) {
    const w2n_elf_symbol *s = &L->elf.symbols[r->sym];
    char where[200];
    if (r->addend != 0 || !r->sym || !is_loaded(L, s->shndx))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s: PCREL_LO12 must name a label of a loaded section, addend 0",
                             reloc_where(L, tsec, r, h, where, sizeof where));
    hi_value key = {s->shndx, s->value, 0};
    const hi_value *hit = bsearch(&key, L->his, L->nhis, sizeof key, cmp_hi);
    if (!hit)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s: no PCREL_HI20/GOT_HI20 relocation at its label %s+0x%llx",
                             reloc_where(L, tsec, r, h, where, sizeof where),
                             L->elf.sections[s->shndx].name, (unsigned long long)s->value);
    a->pair = hit->value;
    return W2N_OK;
}

/* The pages of the code-pointer arrays (.data.rel.ro), which the
 * relocations write nearly all of: copied in one system call rather than
 * one fault each (a fault took 11-15 us on a virtual machine, the call
 * about what the copies cost).  Only a hint: a kernel before 5.14 refuses
 * it, and the pages then fault one by one as before. */
static void prefault_pointer_pages(loader *L) {
#ifdef MADV_POPULATE_WRITE
    uintptr_t pg = page_size();
    for (uint32_t i = 1; i < L->elf.nsections; i++) {
        const w2n_elf_section *s = &L->elf.sections[i];
        if (!is_loaded(L, i) || L->sec_region[i] != RO || !s->size || !w2n_layout_is_relro(s))
            continue;
        uintptr_t start = (uintptr_t)(L->img->map + L->sec_off[i]);
        uintptr_t first = start & ~(pg - 1), end = align_up(start + s->size, pg);
        (void)madvise((void *)first, end - first, MADV_POPULATE_WRITE);
    }
#else
    (void)L;
#endif
}

/* Before a relocation patches [loc, loc + size) in the file's pages: make
 * those pages writable (the copy-on-write of just them).  Read-only data is
 * where the code-pointer arrays are, patched densely: its whole region at
 * once.  In code, page by page; relocations come in section order, so
 * remembering the last page saves most calls. */
static w2n_status make_writable(loader *L, uint8_t *loc, size_t size, w2n_error *err) {
    uint8_t *map = L->img->map;
    if (!L->file_mapped || loc < map || loc >= map + L->file_span)
        return W2N_OK;
    uintptr_t pg = page_size();
    uint8_t *ro = map + L->region_start[RO];
    if (loc >= ro && loc < ro + L->region_size[RO]) {
        uint64_t len = align_up(L->region_size[RO], pg);
        if (L->ro_writable)
            return W2N_OK;
        if (mprotect(ro, len, PROT_READ | PROT_WRITE) != 0)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                                 "mprotect of the loaded object failed");
        L->ro_writable = true;
        prefault_pointer_pages(L);
        return W2N_OK;
    }
    for (uintptr_t p = (uintptr_t)loc & ~(pg - 1); p < (uintptr_t)loc + size; p += pg) {
        if ((uint8_t *)p == L->writable_page)
            continue;
        if (mprotect((void *)p, pg, PROT_READ | PROT_WRITE) != 0)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                                 "mprotect of the loaded object failed");
        L->writable_page = (uint8_t *)p;
    }
    return W2N_OK;
}

/* One relocation.  pass 0: all but PAIR_LO; pass 1: PAIR_LO only. */
static w2n_status apply_one(loader *L, uint32_t rsec, size_t k, int pass, w2n_error *err) {
    w2n_elf_rela rela = w2n_elf_rela_get(&L->elf, rsec, k);
    const w2n_elf_rela *r = &rela;
    const w2n_reloc_howto *h = w2n_reloc_lookup(L->arch, r->type);
    uint32_t tsec = L->elf.sections[rsec].info;
    int is_lo = (h->flags & W2N_RELOC_PAIR_LO) != 0;
    if ((h->flags & W2N_RELOC_IGNORE) || is_lo != pass)
        return W2N_OK;
    const w2n_elf_symbol *s = &L->elf.symbols[r->sym];
    char where[200];
    if (r->sym && s->shndx != W2N_SHN_UNDEF && s->shndx != W2N_SHN_ABS && !is_loaded(L, s->shndx))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET,
                             "%s: symbol is in a section that is not loaded",
                             reloc_where(L, tsec, r, h, where, sizeof where));
    uint64_t place = L->sec_off[tsec] + r->offset;
    w2n_reloc_args a = {.loc = L->img->map + place,
                        .P = base(L) + place,
                        .S = L->sym_addr[r->sym],
                        .A = r->addend,
                        .Z = s->size,
                        .got_base = base(L) + L->got_off};
    if (L->got_slot[r->sym])
        a.got = base(L) + L->got_off + 8 * (L->got_slot[r->sym] - 1);
    if (is_lo) {
        w2n_status st = find_pair(L, tsec, r, h, &a, err);
        if (st != W2N_OK)
            return st;
    }
    w2n_status wst = make_writable(L, a.loc, h->size, err);
    if (wst != W2N_OK)
        return wst;
    w2n_reloc_result res = h->apply(&a);
    if (res == W2N_RELOC_OVERFLOW && (h->flags & W2N_RELOC_STUB_OK) && L->stub_slot[r->sym]) {
        a.S = base(L) + L->stub_off + L->arch->stub_size * (L->stub_slot[r->sym] - 1);
        res = h->apply(&a);
        L->img->stub_uses += res == W2N_RELOC_OK;
    }
    if (res != W2N_RELOC_OK)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, W2N_NO_OFFSET, "%s: %s (0x%llx)%s",
                             reloc_where(L, tsec, r, h, where, sizeof where),
                             w2n_reloc_result_name(res), (unsigned long long)a.value,
                             (h->flags & W2N_RELOC_LOW) ? "; absolute 32-bit relocations need "
                                                          "the image in the low 2 GiB"
                                                        : "");
    /* Code mapped from the file is coherent as mapped; only what we
     * patch needs the instruction cache told (a loop over every line of
     * the code would touch every page). */
    if (L->from_file && L->sec_region[tsec] == RX)
        __builtin___clear_cache((char *)a.loc, (char *)a.loc + h->size);
    if (h->flags & W2N_RELOC_PAIR_HI)
        return record_hi(L, tsec, r->offset, a.value, err);
    return W2N_OK;
}

static w2n_status apply_relocs(loader *L, w2n_error *err) {
    for (int pass = 0; pass < (L->pair_lo ? 2 : 1); pass++) {
        w2n_status st = visit_relocs(L, apply_one, pass, err);
        if (st != W2N_OK)
            return st;
        if (pass == 0 && L->nhis)
            qsort(L->his, L->nhis, sizeof *L->his, cmp_hi);
    }
    return W2N_OK;
}

static w2n_status protect_span(loader *L, uint64_t start, uint64_t size, int prot, w2n_error *err) {
    uint64_t end = align_up(start + size, page_size());
    if (size && mprotect(L->img->map + start, end - start, prot) != 0)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                             "mprotect of the loaded object failed");
    return W2N_OK;
}

/* Final protections; writable data is already read+write.  A copied
 * image has its stubs and GOT inside the code and read-only regions; one
 * mapped from the file has them on pages of their own after the rest. */
static w2n_status protect(loader *L, w2n_error *err) {
    uint8_t *map = L->img->map;
    uint64_t stubs = (uint64_t)L->nstubs * L->arch->stub_size;
    if (!L->from_file && L->region_size[RX])
        __builtin___clear_cache((char *)map, (char *)map + L->region_size[RX]);
    if (L->from_file && stubs)
        __builtin___clear_cache((char *)map + L->stub_off, (char *)map + L->stub_off + stubs);
    w2n_status st =
        protect_span(L, L->region_start[RX], L->region_size[RX], PROT_READ | PROT_EXEC, err);
    if (st == W2N_OK)
        st = protect_span(L, L->region_start[RO], L->region_size[RO], PROT_READ, err);
    if (st == W2N_OK && L->from_file)
        st = protect_span(L, L->stub_off, stubs, PROT_READ | PROT_EXEC, err);
    if (st == W2N_OK && L->from_file)
        st = protect_span(L, L->got_off, (uint64_t)L->ngot * 8, PROT_READ, err);
    L->img->code_start = (uintptr_t)map + L->region_start[RX];
    L->img->code_end = L->img->code_start + L->region_size[RX];
    return st;
}

/* ---- what the image keeps ------------------------------------------------------------- */

static int cmp_name(const void *a, const void *b) {
    return strcmp(((const img_sym *)a)->name, ((const img_sym *)b)->name);
}

/* Function symbols by address, in linear time: a stable least-significant-
 * digit radix sort of the offsets from the lowest address, a byte a pass
 * (three passes for 16 MiB of code).  The compiler emits them nearly but
 * not quite in order; qsort took 50-80 us of a 2 MB object's load.  False
 * when out of memory. */
static bool sort_by_address(img_sym *syms, size_t n) {
    uint64_t lo = UINT64_MAX, span = 0;
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        lo = syms[i].addr < lo ? syms[i].addr : lo;
        sorted = sorted && (i == 0 || syms[i - 1].addr <= syms[i].addr);
    }
    if (sorted)
        return true;
    for (size_t i = 0; i < n; i++)
        span = syms[i].addr - lo > span ? syms[i].addr - lo : span;
    img_sym *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return false;
    img_sym *from = syms, *to = tmp;
    for (unsigned shift = 0; shift < 64 && (shift == 0 || span >> shift); shift += 8) {
        size_t start[257] = {0};
        for (size_t i = 0; i < n; i++)
            start[((from[i].addr - lo) >> shift & 0xff) + 1]++;
        for (int d = 0; d < 256; d++)
            start[d + 1] += start[d];
        for (size_t i = 0; i < n; i++)
            to[start[(from[i].addr - lo) >> shift & 0xff]++] = from[i];
        img_sym *t = from;
        from = to;
        to = t;
    }
    if (from != syms)
        memcpy(syms, from, n * sizeof *syms);
    free(tmp);
    return true;
}

static w2n_status keep_symbols(loader *L, w2n_error *err) {
    w2n_image *img = L->img;
    if (!L->elf.symtab)
        return W2N_OK;
    const w2n_elf_section *strs = &L->elf.sections[L->elf.sections[L->elf.symtab].link];
    /* Room for every symbol, not zeroed: only the prefix filled is read
     * (calloc's zeroing was 120 KB of memset for a 2 MB object). */
    img->strings = malloc(strs->size);
    size_t room = L->elf.nsymbols ? L->elf.nsymbols : 1;
    img->globals = malloc(room * sizeof *img->globals);
    img->funcs = malloc(room * sizeof *img->funcs);
    if (!img->strings || !img->globals || !img->funcs)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    memcpy(img->strings, strs->data, strs->size);
    for (uint32_t i = 1; i < L->elf.nsymbols; i++) {
        const w2n_elf_symbol *s = &L->elf.symbols[i];
        int defined = s->shndx == W2N_SHN_ABS || is_loaded(L, s->shndx);
        if (!defined || !s->name[0] || s->type == W2N_STT_SECTION || s->type == W2N_STT_FILE)
            continue;
        img_sym k = {img->strings + (s->name - (const char *)strs->data), L->sym_addr[i], s->size,
                     s->type};
        if (s->bind != W2N_STB_LOCAL)
            img->globals[img->nglobals++] = k;
        if (s->type == W2N_STT_FUNC && s->shndx != W2N_SHN_ABS && L->sec_region[s->shndx] == RX)
            img->funcs[img->nfuncs++] = k;
    }
    qsort(img->globals, img->nglobals, sizeof *img->globals, cmp_name);
    if (!sort_by_address(img->funcs, img->nfuncs))
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    return W2N_OK;
}

/* A large section of a mapped file (the metadata with its data segments)
 * is mapped rather than copied: its pages are read when instantiation
 * reads them.  Below this, a copy is cheaper than the mapping. */
#define MAP_SECTION_MIN 65536

static bool map_section(const loader *L, const w2n_elf_section *s, img_section *e) {
    if (L->fd < 0 || !L->from_file || s->size < MAP_SECTION_MIN)
        return false;
    uint64_t pg = page_size(), start = s->offset & ~(pg - 1);
    size_t len = (size_t)(s->offset + s->size - start);
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, L->fd, (off_t)start);
    if (p == MAP_FAILED)
        return false;
    e->mapping = p;
    e->mapping_size = len;
    e->data = (uint8_t *)p + (s->offset - start);
    e->size = s->size;
    return true;
}

static bool has_memory_image(const w2n_image *img) {
    return img->memory_image_fd >= 0 || img->memory_image_copy;
}

/* The initial memory image: where its pages lie in the file, with the
 * file kept open to map them at each instantiation, or a copy of them
 * when there is no file, its pages are not the host's, or it is small.
 * The open file costs the host a descriptor while the object lives, so
 * only an image of W2N_MEMORY_IMAGE_MAP_MIN or more, where mapping pays,
 * keeps one. */
static w2n_status keep_memory_image(loader *L, const w2n_elf_section *s, w2n_error *err) {
    w2n_image *img = L->img;
    if (!w2n_memory_image_read_header(s->data, s->size, &img->memory_image))
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "section %s is not a memory image of version %u", s->name,
                             W2N_MEMORY_IMAGE_VERSION);
    uint64_t at = s->offset + W2N_MEMORY_IMAGE_PAGE;
    if (L->fd >= 0 && L->from_file && at % page_size() == 0 &&
        img->memory_image.length >= W2N_MEMORY_IMAGE_MAP_MIN &&
        (img->memory_image_fd = fcntl(L->fd, F_DUPFD_CLOEXEC, 0)) >= 0) {
        img->memory_image_at = at;
    } else {
        img->memory_image_copy = malloc((size_t)img->memory_image.length);
        if (!img->memory_image_copy)
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        memcpy(img->memory_image_copy, s->data + W2N_MEMORY_IMAGE_PAGE,
               (size_t)img->memory_image.length);
    }
    return W2N_OK;
}

/* Non-allocated PROGBITS sections (".w2n.module"), minus debug info; the
 * memory image is kept its own way. */
static w2n_status keep_sections(loader *L, w2n_error *err) {
    w2n_image *img = L->img;
    img->extra = calloc(L->elf.nsections ? L->elf.nsections : 1, sizeof *img->extra);
    if (!img->extra)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    for (uint32_t i = 1; i < L->elf.nsections; i++) {
        const w2n_elf_section *s = &L->elf.sections[i];
        if ((s->flags & W2N_SHF_ALLOC) || s->type != W2N_SHT_PROGBITS ||
            !strncmp(s->name, ".debug", 6))
            continue;
        if (!strcmp(s->name, W2N_MEMORY_IMAGE_SECTION)) {
            w2n_status st = has_memory_image(img)
                                ? w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                                                "more than one section %s", s->name)
                                : keep_memory_image(L, s, err);
            if (st != W2N_OK)
                return st;
            continue;
        }
        img_section *e = &img->extra[img->nextra];
        e->name = strdup(s->name);
        if (e->name && map_section(L, s, e)) {
            img->nextra++;
            continue;
        }
        e->data = malloc(s->size ? s->size : 1);
        if (!e->name || !e->data) {
            free(e->name);
            free(e->data);
            return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
        }
        memcpy(e->data, s->data, s->size);
        e->size = s->size;
        img->nextra++;
    }
    return W2N_OK;
}

/* ---- the entry points ------------------------------------------------------------------- */

static w2n_status alloc_tables(loader *L, w2n_error *err) {
    size_t ns = L->elf.nsections ? L->elf.nsections : 1;
    size_t ny = L->elf.nsymbols ? L->elf.nsymbols : 1;
    L->sec_off = calloc(ns, sizeof *L->sec_off);
    L->sec_region = calloc(ns, 1);
    L->sym_addr = calloc(ny, sizeof *L->sym_addr);
    L->ext_addr = calloc(ny, sizeof *L->ext_addr);
    L->got_slot = calloc(ny, sizeof *L->got_slot);
    L->stub_slot = calloc(ny, sizeof *L->stub_slot);
    L->img = calloc(1, sizeof *L->img);
    if (L->img)
        L->img->memory_image_fd = -1;
    if (!L->sec_off || !L->sec_region || !L->sym_addr || !L->ext_addr || !L->got_slot ||
        !L->stub_slot || !L->img)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    return W2N_OK;
}

static void loader_free(loader *L) {
    w2n_elf_free(&L->elf);
    free(L->sec_off);
    free(L->sec_region);
    free(L->sym_addr);
    free(L->ext_addr);
    free(L->got_slot);
    free(L->stub_slot);
    free(L->his);
}

/* Objects compiled with -g (they have a line table) are shown to GDB. */
static void register_with_gdb(loader *L, const uint8_t *bytes, size_t size) {
    uint64_t *addr = calloc(L->elf.nsections ? L->elf.nsections : 1, sizeof *addr);
    if (!addr)
        return;
    for (uint32_t i = 1; i < L->elf.nsections; i++)
        if (is_loaded(L, i))
            addr[i] = base(L) + L->sec_off[i];
    L->img->gdb = w2n_gdb_jit_register(bytes, size, &L->elf, addr);
    free(addr);
}

/* Does the object carry the table of image_layout.h?  Then only its
 * entries are scanned and applied, if its layout fits this host. */
static w2n_status find_layout_table(loader *L, w2n_error *err) {
    uint32_t i = w2n_elf_find_section(&L->elf, W2N_LAYOUT_SECTION);
    if (!i)
        return W2N_OK;
    const w2n_elf_section *s = &L->elf.sections[i];
    int64_t n = s->type == W2N_SHT_PROGBITS ? w2n_layout_count(s->data, s->size) : -1;
    if (n < 0)
        return w2n_error_set(err, W2N_ERR_BAD_OBJECT, s->offset,
                             "section %s is not a relocation table of version %u",
                             W2N_LAYOUT_SECTION, W2N_LAYOUT_VERSION);
    L->table = s->data;
    L->ntable = (size_t)n;
    L->from_file = true;
    return W2N_OK;
}

/* Plan the image: which relocations, symbols, where each section goes. */
static w2n_status plan(loader *L, w2n_error *err) {
    w2n_status st;
    if ((st = find_layout_table(L, err)) != W2N_OK || (st = scan_relocs(L, err)) != W2N_OK ||
        (st = resolve_symbols(L, err)) != W2N_OK)
        return st;
    if (L->from_file && layout_from_file(L))
        return W2N_OK;
    if (L->from_file) { /* laid out for pages other than this host's: copy, all relocations */
        L->from_file = false;
        L->ngot = L->nstubs = 0;
        memset(L->got_slot, 0, L->elf.nsymbols * sizeof *L->got_slot);
        memset(L->stub_slot, 0, L->elf.nsymbols * sizeof *L->stub_slot);
        if ((st = scan_relocs(L, err)) != W2N_OK)
            return st;
    }
    return layout(L, err);
}

w2n_status w2n_image_load_at(const uint8_t *bytes, size_t size, w2n_arch arch, uintptr_t hint,
                             w2n_image **out, w2n_error *err) {
    return w2n_image_load_file(bytes, size, -1, arch, hint, out, err);
}

w2n_status w2n_image_load_file(const uint8_t *bytes, size_t size, int fd, w2n_arch arch,
                               uintptr_t hint, w2n_image **out, w2n_error *err) {
    loader L;
    memset(&L, 0, sizeof L);
    L.fd = fd;
    *out = NULL;
    /* Entries are checked as scan_one visits them: an object laid out for
     * mapping has most of its relocations applied in the file already. */
    w2n_status st = w2n_elf_read_headers(bytes, size, &L.elf, err);
    w2n_load_mark("elf");
    if (st != W2N_OK)
        return st;
    if ((st = check_target(&L, arch, err)) != W2N_OK || (st = alloc_tables(&L, err)) != W2N_OK ||
        (st = choose_sections(&L, err)) != W2N_OK || (st = plan(&L, err)) != W2N_OK)
        goto fail;
    L.img->mapped_from_file = L.from_file && fd >= 0 && L.file_span;
    w2n_load_mark("plan");
    L.img->map = map_image(L.total, hint, L.want_low);
    if (!L.img->map) {
        st = w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET,
                           "cannot map %llu bytes for the object", (unsigned long long)L.total);
        goto fail;
    }
    L.img->map_size = L.total;
    if ((st = fill_image(&L, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("map");
    compute_addresses(&L);
    if ((st = apply_relocs(&L, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("relocate");
    if ((st = protect(&L, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("protect");
    if ((st = keep_symbols(&L, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("symbols");
    if ((st = keep_sections(&L, err)) != W2N_OK)
        goto fail;
    w2n_load_mark("sections");
    /* libgcc's unwinder finds the tables only when registered: throws
     * unwind through code that handles exceptions, and a trap's backtrace
     * walks any code (backtrace.c); unwind.c keeps throws out of the rest. */
    L.img->handles_exceptions = L.uses_eh;
    w2n_line_map_build(&L.elf, L.sym_addr, &L.img->lines);
    if (L.img->lines.nrows && w2n_gdb_jit_wanted())
        register_with_gdb(&L, bytes, size);
    w2n_load_mark("debug");
    if (L.eh_frame) {
        L.img->eh_frame = L.img->map + L.sec_off[L.eh_frame];
        w2n_unwind_register(L.img->eh_frame);
    }
    w2n_load_mark("eh_frame");
    if (L.stackmaps && is_loaded(&L, L.stackmaps)) {
        L.img->stackmaps = L.img->map + L.sec_off[L.stackmaps];
        L.img->stackmaps_size = L.elf.sections[L.stackmaps].size;
    }
    *out = L.img;
    L.img = NULL;
    loader_free(&L);
    return W2N_OK;
fail:
    w2n_image_free(L.img);
    loader_free(&L);
    return st;
}

w2n_status w2n_image_load(const uint8_t *bytes, size_t size, w2n_arch arch, w2n_image **out,
                          w2n_error *err) {
    return w2n_image_load_at(bytes, size, arch, 0, out, err);
}

void w2n_image_free(w2n_image *img) {
    if (!img)
        return;
    if (img->eh_frame)
        w2n_unwind_deregister(img->eh_frame);
    w2n_gdb_jit_unregister(img->gdb);
    if (img->map)
        munmap(img->map, img->map_size);
    for (size_t i = 0; i < img->nextra; i++) {
        free(img->extra[i].name);
        if (img->extra[i].mapping)
            munmap(img->extra[i].mapping, img->extra[i].mapping_size);
        else
            free(img->extra[i].data);
    }
    free(img->extra);
    if (img->memory_image_fd >= 0)
        close(img->memory_image_fd);
    free(img->memory_image_copy);
    w2n_line_table_free(&img->lines);
    free(img->strings);
    free(img->globals);
    free(img->funcs);
    free(img);
}

void *w2n_image_symbol(const w2n_image *img, const char *name) {
    return w2n_image_symbol_sized(img, name, NULL);
}

/* Only symbols whose bytes lie inside the mapping are found: the loader
 * reads through what it finds, and an absolute symbol could name any
 * address of the process. */
void *w2n_image_symbol_sized(const w2n_image *img, const char *name, uint64_t *out_size) {
    if (out_size)
        *out_size = 0;
    if (img->nglobals == 0) /* no global symbols: globals is NULL, bsearch's UB */
        return NULL;
    img_sym key = {.name = name};
    const img_sym *s = bsearch(&key, img->globals, img->nglobals, sizeof key, cmp_name);
    uintptr_t start = (uintptr_t)img->map;
    if (s && (s->addr < start || s->addr - start > img->map_size ||
              s->size > img->map_size - (s->addr - start)))
        s = NULL;
    if (out_size)
        *out_size = s ? s->size : 0;
    return s ? (void *)(uintptr_t)s->addr : NULL;
}

const uint8_t *w2n_image_section(const w2n_image *img, const char *name, size_t *out_size) {
    for (size_t i = 0; i < img->nextra; i++)
        if (!strcmp(img->extra[i].name, name)) {
            if (out_size)
                *out_size = img->extra[i].size;
            return img->extra[i].data;
        }
    if (out_size)
        *out_size = 0;
    return NULL;
}

bool w2n_image_handles_exceptions(const w2n_image *img) { return img->handles_exceptions; }

const uint8_t *w2n_image_stackmaps(const w2n_image *img, size_t *out_size) {
    *out_size = img->stackmaps_size;
    return img->stackmaps;
}

int w2n_image_contains_code(const w2n_image *img, uintptr_t pc) {
    return img && pc >= img->code_start && pc < img->code_end;
}

/* Where function i ends: a size-0 symbol runs to the next one, or to the
 * end of the code. */
static uint64_t func_end(const w2n_image *img, size_t i) {
    const img_sym *f = &img->funcs[i];
    return f->size               ? f->addr + f->size
           : i + 1 < img->nfuncs ? img->funcs[i + 1].addr
                                 : img->code_end;
}

/* The function symbol containing pc, or NULL. */
static const img_sym *function_at(const w2n_image *img, uintptr_t pc) {
    if (!w2n_image_contains_code(img, pc) || !img->nfuncs)
        return NULL;
    size_t lo = 0, hi = img->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->funcs[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    return pc < func_end(img, lo - 1) ? &img->funcs[lo - 1] : NULL;
}

const char *w2n_image_symbolize(const w2n_image *img, uintptr_t pc) {
    const img_sym *f = function_at(img, pc);
    return f ? f->name : NULL;
}

uintptr_t w2n_image_function_start(const w2n_image *img, uintptr_t pc) {
    const img_sym *f = function_at(img, pc);
    return f ? (uintptr_t)f->addr : 0;
}

const w2n_line_row *w2n_image_line(const w2n_image *img, uintptr_t pc, const char **out_file) {
    const w2n_line_row *row = w2n_line_table_find(&img->lines, pc);
    *out_file = row && row->file < img->lines.nfiles ? img->lines.files[row->file] : NULL;
    return row;
}

bool w2n_image_write_perf_map(const w2n_image *img, FILE *out) {
    for (size_t i = 0; i < img->nfuncs; i++) {
        const img_sym *f = &img->funcs[i];
        if (fprintf(out, "%llx %llx %s\n", (unsigned long long)f->addr,
                    (unsigned long long)(func_end(img, i) - f->addr), f->name) < 0)
            return false;
    }
    return true;
}

uintptr_t w2n_image_base(const w2n_image *img, size_t *out_size) {
    if (out_size)
        *out_size = img->map_size;
    return (uintptr_t)img->map;
}

size_t w2n_image_stub_uses(const w2n_image *img) { return img->stub_uses; }

bool w2n_image_memory_image(const w2n_image *img, w2n_memory_image *out, int *fd,
                            uint64_t *file_offset, const uint8_t **bytes) {
    if (!img || !has_memory_image(img))
        return false;
    *out = img->memory_image;
    *fd = img->memory_image_fd;
    *file_offset = img->memory_image_at;
    *bytes = img->memory_image_copy;
    return true;
}

bool w2n_image_mapped_from_file(const w2n_image *img) { return img->mapped_from_file; }
