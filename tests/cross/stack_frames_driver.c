/*
 * stack_frames_driver.c — a function whose frame is larger than the
 * runtime's stack reserve (tests/cross/stack_frames.sh compiles one at -O0)
 * ends in "call stack exhausted" and writes nothing outside its thread's
 * stack: on the main thread, and on threads whose stacks this driver maps
 * above a guard page and a canary region, in sizes that put the last frame
 * at every distance from the end of the stack.  Where frames are measured
 * (RISC-V), an object whose metadata claims a smaller frame than its code
 * allocates is refused, however it was resealed.  Runtime only, so it
 * builds with a plain cross gcc and runs under qemu-user.
 *   stack_frames_driver OBJECT     exits non-zero on a failure
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "elf_object.h"
#include "frame.h"
#include "internal.h"
#include "seal.h"
#include "w2n/file.h"

enum {
    PAGE = 4096,
    CANARY = 1024 * 1024,
    FILL = 0xa5
};

static int failures;

static void check(const char *what, int ok, const char *detail) {
    printf("  %-44s %s%s%s\n", what, ok ? "ok" : "FAIL", detail ? ": " : "", detail ? detail : "");
    failures += !ok;
}

typedef struct run {
    w2n_store *store;
    w2n_func *func;
    int32_t depth;
    w2n_status status;
    w2n_trap trap;
    w2n_error err;
} run;

static void *call_run(void *arg) {
    run *r = arg;
    w2n_value in = w2n_i32(r->depth), out;
    r->status = w2n_func_call(r->store, r->func, &in, 1, &out, 1, &r->trap, &r->err);
    return NULL;
}

static void expect_exhausted(const run *r, const char *what) {
    char detail[300];
    snprintf(detail, sizeof detail, "%s",
             r->status == W2N_ERR_TRAP ? r->trap.message
             : r->status == W2N_OK     ? "returned normally"
                                       : r->err.message);
    check(what, r->status == W2N_ERR_TRAP && !strcmp(r->trap.message, "call stack exhausted"),
          detail);
}

/* A thread on a stack of `size` bytes above a guard page and a canary. */
typedef struct small_stack {
    uint8_t *map;
    size_t total;
    pthread_attr_t attr;
} small_stack;

static void small_stack_make(small_stack *s, size_t size) {
    s->total = CANARY + PAGE + size;
    s->map = mmap(NULL, s->total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s->map == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    memset(s->map, FILL, CANARY);
    mprotect(s->map + CANARY, PAGE, PROT_NONE);
    pthread_attr_init(&s->attr);
    pthread_attr_setstack(&s->attr, s->map + CANARY + PAGE, size);
}

/* How many canary bytes were overwritten, nearest the guard first. */
static size_t small_stack_free(small_stack *s) {
    size_t hit = 0;
    for (size_t i = CANARY; i-- > 0;)
        if (s->map[i] != FILL)
            hit = CANARY - i;
    pthread_attr_destroy(&s->attr);
    munmap(s->map, s->total);
    return hit;
}

static void on_thread(w2n_store *store, w2n_func *func, size_t size) {
    small_stack s;
    small_stack_make(&s, size);
    run r = {.store = store, .func = func, .depth = 1000};
    pthread_t t;
    pthread_create(&t, &s.attr, call_run, &r);
    pthread_join(t, NULL);
    char what[80], detail[120];
    snprintf(what, sizeof what, "%zu KiB thread stack: trap", size / 1024);
    expect_exhausted(&r, what);
    size_t hit = small_stack_free(&s);
    snprintf(what, sizeof what, "%zu KiB thread stack: canary intact", size / 1024);
    snprintf(detail, sizeof detail, "written %zu bytes below the guard page", hit);
    check(what, hit == 0, hit ? detail : NULL);
}

/* Instantiating on a thread whose stack cannot hold the frame is refused. */
typedef struct inst_try {
    w2n_store *store;
    const w2n_object *obj;
    w2n_status status;
    w2n_error err;
} inst_try;

static void *instantiate(void *arg) {
    inst_try *t = arg;
    w2n_instance *inst;
    w2n_trap trap;
    t->status = w2n_instantiate(t->store, t->obj, NULL, 0, &inst, &trap, &t->err);
    return NULL;
}

static void refused_on_small_stack(const w2n_object *obj) {
    small_stack s;
    small_stack_make(&s, 384 * 1024);
    inst_try t = {.store = w2n_store_new(NULL), .obj = obj};
    pthread_t th;
    pthread_create(&th, &s.attr, instantiate, &t);
    pthread_join(th, NULL);
    check("instantiate on a 384 KiB stack is refused",
          t.status == W2N_ERR_LIMIT && strstr(t.err.message, "does not fit in this thread's stack"),
          t.status == W2N_OK ? "instantiated" : t.err.message);
    w2n_store_free(t.store);
    small_stack_free(&s);
}

/* Resealed with a frame 16 bytes smaller than the code's. */
static void lie_refused(const uint8_t *bytes, size_t size, const w2n_meta *meta) {
    uint8_t *copy = malloc(size);
    memcpy(copy, bytes, size);
    w2n_elf elf;
    w2n_error err;
    if (w2n_elf_read(copy, size - W2N_SEAL_SIZE, &elf, &err) != W2N_OK) {
        check("read the object's ELF", 0, err.message);
        free(copy);
        return;
    }
    uint8_t *field = copy + elf.sections[w2n_elf_find_section(&elf, W2N_META_SECTION)].offset +
                     W2N_META_FRAME_OFFSET;
    w2n_elf_free(&elf);
    uint64_t lie = meta->max_frame - 16;
    for (int i = 0; i < 8; i++)
        field[i] = (uint8_t)(lie >> (8 * i));
    w2n_seal_update(copy, size, &err);
    w2n_object *obj = NULL;
    w2n_status st = w2n_object_load(copy, size, &obj, &err);
    check("smaller frame in resealed metadata refused",
          st == W2N_ERR_BAD_OBJECT && strstr(err.message, "metadata says its largest stack frame"),
          st == W2N_OK ? "loaded" : err.message);
    w2n_object_free(obj);
    free(copy);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line out before a crash */
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    if (w2n_read_file(argv[1], &bytes, &size, &err) != W2N_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    w2n_object *obj;
    if (w2n_object_load(bytes, size, &obj, &err) != W2N_OK) {
        printf("load failed: %s FAIL\n", err.message);
        return 1;
    }
    const w2n_meta *m = &obj->meta;
    printf("%s: largest frame %llu bytes + %u vector registers\n", w2n_arch_name(w2n_host_arch()),
           (unsigned long long)m->max_frame, m->max_frame_vlenb);
    if (w2n_frame_decoder(w2n_host_arch())) {
        check("frame measured larger than the reserve", m->max_frame > W2N_STACK_RESERVE, NULL);
        lie_refused(bytes, size, m);
    }
    /* A budget beyond any stack: the end of the stack must decide. */
    w2n_store_options so = {.stack_size = (size_t)1 << 30};
    w2n_store *store = w2n_store_new(&so);
    w2n_instance *inst;
    w2n_trap trap;
    if (w2n_instantiate(store, obj, NULL, 0, &inst, &trap, &err) != W2N_OK) {
        printf("instantiate failed: %s FAIL\n", err.message);
        return 1;
    }
    w2n_extern e;
    if (w2n_instance_export(inst, "run", &e) != W2N_OK || e.kind != W2N_EXTERN_FUNC) {
        printf("no export run FAIL\n");
        return 1;
    }
    run r = {.store = store, .func = e.of.func, .depth = 100000};
    call_run(&r);
    expect_exhausted(&r, "main thread: trap");
    for (size_t kib = 512; kib <= 2048; kib += 64)
        on_thread(store, e.of.func, kib * 1024);
    r.depth = 1;
    call_run(&r);
    check("main thread: a shallow call still runs", r.status == W2N_OK,
          r.status == W2N_OK ? NULL : r.trap.message);
    if (w2n_frame_decoder(w2n_host_arch()))
        refused_on_small_stack(obj);
    w2n_store_free(store);
    w2n_object_free(obj);
    free(bytes);
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures != 0;
}
