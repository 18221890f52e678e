/* paths: trailing slashes and directory opens, which must give Linux's
 * errnos (issue 12, hole 7).  Built natively with -DROOT='"box"' it shows
 * what Linux itself answers; the .expected file is that output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ROOT
#define ROOT "/sandbox"
#endif

static void show(const char *what, int rc) {
    printf("%-40s %s\n", what, rc < 0 ? strerror(errno) : "success");
}

static int exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

int main(void) {
    show("mkdir dir", mkdir(ROOT "/dir", 0755));
    int fd = open(ROOT "/file", O_CREAT | O_WRONLY, 0644);
    show("create file", fd);
    close(fd);
    show("link file -> link/", link(ROOT "/file", ROOT "/link/"));
    show("symlink source -> target/", symlink("source", ROOT "/target/"));
    show("symlink source -> dir/", symlink("source", ROOT "/dir/"));
    show("link file/ -> x", link(ROOT "/file/", ROOT "/x"));
    show("rename file -> new/", rename(ROOT "/file", ROOT "/new/"));
    show("rename file/ -> new", rename(ROOT "/file/", ROOT "/new"));
    show("unlink file/", unlink(ROOT "/file/"));
    show("unlink missing/", unlink(ROOT "/missing/"));
    show("rmdir file/", rmdir(ROOT "/file/"));
    show("mkdir file/", mkdir(ROOT "/file/", 0755));
    show("symlink dir -> dirlink", symlink("dir", ROOT "/dirlink"));
    show("rename dirlink/ -> moved", rename(ROOT "/dirlink/", ROOT "/moved"));
    show("rmdir dirlink/", rmdir(ROOT "/dirlink/"));
    show("unlink dirlink/", unlink(ROOT "/dirlink/"));
    show("rename dir -> dir2/", rename(ROOT "/dir", ROOT "/dir2/"));
    show("rename dir2/ -> dir/", rename(ROOT "/dir2/", ROOT "/dir/"));
    show("open dir O_DIRECTORY|O_RDWR", open(ROOT "/dir", O_DIRECTORY | O_RDWR));
    show("open dir O_RDWR", open(ROOT "/dir", O_RDWR));
    show("open file O_DIRECTORY|O_RDWR", open(ROOT "/file", O_DIRECTORY | O_RDWR));
    show("open newf/ O_CREAT", open(ROOT "/newf/", O_CREAT | O_WRONLY, 0644));
    fd = open(ROOT "/dir", O_DIRECTORY | O_RDONLY);
    show("open dir O_DIRECTORY|O_RDONLY", fd);
    close(fd);
    printf("left behind: link %d target %d new %d moved %d newf %d x %d\n", exists(ROOT "/link"),
           exists(ROOT "/target"), exists(ROOT "/new"), exists(ROOT "/moved"), exists(ROOT "/newf"),
           exists(ROOT "/x"));
    printf("still there: file %d dir %d dirlink %d\n", exists(ROOT "/file"), exists(ROOT "/dir"),
           exists(ROOT "/dirlink"));
    return 0;
}
