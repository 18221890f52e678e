/*
 * cmd_inspect.c — `w2n inspect OBJ`: describe a compiled object.
 *
 * Reads the object with libelf (the tool may link it; the runtime may not):
 * target machine and ELF flags, the allocated sections, the decoded
 * ".w2n.module" metadata (ABI version, target, flags, imports, exports,
 * memories) and the functions with their native sizes from the symbol
 * table.  Any problem is one line on stderr and exit status 1 (2 for usage).
 *
 * The metadata decoder (runtime/meta.c) is written in parallel; until it
 * lands, w2n_meta_decode is a weak reference and inspect prints only the
 * section's size.  Drop the `#pragma weak` once meta.c defines it.
 */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "w2n/file.h"
#include "meta.h"
#include "seal.h"
#include "w2n/abi.h"
#include "w2n/compiler_flags.h"
#include "w2n/version.h"

#pragma weak w2n_meta_decode
#pragma weak w2n_meta_free

static void usage(FILE *out) {
    fprintf(out, "usage: w2n inspect OBJECT\n"
                 "       w2n inspect --version\n"
                 "\n"
                 "Describe an object made by 'w2n compile': its target, metadata\n"
                 "(ABI version, flags, imports, exports, memories), its seal (SHA-256,\n"
                 "whether it matches, whether and by which key it is signed) and its\n"
                 "functions with their native code sizes.\n");
}

static const char *machine_name(unsigned m) {
    switch (m) {
    case EM_X86_64: return "x86_64";
    case EM_AARCH64: return "aarch64";
    case 243: return "riscv64"; /* EM_RISCV */
    }
    return "unknown";
}

static const char *kind_name(unsigned k) {
    static const char *names[] = {"func", "table", "memory", "global"};
    return k < 4 ? names[k] : "?";
}

static void print_limits(const w2n_limits *l) {
    printf("min %" PRIu64, l->min);
    if (l->has_max)
        printf(" max %" PRIu64, l->max);
}

static void print_meta(const w2n_meta *m) {
    printf("abi version:  %u%s\n", m->abi_version,
           m->abi_version == W2N_ABI_VERSION ? "" : " (this w2n expects another)");
    printf("meta target:  %s\n", m->arch == W2N_ARCH_X86_64    ? "x86_64"
                                 : m->arch == W2N_ARCH_AARCH64 ? "aarch64"
                                 : m->arch == W2N_ARCH_RISCV64 ? "riscv64"
                                                               : "unknown");
    printf("cpu:          %s\n", m->cpu && m->cpu[0] ? m->cpu : "(baseline)");
    printf("features:     %s\n", m->features && m->features[0] ? m->features : "(none)");
    printf("flags:        bounds-checks=%s%s%s\n",
           w2n_bounds_mode_name((m->flags & W2N_FLAG_EXPLICIT_BOUNDS) ? W2N_BOUNDS_EXPLICIT
                                                                      : W2N_BOUNDS_GUARD),
           (m->flags & W2N_FLAG_INTERRUPTIBLE) ? ", interruptible" : "",
           (m->flags & W2N_FLAG_FUEL) ? ", fuel" : "");
    printf("max frame:    %" PRIu64 " bytes", m->max_frame);
    if (m->max_frame_vlenb)
        printf(" + %u vector registers", m->max_frame_vlenb);
    printf("\n");
    printf("module hash:  %016" PRIx64 "\n", m->module_hash);
    printf("types:        %u\n", m->ntypes);
    printf("imports:      %u\n", m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const w2n_meta_import *im = &m->imports[i];
        printf("  %s.%s: %s", im->module, im->name, kind_name(im->kind));
        if (im->kind == W2N_EXTERN_FUNC)
            printf(" type %u", im->func_type);
        else if (im->kind == W2N_EXTERN_MEMORY)
            printf(" "), print_limits(&im->memory);
        else if (im->kind == W2N_EXTERN_TABLE)
            printf(" %s ", w2n_valtype_name(im->table.elem)), print_limits(&im->table.limits);
        else if (im->kind == W2N_EXTERN_GLOBAL)
            printf(" %s%s", im->global.is_mutable ? "mut " : "", w2n_valtype_name(im->global.type));
        printf("\n");
    }
    printf("exports:      %u\n", m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++)
        printf("  \"%s\": %s %u\n", m->exports[i].name, kind_name(m->exports[i].kind),
               m->exports[i].index);
    printf("memories:     %u\n", m->nmemories);
    for (uint32_t i = 0; i < m->nmemories; i++) {
        printf("  [%u] ", i);
        print_limits(&m->memories[i]);
        printf(" pages\n");
    }
    printf("tables:       %u, globals: %u, data segments: %u, elem segments: %u\n", m->ntables,
           m->nglobals, m->ndatas, m->nelems);
    if (m->start >= 0)
        printf("start:        function %" PRId64 "\n", m->start);
}

/* The metadata section, decoded when the decoder is linked in. */
static int show_meta(Elf *e, size_t shstrndx, const char *path) {
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        if (!name || strcmp(name, W2N_META_SECTION))
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t size = d ? d->d_size : 0;
        printf("metadata:     %s, %zu bytes\n", W2N_META_SECTION, size);
        if (!w2n_meta_decode) {
            printf("              (decoder not built into this w2n yet)\n");
            return 0;
        }
        w2n_meta m;
        w2n_error err;
        if (w2n_meta_decode(d ? d->d_buf : NULL, size, &m, &err) != W2N_OK) {
            fprintf(stderr, "w2n inspect: %s: bad metadata: %s\n", path, err.message);
            return 1;
        }
        print_meta(&m);
        w2n_meta_free(&m);
        return 0;
    }
    printf("metadata:     none (no %s section: not made by w2n?)\n", W2N_META_SECTION);
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sections and function symbols. */
static int show_code(Elf *e, size_t shstrndx) {
    Elf_Scn *scn = NULL;
    uint64_t code = 0, rodata = 0, data = 0;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
            continue;
        if (sh.sh_flags & SHF_EXECINSTR)
            code += sh.sh_size;
        else if (sh.sh_flags & SHF_WRITE)
            data += sh.sh_size;
        else
            rodata += sh.sh_size;
    }
    printf("sizes:        code %" PRIu64 ", read-only data %" PRIu64 ", data %" PRIu64 " bytes\n",
           code, rodata, data);
    scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = d ? sh.sh_size / sh.sh_entsize : 0, nf = 0;
        char **lines = calloc(n ? n : 1, sizeof *lines);
        if (!lines)
            return 1;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC)
                continue;
            const char *name = elf_strptr(e, sh.sh_link, s.st_name);
            char buf[512];
            snprintf(buf, sizeof buf, "  %-40s %8" PRIu64 " bytes%s", name ? name : "?",
                     (uint64_t)s.st_size, GELF_ST_BIND(s.st_info) == STB_LOCAL ? "" : "  (global)");
            lines[nf] = strdup(buf);
            if (lines[nf])
                nf++;
        }
        qsort(lines, nf, sizeof *lines, cmp_str);
        printf("functions:    %zu\n", nf);
        for (size_t i = 0; i < nf; i++) {
            printf("%s\n", lines[i]);
            free(lines[i]);
        }
        free(lines);
    }
    return 0;
}

static void print_hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

/* The seal: its hash, whether it matches, and the signer's key if any. */
static int show_seal(const char *path) {
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    if (w2n_read_file(path, &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "w2n inspect: %s: %s\n", path, err.message);
        return 1;
    }
    w2n_seal_info info;
    w2n_status st = w2n_seal_check(bytes, size, NULL, &info, &err);
    free(bytes);
    if (st != W2N_OK && !info.content_size) {
        printf("seal:         none (%s)\n", err.message);
        return 0;
    }
    printf("sha256:       ");
    print_hex(info.hash, sizeof info.hash);
    printf("seal:         %s\n", st == W2N_OK ? "matches the content" : err.message);
    printf("signed:       %s", info.is_signed ? "yes, by public key " : "no\n");
    if (info.is_signed)
        print_hex(info.key, sizeof info.key);
    return 0;
}

static int inspect(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "w2n inspect: %s: cannot open: %m\n", path);
        return 1;
    }
    int status = 1;
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    size_t shstrndx;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        fprintf(stderr, "w2n inspect: %s: not an ELF object\n", path);
        goto fail;
    }
    if (gelf_getclass(e) != ELFCLASS64 || eh.e_type != ET_REL) {
        fprintf(stderr, "w2n inspect: %s: not an ELF64 relocatable object\n", path);
        goto fail;
    }
    if (elf_getshdrstrndx(e, &shstrndx) != 0) {
        fprintf(stderr, "w2n inspect: %s: %s\n", path, elf_errmsg(-1));
        goto fail;
    }
    printf("object:       %s\n", path);
    printf("target:       %s (ELF machine %u), ELF flags 0x%x\n", machine_name(eh.e_machine),
           eh.e_machine, (unsigned)eh.e_flags);
    if (show_seal(path) != 0 || show_meta(e, shstrndx, path) != 0 ||
        show_code(e, shstrndx) != 0)
        goto fail;
    status = 0;
fail:
    if (e)
        elf_end(e);
    close(fd);
    return status;
}

int w2n_cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("w2n inspect %s\n", W2N_VERSION);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "w2n inspect: unknown option '%s' (try 'w2n inspect --help')\n",
                    argv[i]);
            return 2;
        }
        if (path) {
            fprintf(stderr, "w2n inspect: one object at a time\n");
            return 2;
        }
        path = argv[i];
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fprintf(stderr, "w2n inspect: libelf is unusable: %s\n", elf_errmsg(-1));
        return 1;
    }
    return inspect(path);
}
