/*
 * run_timing.c — medians of repeated loads and instantiations.  Each round
 * starts from nothing (a fresh object, or a fresh store and linker), so the
 * figure is what a host pays per object or per instance.
 */
#include "run_timing.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    ROUNDS = 101
};

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return t[n / 2];
}

/* The median of each of the loader's steps over the rounds, in the order
 * of the first round (w2n_object_load_phases). */
typedef struct phase_times {
    const char *name;
    double t[ROUNDS];
} phase_times;

static void print_phases(phase_times *ph, uint32_t nph, int rounds) {
    printf("load_phases_us:");
    for (uint32_t k = 0; k < nph; k++)
        printf(" %s=%.1f", ph[k].name, median(ph[k].t, rounds));
    printf("\n");
}

/* One round's load: from memory, or from the file (path set). */
typedef struct load_source {
    const uint8_t *bytes;
    size_t size;
    const char *path;
    const uint8_t *key;
} load_source;

static w2n_status load_once(const load_source *src, w2n_object **out) {
    return src->path ? w2n_object_load_file_trusted(src->path, src->key, out, NULL)
                     : w2n_object_load(src->bytes, src->size, out, NULL);
}

/* load_us from rounds that record nothing (the phases' clock reads are
 * system calls, ~10 us a load), then the phases from as many that do. */
static void time_load(const load_source *src) {
    static phase_times ph[W2N_LOAD_PHASES_MAX];
    uint32_t nph = 0;
    double t[ROUNDS];
    int n = 0;
    for (int i = 0; i < ROUNDS; i++) {
        w2n_object *obj;
        double start = now_us();
        if (load_once(src, &obj) != W2N_OK)
            return; /* the real load that follows reports the error */
        t[i] = now_us() - start;
        w2n_object_free(obj);
    }
    printf("load_us=%.1f\n", median(t, ROUNDS));
    w2n_load_phases_record(true);
    for (int i = 0; i < ROUNDS; i++) {
        w2n_object *obj;
        if (load_once(src, &obj) != W2N_OK)
            break;
        n++;
        const w2n_load_phase *p;
        uint32_t np = w2n_object_load_phases(obj, &p);
        for (uint32_t k = 0; k < np && (i > 0 || nph < W2N_LOAD_PHASES_MAX); k++) {
            uint32_t j = 0;
            while (j < nph && strcmp(ph[j].name, p[k].name))
                j++;
            if (j == nph && i == 0)
                ph[nph++].name = p[k].name;
            if (j < nph)
                ph[j].t[i] = p[k].us;
        }
        w2n_object_free(obj);
    }
    w2n_load_phases_record(false);
    print_phases(ph, nph, n);
}

void w2n_run_time_load(const uint8_t *bytes, size_t size) {
    load_source src = {.bytes = bytes, .size = size};
    time_load(&src);
}

void w2n_run_time_load_file(const char *path, const uint8_t *trusted_key) {
    load_source src = {.path = path, .key = trusted_key};
    time_load(&src);
}

bool w2n_run_is_object_file(const char *path) {
    uint8_t magic[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool elf = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
               read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
               !memcmp(magic, "\177ELF", 4);
    close(fd);
    return elf;
}

int w2n_run_time_instantiate(const char *prog, const w2n_run_options *o, const w2n_object *obj,
                             w2n_wasi *wasi) {
    double t[ROUNDS];
    w2n_store_options sopts = w2n_run_store_options(o);
    for (int i = 0; i < ROUNDS; i++) {
        w2n_error err;
        w2n_trap trap;
        w2n_instance *inst;
        double start = now_us();
        w2n_store *store = w2n_store_new(&sopts);
        w2n_linker *linker = store ? w2n_linker_new(store) : NULL;
        w2n_status st = linker ? w2n_wasi_define(wasi, store, linker, &err) : W2N_ERR_NOMEM;
        if (st == W2N_OK)
            st = w2n_linker_instantiate(linker, obj, &inst, &trap, &err);
        t[i] = now_us() - start;
        if (linker)
            w2n_linker_free(linker);
        if (store)
            w2n_store_free(store);
        if (st != W2N_OK) {
            fprintf(stderr, "%s: %s: %s\n", prog, o->file,
                    st == W2N_ERR_TRAP ? trap.message : err.message);
            return 1;
        }
    }
    printf("instantiate_us=%.1f\n", median(t, ROUNDS));
    return 0;
}
