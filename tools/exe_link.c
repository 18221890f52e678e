/*
 * exe_link.c — linking an object into a standalone executable (exe_link.h).
 *
 * The object's bytes go into the executable's read-only data through a few
 * lines of assembly (.incbin), beside the run options given at compile
 * time; tools/exe_main.c's main hands both to the runtime.  The executable
 * is linked -static, so the device needs no libc of a matching version,
 * no w2n and no libsodium: only the kernel.
 *
 * The runtime for the target is found, in this order, in --runtime-dir,
 * $W2N_RUNTIME_DIR, beside this w2n in the build tree (../lib/w2n/TRIPLE)
 * or where `cmake --install` puts it (LIBDIR/w2n/TRIPLE).
 */
#include "exe_link.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit_status.h"
#include "output.h"

extern char **environ;

#ifndef W2N_EXE_INSTALL_REL
#define W2N_EXE_INSTALL_REL "../lib/w2n"
#endif

/* dir/name into out; false when it does not fit. */
static bool path_join(char *out, size_t size, const char *dir, const char *name) {
    int n = snprintf(out, size, "%s/%s", dir, name);
    return n > 0 && (size_t)n < size;
}

/* "aarch64-linux-gnu", "riscv64", NULL -> "aarch64", "riscv64", the host's. */
static void target_arch(const char *target, char *arch, size_t size) {
    struct utsname u;
    const char *name = target && *target ? target : uname(&u) == 0 ? u.machine : "x86_64";
    size_t len = strcspn(name, "-");
    len = len < size - 1 ? len : size - 1;
    memcpy(arch, name, len);
    arch[len] = '\0';
}

static bool has_runtime(const char *dir) {
    char path[PATH_MAX];
    return path_join(path, sizeof path, dir, "libw2n-exe.a") && access(path, R_OK) == 0 &&
           path_join(path, sizeof path, dir, "libw2n-runtime.a") && access(path, R_OK) == 0;
}

static bool find_runtime(const w2n_exe_options *o, const char *triple, char *dir, size_t size) {
    if (o->runtime_dir) {
        snprintf(dir, size, "%s", o->runtime_dir);
        return has_runtime(dir);
    }
    const char *env = getenv("W2N_RUNTIME_DIR");
    if (env && *env)
        return path_join(dir, size, env, triple) && has_runtime(dir);
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    const char *candidates[] = {"../lib/w2n", W2N_EXE_INSTALL_REL};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        int len = snprintf(dir, size, "%s/%s/%s", self, candidates[i], triple);
        if (len > 0 && (size_t)len < size && has_runtime(dir))
            return true;
    }
    return false;
}

/* The run options as an .asciz operand: quotes and backslashes escaped. */
static void write_asciz(FILE *f, const char *s) {
    fputs("\t.asciz \"", f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputs("\"\n", f);
}

static bool write_embedding(const char *path, const char *object_path, const char *run_options) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "\t.section .rodata.w2n_exe,\"a\"\n\t.balign 64\n");
    fprintf(f, "\t.globl w2n_exe_object\nw2n_exe_object:\n\t.incbin \"%s\"\n", object_path);
    fprintf(f, "\t.globl w2n_exe_object_end\nw2n_exe_object_end:\n");
    fprintf(f, "\t.globl w2n_exe_run_options\nw2n_exe_run_options:\n");
    write_asciz(f, run_options);
    fprintf(f, "\t.section .note.GNU-stack,\"\",%%progbits\n");
    return fclose(f) == 0;
}

/* Words of link.txt (libraries the runtime needs beyond libc), appended. */
static int add_link_words(const char *dir, const char **argv, int n, int max, char *buf,
                          size_t size) {
    char path[PATH_MAX];
    FILE *f = path_join(path, sizeof path, dir, "link.txt") ? fopen(path, "r") : NULL;
    if (!f)
        return n;
    size_t len = fread(buf, 1, size - 1, f);
    buf[len] = '\0';
    fclose(f);
    for (char *save = NULL, *w = strtok_r(buf, " \t\n", &save); w && n < max - 1;
         w = strtok_r(NULL, " \t\n", &save))
        argv[n++] = w;
    return n;
}

static int run_linker(const char *const *argv) {
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
    if (rc) {
        fprintf(stderr, "w2n compile: --exe: cannot run %s: %s\n", argv[0], strerror(rc));
        return -1;
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

int w2n_exe_link(const uint8_t *object, size_t size, const char *output,
                 const w2n_exe_options *opts) {
    char arch[64], host[64], triple[96], dir[PATH_MAX];
    target_arch(opts->target, arch, sizeof arch);
    target_arch(NULL, host, sizeof host);
    snprintf(triple, sizeof triple, "%s-linux-gnu", arch);
    if (!find_runtime(opts, triple, dir, sizeof dir)) {
        fprintf(stderr,
                "w2n compile: --exe: no runtime for %s (libw2n-exe.a and libw2n-runtime.a; "
                "looked in %s): build w2n with %s-gcc installed, or give --runtime-dir\n",
                triple, dir, triple);
        return W2N_EXIT_UNSUPPORTED;
    }
    char cc[128];
    snprintf(cc, sizeof cc, "%s", opts->cc ? opts->cc : !strcmp(arch, host) ? "cc" : "");
    if (!*cc)
        snprintf(cc, sizeof cc, "%s-gcc", triple);

    char work[] = "/tmp/w2n-exe-XXXXXX";
    if (!mkdtemp(work)) {
        fprintf(stderr, "w2n compile: --exe: cannot make a temporary directory: %s\n",
                strerror(errno));
        return W2N_EXIT_ERROR;
    }
    char obj_path[64], asm_path[64], tmp_out[PATH_MAX], lib_exe[PATH_MAX], lib_rt[PATH_MAX];
    int out_len = snprintf(tmp_out, sizeof tmp_out, "%s.w2n-tmp", output);
    bool fits = path_join(obj_path, sizeof obj_path, work, "app.o") &&
                path_join(asm_path, sizeof asm_path, work, "embed.S") &&
                path_join(lib_exe, sizeof lib_exe, dir, "libw2n-exe.a") &&
                path_join(lib_rt, sizeof lib_rt, dir, "libw2n-runtime.a") && out_len > 0 &&
                (size_t)out_len < sizeof tmp_out;
    w2n_error err;
    int rc = W2N_EXIT_ERROR;
    if (!fits) {
        fprintf(stderr, "w2n compile: --exe: a path is too long\n");
    } else if (w2n_write_file_atomic(obj_path, object, size, &err) != W2N_OK) {
        fprintf(stderr, "w2n compile: --exe: %s\n", err.message);
    } else if (!write_embedding(asm_path, obj_path, opts->run_options)) {
        fprintf(stderr, "w2n compile: --exe: cannot write %s\n", asm_path);
    } else {
        const char *argv[64] = {cc, "-static", "-o", tmp_out, asm_path, lib_exe, lib_rt};
        char words[512];
        int n = add_link_words(dir, argv, 7, 63, words, sizeof words);
        argv[n] = NULL;
        int status = run_linker(argv);
        if (status == 0 && rename(tmp_out, output) == 0) {
            rc = 0;
        } else {
            if (status >= 0)
                fprintf(stderr, "w2n compile: --exe: linking %s with %s failed (exit %d)\n", output,
                        cc, status);
            unlink(tmp_out);
        }
    }
    unlink(obj_path);
    unlink(asm_path);
    rmdir(work);
    return rc;
}
