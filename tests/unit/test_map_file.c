/*
 * test_rt_map_file.c — objects are loaded from their files by mapping
 * (runtime/loader/object_file.c, common/image_layout.h): the code is the
 * file's pages, replacing the file does not change running code, a file
 * others may write is copied instead, the compiler's layout is what the
 * loader expects, and the seal cache vouches only for what it saw.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "elf_object.h"
#include "image_layout.h"
#include "internal.h"
#include "seal.h"
#include "seal_cache.h"
#include "w2n/file.h"
#include "wat_kit.h"

static void compile_to(const char *wat, const char *path, mode_t mode) {
    uint8_t *wasm, *bytes;
    size_t wasm_size, size;
    assemble(wat, &wasm, &wasm_size);
    w2n_compile_options opts;
    w2n_compile_options_init(&opts);
    w2n_error err;
    cr_assert_eq(w2n_compile(wasm, wasm_size, &opts, &bytes, &size, &err), W2N_OK, "%s",
                 err.message);
    free(wasm);
    /* As `w2n compile -o` does: a new file renamed over the old. */
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, bytes, size), (ssize_t)size);
    cr_assert_eq(fchmod(fd, mode), 0);
    close(fd);
    cr_assert_eq(rename(tmp, path), 0);
    free(bytes);
}

static const char *answer(int n) {
    static char wat[512];
    snprintf(wat, sizeof wat,
             "(module (func (export \"f\") (result i32) i32.const %d)"
             " (func (export \"g\") (param i32) (result i32) local.get 0 call 0 i32.add)"
             /* a constant in .rodata: a relocation in the code, PC-relative */
             " (func (export \"h\") (param f64) (result f64) local.get 0 f64.const 3.25 f64.mul))",
             n);
    return wat;
}

static int32_t call_g(w2n_object *obj, int32_t x) {
    w2n_store *store = w2n_store_new(NULL);
    w2n_instance *inst;
    w2n_error err;
    cr_assert_eq(w2n_instantiate(store, obj, NULL, 0, &inst, NULL, &err), W2N_OK, "%s",
                 err.message);
    w2n_extern e;
    cr_assert_eq(w2n_instance_export(inst, "g", &e), W2N_OK);
    w2n_value arg = w2n_i32(x), r;
    cr_assert_eq(w2n_func_call(store, e.of.func, &arg, 1, &r, 1, NULL, &err), W2N_OK);
    w2n_store_free(store);
    return r.of.i32;
}

/* The permissions of the mappings of `path` in /proc/self/maps ("r-xp"
 * ...), concatenated; empty when the file is not mapped. */
static void mappings_of(const char *path, char *out, size_t size) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    out[0] = 0;
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        char perms[8];
        if (strstr(line, path) && sscanf(line, "%*s %7s", perms) == 1) {
            strncat(out, perms, size - strlen(out) - 2);
            strncat(out, " ", size - strlen(out) - 1);
        }
    }
    fclose(f);
}

/* Anonymous (kB) of the executable mapping of `path` in /proc/self/smaps:
 * the pages that are private copies, not the file's (page-cache pages of a
 * file just written are dirty too, so Private_Dirty cannot tell); -1 when
 * there is no such mapping. */
static long copied_code_kb(const char *path) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[1024];
    long dirty = -1;
    bool in_code = false;
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        char perms[8];
        if (sscanf(line, "%*x-%*x %7s", perms) == 1) /* a mapping's header line */
            in_code = strstr(line, path) && !strcmp(perms, "r-xp");
        else if (in_code && !strncmp(line, "Anonymous:", 10))
            dirty = strtol(line + 10, NULL, 10);
    }
    fclose(f);
    return dirty;
}

static void temp_path(char *out, size_t size) {
    snprintf(out, size, "/tmp/w2n_map_file_%ld_%ld.o", (long)getpid(), (long)clock());
}

Test(map_file, code_is_the_files_pages) {
    char path[128], maps[256];
    temp_path(path, sizeof path);
    compile_to(answer(40), path, 0600);
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert(w2n_image_mapped_from_file(obj->image));
    mappings_of(path, maps, sizeof maps);
    cr_assert(strstr(maps, "r-xp"), "no executable mapping of %s: '%s'", path, maps);
    cr_assert_null(strstr(maps, "w"), "a writable mapping of the file: '%s'", maps);
    cr_assert_eq(call_g(obj, 2), 42);
    /* No relocation lands in this code (no library calls): after running
     * it, its pages are still the page cache's, none a private copy. */
    cr_assert_eq(copied_code_kb(path), 0, "code pages were copied: %ld kB", copied_code_kb(path));
    w2n_object_free(obj);
    mappings_of(path, maps, sizeof maps);
    cr_assert_str_empty(maps, "still mapped after free: '%s'", maps);
    unlink(path);
}

Test(map_file, replacing_the_file_leaves_running_code_alone) {
    char path[128];
    temp_path(path, sizeof path);
    compile_to(answer(40), path, 0600);
    w2n_object *obj, *again;
    w2n_error err;
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    compile_to(answer(7), path, 0600); /* recompiled while loaded */
    cr_assert_eq(call_g(obj, 2), 42, "the loaded code changed with the file");
    cr_assert_eq(w2n_object_load_file(path, &again, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(call_g(again, 2), 9);
    cr_assert_eq(call_g(obj, 2), 42);
    w2n_object_free(again);
    w2n_object_free(obj);
    unlink(path);
}

Test(map_file, a_file_others_can_write_is_copied) {
    char path[128], maps[256];
    temp_path(path, sizeof path);
    compile_to(answer(40), path, 0666);
    cr_assert_eq(chmod(path, 0666), 0); /* whatever the umask */
    w2n_object *obj;
    w2n_error err;
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert_not(w2n_image_mapped_from_file(obj->image));
    mappings_of(path, maps, sizeof maps);
    cr_assert_str_empty(maps, "a file others can write is mapped: '%s'", maps);
    /* A write into it now cannot reach the code. */
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    uint8_t junk[8192];
    memset(junk, 0xcc, sizeof junk);
    cr_assert_eq(pwrite(fd, junk, sizeof junk, 0), (ssize_t)sizeof junk);
    close(fd);
    cr_assert_eq(call_g(obj, 2), 42);
    w2n_object_free(obj);
    unlink(path);
}

/* The compiler's side of the contract: regions on pages in order, the
 * table present and smaller than the relocations, .eh_frame terminated. */
Test(map_file, compiler_lays_out_for_mapping) {
    char path[128];
    temp_path(path, sizeof path);
    compile_to(answer(40), path, 0600);
    uint8_t *bytes;
    size_t size;
    w2n_error err;
    cr_assert_eq(w2n_read_file(path, &bytes, &size, &err), W2N_OK);
    unlink(path);
    w2n_elf elf;
    cr_assert_eq(w2n_elf_read(bytes, size - W2N_SEAL_SIZE, &elf, &err), W2N_OK, "%s", err.message);
    uint64_t lo[W2N_NREGIONS] = {UINT64_MAX, UINT64_MAX, UINT64_MAX}, hi[W2N_NREGIONS] = {0};
    size_t nrelocs = 0;
    for (uint32_t i = 1; i < elf.nsections; i++) {
        const w2n_elf_section *s = &elf.sections[i];
        if (s->type == W2N_SHT_RELA && (elf.sections[s->info].flags & W2N_SHF_ALLOC))
            nrelocs += w2n_elf_rela_count(&elf, i);
        if (!(s->flags & W2N_SHF_ALLOC) || s->type == W2N_SHT_NOBITS)
            continue;
        int r = w2n_layout_region(s);
        lo[r] = s->offset < lo[r] ? s->offset : lo[r];
        hi[r] = s->offset + s->size > hi[r] ? s->offset + s->size : hi[r];
        if (w2n_layout_needs_terminator(s))
            cr_assert_eq(memcmp(bytes + s->offset + s->size, "\0\0\0\0", 4), 0);
    }
    cr_assert_eq(lo[W2N_REGION_RX] % W2N_LAYOUT_PAGE, 0);
    cr_assert_eq(lo[W2N_REGION_RO] % W2N_LAYOUT_PAGE, 0);
    cr_assert_geq(lo[W2N_REGION_RO], hi[W2N_REGION_RX]);
    uint32_t t = w2n_elf_find_section(&elf, W2N_LAYOUT_SECTION);
    cr_assert_neq(t, 0, "no %s", W2N_LAYOUT_SECTION);
    int64_t n = w2n_layout_count(elf.sections[t].data, elf.sections[t].size);
    cr_assert_geq(n, 0);
    /* The function pointer arrays stay; the call of f from g does not. */
    cr_assert_lt((size_t)n, nrelocs, "%lld of %zu relocations left to the loader", (long long)n,
                 nrelocs);
    w2n_elf_free(&elf);
    free(bytes);
}

static struct stat old_file(void) {
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_dev = 5;
    st.st_ino = 77;
    st.st_size = 1234;
    st.st_mtim.tv_sec = st.st_ctim.tv_sec = time(NULL) - 60;
    st.st_ctim.tv_nsec = 17;
    return st;
}

Test(map_file, seal_cache_vouches_only_for_what_it_saw) {
    char dir[] = "/tmp/w2n_seal_cache_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("W2N_SEAL_CACHE", dir, 1);
    uint8_t hash[W2N_SHA256_SIZE] = {1, 2, 3}, other[W2N_SHA256_SIZE] = {1, 2, 4};
    struct stat st = old_file();
    cr_assert_not(w2n_seal_cache_vouches(&st, hash), "an empty cache vouched");
    w2n_seal_cache_remember(&st, hash);
    cr_assert(w2n_seal_cache_vouches(&st, hash));
    cr_assert_not(w2n_seal_cache_vouches(&st, other), "another hash");
    struct stat changed = st;
    changed.st_ctim.tv_nsec++;
    cr_assert_not(w2n_seal_cache_vouches(&changed, hash), "a changed file");
    changed = st;
    changed.st_size++;
    cr_assert_not(w2n_seal_cache_vouches(&changed, hash), "a resized file");
    /* A file changed just now is not remembered: a second write in the
     * same clock tick would keep its change time. */
    struct stat fresh = old_file();
    fresh.st_ino = 78;
    fresh.st_ctim.tv_sec = time(NULL);
    w2n_seal_cache_remember(&fresh, hash);
    cr_assert_not(w2n_seal_cache_vouches(&fresh, hash), "a fresh file was remembered");
    /* A cache others can write is no cache. */
    cr_assert_eq(chmod(dir, 0777), 0);
    cr_assert_not(w2n_seal_cache_vouches(&st, hash), "a cache others can write vouched");
    cr_assert_eq(chmod(dir, 0700), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    unsetenv("W2N_SEAL_CACHE");
}

/* A host's default directory (w2n-run's ~/.cache/w2n/seals) is used while
 * $W2N_SEAL_CACHE is unset, made with its parents at the first entry, mode
 * 0700; an empty $W2N_SEAL_CACHE turns the cache off. */
Test(map_file, seal_cache_default_directory) {
    char dir[] = "/tmp/w2n_seal_default_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char seals[128];
    snprintf(seals, sizeof seals, "%s/cache/w2n/seals", dir);
    unsetenv("W2N_SEAL_CACHE");
    uint8_t hash[W2N_SHA256_SIZE] = {9, 8, 7};
    struct stat st = old_file(), made;
    w2n_seal_cache_remember(&st, hash);
    cr_assert_neq(stat(seals, &made), 0, "no default set, yet a directory was made");
    w2n_seal_cache_set_default(seals);
    cr_assert_not(w2n_seal_cache_vouches(&st, hash), "an empty cache vouched");
    w2n_seal_cache_remember(&st, hash);
    cr_assert_eq(stat(seals, &made), 0, "the default directory was not made");
    cr_assert_eq(made.st_mode & 0777, 0700);
    cr_assert(w2n_seal_cache_vouches(&st, hash));
    setenv("W2N_SEAL_CACHE", "", 1);
    cr_assert_not(w2n_seal_cache_vouches(&st, hash), "an empty W2N_SEAL_CACHE is no cache");
    unsetenv("W2N_SEAL_CACHE");
    w2n_seal_cache_set_default(NULL);
    cr_assert_not(w2n_seal_cache_vouches(&st, hash), "the default was reset");
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The hash the seal of the file at `path` holds, and its status. */
static void seal_of(const char *path, struct stat *out_st, uint8_t hash[W2N_SHA256_SIZE]) {
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(fstat(fd, out_st), 0);
    cr_assert_eq(
        pread(fd, hash, W2N_SHA256_SIZE, out_st->st_size - W2N_SEAL_SIZE + W2N_SEAL_HASH_AT),
        W2N_SHA256_SIZE);
    close(fd);
}

/* `w2n compile` enters the file it just wrote (w2n_seal_cache_add_file):
 * the cache then vouches for it at once, not two seconds later; a write
 * into the file afterwards is seen, and the load hashes and refuses it;
 * a file whose seal does not hold, or that others may write, is not
 * entered. */
Test(map_file, seal_cache_enters_a_file_just_written) {
    char dir[] = "/tmp/w2n_seal_add_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.o", dir);
    compile_to(answer(7), path, 0644);
    cr_assert_not(w2n_seal_cache_add_file(path), "entered with no cache directory");
    setenv("W2N_SEAL_CACHE", dir, 1);
    struct stat st;
    uint8_t hash[W2N_SHA256_SIZE];
    seal_of(path, &st, hash);
    cr_assert(w2n_seal_cache_add_file(path), "a file just written was not entered");
    cr_assert(w2n_seal_cache_vouches(&st, hash));

    /* One byte of code changed in place, after the entry was written. */
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(pwrite(fd, "\xcc", 1, st.st_size / 2), 1);
    close(fd);
    struct stat now;
    seal_of(path, &now, hash);
    cr_assert_not(w2n_seal_cache_vouches(&now, hash), "vouched for a file written since");
    w2n_object *obj;
    w2n_error err;
    cr_assert_neq(w2n_object_load_file(path, &obj, &err), W2N_OK, "a tampered file loaded");
    cr_assert(strstr(err.message, "does not match its seal"), "%s", err.message);
    cr_assert_not(w2n_seal_cache_add_file(path), "a file whose seal fails was entered");

    compile_to(answer(8), path, 0664);
    cr_assert_not(w2n_seal_cache_add_file(path), "a file others may write was entered");
    compile_to(answer(9), path, 0644);
    cr_assert(w2n_seal_cache_add_file(path));
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(call_g(obj, 1), 10);
    w2n_object_free(obj);
    unsetenv("W2N_SEAL_CACHE");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The loader's steps are timed only when a host asks (their clock reads
 * are system calls, ~10 us a load): none by default, all once asked. */
Test(map_file, load_phases_only_on_request) {
    char path[128];
    temp_path(path, sizeof path);
    compile_to(answer(3), path, 0644);
    w2n_object *obj;
    w2n_error err;
    const w2n_load_phase *p;
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    cr_assert_eq(w2n_object_load_phases(obj, &p), 0, "phases recorded without a request");
    w2n_object_free(obj);
    w2n_load_phases_record(true);
    cr_assert_eq(w2n_object_load_file(path, &obj, &err), W2N_OK, "%s", err.message);
    uint32_t n = w2n_object_load_phases(obj, &p);
    w2n_load_phases_record(false);
    bool seal = false, relocate = false;
    for (uint32_t i = 0; i < n; i++) {
        seal |= !strcmp(p[i].name, "seal");
        relocate |= !strcmp(p[i].name, "relocate");
    }
    cr_assert(seal && relocate, "%u phases, without seal or relocate", n);
    w2n_object_free(obj);
    unlink(path);
}
