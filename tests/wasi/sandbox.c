/* sandbox: every way out of the preopened /sandbox must fail, and must not
 * touch anything outside (the harness checks ../outside afterwards).  The
 * raw WASI calls reach the runtime's resolver directly; the libc calls go
 * through wasi-libc's own preopen matching first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define PRE 3 /* /sandbox */

static int raw_open(const char *path, __wasi_lookupflags_t follow) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(PRE, follow, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0)
        close((int)fd);
    return e;
}

static void expect_denied(const char *what, int failed) {
    printf("%-44s %s\n", what, failed ? "denied" : "ALLOWED");
}

int main(void) {
    __wasi_prestat_t pre;
    char name[64] = {0};
    if (__wasi_fd_prestat_get(PRE, &pre) != 0 ||
        __wasi_fd_prestat_dir_name(PRE, (uint8_t *)name, pre.u.dir.pr_name_len) != 0) {
        printf("no preopen at fd 3\n");
        return 1;
    }
    printf("fd 3 is %s\n", name);
    printf("%-44s %s\n", "inside: data.txt", raw_open("data.txt", 0) == 0 ? "ok" : "FAILED");
    expect_denied("raw ../outside/secret.txt", raw_open("../outside/secret.txt", 0));
    expect_denied("raw ..", raw_open("..", 0));
    expect_denied("raw /etc/passwd", raw_open("/etc/passwd", 0));
    expect_denied("raw a/../../outside/secret.txt", raw_open("a/../../outside/secret.txt", 0));
    expect_denied("raw ./../outside/secret.txt", raw_open("./../outside/secret.txt", 0));
    expect_denied("libc /sandbox/../outside/secret.txt",
                  open("/sandbox/../outside/secret.txt", O_RDONLY) < 0);
    expect_denied("libc /etc/passwd", open("/etc/passwd", O_RDONLY) < 0);

    /* The harness put symlinks that point out in the sandbox: escape ->
     * ../outside, direct -> ../outside/secret.txt, abs -> /etc.  They may
     * exist, but never be followed. */
    expect_denied("follow escape/secret.txt", raw_open("escape/secret.txt", 1));
    expect_denied("libc open /sandbox/escape/secret.txt",
                  open("/sandbox/escape/secret.txt", O_RDONLY) < 0);
    expect_denied("raw escape/secret.txt without follow", raw_open("escape/secret.txt", 0));
    expect_denied("follow direct", raw_open("direct", 1));
    expect_denied("libc open /sandbox/direct", open("/sandbox/direct", O_RDONLY) < 0);
    expect_denied("follow abs/passwd", raw_open("abs/passwd", 1));
    expect_denied("libc open /sandbox/abs/passwd", open("/sandbox/abs/passwd", O_RDONLY) < 0);
    /* A new absolute symlink: refused when made, or never followable. */
    int abs_ok = symlink("/etc", "/sandbox/abs2") == 0 && raw_open("abs2/passwd", 1) == 0;
    expect_denied("new absolute symlink to /etc", !abs_ok);
    unlink("/sandbox/abs2");

    /* Creating, renaming and linking across the boundary. */
    expect_denied("raw create ../outside/new",
                  __wasi_path_open(PRE, 0, "../outside/new", __WASI_OFLAGS_CREAT,
                                   __WASI_RIGHTS_FD_WRITE, 0, 0, &(__wasi_fd_t){0}) != 0);
    expect_denied("raw mkdir ../outside/dir", __wasi_path_create_directory(PRE, "../outside/dir"));
    expect_denied("raw rename data.txt -> ../outside/stolen",
                  __wasi_path_rename(PRE, "data.txt", PRE, "../outside/stolen"));
    expect_denied("raw rename ../outside/secret.txt -> here",
                  __wasi_path_rename(PRE, "../outside/secret.txt", PRE, "here"));
    expect_denied("raw link ../outside/secret.txt -> here",
                  __wasi_path_link(PRE, 0, "../outside/secret.txt", PRE, "here"));
    expect_denied("raw link data.txt -> ../outside/linked",
                  __wasi_path_link(PRE, 0, "data.txt", PRE, "../outside/linked"));
    expect_denied("raw unlink ../outside/secret.txt",
                  __wasi_path_unlink_file(PRE, "../outside/secret.txt"));
    expect_denied("raw symlink at ../outside/planted",
                  __wasi_path_symlink("x", PRE, "../outside/planted"));
    expect_denied("raw symlink through escape/planted",
                  __wasi_path_symlink("x", PRE, "escape/planted"));
    __wasi_filestat_t fst;
    expect_denied("raw stat ../outside/secret.txt",
                  __wasi_path_filestat_get(PRE, 0, "../outside/secret.txt", &fst));
    expect_denied("raw stat escape/secret.txt (follow)",
                  __wasi_path_filestat_get(PRE, 1, "escape/secret.txt", &fst));
    /* The links themselves live inside and can be removed. */
    printf("%-44s %s\n", "unlink escape", unlink("/sandbox/escape") == 0 ? "ok" : "FAILED");
    printf("%-44s %s\n", "unlink direct", unlink("/sandbox/direct") == 0 ? "ok" : "FAILED");
    printf("%-44s %s\n", "unlink abs", unlink("/sandbox/abs") == 0 ? "ok" : "FAILED");
    return 0;
}
