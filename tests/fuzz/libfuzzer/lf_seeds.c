/*
 * lf_seeds.c — w2n-lf-seeds: turn Wasm modules into seed corpora for the
 * libFuzzer targets (tests/fuzz/run-libfuzzer calls it once per corpus).
 *
 *   w2n-lf-seeds compile OUTDIR MAX FILE...   option byte + module (lf_options.h)
 *   w2n-lf-seeds object  OUTDIR MAX FILE...   x86-64 objects of the valid modules
 *   w2n-lf-seeds meta    OUTDIR MAX FILE...   their ".w2n.module" sections
 *   w2n-lf-seeds wasi_path OUTDIR             flag byte + guest path
 *
 * At most MAX seeds are written; modules over 64 KiB are skipped (the
 * fuzzers' -max_len).  Objects vary -O0/-O2, bounds mode and
 * interruptible from one module to the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lf_elf.h"
#include "lf_options.h"

#define MAX_INPUT 65536

static unsigned char *read_all(const char *path, size_t *out) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *b = malloc(MAX_INPUT + 1);
    size_t n = b ? fread(b, 1, MAX_INPUT + 1, f) : 0;
    fclose(f);
    if (!b || n > MAX_INPUT) {
        free(b);
        return NULL;
    }
    *out = n;
    return b;
}

static int write_seed(const char *dir, unsigned n, const char *ext, const void *prefix, size_t plen,
                      const void *b, size_t len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%06u.%s", dir, n, ext);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(prefix, 1, plen, f) == plen && fwrite(b, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static const char *const paths[] = {
    "file",
    "a/b/deep",
    "a/up/file",
    "a/upup/outside/secret",
    "esc/secret",
    "abs/passwd",
    "self",
    "in/deep",
    "dangling",
    "a/b/back",
    "a/b/esc2",
    "..",
    "a/../..",
    "./a/./b/",
    "a//b///deep",
    "in/../../file",
    "a/b/../../../root/file",
    "newfile",
    "a/",
    ".",
};

static int wasi_seeds(const char *dir) {
    unsigned n = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        for (uint8_t flags = 0; flags < 4; flags++)
            if (write_seed(dir, n++, "path", &flags, 1, paths[i], strlen(paths[i])) != 0)
                return 1;
    printf("w2n-lf-seeds: %u seeds in %s\n", n, dir);
    return 0;
}

/* Compile for x86-64; the object (malloc'd) or NULL. */
static uint8_t *compile(const uint8_t *wasm, size_t n, unsigned i, size_t *out_size) {
    w2n_compile_options o;
    uint16_t machine;
    /* bits 0-2 vary, bits 3-5 stay 0: x86-64, the host the loader runs on */
    lf_options_from_byte((uint8_t)(i & 7), &o, &machine);
    w2n_error err;
    uint8_t *obj = NULL;
    if (w2n_validate(wasm, n, &err) != W2N_OK ||
        w2n_compile(wasm, n, &o, &obj, out_size, &err) != W2N_OK)
        return NULL;
    return obj;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "wasi_path"))
        return wasi_seeds(argv[2]);
    if (argc < 4) {
        fprintf(stderr, "usage: w2n-lf-seeds compile|object|meta OUTDIR MAX FILE...\n"
                        "       w2n-lf-seeds wasi_path OUTDIR\n");
        return 2;
    }
    const char *kind = argv[1], *dir = argv[2];
    unsigned max = (unsigned)strtoul(argv[3], NULL, 10), n = 0;
    for (int a = 4; a < argc && n < max; a++) {
        size_t len;
        uint8_t *wasm = read_all(argv[a], &len);
        if (!wasm)
            continue;
        int r = 0;
        if (!strcmp(kind, "compile")) {
            uint8_t b = (uint8_t)(n * 37);
            r = write_seed(dir, n++, "bin", &b, 1, wasm, len);
        } else {
            size_t osize;
            uint8_t *obj = compile(wasm, len, n, &osize);
            if (obj && !strcmp(kind, "object")) {
                r = write_seed(dir, n++, "o", "", 0, obj, osize);
            } else if (obj) {
                lf_section secs[64];
                size_t ns = lf_elf_sections(obj, osize, secs, 64);
                for (size_t i = 0; i < ns; i++)
                    if (!strcmp(secs[i].name, ".w2n.module"))
                        r = write_seed(dir, n++, "meta", "", 0, obj + secs[i].offset, secs[i].size);
            }
            free(obj);
        }
        free(wasm);
        if (r != 0) {
            perror(dir);
            return 1;
        }
    }
    printf("w2n-lf-seeds: %u %s seeds in %s\n", n, kind, dir);
    return 0;
}
