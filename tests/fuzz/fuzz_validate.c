/*
 * fuzz_validate.c — w2n-fuzz-validate: a mutation fuzzer for the front end.
 *
 *     w2n-fuzz-validate [--seed N] [--iterations N] [--verbose] [--dump DIR] SEED.wasm|DIR...
 *
 * Each iteration copies one seed module (or the previous mutant), applies a
 * few random mutations (bit flips, byte sets, inserts, deletes, LEB128
 * values at and beyond the format's limits, truncation, chunk copies,
 * splices from another seed) and runs decode + validate on an exactly-sized
 * heap buffer, so sanitizers see any read past the end.  The front end must
 * never crash, and every rejection must be a malformed/invalid error whose
 * offset lies within the input and whose message is a non-empty line.
 * --dump writes every mutant to DIR/NNNNNNN.wasm with its verdict in
 * DIR/verdicts.txt, for differential testing against other validators.
 * Deterministic for a given seed.  Exit 0 when all iterations pass, 1 if an
 * invariant broke (the offending input is written to fuzz-failure.wasm),
 * 2 on bad usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "w2n/compiler.h"

static bool check_one(const uint8_t *src, size_t n, bool verbose, size_t counts[4]) {
    /* Exactly sized, so that a read past the end is an ASan report. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return false;
    if (n)
        memcpy(copy, src, n);
    w2n_error err;
    memset(&err, 0xA5, sizeof err);
    w2n_status st = w2n_validate(copy, n, &err);
    free(copy);
    if (st == W2N_OK) {
        counts[0]++;
        return true;
    }
    bool ok = true;
    if (st == W2N_ERR_MALFORMED)
        counts[1]++;
    else if (st == W2N_ERR_INVALID)
        counts[2]++;
    else if (st == W2N_ERR_UNSUPPORTED || st == W2N_ERR_LIMIT) /* a feature w2n lacks or was
                                                                 told to refuse; a limit */
        counts[3]++;
    else if (st != W2N_ERR_NOMEM)
        ok = false;
    if (err.code != st || (err.offset != W2N_NO_OFFSET && err.offset > n))
        ok = false;
    if (!memchr(err.message, 0, sizeof err.message) || !err.message[0] || strchr(err.message, '\n'))
        ok = false;
    if (verbose)
        printf("%s: offset %llu: %s\n", w2n_status_name(st), (unsigned long long)err.offset,
               err.message);
    if (!ok)
        fprintf(stderr,
                "w2n-fuzz-validate: bad rejection: status %d, code %d, offset %llu of %zu\n", st,
                err.code, (unsigned long long)err.offset, n);
    return ok;
}

static void usage(FILE *out) {
    fprintf(out, "usage: w2n-fuzz-validate [--seed N] [--iterations N] [--verbose] "
                 "[--dump DIR] SEED.wasm|DIR...\n");
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    unsigned long long iterations = 1000;
    bool verbose = false;
    const char *dump = NULL;
    FILE *verdicts = NULL;
    fuzz_corpus c = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
            iterations = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--dump") && i + 1 < argc) {
            dump = argv[++i];
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            usage(stderr);
            return 2;
        } else if (!fuzz_corpus_add_path(&c, argv[i], "w2n-fuzz-validate")) {
            return 2;
        }
    }
    if (!c.n) {
        usage(stderr);
        return 2;
    }
    if (dump) {
        char path[4096];
        snprintf(path, sizeof path, "%s/verdicts.txt", dump);
        if (!(verdicts = fopen(path, "w"))) {
            fprintf(stderr, "w2n-fuzz-validate: %s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    fuzz_rng_seed(seed);
    size_t counts[4] = {0};
    fuzz_buf m = {0};
    int status = 0;
    for (size_t i = 0; i < c.n; i++)
        if (!check_one(c.items[i].bytes, c.items[i].size, verbose, counts))
            status = 1;
    for (unsigned long long it = 0; it < iterations && !status; it++) {
        fuzz_mutate_next(&m, &c, it == 0);
        size_t before_ok = counts[0];
        bool passed = check_one(m.b, m.n, verbose, counts);
        if (dump) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%07llu.wasm", dump, it);
            FILE *f = fopen(path, "wb");
            if (f) {
                fwrite(m.b, 1, m.n, f);
                fclose(f);
            }
            fprintf(verdicts, "%07llu %s\n", it, counts[0] > before_ok ? "valid" : "rejected");
        }
        if (!passed) {
            FILE *f = fopen("fuzz-failure.wasm", "wb");
            if (f) {
                fwrite(m.b, 1, m.n, f);
                fclose(f);
            }
            fprintf(stderr,
                    "w2n-fuzz-validate: iteration %llu failed (input in fuzz-failure.wasm)\n", it);
            status = 1;
        }
    }
    printf("w2n-fuzz-validate: %zu seeds, %llu mutations (seed %llu): %zu valid, %zu malformed, "
           "%zu invalid, %zu unsupported\n",
           c.n, iterations, (unsigned long long)seed, counts[0], counts[1], counts[2], counts[3]);
    if (verdicts)
        fclose(verdicts);
    fuzz_corpus_free(&c);
    free(m.b);
    return status;
}
