/* errors: the errno a program sees for common failures. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int rc) {
    printf("%-36s %s\n", what, rc < 0 ? strerror(errno) : "success");
}

int main(void) {
    char buf[8];
    show("open missing", open("/sandbox/missing.txt", O_RDONLY));
    show("read from closed fd 42", (int)read(42, buf, 1));
    show("write to closed fd 42", (int)write(42, buf, 1));
    show("mkdir existing", mkdir("/sandbox/data.txt", 0755));
    show("rmdir a file", rmdir("/sandbox/data.txt"));
    show("opendir a file", opendir("/sandbox/data.txt") ? 0 : -1);
    show("open dir/ for a file", open("/sandbox/data.txt/", O_RDONLY));
    show("open file inside a file", open("/sandbox/data.txt/x", O_RDONLY));
    int fd = open("/sandbox/data.txt", O_RDONLY);
    show("write to read-only fd", (int)write(fd, "x", 1));
    show("lseek negative", (int)lseek(fd, -100, SEEK_SET));
    close(fd);
    show("close twice", close(fd));
    show("rename missing", rename("/sandbox/nothing", "/sandbox/else"));
    show("unlink missing", unlink("/sandbox/nothing"));
    return 0;
}
