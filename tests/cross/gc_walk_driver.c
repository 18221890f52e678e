/*
 * gc_walk_driver.c — the GC stack walk on the target it runs on (natively
 * on x86-64, under qemu-user for aarch64 and riscv64): load the object llc-19
 * made of tests/data/stackmaps/walk.ll with the runtime's image loader, call
 * its functions with heap objects that only their frames root, collect from
 * inside the call, and check that they see their objects moved and whole.
 * Built straight from the runtime's sources by gc_walk.sh.
 *
 *   gc_walk_driver WALK.o     exit 0 when every check passed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "image.h"
#include "internal.h"
#include "stackmap.h"
#include "w2n/file.h"

static w2n_store *store;
static const w2n_stackmap *map;
static size_t safepoints;
static int failures;

#define CHECK(what, cond)              \
    do {                               \
        if (!(cond)) {                 \
            printf("FAIL %s\n", what); \
            failures++;                \
        }                              \
    } while (0)

static const w2n_safepoint *find(void *data, uintptr_t pc, const w2n_stackmap **out_map) {
    (void)data;
    *out_map = map;
    return w2n_stackmap_find(map, pc);
}

static void frame_roots(void *data, w2n_gc_root_fn visit, void *ctx) {
    (void)data;
    CHECK("the walk reads every location", w2n_gc_visit_stack(find, NULL, visit, ctx, &safepoints));
}

static void collect(void) { w2n_gc_collect(store); }

typedef struct pair {
    uint8_t *a, *b;
} pair;

/* An object of two i64 fields (41 + k, 42 + k) that nothing roots. */
static uint8_t *unrooted(const w2n_gc_rtt *t, int64_t k) {
    w2n_value f[2] = {w2n_i64(41 + k), w2n_i64(42 + k)};
    w2n_gc_ref *r;
    w2n_error err;
    if (w2n_gc_struct_new(store, t, f, 2, &r, &err) != W2N_OK) {
        printf("struct.new: %s\n", err.message);
        exit(1);
    }
    uint8_t *p = (uint8_t *)w2n_gc_handle_word(r);
    w2n_gc_ref_free(store, r);
    return p;
}

static int64_t field(const uint8_t *obj, int i) {
    int64_t v;
    memcpy(&v, obj + 8 + 8 * i, 8);
    return v;
}

int main(int argc, char **argv) {
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    w2n_image *img;
    w2n_stackmap *parsed;
    if (argc != 2 || w2n_read_file(argv[1], &bytes, &size, &err) != W2N_OK ||
        w2n_image_load(bytes, size, w2n_host_arch(), &img, &err) != W2N_OK) {
        printf("cannot load %s: %s\n", argc > 1 ? argv[1] : "(none)", err.message);
        return 1;
    }
    const uint8_t *maps = w2n_image_stackmaps(img, &size);
    if (!maps || w2n_stackmap_parse(maps, size, &parsed, &err) != W2N_OK) {
        printf("stack maps: %s\n", maps ? err.message : "none kept by the loader");
        return 1;
    }
    map = parsed;
    store = w2n_store_new(NULL);
    w2n_gc_field f[2] = {{W2N_I64, 0, false}, {W2N_I64, 0, false}};
    const w2n_gc_rtt *t = w2n_gc_struct_type(store, f, 2, NULL, &err);
    store->gc->extra_roots = frame_roots;

    pair (*keep_two)(void *, void *, void (*)(void)) = w2n_image_symbol(img, "keep_two");
    int64_t (*through)(void *, void (*)(void)) = w2n_image_symbol(img, "load_through_derived");
    pair (*nested)(void *, void *, void (*)(void)) = w2n_image_symbol(img, "nested");
    uint8_t *a = unrooted(t, 0), *b = unrooted(t, 100);
    pair r = keep_two(a, b, collect);
    CHECK("keep_two: one frame at a statepoint", safepoints == 1);
    CHECK("keep_two: both moved", r.a != a && r.b != b);
    CHECK("keep_two: both whole", field(r.a, 0) == 41 && field(r.b, 1) == 142);
    CHECK("derived: follows its base", through(unrooted(t, 1000), collect) == 1042);
    uint8_t *d = unrooted(t, 2000), *e = unrooted(t, 3000);
    r = nested(d, e, collect);
    CHECK("nested: two frames at statepoints", safepoints == 2);
    CHECK("nested: the outer frame's object moved and whole", r.a != d && field(r.a, 0) == 2041);
    CHECK("nested: the inner frame's object moved and whole", r.b != e && field(r.b, 0) == 3041);

    w2n_store_free(store);
    w2n_stackmap_free(parsed);
    w2n_image_free(img);
    free(bytes);
    printf("%s: %s\n", w2n_host_target(), failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
