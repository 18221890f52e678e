/*
 * inspect_report.c — read an object for `w2n inspect`: its ELF header, its
 * seal, its decoded metadata, its section sizes and its functions with their
 * native sizes and relocation counts.  Reads with libelf (the tool may link
 * it; the runtime may not).  Nothing is printed but the one error line.
 */
#include "inspect_report.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_layout.h"
#include "reloc.h"
#include "w2n/abi.h"
#include "w2n/file.h"

#define EM_RISCV_ 243 /* EM_RISCV, missing from older elf.h */

const w2n_functype *w2n_inspect_func_type(const w2n_meta *m, uint32_t func) {
    if (func < m->nimported_funcs) {
        for (uint32_t i = 0, k = 0; i < m->nimports; i++)
            if (m->imports[i].kind == W2N_EXTERN_FUNC && k++ == func)
                return &m->types[m->imports[i].func_type];
    }
    return &m->types[m->func_types[func - m->nimported_funcs]];
}

const char *w2n_inspect_machine_name(unsigned m) {
    switch (m) {
    case EM_X86_64: return "x86_64";
    case EM_AARCH64: return "aarch64";
    case EM_RISCV_: return "riscv64";
    }
    return "unknown";
}

static int fail(const char *path, const char *what) {
    fprintf(stderr, "w2n inspect: %s: %s\n", path, what);
    return 1;
}

/* The seal: its hash, whether it matches, the signer's key if any. */
static int read_seal(w2n_inspect_report *r) {
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    if (w2n_read_file(r->path, &bytes, &size, &err) != W2N_OK)
        return fail(r->path, err.message);
    w2n_status st = w2n_seal_check(bytes, size, NULL, &r->seal, &err);
    free(bytes);
    r->sealed = st == W2N_OK || r->seal.content_size;
    r->seal_matches = st == W2N_OK;
    if (st != W2N_OK)
        snprintf(r->seal_message, sizeof r->seal_message, "%s", err.message);
    return 0;
}

static int read_meta(w2n_inspect_report *r, Elf *e, size_t shstrndx) {
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        const char *name;
        if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)) ||
            strcmp(name, W2N_META_SECTION) != 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        r->meta_size = d ? d->d_size : 0;
        w2n_error err;
        if (w2n_meta_decode(d ? d->d_buf : NULL, r->meta_size, &r->meta, &err) != W2N_OK)
            return fail(r->path, err.message);
        r->has_meta = true;
        return 0;
    }
    return 0;
}

/* Relocations of loaded sections, and the loader's table of those it
 * applies (image_layout.h: u32 version, u32 count, entries). */
static void count_load_relocations(w2n_inspect_report *r, Elf *e, GElf_Shdr *sh, Elf_Scn *scn) {
    size_t shstrndx;
    GElf_Shdr target;
    const char *name =
        elf_getshdrstrndx(e, &shstrndx) == 0 ? elf_strptr(e, shstrndx, sh->sh_name) : NULL;
    if (sh->sh_type == SHT_RELA && gelf_getshdr(elf_getscn(e, sh->sh_info), &target) &&
        (target.sh_flags & SHF_ALLOC) && sh->sh_entsize)
        r->relocations += sh->sh_size / sh->sh_entsize;
    Elf_Data *d = name && !strcmp(name, W2N_LAYOUT_SECTION) ? elf_getdata(scn, NULL) : NULL;
    int64_t n = d ? w2n_layout_count(d->d_buf, d->d_size) : -1;
    if (n < 0)
        return;
    r->mappable = true;
    r->load_relocations = (uint64_t)n;
    /* Those that patch code: each makes a page of code a private copy. */
    for (int64_t i = 0; i < n; i++) {
        const uint8_t *entry = (const uint8_t *)d->d_buf + W2N_LAYOUT_HEADER + i * W2N_LAYOUT_ENTRY;
        GElf_Shdr rela;
        if (gelf_getshdr(elf_getscn(e, w2n_reloc_rd32(entry)), &rela) &&
            gelf_getshdr(elf_getscn(e, rela.sh_info), &target) && (target.sh_flags & SHF_EXECINSTR))
            r->load_relocations_in_code++;
    }
}

/* The initial memory image's header (common/memory_image.h), if any. */
static void read_memory_image(w2n_inspect_report *r, Elf *e, GElf_Shdr *sh, Elf_Scn *scn) {
    size_t shstrndx;
    const char *name =
        elf_getshdrstrndx(e, &shstrndx) == 0 ? elf_strptr(e, shstrndx, sh->sh_name) : NULL;
    Elf_Data *d = name && !strcmp(name, W2N_MEMORY_IMAGE_SECTION) ? elf_getdata(scn, NULL) : NULL;
    if (d)
        r->has_memory_image = w2n_memory_image_read_header(d->d_buf, d->d_size, &r->memory_image);
}

static void read_sizes(w2n_inspect_report *r, Elf *e) {
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && !(sh.sh_flags & SHF_ALLOC)) {
            count_load_relocations(r, e, &sh, scn);
            read_memory_image(r, e, &sh, scn);
        }
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
            continue;
        if (sh.sh_flags & SHF_EXECINSTR)
            r->code_bytes += sh.sh_size;
        else if (sh.sh_flags & SHF_WRITE)
            r->data_bytes += sh.sh_size;
        else
            r->rodata_bytes += sh.sh_size;
    }
}

/* A function symbol's extent, to find which function a relocation is in. */
typedef struct extent {
    size_t section;
    uint64_t start, end;
    size_t function; /* index in r->functions */
} extent;

static int cmp_extent(const void *a, const void *b) {
    const extent *x = a, *y = b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static const extent *find_extent(const extent *ext, size_t n, size_t section, uint64_t offset) {
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first extent after (section, offset) */
        size_t mid = lo + (hi - lo) / 2;
        if (ext[mid].section < section || (ext[mid].section == section && ext[mid].start <= offset))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const extent *x = &ext[lo - 1];
    return x->section == section && offset < x->end ? x : NULL;
}

/* Count each relocation section's entries against the function they patch. */
static void count_relocations(w2n_inspect_report *r, Elf *e, const extent *ext, size_t n) {
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL) ||
            !sh.sh_entsize)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t count = d ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Rela rela;
            GElf_Rel rel;
            uint64_t offset;
            if (sh.sh_type == SHT_RELA && gelf_getrela(d, (int)i, &rela))
                offset = rela.r_offset;
            else if (sh.sh_type == SHT_REL && gelf_getrel(d, (int)i, &rel))
                offset = rel.r_offset;
            else
                continue;
            const extent *x = find_extent(ext, n, sh.sh_info, offset);
            if (x)
                r->functions[x->function].relocations++;
        }
    }
}

static int cmp_function(const void *a, const void *b) {
    return strcmp(((const w2n_inspect_function *)a)->name, ((const w2n_inspect_function *)b)->name);
}

static int read_functions(w2n_inspect_report *r, Elf *e) {
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = d ? sh.sh_size / sh.sh_entsize : 0;
        r->functions = calloc(n ? n : 1, sizeof *r->functions);
        extent *ext = calloc(n ? n : 1, sizeof *ext);
        if (!r->functions || !ext) {
            free(ext);
            return fail(r->path, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC)
                continue;
            const char *name = elf_strptr(e, sh.sh_link, s.st_name);
            w2n_inspect_function *f = &r->functions[r->nfunctions];
            if (!(f->name = strdup(name ? name : "?"))) {
                free(ext);
                return fail(r->path, "out of memory");
            }
            f->size = s.st_size;
            f->global = GELF_ST_BIND(s.st_info) != STB_LOCAL;
            ext[r->nfunctions] =
                (extent){s.st_shndx, s.st_value, s.st_value + s.st_size, r->nfunctions};
            r->nfunctions++;
        }
        qsort(ext, r->nfunctions, sizeof *ext, cmp_extent);
        count_relocations(r, e, ext, r->nfunctions);
        free(ext);
        qsort(r->functions, r->nfunctions, sizeof *r->functions, cmp_function);
        break;
    }
    return 0;
}

int w2n_inspect_read(const char *path, w2n_inspect_report *r) {
    memset(r, 0, sizeof *r);
    r->path = path;
    r->meta.start = -1;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "w2n inspect: %s: cannot open: %m\n", path);
        return 1;
    }
    int status = 1;
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    size_t shstrndx;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh))
        fail(path, "not an ELF object");
    else if (gelf_getclass(e) != ELFCLASS64 || eh.e_type != ET_REL)
        fail(path, "not an ELF64 relocatable object");
    else if (elf_getshdrstrndx(e, &shstrndx) != 0)
        fail(path, elf_errmsg(-1));
    else {
        r->machine = eh.e_machine;
        r->elf_flags = (unsigned)eh.e_flags;
        read_sizes(r, e);
        status = read_seal(r) || read_meta(r, e, shstrndx) || read_functions(r, e);
    }
    if (e)
        elf_end(e);
    close(fd);
    return status;
}

void w2n_inspect_report_free(w2n_inspect_report *r) {
    for (size_t i = 0; i < r->nfunctions; i++)
        free(r->functions[i].name);
    free(r->functions);
    if (r->has_meta)
        w2n_meta_free(&r->meta);
    memset(r, 0, sizeof *r);
}
