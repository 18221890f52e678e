/* files: create, write, read back, seek, append, truncate, stat, readdir,
 * rename, link, unlink, mkdir and rmdir inside the preopened /sandbox, which
 * starts out holding data.txt ("line one\nline two\n"). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(what, cond) printf("%-40s %s\n", what, (cond) ? "ok" : "FAILED")

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in a directory, sorted, without . and .. */
static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir %s: %s\n", dir, strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void cat(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("fopen %s: %s\n", path, strerror(errno));
        return;
    }
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("%s contains %zu bytes: [%s]\n", path, n, buf);
}

int main(void) {
    list("/sandbox");
    cat("/sandbox/data.txt");

    FILE *f = fopen("/sandbox/new.txt", "w");
    CHECK("create new.txt", f != NULL);
    fprintf(f, "hello from wasm\n");
    fclose(f);
    cat("/sandbox/new.txt");

    f = fopen("/sandbox/new.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    cat("/sandbox/new.txt");

    struct stat st;
    CHECK("stat new.txt", stat("/sandbox/new.txt", &st) == 0);
    printf("size=%lld regular=%d dir=%d\n", (long long)st.st_size, S_ISREG(st.st_mode),
           S_ISDIR(st.st_mode));

    int fd = open("/sandbox/new.txt", O_RDWR);
    CHECK("open O_RDWR", fd >= 0);
    CHECK("lseek to 6", lseek(fd, 6, SEEK_SET) == 6);
    char buf[16] = {0};
    CHECK("read 4 bytes", read(fd, buf, 4) == 4);
    printf("read at 6: [%s]\n", buf);
    CHECK("pwrite at 0", pwrite(fd, "HELLO", 5, 0) == 5);
    memset(buf, 0, sizeof buf);
    CHECK("pread at 0", pread(fd, buf, 5, 0) == 5);
    printf("pread at 0: [%s]\n", buf);
    CHECK("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR) == 10);
    CHECK("lseek end", lseek(fd, 0, SEEK_END) == 25);
    CHECK("ftruncate 5", ftruncate(fd, 5) == 0);
    CHECK("fstat after truncate", fstat(fd, &st) == 0 && st.st_size == 5);
    CHECK("fsync", fsync(fd) == 0);
    CHECK("fdatasync", fdatasync(fd) == 0);
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
    CHECK("futimens", futimens(fd, times) == 0);
    CHECK("mtime set by futimens", fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1234567890);
    close(fd);
    cat("/sandbox/new.txt");
    times[1].tv_sec = 987654321;
    CHECK("utimensat", utimensat(AT_FDCWD, "/sandbox/new.txt", times, 0) == 0);
    CHECK("mtime set by utimensat",
          stat("/sandbox/new.txt", &st) == 0 && st.st_mtim.tv_sec == 987654321);

    CHECK("mkdir dir", mkdir("/sandbox/dir", 0755) == 0);
    CHECK("mkdir dir again fails EEXIST", mkdir("/sandbox/dir", 0755) != 0 && errno == EEXIST);
    CHECK("stat dir", stat("/sandbox/dir", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK("rename into dir", rename("/sandbox/new.txt", "/sandbox/dir/moved.txt") == 0);
    CHECK("old name gone", stat("/sandbox/new.txt", &st) != 0 && errno == ENOENT);
    CHECK("link", link("/sandbox/dir/moved.txt", "/sandbox/hard.txt") == 0);
    CHECK("nlink is 2", stat("/sandbox/hard.txt", &st) == 0 && st.st_nlink == 2);
    CHECK("symlink", symlink("dir/moved.txt", "/sandbox/soft.txt") == 0);
    char target[64] = {0};
    CHECK("readlink", readlink("/sandbox/soft.txt", target, sizeof target - 1) == 13);
    printf("soft.txt -> %s\n", target);
    CHECK("lstat sees the link", lstat("/sandbox/soft.txt", &st) == 0 && S_ISLNK(st.st_mode));
    cat("/sandbox/soft.txt");
    for (int i = 0; i < 5; i++) {
        char name[64];
        snprintf(name, sizeof name, "/sandbox/dir/f%d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    list("/sandbox");
    list("/sandbox/dir");
    CHECK("rmdir non-empty fails", rmdir("/sandbox/dir") != 0 && errno == ENOTEMPTY);
    CHECK("unlink a directory fails", unlink("/sandbox/dir") != 0);
    CHECK("open missing fails ENOENT", open("/sandbox/missing", O_RDONLY) < 0 && errno == ENOENT);
    CHECK("O_EXCL on existing fails",
          open("/sandbox/data.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST);
    for (int i = 0; i < 5; i++) {
        char name[64];
        snprintf(name, sizeof name, "/sandbox/dir/f%d", i);
        unlink(name);
    }
    CHECK("unlink symlink", unlink("/sandbox/soft.txt") == 0);
    CHECK("unlink hard link", unlink("/sandbox/hard.txt") == 0);
    CHECK("unlink moved", unlink("/sandbox/dir/moved.txt") == 0);
    CHECK("rmdir", rmdir("/sandbox/dir") == 0);
    list("/sandbox");
    return 0;
}
