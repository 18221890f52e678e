/*
 * test_rt_wasi.c — the WASI preview 1 cores on a fake guest memory.
 *
 * Each test builds a w2n_wasi over a fresh temporary directory preopened as
 * "/sandbox" (fd 3) and calls the cores directly with a 64 KiB byte buffer
 * as guest memory, so layouts, errnos, bounds checks and the sandbox are
 * checked without a compiler or an instance.  Sandbox tests run twice: with
 * openat2 (where the kernel has it) and with the component walk.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define MEM_SIZE 65536
#define PRE 3 /* the preopen's fd */

static uint8_t mem_buf[MEM_SIZE];
static wasi_mem mem = {mem_buf, MEM_SIZE};
static char tmpdir[64];
static w2n_wasi *wasi;

static void sh(const char *fmt, const char *arg) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* A w2n_wasi over tmpdir/box, preopened as /sandbox (fd 3). */
static w2n_wasi *make_wasi(uint32_t max_open_files) {
    char spec[128];
    snprintf(spec, sizeof spec, "%s/box::/sandbox", tmpdir);
    const char *dirs[] = {spec};
    const char *argv[] = {"prog", "a b", ""};
    const char *envp[] = {"K=V", "EMPTY="};
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.argc = 3;
    cfg.argv = argv;
    cfg.envc = 2;
    cfg.envp = envp;
    cfg.ndirs = 1;
    cfg.dirs = dirs;
    cfg.max_open_files = max_open_files;
    w2n_error err;
    w2n_wasi *w = w2n_wasi_new(&cfg, &err);
    cr_assert_not_null(w, "%s", err.message);
    return w;
}

static void setup(void) {
    strcpy(tmpdir, "/tmp/w2n-wasi-test-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    /* root/box is the sandbox; root/secret lies outside it. */
    sh("mkdir -p %s/box/sub && echo secret > %s/secret && echo hello > %s/box/sub/f", tmpdir);
    wasi = make_wasi(0);
    memset(mem_buf, 0, sizeof mem_buf);
}

static void teardown(void) {
    w2n_wasi_free(wasi);
    sh("rm -rf %s", tmpdir);
}

TestSuite(rt_wasi, .init = setup, .fini = teardown);

/* Put a string at `at` in guest memory; returns its length. */
static uint32_t put(uint32_t at, const char *s) {
    size_t n = strlen(s);
    memcpy(mem_buf + at, s, n);
    return (uint32_t)n;
}

static uint32_t u32(uint32_t at) { return wasi_get_u32(mem_buf + at); }
static uint64_t u64(uint32_t at) { return wasi_get_u64(mem_buf + at); }

/* path_open relative to the preopen; returns errno, fd at *fd. */
static wasi_errno open_path(const char *path, uint32_t oflags, uint64_t rights, bool follow,
                            uint32_t *fd) {
    uint32_t len = put(1000, path);
    wasi_errno e = w2n_wasi_path_open(wasi, &mem, PRE, follow ? WASI_LOOKUP_SYMLINK_FOLLOW : 0,
                                      1000, len, oflags, rights, WASI_RIGHTS_ALL, 0, 900);
    *fd = u32(900);
    return e;
}

static wasi_errno write_str(uint32_t fd, const char *s) {
    uint32_t len = put(2000, s);
    wasi_put_u32(mem_buf + 100, 2000);
    wasi_put_u32(mem_buf + 104, len);
    return w2n_wasi_fd_write(wasi, &mem, fd, 100, 1, 108);
}

Test(rt_wasi, new_rejects_missing_directory) {
    const char *dirs[] = {"/nonexistent/w2n-dir"};
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.ndirs = 1;
    cfg.dirs = dirs;
    w2n_error err;
    cr_assert_null(w2n_wasi_new(&cfg, &err));
    cr_assert_eq(err.code, W2N_ERR_IO);
    cr_assert(strstr(err.message, "/nonexistent/w2n-dir"));
}

Test(rt_wasi, args_and_environ) {
    cr_assert_eq(w2n_wasi_args_sizes_get(wasi, &mem, 0, 4), 0);
    cr_assert_eq(u32(0), 3);
    cr_assert_eq(u32(4), 5 + 4 + 1);
    cr_assert_eq(w2n_wasi_args_get(wasi, &mem, 100, 200), 0);
    cr_assert_eq(u32(100), 200);
    cr_assert_str_eq((char *)mem_buf + u32(100), "prog");
    cr_assert_str_eq((char *)mem_buf + u32(104), "a b");
    cr_assert_eq(u32(108), 209);
    cr_assert_eq(mem_buf[209], 0);
    cr_assert_eq(w2n_wasi_environ_sizes_get(wasi, &mem, 0, 4), 0);
    cr_assert_eq(u32(0), 2);
    cr_assert_eq(u32(4), 4 + 7);
    cr_assert_eq(w2n_wasi_environ_get(wasi, &mem, 300, 400), 0);
    cr_assert_str_eq((char *)mem_buf + u32(304), "EMPTY=");
    /* Buffers that end past memory fault, also near 4 GiB. */
    cr_assert_eq(w2n_wasi_args_get(wasi, &mem, 100, MEM_SIZE - 5), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_args_get(wasi, &mem, MEM_SIZE - 8, 200), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_args_sizes_get(wasi, &mem, 0xfffffffe, 4), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_environ_sizes_get(wasi, &mem, 0, MEM_SIZE - 3), WASI_EFAULT);
}

Test(rt_wasi, prestat_layout) {
    memset(mem_buf, 0xaa, 16);
    cr_assert_eq(w2n_wasi_fd_prestat_get(wasi, &mem, PRE, 0), 0);
    cr_assert_eq(mem_buf[0], WASI_PREOPENTYPE_DIR);
    cr_assert_eq(mem_buf[1], 0); /* padding is cleared */
    cr_assert_eq(u32(4), 8);
    cr_assert_eq(mem_buf[8], 0xaa); /* 8 bytes, no more */
    cr_assert_eq(w2n_wasi_fd_prestat_dir_name(wasi, &mem, PRE, 100, 8), 0);
    cr_assert_eq(memcmp(mem_buf + 100, "/sandbox", 8), 0);
    cr_assert_eq(w2n_wasi_fd_prestat_dir_name(wasi, &mem, PRE, 100, 7), WASI_ENAMETOOLONG);
    cr_assert_eq(w2n_wasi_fd_prestat_get(wasi, &mem, 1, 0), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_prestat_get(wasi, &mem, PRE + 1, 0), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_prestat_get(wasi, &mem, PRE, MEM_SIZE - 7), WASI_EFAULT);
}

Test(rt_wasi, fdstat_layout_and_rights) {
    memset(mem_buf, 0xaa, 32);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, PRE, 0), 0);
    cr_assert_eq(mem_buf[0], WASI_FILETYPE_DIRECTORY);
    cr_assert_eq(mem_buf[1], 0);
    cr_assert_eq(u64(8), WASI_RIGHTS_DIR);
    cr_assert_eq(u64(16), WASI_RIGHTS_DIR | WASI_RIGHTS_FILE);
    cr_assert_eq(mem_buf[24], 0xaa);
    /* Rights may be dropped, never regained. */
    cr_assert_eq(
        w2n_wasi_fd_fdstat_set_rights(wasi, &mem, PRE, WASI_RIGHT_PATH_OPEN, WASI_RIGHTS_FILE), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_set_rights(wasi, &mem, PRE, WASI_RIGHTS_DIR, 0),
                 WASI_ENOTCAPABLE);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, put(100, "d")),
                 WASI_ENOTCAPABLE);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, 99, 0), WASI_EBADF);
}

Test(rt_wasi, create_write_read_seek_stat) {
    uint32_t fd;
    cr_assert_eq(
        open_path("new.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, WASI_RIGHTS_FILE, false, &fd), 0);
    cr_assert_geq(fd, 4);
    cr_assert_eq(write_str(fd, "hello, world"), 0);
    cr_assert_eq(u32(108), 12);
    cr_assert_eq(w2n_wasi_fd_tell(wasi, &mem, fd, 200), 0);
    cr_assert_eq(u64(200), 12);
    cr_assert_eq(w2n_wasi_fd_seek(wasi, &mem, fd, 7, WASI_WHENCE_SET, 200), 0);
    cr_assert_eq(u64(200), 7);
    /* Two iovecs: "world" splits into 3 + 2. */
    wasi_put_u32(mem_buf + 100, 3000);
    wasi_put_u32(mem_buf + 104, 3);
    wasi_put_u32(mem_buf + 108, 3010);
    wasi_put_u32(mem_buf + 112, 10);
    cr_assert_eq(w2n_wasi_fd_read(wasi, &mem, fd, 100, 2, 120), 0);
    cr_assert_eq(u32(120), 5);
    cr_assert_eq(memcmp(mem_buf + 3000, "wor", 3), 0);
    cr_assert_eq(memcmp(mem_buf + 3010, "ld", 2), 0);
    /* pread does not move the offset. */
    wasi_put_u32(mem_buf + 104, 5);
    cr_assert_eq(w2n_wasi_fd_pread(wasi, &mem, fd, 100, 1, 0, 120), 0);
    cr_assert_eq(memcmp(mem_buf + 3000, "hello", 5), 0);
    cr_assert_eq(w2n_wasi_fd_seek(wasi, &mem, fd, 0, WASI_WHENCE_CUR, 200), 0);
    cr_assert_eq(u64(200), 12);
    cr_assert_eq(w2n_wasi_fd_seek(wasi, &mem, fd, 0, 3, 200), WASI_EINVAL);
    /* filestat: 64 bytes, regular file of 12 bytes. */
    memset(mem_buf + 400, 0xaa, 80);
    cr_assert_eq(w2n_wasi_fd_filestat_get(wasi, &mem, fd, 400), 0);
    cr_assert_eq(mem_buf[416], WASI_FILETYPE_REGULAR_FILE);
    cr_assert_eq(u64(424), 1);
    cr_assert_eq(u64(432), 12);
    cr_assert_neq(u64(448), 0);
    cr_assert_eq(mem_buf[464], 0xaa);
    cr_assert_eq(w2n_wasi_fd_filestat_set_size(wasi, &mem, fd, 3), 0);
    cr_assert_eq(w2n_wasi_fd_filestat_get(wasi, &mem, fd, 400), 0);
    cr_assert_eq(u64(432), 3);
    /* Times: both "set" and "now" for one time is invalid. */
    cr_assert_eq(w2n_wasi_fd_filestat_set_times(wasi, &mem, fd, 0, 0,
                                                WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW),
                 WASI_EINVAL);
    cr_assert_eq(w2n_wasi_fd_filestat_set_times(wasi, &mem, fd, 0, UINT64_C(5000000000123),
                                                WASI_FSTFLAG_MTIM),
                 0);
    cr_assert_eq(w2n_wasi_fd_filestat_get(wasi, &mem, fd, 400), 0);
    cr_assert_eq(u64(448), UINT64_C(5000000000123));
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), WASI_EBADF);
    cr_assert_eq(write_str(fd, "x"), WASI_EBADF);
}

Test(rt_wasi, io_bounds_are_checked) {
    uint32_t fd;
    cr_assert_eq(open_path("f", WASI_OFLAG_CREAT, WASI_RIGHTS_FILE, false, &fd), 0);
    /* A buffer that runs past memory. */
    wasi_put_u32(mem_buf + 100, MEM_SIZE - 4);
    wasi_put_u32(mem_buf + 104, 5);
    cr_assert_eq(w2n_wasi_fd_write(wasi, &mem, fd, 100, 1, 108), WASI_EFAULT);
    /* A buffer at the very end with length 0 is fine. */
    wasi_put_u32(mem_buf + 100, MEM_SIZE);
    wasi_put_u32(mem_buf + 104, 0);
    cr_assert_eq(w2n_wasi_fd_write(wasi, &mem, fd, 100, 1, 108), 0);
    /* A huge iovec count must not wrap the size computation. */
    cr_assert_eq(w2n_wasi_fd_write(wasi, &mem, fd, 100, 0x20000001u, 108), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_fd_read(wasi, &mem, fd, 0xfffffffcu, 1, 108), WASI_EFAULT);
    /* Result pointer outside memory: nothing is written. */
    wasi_put_u32(mem_buf + 100, 2000);
    wasi_put_u32(mem_buf + 104, 1);
    cr_assert_eq(w2n_wasi_fd_write(wasi, &mem, fd, 100, 1, 0xffffffffu), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_fd_filestat_get(wasi, &mem, fd, 400), 0);
    cr_assert_eq(u64(432), 0);
    /* No memory at all. */
    wasi_mem none = {NULL, 0};
    cr_assert_eq(w2n_wasi_fd_write(wasi, &none, fd, 0, 1, 8), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_random_get(wasi, &none, 0, 0), 0);
    cr_assert_eq(w2n_wasi_random_get(wasi, &none, 0, 1), WASI_EFAULT);
}

Test(rt_wasi, write_needs_the_right) {
    uint32_t fd;
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHT_FD_READ, false, &fd), 0);
    cr_assert_eq(write_str(fd, "x"), WASI_EBADF); /* as POSIX, not notcapable */
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, fd, 0), 0);
    cr_assert_eq(u64(8), WASI_RIGHT_FD_READ);
    cr_assert_eq(w2n_wasi_fd_seek(wasi, &mem, fd, 0, WASI_WHENCE_SET, 200), WASI_ENOTCAPABLE);
}

Test(rt_wasi, stdio_and_bad_descriptors) {
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, 1, 0), 0);
    cr_assert(u64(8) & WASI_RIGHT_FD_WRITE);
    cr_assert_eq(w2n_wasi_fd_read(wasi, &mem, 77, 100, 0, 108), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, 0xffffffffu), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_readdir(wasi, &mem, 1, 0, 100, 0, 200), WASI_ENOTCAPABLE);
}

Test(rt_wasi, directories_and_files) {
    uint32_t len;
    len = put(100, "d");
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, len), 0);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, len), WASI_EEXIST);
    uint32_t fd;
    cr_assert_eq(open_path("d/x", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, WASI_RIGHTS_FILE, false, &fd),
                 0);
    cr_assert_eq(open_path("d/x", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, WASI_RIGHTS_FILE, false, &fd),
                 WASI_EEXIST);
    cr_assert_eq(w2n_wasi_path_remove_directory(wasi, &mem, PRE, 100, len), WASI_ENOTEMPTY);
    cr_assert_eq(open_path("d/x", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, false, &fd), WASI_ENOTDIR);
    cr_assert_eq(open_path("nothere", 0, WASI_RIGHTS_FILE, false, &fd), WASI_ENOENT);
    /* rename d/x -> d/y, then unlink, then rmdir */
    uint32_t l1 = put(100, "d/x"), l2 = put(200, "d/y");
    cr_assert_eq(w2n_wasi_path_rename(wasi, &mem, PRE, 100, l1, PRE, 200, l2), 0);
    cr_assert_eq(w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 100, l1, 400), WASI_ENOENT);
    cr_assert_eq(w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 200, l2, 400), 0);
    cr_assert_eq(mem_buf[416], WASI_FILETYPE_REGULAR_FILE);
    len = put(100, "d");
    cr_assert_eq(w2n_wasi_path_unlink_file(wasi, &mem, PRE, 100, len), WASI_EISDIR);
    cr_assert_eq(w2n_wasi_path_unlink_file(wasi, &mem, PRE, 200, l2), 0);
    cr_assert_eq(w2n_wasi_path_remove_directory(wasi, &mem, PRE, 100, len), 0);
    struct stat st;
    char host[128];
    snprintf(host, sizeof host, "%s/box/d", tmpdir);
    cr_assert_neq(stat(host, &st), 0);
    /* Hard link and symlink inside the sandbox. */
    l1 = put(100, "sub/f");
    l2 = put(200, "hard");
    cr_assert_eq(w2n_wasi_path_link(wasi, &mem, PRE, 0, 100, l1, PRE, 200, l2), 0);
    cr_assert_eq(w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 200, l2, 400), 0);
    cr_assert_eq(u64(424), 2);
    l1 = put(100, "sub/f");
    l2 = put(200, "soft");
    cr_assert_eq(w2n_wasi_path_symlink(wasi, &mem, 100, l1, PRE, 200, l2), 0);
    cr_assert_eq(w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 200, l2, 400), 0);
    cr_assert_eq(mem_buf[416], WASI_FILETYPE_SYMBOLIC_LINK);
    cr_assert_eq(
        w2n_wasi_path_filestat_get(wasi, &mem, PRE, WASI_LOOKUP_SYMLINK_FOLLOW, 200, l2, 400), 0);
    cr_assert_eq(mem_buf[416], WASI_FILETYPE_REGULAR_FILE);
    cr_assert_eq(u64(432), 6);
    /* readlink truncates to the buffer. */
    cr_assert_eq(w2n_wasi_path_readlink(wasi, &mem, PRE, 200, l2, 500, 3, 600), 0);
    cr_assert_eq(u32(600), 3);
    cr_assert_eq(memcmp(mem_buf + 500, "sub", 3), 0);
    cr_assert_eq(w2n_wasi_path_readlink(wasi, &mem, PRE, 200, l2, 500, 64, 600), 0);
    cr_assert_eq(u32(600), 5);
    /* Opening a symlink without following it: loop. */
    cr_assert_eq(open_path("soft", 0, WASI_RIGHTS_FILE, false, &fd), WASI_ELOOP);
    cr_assert_eq(open_path("soft", 0, WASI_RIGHTS_FILE, true, &fd), 0);
}

/* A call on (pre, a) and, when b is given, (pre, b): its errno. */
enum path_op {
    LINK,
    SYMLINK,
    RENAME,
    UNLINK,
    RMDIR,
    MKDIR,
    SET_TIMES,
    READLINK,
    STAT
};

static wasi_errno path_op(enum path_op op, const char *a, const char *b) {
    uint32_t la = put(100, a), lb = b ? put(200, b) : 0;
    switch (op) {
    case LINK: return w2n_wasi_path_link(wasi, &mem, PRE, 0, 100, la, PRE, 200, lb);
    case SYMLINK: return w2n_wasi_path_symlink(wasi, &mem, 100, la, PRE, 200, lb);
    case RENAME: return w2n_wasi_path_rename(wasi, &mem, PRE, 100, la, PRE, 200, lb);
    case UNLINK: return w2n_wasi_path_unlink_file(wasi, &mem, PRE, 100, la);
    case RMDIR: return w2n_wasi_path_remove_directory(wasi, &mem, PRE, 100, la);
    case MKDIR: return w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, la);
    case SET_TIMES:
        return w2n_wasi_path_filestat_set_times(wasi, &mem, PRE, 0, 100, la, 0, 0,
                                                WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM_NOW);
    case READLINK: return w2n_wasi_path_readlink(wasi, &mem, PRE, 100, la, 500, 64, 600);
    default: return w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 100, la, 400);
    }
}

static bool host_exists(const char *name) {
    char host[160];
    struct stat st;
    snprintf(host, sizeof host, "%s/box/%s", tmpdir, name);
    return lstat(host, &st) == 0;
}

/* "name/" means a directory, with Linux's errnos for each call (checked
 * against native linkat, symlinkat, renameat, ... on Linux 6.18).  The
 * first two were issue 12's hole 7: the slash was dropped and "link/" was
 * created as a file. */
static void trailing_slashes(bool openat2) {
    wasi->use_openat2 = openat2;
    sh("cd %s/box && ln -s sub dirlink && ln -s sub/f filelink && mkdir empty", tmpdir);
    struct {
        enum path_op op;
        const char *a, *b;
        wasi_errno want;
    } cases[] = {
        {LINK, "sub/f", "link/", WASI_ENOENT},
        {SYMLINK, "source", "target/", WASI_ENOENT},
        {SYMLINK, "source", "sub/", WASI_EEXIST},
        {LINK, "sub/f", "sub/", WASI_EEXIST},
        {LINK, "sub/f/", "x", WASI_ENOTDIR},
        {RENAME, "sub/f", "new/", WASI_ENOTDIR},
        {RENAME, "sub/f/", "new", WASI_ENOTDIR},
        {RENAME, "filelink/", "new", WASI_ENOTDIR},
        {RENAME, "dirlink/", "new", WASI_ENOTDIR}, /* not a rename of sub */
        {UNLINK, "sub/f/", NULL, WASI_ENOTDIR},
        {UNLINK, "sub/", NULL, WASI_EISDIR},
        {UNLINK, "nothere/", NULL, WASI_ENOENT},
        {UNLINK, "dirlink/", NULL, WASI_ENOTDIR},
        {RMDIR, "sub/f/", NULL, WASI_ENOTDIR},
        {RMDIR, "dirlink/", NULL, WASI_ENOTDIR}, /* not a removal of sub */
        {MKDIR, "sub/f/", NULL, WASI_EEXIST},
        {MKDIR, "dirlink/", NULL, WASI_EEXIST},
        {SET_TIMES, "sub/f/", NULL, WASI_ENOTDIR},
        {SET_TIMES, "nothere/", NULL, WASI_ENOENT},
        {SET_TIMES, "sub/", NULL, WASI_ESUCCESS},
        {SET_TIMES, "dirlink/", NULL, WASI_ESUCCESS}, /* followed, as Linux does */
        {READLINK, "sub/f/", NULL, WASI_ENOTDIR},
        {STAT, "filelink/", NULL, WASI_ENOTDIR},
        {RENAME, "empty", "moved/", WASI_ESUCCESS},
        {RENAME, "moved/", "empty/", WASI_ESUCCESS},
        {MKDIR, "made/", NULL, WASI_ESUCCESS},
        {RMDIR, "made/", NULL, WASI_ESUCCESS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(path_op(cases[i].op, cases[i].a, cases[i].b), cases[i].want,
                     "case %zu: %s %s (openat2 %d)", i, cases[i].a, cases[i].b ? cases[i].b : "",
                     openat2);
    cr_assert(!host_exists("link") && !host_exists("target") && !host_exists("new"));
    cr_assert(host_exists("sub/f") && host_exists("dirlink") && host_exists("empty"));
}

Test(rt_wasi, trailing_slash_as_linux_openat2) { trailing_slashes(true); }
Test(rt_wasi, trailing_slash_as_linux_walk) { trailing_slashes(false); }

/* Opening a directory for writing is EISDIR, as open(".", O_DIRECTORY |
 * O_RDWR) is on Linux (hole 7: it succeeded); creating one with path_open
 * is EINVAL, and "name/" is never created as a file. */
Test(rt_wasi, open_directory_for_writing_or_creating) {
    uint32_t fd;
    uint64_t rw = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE;
    cr_assert_eq(open_path(".", WASI_OFLAG_DIRECTORY, rw, false, &fd), WASI_EISDIR);
    cr_assert_eq(open_path(".", WASI_OFLAG_DIRECTORY, WASI_RIGHT_FD_WRITE, false, &fd),
                 WASI_EISDIR);
    cr_assert_eq(open_path("sub", 0, rw, false, &fd), WASI_EISDIR);
    cr_assert_eq(open_path("sub/", 0, rw, false, &fd), WASI_EISDIR);
    cr_assert_eq(open_path("sub/f", WASI_OFLAG_DIRECTORY, rw, false, &fd), WASI_ENOTDIR);
    cr_assert_eq(open_path("newdir", WASI_OFLAG_CREAT | WASI_OFLAG_DIRECTORY, WASI_RIGHT_FD_READ,
                           false, &fd),
                 WASI_EINVAL);
    cr_assert_eq(
        open_path("sub", WASI_OFLAG_CREAT | WASI_OFLAG_DIRECTORY, WASI_RIGHT_FD_READ, false, &fd),
        WASI_EINVAL);
    cr_assert_eq(open_path("newfile/", WASI_OFLAG_CREAT, rw, false, &fd), WASI_EISDIR);
    cr_assert_eq(open_path("sub/f/", WASI_OFLAG_CREAT, rw, false, &fd), WASI_EISDIR);
    cr_assert_eq(open_path("sub/f/", 0, WASI_RIGHT_FD_READ, false, &fd), WASI_ENOTDIR);
    cr_assert(!host_exists("newdir") && !host_exists("newfile"));
    /* Reading is still fine. */
    cr_assert_eq(open_path(".", WASI_OFLAG_DIRECTORY, WASI_RIGHT_FD_READDIR, false, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
    cr_assert_eq(open_path("sub/", 0, WASI_RIGHT_FD_READ, false, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
}

/* Files opened until the first failure: how many, and that failure. */
static uint32_t open_until_failure(wasi_errno *failure) {
    uint32_t n = 0, fd;
    while ((*failure = open_path("sub/f", 0, WASI_RIGHT_FD_READ, false, &fd)) == 0)
        n++;
    return n;
}

/* A guest opening files in a loop stops at the cap, not at the host's limit. */
Test(rt_wasi, open_files_are_capped) {
    wasi_errno e;
    cr_assert_eq(open_until_failure(&e), W2N_WASI_DEFAULT_MAX_OPEN_FILES - 4,
                 "fds 4..1023 (0-2 stdio, 3 the preopen)");
    cr_assert_eq(e, WASI_EMFILE);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, 500), 0);
    uint32_t fd;
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHT_FD_READ, false, &fd), 0);
    cr_assert_eq(fd, 500, "a closed number is free again");
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHT_FD_READ, false, &fd), WASI_EMFILE);
    w2n_wasi_free(wasi);
    wasi = make_wasi(6);
    cr_assert_eq(open_until_failure(&e), 2, "fds 4 and 5");
    cr_assert_eq(e, WASI_EMFILE);
    w2n_wasi_free(wasi);
    wasi = make_wasi(2); /* below stdio and the preopen: those still get theirs */
    cr_assert_eq(open_until_failure(&e), 0);
    cr_assert_eq(w2n_wasi_fd_prestat_get(wasi, &mem, PRE, 0), 0);
}

/* Paths longer than Linux's PATH_MAX - 1 bytes are refused before the host
 * copies them. */
Test(rt_wasi, long_paths_are_refused) {
    for (int walk = 0; walk < 2; walk++) {
        wasi->use_openat2 = !walk;
        char path[W2N_WASI_MAX_PATH + 2];
        strcpy(path, "sub/");
        size_t n = 4;
        while (n + 2 + 1 <= W2N_WASI_MAX_PATH) {
            memcpy(path + n, "./", 2);
            n += 2;
        }
        path[n++] = 'f';
        path[n] = 0;
        cr_assert_eq(n, W2N_WASI_MAX_PATH);
        uint32_t fd;
        cr_assert_eq(open_path(path, 0, WASI_RIGHT_FD_READ, false, &fd), 0, "at the cap");
        memmove(path + 4, path + 3, n - 2); /* "sub//./..." one byte longer */
        cr_assert_eq(strlen(path), W2N_WASI_MAX_PATH + 1);
        cr_assert_eq(open_path(path, 0, WASI_RIGHT_FD_READ, false, &fd), WASI_ENAMETOOLONG);
        uint32_t len = put(100, path);
        cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, len), WASI_ENAMETOOLONG);
        cr_assert_eq(w2n_wasi_path_symlink(wasi, &mem, 100, len, PRE, 100, 1), WASI_ENAMETOOLONG,
                     "a symlink's target too");
    }
    /* A length past memory is still a fault, whatever its size. */
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, 0xfffffff0u), WASI_EFAULT);
}

static uint8_t big_buf[1 << 19];

/* poll_oneoff takes at most W2N_WASI_MAX_SUBSCRIPTIONS at once. */
Test(rt_wasi, poll_subscriptions_are_capped) {
    wasi_mem big = {big_buf, sizeof big_buf};
    uint32_t n = W2N_WASI_MAX_SUBSCRIPTIONS;
    uint32_t out = n * WASI_SUBSCRIPTION_SIZE, nevents = out + n * WASI_EVENT_SIZE;
    cr_assert_leq(nevents + 4, sizeof big_buf);
    for (uint32_t i = 0; i < n; i++) { /* clock subscriptions due at once */
        uint8_t *rec = big_buf + i * WASI_SUBSCRIPTION_SIZE;
        memset(rec, 0, WASI_SUBSCRIPTION_SIZE);
        wasi_put_u64(rec, i);
        rec[8] = WASI_EVENTTYPE_CLOCK;
        wasi_put_u32(rec + 16, 1); /* monotonic, timeout 0 */
    }
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &big, 0, out, n, nevents), 0);
    cr_assert_eq(wasi_get_u32(big_buf + nevents), n);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &big, 0, out, n + 1, nevents), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &big, 0, out, 0xffffffffu, nevents), WASI_EINVAL,
                 "refused before any allocation");
}

Test(rt_wasi, path_with_nul_or_empty) {
    memcpy(mem_buf + 100, "a\0b", 3);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, 3), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 100, 0), WASI_ENOENT);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, MEM_SIZE - 1, 2), WASI_EFAULT);
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, 1, 100, 1), WASI_ENOTCAPABLE);
    uint32_t fd;
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHTS_FILE, false, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_set_rights(wasi, &mem, fd, WASI_RIGHTS_FILE, WASI_RIGHTS_ALL),
                 WASI_ENOTCAPABLE);
}

/* Every escape attempt, for one resolution mode. */
static void escapes(bool openat2) {
    wasi->use_openat2 = openat2;
    sh("cd %s/box && ln -sf ../secret out && ln -sf /etc abs && ln -sf sub in && "
       "ln -sf l2 l1 && ln -sf l1 l2 && ln -sf ../box/sub/f round && ln -sf .. up",
       tmpdir);
    uint32_t fd;
    static const char *const denied[] = {
        "../secret",        "/etc/passwd",    "sub/../../secret", "out", "abs/passwd", "up/secret",
        "sub/../up/secret", "./../box/sub/f", "in/../../secret",  "..",
    };
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        cr_assert_eq(open_path(denied[i], 0, WASI_RIGHTS_FILE, true, &fd), WASI_ENOTCAPABLE,
                     "%s (openat2 %d)", denied[i], openat2);
    /* Intermediate symlinks that escape are refused even without follow. */
    cr_assert_eq(open_path("abs/passwd", 0, WASI_RIGHTS_FILE, false, &fd), WASI_ENOTCAPABLE);
    cr_assert_eq(open_path("up/secret", 0, WASI_RIGHTS_FILE, false, &fd), WASI_ENOTCAPABLE);
    /* Escaping then coming back in is still leaving. */
    cr_assert_eq(open_path("round", 0, WASI_RIGHTS_FILE, true, &fd), WASI_ENOTCAPABLE);
    cr_assert_eq(open_path("l1", 0, WASI_RIGHTS_FILE, true, &fd), WASI_ELOOP);
    /* What stays inside works. */
    static const char *const allowed[] = {"in/f", "sub/../sub/f", "./sub//f", "in/./f"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++) {
        cr_assert_eq(open_path(allowed[i], 0, WASI_RIGHT_FD_READ, true, &fd), 0, "%s", allowed[i]);
        cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
    }
    cr_assert_eq(open_path(".", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, true, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
    /* Creating, renaming and linking across the boundary. */
    uint32_t l1 = put(100, "sub/f"), l2 = put(200, "../stolen");
    cr_assert_eq(w2n_wasi_path_rename(wasi, &mem, PRE, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    cr_assert_eq(w2n_wasi_path_link(wasi, &mem, PRE, 0, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    l1 = put(100, "../secret");
    l2 = put(200, "mine");
    cr_assert_eq(w2n_wasi_path_link(wasi, &mem, PRE, 0, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    cr_assert_eq(w2n_wasi_path_rename(wasi, &mem, PRE, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    l1 = put(100, "out");
    cr_assert_eq(
        w2n_wasi_path_link(wasi, &mem, PRE, WASI_LOOKUP_SYMLINK_FOLLOW, 100, l1, PRE, 200, l2),
        WASI_ENOTCAPABLE);
    l1 = put(100, "/etc/passwd");
    l2 = put(200, "abs2");
    cr_assert_eq(w2n_wasi_path_symlink(wasi, &mem, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    l1 = put(100, "x");
    l2 = put(200, "up/planted");
    cr_assert_eq(w2n_wasi_path_symlink(wasi, &mem, 100, l1, PRE, 200, l2), WASI_ENOTCAPABLE);
    l2 = put(200, "../newdir");
    cr_assert_eq(w2n_wasi_path_create_directory(wasi, &mem, PRE, 200, l2), WASI_ENOTCAPABLE);
    l2 = put(200, "abs/x");
    cr_assert_eq(w2n_wasi_path_unlink_file(wasi, &mem, PRE, 200, l2), WASI_ENOTCAPABLE);
    l2 = put(200, "out");
    cr_assert_eq(
        w2n_wasi_path_filestat_get(wasi, &mem, PRE, WASI_LOOKUP_SYMLINK_FOLLOW, 200, l2, 400),
        WASI_ENOTCAPABLE);
    /* Without follow, the symlink itself is inside and can be removed. */
    cr_assert_eq(w2n_wasi_path_filestat_get(wasi, &mem, PRE, 0, 200, l2, 400), 0);
    cr_assert_eq(w2n_wasi_path_unlink_file(wasi, &mem, PRE, 200, l2), 0);
    /* Nothing outside changed. */
    struct stat st;
    char host[128];
    snprintf(host, sizeof host, "%s/stolen", tmpdir);
    cr_assert_neq(lstat(host, &st), 0);
    snprintf(host, sizeof host, "%s/newdir", tmpdir);
    cr_assert_neq(lstat(host, &st), 0);
    snprintf(host, sizeof host, "%s/secret", tmpdir);
    cr_assert_eq(lstat(host, &st), 0);
    /* The kernel here has openat2, so the first run really used it. */
    cr_assert_eq(wasi->use_openat2, openat2);
}

Test(rt_wasi, sandbox_escapes_openat2) { escapes(true); }
Test(rt_wasi, sandbox_escapes_walk) { escapes(false); }

Test(rt_wasi, long_symlink_chain_is_a_loop) {
    wasi->use_openat2 = false;
    sh("cd %s/box && ln -s sub/f c0 && for i in $(seq 1 45); do ln -s c$((i-1)) c$i; done", tmpdir);
    uint32_t fd;
    cr_assert_eq(open_path("c30", 0, WASI_RIGHT_FD_READ, true, &fd), 0);
    cr_assert_eq(open_path("c45", 0, WASI_RIGHT_FD_READ, true, &fd), WASI_ELOOP);
}

/* Names listed by fd_readdir over buffers of `size` bytes, resuming by cookie. */
static int list_dir(uint32_t fd, uint32_t size, char names[][32], int max) {
    uint64_t cookie = 0;
    int n = 0;
    for (int rounds = 0; rounds < 100; rounds++) {
        cr_assert_eq(w2n_wasi_fd_readdir(wasi, &mem, fd, 4096, size, cookie, 200), 0);
        uint32_t used = u32(200), at = 0;
        while (at + WASI_DIRENT_SIZE <= used) {
            uint32_t namlen = u32(4096 + at + 16);
            if (at + WASI_DIRENT_SIZE + namlen > used)
                break; /* cut short */
            cr_assert_lt(n, max);
            memcpy(names[n], mem_buf + 4096 + at + WASI_DIRENT_SIZE, namlen);
            names[n][namlen] = 0;
            n++;
            cookie = u64(4096 + at);
            at += WASI_DIRENT_SIZE + namlen;
        }
        if (used < size)
            return n;
    }
    cr_assert_fail("readdir never finished");
    return n;
}

static int has(char names[][32], int n, const char *name) {
    int count = 0;
    for (int i = 0; i < n; i++)
        count += !strcmp(names[i], name);
    return count;
}

Test(rt_wasi, readdir_lists_each_entry_once) {
    sh("cd %s/box && touch alpha beta gamma-with-a-longer-name && mkdir delta", tmpdir);
    char names[16][32];
    for (uint32_t size = 64; size <= 4096; size *= 4) {
        int n = list_dir(PRE, size, names, 16);
        cr_assert_eq(n, 7, "buffer %u", size); /* . .. sub alpha beta gamma... delta */
        cr_assert_eq(has(names, n, "alpha"), 1);
        cr_assert_eq(has(names, n, "gamma-with-a-longer-name"), 1);
        cr_assert_eq(has(names, n, "delta"), 1);
        cr_assert_eq(has(names, n, "."), 1);
    }
    /* Entry types. */
    cr_assert_eq(w2n_wasi_fd_readdir(wasi, &mem, PRE, 4096, 4096, 0, 200), 0);
    uint32_t at = 0, used = u32(200);
    int dirs = 0;
    while (at < used) {
        dirs += mem_buf[4096 + at + 20] == WASI_FILETYPE_DIRECTORY;
        at += WASI_DIRENT_SIZE + u32(4096 + at + 16);
    }
    cr_assert_eq(dirs, 4); /* . .. sub delta */
    /* A buffer smaller than one header is filled completely. */
    cr_assert_eq(w2n_wasi_fd_readdir(wasi, &mem, PRE, 4096, 10, 0, 200), 0);
    cr_assert_eq(u32(200), 10);
    cr_assert_eq(w2n_wasi_fd_readdir(wasi, &mem, PRE, MEM_SIZE - 10, 64, 0, 200), WASI_EFAULT);
}

Test(rt_wasi, clocks) {
    cr_assert_eq(w2n_wasi_clock_time_get(wasi, &mem, WASI_CLOCK_REALTIME, 1, 0), 0);
    uint64_t now = (uint64_t)time(NULL) * 1000000000u;
    cr_assert_lt(u64(0) > now ? u64(0) - now : now - u64(0), UINT64_C(5000000000));
    for (uint32_t id = 0; id < 4; id++) {
        cr_assert_eq(w2n_wasi_clock_res_get(wasi, &mem, id, 8), 0);
        cr_assert_gt(u64(8), 0);
        cr_assert_eq(w2n_wasi_clock_time_get(wasi, &mem, id, 0, 16), 0);
    }
    cr_assert_eq(w2n_wasi_clock_time_get(wasi, &mem, WASI_CLOCK_MONOTONIC, 0, 24), 0);
    cr_assert_eq(w2n_wasi_clock_time_get(wasi, &mem, 4, 0, 0), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_clock_res_get(wasi, &mem, 99, 0), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_clock_time_get(wasi, &mem, 0, 0, MEM_SIZE - 7), WASI_EFAULT);
}

Test(rt_wasi, random) {
    cr_assert_eq(w2n_wasi_random_get(wasi, &mem, 100, 64), 0);
    int nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += mem_buf[100 + i] != 0;
    cr_assert_gt(nonzero, 32);
    cr_assert_eq(w2n_wasi_random_get(wasi, &mem, MEM_SIZE - 63, 64), WASI_EFAULT);
}

/* Write one subscription record at `at`. */
static void sub_clock(uint32_t at, uint64_t userdata, uint32_t id, uint64_t timeout,
                      uint16_t flags) {
    memset(mem_buf + at, 0, WASI_SUBSCRIPTION_SIZE);
    wasi_put_u64(mem_buf + at, userdata);
    mem_buf[at + 8] = WASI_EVENTTYPE_CLOCK;
    wasi_put_u32(mem_buf + at + 16, id);
    wasi_put_u64(mem_buf + at + 24, timeout);
    wasi_put_u16(mem_buf + at + 40, flags);
}

static void sub_fd(uint32_t at, uint64_t userdata, uint8_t type, uint32_t fd) {
    memset(mem_buf + at, 0, WASI_SUBSCRIPTION_SIZE);
    wasi_put_u64(mem_buf + at, userdata);
    mem_buf[at + 8] = type;
    wasi_put_u32(mem_buf + at + 16, fd);
}

static uint64_t mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

Test(rt_wasi, poll_clock_sleeps) {
    sub_clock(1000, 42, WASI_CLOCK_MONOTONIC, 20000000, 0);
    uint64_t t0 = mono();
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 1, 100), 0);
    cr_assert_geq(mono() - t0, 20000000);
    cr_assert_eq(u32(100), 1);
    cr_assert_eq(u64(2000), 42);
    cr_assert_eq(wasi_get_u16(mem_buf + 2008), 0);
    cr_assert_eq(mem_buf[2010], WASI_EVENTTYPE_CLOCK);
    /* Absolute deadline in the past: at once. */
    sub_clock(1000, 7, WASI_CLOCK_MONOTONIC, 1, WASI_SUBCLOCK_ABSTIME);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 1, 100), 0);
    cr_assert_eq(u32(100), 1);
    cr_assert_eq(u64(2000), 7);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 0, 100), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, MEM_SIZE - 40, 2000, 1, 100), WASI_EFAULT);
}

Test(rt_wasi, poll_fds) {
    int sv[2];
    cr_assert_eq(pipe(sv), 0);
    uint32_t rfd;
    cr_assert_eq(w2n_wasi_fd_install(wasi, sv[0], WASI_FILETYPE_UNKNOWN, WASI_RIGHTS_TTY, 0, &rfd),
                 0);
    /* Nothing to read yet: the clock fires first. */
    sub_fd(1000, 1, WASI_EVENTTYPE_FD_READ, rfd);
    sub_clock(1048, 2, WASI_CLOCK_MONOTONIC, 5000000, 0);
    sub_fd(1096, 3, WASI_EVENTTYPE_FD_READ, 555);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 3, 100), 0);
    cr_assert_eq(u32(100), 1); /* the bad fd, ready at once */
    cr_assert_eq(u64(2000), 3);
    cr_assert_eq(wasi_get_u16(mem_buf + 2008), WASI_EBADF);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 2, 100), 0);
    cr_assert_eq(u32(100), 1);
    cr_assert_eq(u64(2000), 2);
    cr_assert_eq(write(sv[1], "abc", 3), 3);
    cr_assert_eq(w2n_wasi_poll_oneoff(wasi, &mem, 1000, 2000, 2, 100), 0);
    cr_assert_eq(u32(100), 1);
    cr_assert_eq(u64(2000), 1);
    cr_assert_eq(mem_buf[2010], WASI_EVENTTYPE_FD_READ);
    cr_assert_eq(u64(2016), 3);
    close(sv[1]);
}

Test(rt_wasi, renumber) {
    uint32_t fd;
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHT_FD_READ, false, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_renumber(wasi, &mem, fd, 50), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_renumber(wasi, &mem, fd, 1), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, fd, 0), WASI_EBADF);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, 1, 0), 0);
    cr_assert_eq(mem_buf[0], WASI_FILETYPE_REGULAR_FILE);
}

Test(rt_wasi, sockets) {
    cr_assert_eq(w2n_wasi_sock_shutdown(wasi, &mem, 99, WASI_SDFLAG_WR), WASI_EBADF);
    cr_assert_eq(w2n_wasi_sock_shutdown(wasi, &mem, PRE, WASI_SDFLAG_WR), WASI_ENOTSOCK);
    cr_assert_eq(w2n_wasi_sock_accept(wasi, &mem, PRE, 0, 0), WASI_ENOTSOCK);
    cr_assert_eq(w2n_wasi_sock_recv(wasi, &mem, 1, 100, 1, 0, 200, 204), WASI_ENOTSOCK);
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    uint32_t s;
    cr_assert_eq(
        w2n_wasi_fd_install(wasi, sv[0], WASI_FILETYPE_SOCKET_STREAM, WASI_RIGHTS_SOCKET, 0, &s),
        0);
    uint32_t len = put(2000, "ping");
    wasi_put_u32(mem_buf + 100, 2000);
    wasi_put_u32(mem_buf + 104, len);
    cr_assert_eq(w2n_wasi_sock_send(wasi, &mem, s, 100, 1, 0, 200), 0);
    cr_assert_eq(u32(200), 4);
    char got[8] = {0};
    cr_assert_eq(read(sv[1], got, sizeof got), 4);
    cr_assert_str_eq(got, "ping");
    cr_assert_eq(write(sv[1], "pong", 4), 4);
    wasi_put_u32(mem_buf + 100, 3000);
    wasi_put_u32(mem_buf + 104, 16);
    cr_assert_eq(w2n_wasi_sock_recv(wasi, &mem, s, 100, 1, 0, 200, 204), 0);
    cr_assert_eq(u32(200), 4);
    cr_assert_eq(memcmp(mem_buf + 3000, "pong", 4), 0);
    cr_assert_eq(w2n_wasi_sock_shutdown(wasi, &mem, s, 7), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_sock_shutdown(wasi, &mem, s, WASI_SDFLAG_WR), 0);
    close(sv[1]);
}

Test(rt_wasi, proc_and_sched) {
    cr_assert_eq(w2n_wasi_proc_raise(wasi, &mem, 6), WASI_ENOSYS);
    cr_assert_eq(w2n_wasi_sched_yield(wasi, &mem), 0);
}

Test(rt_wasi, fdstat_flags) {
    uint32_t fd;
    cr_assert_eq(open_path("sub/f", 0, WASI_RIGHTS_FILE, false, &fd), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_set_flags(wasi, &mem, fd, WASI_FDFLAG_APPEND), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, fd, 0), 0);
    cr_assert_eq(wasi_get_u16(mem_buf + 2), WASI_FDFLAG_APPEND);
    cr_assert_eq(write_str(fd, "more\n"), 0);
    cr_assert_eq(w2n_wasi_fd_filestat_get(wasi, &mem, fd, 400), 0);
    cr_assert_eq(u64(432), 11);
    cr_assert_eq(w2n_wasi_fd_fdstat_set_flags(wasi, &mem, fd, 0x40), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_fd_advise(wasi, &mem, fd, 0, 0, WASI_ADVICE_SEQUENTIAL), 0);
    cr_assert_eq(w2n_wasi_fd_advise(wasi, &mem, fd, 0, 0, 9), WASI_EINVAL);
    cr_assert_eq(w2n_wasi_fd_allocate(wasi, &mem, fd, 0, 100), 0);
    cr_assert_eq(w2n_wasi_fd_datasync(wasi, &mem, fd), 0);
    cr_assert_eq(w2n_wasi_fd_sync(wasi, &mem, fd), 0);
}

Test(rt_wasi, closed_stdio_and_preopen_numbering) {
    char spec[128];
    snprintf(spec, sizeof spec, "%s/box", tmpdir);
    const char *dirs[] = {spec, "/tmp::/t"};
    w2n_wasi_config cfg;
    w2n_wasi_config_init(&cfg);
    cfg.stdin_fd = -1;
    cfg.ndirs = 2;
    cfg.dirs = dirs;
    w2n_error err;
    w2n_wasi *w = w2n_wasi_new(&cfg, &err);
    cr_assert_not_null(w, "%s", err.message);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(w, &mem, 0, 0), WASI_EBADF);
    /* Preopens are 3 and 4 even with stdin closed; GUEST defaults to HOST. */
    cr_assert_eq(w2n_wasi_fd_prestat_get(w, &mem, 3, 0), 0);
    cr_assert_eq(u32(4), strlen(spec));
    cr_assert_eq(w2n_wasi_fd_prestat_dir_name(w, &mem, 4, 100, 2), 0);
    cr_assert_eq(memcmp(mem_buf + 100, "/t", 2), 0);
    /* New descriptors never take a closed stdio slot. */
    uint32_t len = put(1000, "sub/f");
    cr_assert_eq(w2n_wasi_path_open(w, &mem, 3, 0, 1000, len, 0, WASI_RIGHT_FD_READ, 0, 0, 900), 0);
    cr_assert_eq(u32(900), 5);
    w2n_wasi_free(w);
}

Test(rt_wasi, bad_preopen_specs) {
    static const char *const bad[] = {"::/guest", "host::", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *dirs[] = {bad[i]};
        w2n_wasi_config cfg;
        w2n_wasi_config_init(&cfg);
        cfg.ndirs = 1;
        cfg.dirs = dirs;
        w2n_error err;
        cr_assert_null(w2n_wasi_new(&cfg, &err), "'%s'", bad[i]);
        cr_assert_eq(err.code, W2N_ERR_ARGUMENT);
    }
}

Test(rt_wasi, open_through_symlinked_directory_and_create_at_dangling_link) {
    sh("cd %s/box && ln -s sub linkdir && ln -s sub/newfile dangling", tmpdir);
    for (int mode = 0; mode < 2; mode++) {
        wasi->use_openat2 = mode == 0;
        uint32_t fd;
        cr_assert_eq(open_path("linkdir/f", 0, WASI_RIGHT_FD_READ, false, &fd), 0);
        cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
        cr_assert_eq(open_path("linkdir/", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIR, false, &fd), 0);
        cr_assert_eq(w2n_wasi_fd_close(wasi, &mem, fd), 0);
    }
    /* Creating through a dangling symlink (followed) creates its target. */
    uint32_t fd;
    cr_assert_eq(open_path("dangling", WASI_OFLAG_CREAT, WASI_RIGHTS_FILE, true, &fd), 0);
    char host[128];
    struct stat st;
    snprintf(host, sizeof host, "%s/box/sub/newfile", tmpdir);
    cr_assert_eq(stat(host, &st), 0);
    cr_assert_eq(
        open_path("dangling", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, WASI_RIGHTS_FILE, false, &fd),
        WASI_EEXIST);
}

/* A deterministic sweep: every core is called with pointers and lengths at
 * and around the end of memory and near 2^32, on memory full of noise.
 * Each call must return a WASI errno (never crash, never touch memory out
 * of bounds: run under ASan to see the latter). */
static uint32_t rng_state = 12345;
static uint32_t rng(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static uint32_t pick_ptr(void) {
    static const uint32_t edges[] = {0,
                                     1,
                                     MEM_SIZE - 1,
                                     MEM_SIZE - 4,
                                     MEM_SIZE - 8,
                                     MEM_SIZE - 24,
                                     MEM_SIZE - 64,
                                     MEM_SIZE,
                                     MEM_SIZE + 1,
                                     0x7fffffffu,
                                     0xfffffff0u,
                                     0xffffffffu};
    return rng() % 3 ? edges[rng() % (sizeof edges / sizeof *edges)] : rng() % MEM_SIZE;
}

static uint32_t pick_len(void) {
    static const uint32_t lens[] = {0,    1,        2,           8,           24,         64,
                                    4096, MEM_SIZE, 0x10000000u, 0x7fffffffu, 0xffffffffu};
    return lens[rng() % (sizeof lens / sizeof *lens)];
}

static uint32_t pick_fd(uint32_t file) {
    static uint32_t fds[] = {PRE, 0, 77, 0xffffffffu};
    fds[1] = file;
    return fds[rng() % 4];
}

static wasi_errno sweep_one(int which, uint32_t file) {
    uint32_t fd = pick_fd(file);
#define P pick_ptr()
#define L pick_len()
    switch (which) {
    case 0: return w2n_wasi_args_get(wasi, &mem, P, P);
    case 1: return w2n_wasi_args_sizes_get(wasi, &mem, P, P);
    case 2: return w2n_wasi_environ_get(wasi, &mem, P, P);
    case 3: return w2n_wasi_environ_sizes_get(wasi, &mem, P, P);
    case 4: return w2n_wasi_clock_res_get(wasi, &mem, rng() % 6, P);
    case 5: return w2n_wasi_clock_time_get(wasi, &mem, rng() % 6, 0, P);
    case 6: return w2n_wasi_random_get(wasi, &mem, P, L);
    case 7: return w2n_wasi_fd_fdstat_get(wasi, &mem, fd, P);
    case 8: return w2n_wasi_fd_filestat_get(wasi, &mem, fd, P);
    case 9: return w2n_wasi_fd_pread(wasi, &mem, fd, P, L, rng(), P);
    case 10: return w2n_wasi_fd_pwrite(wasi, &mem, fd, P, L % 16, rng() % 4096, P);
    case 11: return w2n_wasi_fd_read(wasi, &mem, fd, P, L, P);
    case 12: return w2n_wasi_fd_write(wasi, &mem, fd, P, L % 16, P);
    case 13: return w2n_wasi_fd_prestat_get(wasi, &mem, fd, P);
    case 14: return w2n_wasi_fd_prestat_dir_name(wasi, &mem, fd, P, L);
    case 15: return w2n_wasi_fd_readdir(wasi, &mem, fd, P, L, rng() % 8, P);
    case 16: return w2n_wasi_fd_seek(wasi, &mem, fd, (int64_t)rng() - 1000, rng() % 4, P);
    case 17: return w2n_wasi_fd_tell(wasi, &mem, fd, P);
    case 18: return w2n_wasi_path_filestat_get(wasi, &mem, fd, rng() % 2, P, L, P);
    case 19: return w2n_wasi_path_readlink(wasi, &mem, fd, P, L, P, L, P);
    case 20:
        return w2n_wasi_path_open(wasi, &mem, fd, rng() % 2, P, L, rng() % 16, WASI_RIGHTS_ALL,
                                  WASI_RIGHTS_ALL, 0, P);
    case 21: return w2n_wasi_path_create_directory(wasi, &mem, fd, P, L);
    case 22: return w2n_wasi_path_unlink_file(wasi, &mem, fd, P, L);
    case 23: return w2n_wasi_path_remove_directory(wasi, &mem, fd, P, L);
    case 24: return w2n_wasi_path_rename(wasi, &mem, fd, P, L, fd, P, L);
    case 25: return w2n_wasi_path_link(wasi, &mem, fd, rng() % 2, P, L, fd, P, L);
    case 26: return w2n_wasi_path_symlink(wasi, &mem, P, L, fd, P, L);
    case 27:
        return w2n_wasi_path_filestat_set_times(wasi, &mem, fd, 0, P, L, 0, 0,
                                                WASI_FSTFLAG_ATIM_NOW);
    case 28: return w2n_wasi_sock_recv(wasi, &mem, fd, P, L, 0, P, P);
    case 29: return w2n_wasi_sock_send(wasi, &mem, fd, P, L, 0, P);
    case 30: return w2n_wasi_sock_accept(wasi, &mem, fd, 0, P);
    /* poll: only shapes that cannot block (sizes at the edges fault). */
    case 31: return w2n_wasi_poll_oneoff(wasi, &mem, P, P, 0x08000000u + rng() % 8, P);
    default: return 0;
    }
#undef P
#undef L
}

Test(rt_wasi, pointer_sweep_never_crashes) {
    uint32_t file;
    cr_assert_eq(open_path("sweep.bin", WASI_OFLAG_CREAT, WASI_RIGHTS_FILE, false, &file), 0);
    for (int round = 0; round < 40; round++) {
        for (uint32_t i = 0; i < MEM_SIZE; i++) /* noise, with some short names */
            mem_buf[i] = (uint8_t)(rng() % 4 ? 'a' + rng() % 3 : rng());
        for (int which = 0; which < 32; which++) {
            wasi_errno e = sweep_one(which, file);
            cr_assert_leq(e, WASI_ENOTCAPABLE, "function %d returned %u", which, e);
        }
    }
    /* The preopen and the file are still usable afterwards. */
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, PRE, 0), 0);
    cr_assert_eq(w2n_wasi_fd_fdstat_get(wasi, &mem, file, 0), 0);
}
