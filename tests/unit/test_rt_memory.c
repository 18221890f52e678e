/*
 * test_rt_memory.c — linear memories: guard reservation, grow, protections,
 * explicit mode that moves.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "maps_kit.h"
#include "rt_testkit.h"

Test(rt_memory, guard_reservation_and_protections) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_error err;
    w2n_memory *mem = w2n_memory_new(store, kit_limits(1, 4), W2N_BOUNDS_GUARD, &err);
    cr_assert_not_null(mem, "%s", err.message);
    uint8_t *base = w2n_memory_data(mem);
    cr_assert_eq(w2n_memory_size(mem), 65536);
    base[0] = 1;
    base[65535] = 2;
    uintptr_t s, e;
    char prot[5];
    cr_assert(find_mapping((uintptr_t)base, &s, &e, prot));
    cr_assert_str_eq(prot, "rw-p");
    cr_assert_eq(e, (uintptr_t)base + 65536);
    cr_assert(find_mapping((uintptr_t)base + 65536, &s, &e, prot));
    cr_assert_str_eq(prot, "---p");
    /* The PROT_NONE part runs to the end of the 8 GiB (+ one page) reservation. */
    cr_assert_geq(e - (uintptr_t)base, W2N_GUARD_RESERVATION);
    w2n_store_free(store);
}

Test(rt_memory, guard_grow_keeps_base_and_zeroes) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *mem = w2n_memory_new(store, kit_limits(1, 3), W2N_BOUNDS_GUARD, NULL);
    uint8_t *base = w2n_memory_data(mem);
    base[10] = 42;
    cr_assert_eq(w2n_memory_grow(mem, 1), 1);
    cr_assert_eq(w2n_memory_data(mem), base);
    cr_assert_eq(w2n_memory_size(mem), 2 * 65536);
    cr_assert_eq(base[10], 42);
    cr_assert_eq(base[65536 + 100], 0);
    base[2 * 65536 - 1] = 7;
    cr_assert_eq(w2n_memory_grow(mem, 2), -1, "beyond max 3");
    cr_assert_eq(w2n_memory_size(mem), 2 * 65536);
    cr_assert_eq(w2n_memory_grow(mem, 0), 2);
    cr_assert_eq(w2n_memory_grow(mem, 1), 2);
    cr_assert_eq(w2n_memory_grow(mem, 1), -1);
    w2n_store_free(store);
}

Test(rt_memory, spec_maximum_without_declared_max) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *mem = w2n_memory_new(store, kit_limits(0, -1), W2N_BOUNDS_GUARD, NULL);
    cr_assert_eq(w2n_memory_size(mem), 0);
    cr_assert_eq(w2n_memory_grow(mem, 65537), -1);
    cr_assert_eq(w2n_memory_grow(mem, 65536), 0, "the full 4 GiB is committable in guard mode");
    cr_assert_eq(w2n_memory_size(mem), UINT64_C(4) << 30);
    cr_assert_eq(w2n_memory_grow(mem, 1), -1);
    w2n_store_free(store);
}

Test(rt_memory, beyond_size_faults, .signal = SIGSEGV) {
    DEFAULT_SEGV_ACTION();
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *mem = w2n_memory_new(store, kit_limits(1, -1), W2N_BOUNDS_GUARD, NULL);
    volatile uint8_t *base = w2n_memory_data(mem);
    base[65536] = 1; /* no Wasm call active: the handler passes it on */
}

Test(rt_memory, explicit_mode_exact_and_moves) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_error err;
    w2n_memory *mem = w2n_memory_new(store, kit_limits(1, -1), W2N_BOUNDS_EXPLICIT, &err);
    cr_assert_not_null(mem, "%s", err.message);
    uint8_t *base = w2n_memory_data(mem);
    uintptr_t s, e;
    char prot[5];
    cr_assert(find_mapping((uintptr_t)base, &s, &e, prot));
    cr_assert_str_eq(prot, "rw-p");
    for (int i = 0; i < 65536; i++)
        base[i] = (uint8_t)i;
    /* Block in-place growth so that mremap must move the mapping. */
    void *blocker = mmap(base + 65536, 4096, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert_eq(w2n_memory_grow(mem, 15), 1);
    uint8_t *moved = w2n_memory_data(mem);
    if (blocker != MAP_FAILED)
        cr_assert_neq(moved, base, "grow had to move the mapping");
    cr_assert_eq(w2n_memory_size(mem), 16 * 65536);
    for (int i = 0; i < 65536; i++)
        cr_assert_eq(moved[i], (uint8_t)i);
    cr_assert_eq(moved[16 * 65536 - 1], 0);
    if (blocker != MAP_FAILED)
        munmap(blocker, 4096);
    w2n_store_free(store);
}

Test(rt_memory, explicit_zero_pages_has_a_base) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *mem = w2n_memory_new(store, kit_limits(0, 1), W2N_BOUNDS_EXPLICIT, NULL);
    cr_assert_not_null(w2n_memory_data(mem));
    cr_assert_eq(w2n_memory_size(mem), 0);
    cr_assert_eq(w2n_memory_grow(mem, 1), 0);
    w2n_memory_data(mem)[65535] = 5;
    cr_assert_eq(w2n_memory_grow(mem, 1), -1);
    w2n_store_free(store);
}

Test(rt_memory, bad_limits_rejected) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_error err;
    cr_assert_null(w2n_memory_new(store, kit_limits(65537, -1), W2N_BOUNDS_GUARD, &err));
    cr_assert_eq(err.code, W2N_ERR_ARGUMENT);
    cr_assert_null(w2n_memory_new(store, kit_limits(2, 1), W2N_BOUNDS_EXPLICIT, &err));
    w2n_store_free(store);
}

/* A 64-bit memory (memory64) is mapped exactly, as for explicit-bounds
 * code, even when asked for guard mode; its limits go to 2^48 pages, and
 * sizes no host can map fail cleanly instead of wrapping. */
static w2n_limits limits64(uint64_t min, int64_t max) {
    w2n_limits l = kit_limits(min, max);
    l.is64 = true;
    return l;
}

Test(rt_memory, memory64_mapped_exactly_and_limited) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_error err;
    w2n_memory *mem = w2n_memory_new(store, limits64(1, -1), W2N_BOUNDS_GUARD, &err);
    cr_assert_not_null(mem, "%s", err.message);
    uintptr_t s, e;
    char prot[5];
    cr_assert(find_mapping((uintptr_t)w2n_memory_data(mem), &s, &e, prot));
    cr_assert_str_eq(prot, "rw-p");
    cr_assert_eq(e, (uintptr_t)w2n_memory_data(mem) + 65536, "no guard reservation");
    uintptr_t end = e;
    if (find_mapping(end, &s, &e, prot) && !strcmp(prot, "---p"))
        cr_assert_lt(e - end, W2N_GUARD_RESERVATION, "a guard reservation follows it");
    cr_assert_eq(w2n_memory_grow(mem, UINT64_C(1) << 48), -1);       /* past the spec's maximum */
    cr_assert_eq(w2n_memory_grow(mem, (UINT64_C(1) << 48) - 1), -1); /* 2^64 bytes */
    cr_assert_eq(w2n_memory_grow(mem, UINT64_C(1) << 47), -1);       /* 2^63 bytes: no host */
    cr_assert_eq(w2n_memory_grow(mem, 1), 1);
    cr_assert_eq(w2n_memory_size(mem), 131072);

    cr_assert_null(
        w2n_memory_new(store, limits64((UINT64_C(1) << 48) + 1, -1), W2N_BOUNDS_EXPLICIT, &err));
    cr_assert_eq(err.code, W2N_ERR_ARGUMENT);
    cr_assert_str_eq(err.message, "memory size must be at most 2^48 pages");
    cr_assert_null(
        w2n_memory_new(store, limits64(UINT64_C(1) << 48, -1), W2N_BOUNDS_EXPLICIT, &err));
    cr_assert_eq(err.code, W2N_ERR_NOMEM, "%s", err.message);
    /* A 32-bit memory still stops at 65536 pages. */
    cr_assert_null(w2n_memory_new(store, kit_limits(65537, -1), W2N_BOUNDS_EXPLICIT, &err));
    w2n_store_free(store);
}

Test(rt_memory, reservations_are_released) {
    /* 3 x 200 reservations of 8 GiB would exhaust a 47-bit address space
     * (and the registry) if freeing a store leaked them. */
    for (int round = 0; round < 3; round++) {
        w2n_store *store = w2n_store_new(NULL);
        for (int i = 0; i < 200; i++)
            cr_assert_not_null(w2n_memory_new(store, kit_limits(1, -1), W2N_BOUNDS_GUARD, NULL));
        w2n_store_free(store);
    }
    for (int i = 0; i < 9000; i++) {
        w2n_store *store = w2n_store_new(NULL);
        cr_assert_not_null(w2n_memory_new(store, kit_limits(0, -1), W2N_BOUNDS_GUARD, NULL),
                           "round %d", i);
        w2n_store_free(store);
    }
}

/* Does the VmFlags line of the mapping holding addr (in /proc/self/smaps)
 * have `flag`, such as "hg" (MADV_HUGEPAGE)? */
static bool mapping_has_flag(uintptr_t addr, const char *flag) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    bool inside = false, has = false;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e;
        if (sscanf(line, "%lx-%lx ", &s, &e) == 2)
            inside = addr >= s && addr < e;
        else if (inside && !strncmp(line, "VmFlags:", 8)) {
            char word[8];
            snprintf(word, sizeof word, " %s", flag);
            for (char *p = line + 8; (p = strstr(p, word)) != NULL; p++)
                has |= p[strlen(word)] == ' ' || p[strlen(word)] == '\n';
            break;
        }
    }
    if (f)
        fclose(f);
    return has;
}

/* Where a memory of `mode` made under `opts` carries huge-page advice: in
 * its initial 64 pages, and in the 64 + 64 pages two grows add (two, so that
 * a moving memory shows it still grows after the first advice). */
typedef struct {
    bool initial, grown;
} advice;

static advice huge_page_advice(const w2n_store_options *opts, w2n_bounds_mode mode) {
    w2n_store *store = w2n_store_new(opts);
    w2n_error err;
    w2n_memory *mem = w2n_memory_new(store, kit_limits(64, 256), mode, &err);
    cr_assert_not_null(mem, "%s", err.message);
    uintptr_t base = (uintptr_t)w2n_memory_data(mem);
    if (mode == W2N_BOUNDS_GUARD) /* where 2 MiB pages can start */
        cr_assert_eq(base % (2u << 20), 0, "guard base %#lx", (unsigned long)base);
    w2n_memory_data(mem)[100] = 42;
    cr_assert_eq(w2n_memory_grow(mem, 64), 64);
    cr_assert_eq(w2n_memory_grow(mem, 64), 128, "a memory grows again after the advice");
    uint8_t *data = w2n_memory_data(mem);
    cr_assert_eq(data[100], 42);
    data[192 * 65536 - 1] = 1;
    advice a = {mapping_has_flag((uintptr_t)data, "hg"),
                mapping_has_flag((uintptr_t)data + 64 * 65536, "hg")};
    cr_assert_eq(mapping_has_flag((uintptr_t)data + 191 * 65536, "hg"), a.grown);
    w2n_store_free(store);
    return a;
}

#define cr_assert_advice(opts, mode, want_initial, want_grown)              \
    do {                                                                    \
        advice a_ = huge_page_advice(opts, mode);                           \
        cr_assert_eq(a_.initial, want_initial, "%s: initial pages", #opts); \
        cr_assert_eq(a_.grown, want_grown, "%s: grown pages", #opts);       \
    } while (0)

static void skip_without_thp(void) {
    if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) != 0)
        cr_skip_test("this kernel has no transparent huge pages");
}

/* The default: only what memory.grow adds, below 64 MiB (docs/performance.md,
 * "Huge pages: the default"); explicit mode's moving mapping is advised whole
 * once grown. */
Test(rt_memory, huge_pages_by_default_only_where_memory_grows) {
    skip_without_thp();
    cr_assert_advice(NULL, W2N_BOUNDS_GUARD, false, true);
    cr_assert_advice(NULL, W2N_BOUNDS_EXPLICIT, true, true);
    w2n_store_options dflt = {.huge_pages = W2N_HUGE_PAGES_DEFAULT};
    cr_assert_advice(&dflt, W2N_BOUNDS_GUARD, false, true);
    w2n_store_options grown = {.huge_pages = W2N_HUGE_PAGES_GROWN};
    cr_assert_advice(&grown, W2N_BOUNDS_GUARD, false, true);
}

/* Grown bytes past 64 MiB keep 4 KiB pages by default; a moving memory is
 * told "no huge pages" (nh) whole once it passes 64 MiB. */
Test(rt_memory, huge_pages_by_default_stop_at_64_mib) {
    skip_without_thp();
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *guard = w2n_memory_new(store, kit_limits(16, 2048), W2N_BOUNDS_GUARD, NULL);
    cr_assert_eq(w2n_memory_grow(guard, 1264), 16, "to 80 MiB");
    uintptr_t base = (uintptr_t)w2n_memory_data(guard);
    cr_assert(mapping_has_flag(base + (60u << 20), "hg"));
    cr_assert_not(mapping_has_flag(base + (64u << 20), "hg"));
    cr_assert_not(mapping_has_flag(base + (79u << 20), "hg"));
    w2n_memory *moving = w2n_memory_new(store, kit_limits(16, 2048), W2N_BOUNDS_EXPLICIT, NULL);
    cr_assert_eq(w2n_memory_grow(moving, 1008), 16, "to 64 MiB");
    cr_assert(mapping_has_flag((uintptr_t)w2n_memory_data(moving), "hg"));
    cr_assert_eq(w2n_memory_grow(moving, 16), 1024, "past 64 MiB");
    w2n_memory_data(moving)[(65u << 20) - 1] = 7;
    cr_assert(mapping_has_flag((uintptr_t)w2n_memory_data(moving), "nh"));
    cr_assert_not(mapping_has_flag((uintptr_t)w2n_memory_data(moving), "hg"));
    cr_assert_eq(w2n_memory_grow(moving, 16), 1040, "and grows on");
    w2n_store_free(store);
}

Test(rt_memory, huge_pages_always_and_never) {
    skip_without_thp();
    w2n_store_options always = {.huge_pages = W2N_HUGE_PAGES_ALWAYS};
    cr_assert_advice(&always, W2N_BOUNDS_GUARD, true, true);
    cr_assert_advice(&always, W2N_BOUNDS_EXPLICIT, true, true);
    w2n_store_options never = {.huge_pages = W2N_HUGE_PAGES_NEVER};
    cr_assert_advice(&never, W2N_BOUNDS_GUARD, false, false);
    cr_assert_advice(&never, W2N_BOUNDS_EXPLICIT, false, false);
    w2n_store_options no = {.no_huge_pages = true, .huge_pages = W2N_HUGE_PAGES_ALWAYS};
    cr_assert_advice(&no, W2N_BOUNDS_GUARD, false, false);
    cr_assert_advice(&no, W2N_BOUNDS_EXPLICIT, false, false);
}

/* What the kernel does with the advice: a grown 4 MiB of a guard memory is
 * backed by huge pages, its initial 4 MiB is not (THP "madvise" or
 * "always" mode, and 2 MiB pages to spare; skipped otherwise). */
static uint64_t anon_huge_kib(uintptr_t from, uintptr_t to) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    bool inside = false;
    uint64_t kib = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e, v;
        if (sscanf(line, "%lx-%lx ", &s, &e) == 2)
            inside = s >= from && e <= to;
        else if (inside && sscanf(line, "AnonHugePages: %lu kB", &v) == 1)
            kib += v;
    }
    if (f)
        fclose(f);
    return kib;
}

Test(rt_memory, grown_memory_gets_huge_pages_initial_does_not) {
    skip_without_thp();
    w2n_store *store = w2n_store_new(NULL);
    w2n_memory *mem = w2n_memory_new(store, kit_limits(64, 128), W2N_BOUNDS_GUARD, NULL);
    cr_assert_eq(w2n_memory_grow(mem, 64), 64);
    uint8_t *data = w2n_memory_data(mem);
    memset(data, 1, 128 * 65536);
    uint64_t initial = anon_huge_kib((uintptr_t)data, (uintptr_t)data + 64 * 65536);
    uint64_t grown = anon_huge_kib((uintptr_t)data + 64 * 65536, (uintptr_t)data + 128 * 65536);
    w2n_store_free(store);
    cr_assert_eq(initial, 0);
    if (grown == 0)
        cr_skip_test("the kernel gave no huge page (THP mode or memory): advice checked above");
    cr_assert_eq(grown, 4096);
}
