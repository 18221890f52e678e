/*
 * wasi_dir.c — fd_readdir.
 *
 * A directory descriptor keeps one host DIR stream (on a dup of its
 * descriptor, opened on first use) and the cookie of the entry the stream
 * returns next; cookies are entry ordinals, so entry i has d_next = i + 1.
 * A call with cookie 0 rewinds (so a new listing sees new files); any other
 * cookie that is not where the stream stands rewinds and skips.  An entry
 * that does not fit the guest's buffer is written in part, as the spec
 * asks, and the stream steps back so the next call returns it again.
 */
#define _GNU_SOURCE /* O_PATH, ppoll, accept4, preadv */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static uint8_t dirent_type(DIR *dir, const struct dirent *ent) {
    switch (ent->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: break;
    }
    struct stat st; /* file systems that do not fill d_type */
    if (fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return w2n_wasi_filetype(st.st_mode);
    return WASI_FILETYPE_UNKNOWN;
}

static wasi_errno open_stream(wasi_fd *f) {
    if (f->dir)
        return WASI_ESUCCESS;
    int fd = dup(f->host);
    if (fd < 0)
        return w2n_wasi_errno(errno);
    f->dir = fdopendir(fd);
    if (!f->dir) {
        int err = errno;
        close(fd);
        return w2n_wasi_errno(err);
    }
    f->dir_pos = 0;
    return WASI_ESUCCESS;
}

/* Position the stream so that it returns entry number `cookie` next. */
static void seek_stream(wasi_fd *f, uint64_t cookie) {
    if (cookie != 0 && cookie == f->dir_pos)
        return;
    rewinddir(f->dir);
    f->dir_pos = 0;
    while (f->dir_pos < cookie && readdir(f->dir))
        f->dir_pos++;
}

wasi_errno w2n_wasi_fd_readdir(wasi_ctx *ctx, const wasi_mem *m, uint32_t fd, uint32_t buf,
                               uint32_t buf_len, uint64_t cookie, uint32_t bufused_ptr) {
    wasi_errno e;
    wasi_fd *f = w2n_wasi_fd_get(ctx, fd, WASI_RIGHT_FD_READDIR, &e);
    if (!f)
        return e;
    if (f->type != WASI_FILETYPE_DIRECTORY)
        return WASI_ENOTDIR;
    if (!wasi_mem_check(m, buf, buf_len) || !wasi_mem_check(m, bufused_ptr, 4))
        return WASI_EFAULT;
    e = open_stream(f);
    if (e)
        return e;
    seek_stream(f, cookie);
    uint8_t *out = wasi_mem_at(m, buf);
    uint32_t used = 0;
    while (used < buf_len) {
        long loc = telldir(f->dir);
        errno = 0;
        struct dirent *ent = readdir(f->dir);
        if (!ent) {
            if (errno)
                return w2n_wasi_errno(errno);
            break;
        }
        size_t namlen = strlen(ent->d_name);
        uint8_t head[WASI_DIRENT_SIZE];
        memset(head, 0, sizeof head);
        wasi_put_u64(head, f->dir_pos + 1);
        wasi_put_u64(head + 8, (uint64_t)ent->d_ino);
        wasi_put_u32(head + 16, (uint32_t)namlen);
        wasi_put_u8(head + 20, dirent_type(f->dir, ent));
        uint32_t room = buf_len - used;
        uint32_t n = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
        memcpy(out + used, head, n);
        used += n;
        room -= n;
        uint32_t nn = namlen < room ? (uint32_t)namlen : room;
        memcpy(out + used, ent->d_name, nn);
        used += nn;
        if (n < WASI_DIRENT_SIZE || nn < namlen) {
            seekdir(f->dir, loc); /* cut short: hand it out again next time */
            break;
        }
        f->dir_pos++;
    }
    wasi_put_u32(wasi_mem_at(m, bufused_ptr), used);
    return WASI_ESUCCESS;
}
