/*
 * lf_wasi_path.c — libFuzzer target "wasi_path": guest path resolution
 * (runtime/wasi/wasi_sandbox.c) against a sandbox directory.
 *
 * LLVMFuzzerInitialize builds a temporary tree: root/ is the sandbox, with
 * directories, files and symlinks that stay inside (a/up -> .., in -> a/b,
 * a/b/back -> ../../file), that leave it (a/upup -> ../.., esc ->
 * ../outside, a/b/esc2 -> ../../../outside/secret, abs -> /etc), a loop
 * and a dangling link; outside/ beside root/ holds what must stay out of
 * reach.  Input: one flag byte (bit 0: follow the last symlink; bit 1: the
 * openat2 fast path, else the component walk), then the guest path.
 *
 * A successful resolution must give a directory descriptor whose real path
 * is root or beneath it and a last component that is one name (no '/', not
 * ".."), that openat(O_NOFOLLOW) finds beneath root too when it exists, and
 * that is never a symlink when it was to be followed or had a trailing
 * slash; no descriptor may stay open once the result is released.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static char root_real[PATH_MAX];
static int root_fd = -1;

static void die(const char *what) {
    perror(what);
    abort();
}

static void make(const char *base, const char *rel, const char *link_target, bool dir) {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int r;
    if (link_target)
        r = symlink(link_target, p);
    else if (dir)
        r = mkdir(p, 0755);
    else {
        r = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (r >= 0)
            r = close(r);
    }
    if (r != 0)
        die(p);
}

static void cleanup(void) {
    char cmd[PATH_MAX + 16];
    char *slash = strrchr(root_real, '/');
    if (!slash)
        return;
    *slash = 0; /* the temporary directory that holds root/ and outside/ */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root_real);
    if (system(cmd) != 0)
        fprintf(stderr, "wasi_path: could not remove %s\n", root_real);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    char tmpl[] = "/tmp/w2n-lf-wasi-XXXXXX";
    if (!mkdtemp(tmpl))
        die("mkdtemp");
    static const struct {
        const char *rel, *target;
        bool dir;
    } tree[] = {
        {"outside", NULL, true},
        {"outside/secret", NULL, false},
        {"root", NULL, true},
        {"root/file", NULL, false},
        {"root/a", NULL, true},
        {"root/a/b", NULL, true},
        {"root/a/b/deep", NULL, false},
        {"root/a/up", "..", false},
        {"root/a/upup", "../..", false},
        {"root/esc", "../outside", false},
        {"root/abs", "/etc", false},
        {"root/self", "self", false},
        {"root/in", "a/b", false},
        {"root/dangling", "nope", false},
        {"root/a/b/back", "../../file", false},
        {"root/a/b/esc2", "../../../outside/secret", false},
    };
    for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
        make(tmpl, tree[i].rel, tree[i].target, tree[i].dir);
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/root", tmpl);
    if (!realpath(root, root_real))
        die("realpath");
    root_fd = open(root_real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        die("open root");
    atexit(cleanup);
    return 0;
}

static void fail(const char *path, bool follow, bool fast, const char *what) {
    fprintf(stderr, "wasi_path: \"%s\" (follow %d, openat2 %d): %s\n", path, follow, fast, what);
    abort();
}

/* The real path of a descriptor, through /proc. */
static bool fd_path(int fd, char *out, size_t n) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, out, n - 1);
    if (len < 0)
        return false;
    out[len] = 0;
    return true;
}

/* The lowest free descriptor number: the same before and after a call that
 * leaks none (libFuzzer opens nothing while the target runs). */
static int lowest_free_fd(void) {
    int fd = dup(0);
    if (fd >= 0)
        close(fd);
    return fd;
}

static bool beneath_root(const char *p) {
    size_t n = strlen(root_real);
    return !strncmp(p, root_real, n) && (p[n] == 0 || p[n] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2 || memchr(data + 1, 0, size - 1) || size - 1 > 4096)
        return 0;
    bool follow = data[0] & 1, fast = (data[0] & 2) != 0;
    char *path = strndup((const char *)data + 1, size - 1);
    if (!path)
        return 0;
    int fd_before = lowest_free_fd();
    wasi_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.use_openat2 = fast;
    wasi_path out;
    wasi_errno e = w2n_wasi_resolve(&ctx, root_fd, path, (uint32_t)(size - 1), follow, &out);
    if (e == WASI_ESUCCESS) {
        char real[PATH_MAX];
        if (out.dirfd < 0 || !fd_path(out.dirfd, real, sizeof real))
            fail(path, follow, fast, "no directory descriptor");
        if (!beneath_root(real)) {
            fprintf(stderr, "wasi_path: resolved to %s\n", real);
            fail(path, follow, fast, "escaped the sandbox");
        }
        if (!out.name[0] || strchr(out.name, '/') || !strcmp(out.name, ".."))
            fail(path, follow, fast, "last component is not one name");
        struct stat st;
        if ((follow || out.trailing_slash) && strcmp(out.name, ".") &&
            fstatat(out.dirfd, out.name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
            fail(path, follow, fast, "a symlink to follow is left for the caller");
        /* What the single *at() call after resolution reaches. */
        int fd = openat(out.dirfd, out.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            bool ok = fd_path(fd, real, sizeof real) && beneath_root(real);
            close(fd);
            if (!ok) {
                fprintf(stderr, "wasi_path: names %s\n", real);
                fail(path, follow, fast, "the last component is outside the sandbox");
            }
        }
        w2n_wasi_path_release(&out);
    } else if (out.dirfd >= 0 && out.own_dirfd) {
        fail(path, follow, fast, "failed but holds a descriptor");
    }
    free(path);
    if (lowest_free_fd() != fd_before)
        fail("(after)", follow, fast, "a descriptor leaked");
    return 0;
}
