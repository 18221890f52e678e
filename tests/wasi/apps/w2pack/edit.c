/* edit.c — small file edits for test scripts: copy a file, flip one byte
 * in place, cut a file short.  They let a script damage an archive in
 * controlled ways without a shell, and exercise read-write opens, seeks
 * and truncation. */
#include "cmds.h"

#include "fs.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int pk_cmd_copy(const char *from, const char *to, pk_err *e) {
    pk_buf b = {0};
    int st = pk_fs_read_file(from, &b, e);
    if (!st)
        st = pk_fs_write_file(to, b.data, b.len, e);
    pk_buf_free(&b);
    return st;
}

int pk_cmd_damage(const char *path, uint64_t offset, pk_err *e) {
    FILE *f = fopen(path, "r+b");
    if (!f)
        return pk_fail_errno(e, PK_EIO, "cannot open %s", path);
    int st = PK_OK, c = EOF;
    if (offset > 0x7fffffff || fseek(f, (long)offset, SEEK_SET) != 0)
        st = pk_fail(e, PK_EIO, "cannot seek to %llu in %s", (unsigned long long)offset, path);
    else if ((c = fgetc(f)) == EOF)
        st = pk_fail(e, PK_EIO, "%s has no byte at %llu", path, (unsigned long long)offset);
    /* Between reading and writing a stream must be repositioned. */
    else if (fseek(f, (long)offset, SEEK_SET) != 0 || fputc(c ^ 0x55, f) == EOF)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", path);
    if (fclose(f) != 0 && !st)
        st = pk_fail_errno(e, PK_EIO, "cannot write %s", path);
    return st;
}

int pk_cmd_cut(const char *path, uint64_t size, pk_err *e) {
    struct stat sb;
    if (stat(path, &sb) != 0)
        return pk_fail_errno(e, PK_EIO, "cannot stat %s", path);
    if ((uint64_t)sb.st_size < size)
        return pk_fail(e, PK_EIO, "%s is shorter than %llu bytes", path, (unsigned long long)size);
    if (truncate(path, (off_t)size) != 0)
        return pk_fail_errno(e, PK_EIO, "cannot truncate %s", path);
    return PK_OK;
}
