/*
 * cmd_inspect.c — `w2n inspect [--json] OBJ`: describe a compiled object.
 *
 * inspect_report.c reads it (target machine and ELF flags, the seal, the
 * decoded ".w2n.module" metadata, section sizes, the functions with their
 * native sizes); this file prints that as text, inspect_json.c as JSON.
 * Any problem is one line on stderr and exit status 1 (2 for usage).
 */
#include <elf.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inspect_report.h"
#include "w2n/abi.h"
#include "w2n/compiler_flags.h"
#include "w2n/features.h"
#include "w2n/version.h"

static void usage(FILE *out) {
    fprintf(out, "usage: w2n inspect [--json] OBJECT\n"
                 "       w2n inspect --version\n"
                 "\n"
                 "Describe an object made by 'w2n compile': its target, metadata\n"
                 "(ABI version, the w2n that compiled it and with which options, the\n"
                 "module's SHA-256, imports, exports, memories), its seal (SHA-256,\n"
                 "whether it matches, whether and by which key it is signed) and its\n"
                 "functions with their native code sizes.\n"
                 "\n"
                 "  --json   the same as one JSON object (docs/inspect.schema.json),\n"
                 "           with relocation counts per function\n");
}

static const char *kind_name(unsigned k) {
    static const char *names[] = {"func", "table", "memory", "global", "tag"};
    return k < 5 ? names[k] : "?";
}

static void print_limits(const w2n_limits *l) {
    printf("%smin %" PRIu64, l->is64 ? "i64 " : "", l->min);
    if (l->has_max)
        printf(" max %" PRIu64, l->max);
    if (l->shared)
        printf(" shared");
}

/* Provenance: which w2n compiled the object, how, from what. */
static void print_provenance(const w2n_meta *m) {
    if (!m->w2n_version) {
        printf("compiled by:  (not recorded: ABI %u.%u)\n", m->abi_version, m->abi_minor);
        return;
    }
    printf("compiled by:  w2n %s\n", m->w2n_version);
    printf("triple:       %s\n", m->target);
    printf("opt level:    -O%u\n", m->opt_level);
    printf("wasm features:");
    const char *sep = " ";
    for (int f = 0; f < W2N_FEATURE_COUNT; f++)
        if (w2n_features_has(m->wasm_features, (w2n_feature)f)) {
            printf("%s%s", sep, w2n_feature_name((w2n_feature)f));
            sep = ",";
        }
    printf("\nmodule sha256: ");
    for (int i = 0; i < 32; i++)
        printf("%02x", m->module_sha256[i]);
    printf("\n");
}

static void print_meta(const w2n_meta *m) {
    printf("abi version:  %u.%u\n", m->abi_version, m->abi_minor);
    print_provenance(m);
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
        if (im->kind == W2N_EXTERN_FUNC || im->kind == W2N_EXTERN_TAG)
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
    printf("tables:       %u, globals: %u, tags: %u, data segments: %u, elem segments: %u\n",
           m->ntables, m->nglobals, m->ntags, m->ndatas, m->nelems);
    if (m->start >= 0)
        printf("start:        function %" PRId64 "\n", m->start);
}

static void print_hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void print_seal(const w2n_inspect_report *r) {
    if (!r->sealed) {
        printf("seal:         none (%s)\n", r->seal_message);
        return;
    }
    printf("sha256:       ");
    print_hex(r->seal.hash, sizeof r->seal.hash);
    printf("seal:         %s\n", r->seal_matches ? "matches the content" : r->seal_message);
    printf("signed:       %s", r->seal.is_signed ? "yes, by public key " : "no\n");
    if (r->seal.is_signed)
        print_hex(r->seal.key, sizeof r->seal.key);
}

static void print_code(const w2n_inspect_report *r) {
    printf("sizes:        code %" PRIu64 ", read-only data %" PRIu64 ", data %" PRIu64 " bytes\n",
           r->code_bytes, r->rodata_bytes, r->data_bytes);
    if (r->mappable)
        printf("load layout:  mapped from the file; %" PRIu64 " of %" PRIu64
               " relocations applied at load, %" PRIu64 " of them in code\n",
               r->load_relocations, r->relocations, r->load_relocations_in_code);
    else
        printf("load layout:  copied; %" PRIu64 " relocations applied at load\n", r->relocations);
    if (r->has_memory_image)
        printf("memory image: memory %u, %" PRIu64 " bytes from 0x%" PRIx64
               ", %s at instantiation\n",
               r->memory_image.memory, r->memory_image.length, r->memory_image.offset,
               r->memory_image.length >= W2N_MEMORY_IMAGE_MAP_MIN ? "mapped" : "copied");
    printf("functions:    %zu\n", r->nfunctions);
    for (size_t i = 0; i < r->nfunctions; i++) {
        const w2n_inspect_function *f = &r->functions[i];
        printf("  %-40s %8" PRIu64 " bytes%s\n", f->name, f->size, f->global ? "  (global)" : "");
    }
}

static void print_text(const w2n_inspect_report *r) {
    printf("object:       %s\n", r->path);
    printf("target:       %s (ELF machine %u), ELF flags 0x%x\n",
           w2n_inspect_machine_name(r->machine), r->machine, r->elf_flags);
    print_seal(r);
    if (r->has_meta) {
        printf("metadata:     %s, %zu bytes\n", W2N_META_SECTION, r->meta_size);
        print_meta(&r->meta);
    } else {
        printf("metadata:     none (no %s section: not made by w2n?)\n", W2N_META_SECTION);
    }
    print_code(r);
}

static int inspect(const char *path, bool json) {
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fprintf(stderr, "w2n inspect: libelf is unusable: %s\n", elf_errmsg(-1));
        return 1;
    }
    w2n_inspect_report r;
    int status = w2n_inspect_read(path, &r);
    if (status == 0 && json)
        w2n_inspect_print_json(&r, stdout);
    else if (status == 0)
        print_text(&r);
    w2n_inspect_report_free(&r);
    return status;
}

int w2n_cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
            continue;
        }
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
    return inspect(path, json);
}
