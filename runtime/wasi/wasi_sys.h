/*
 * wasi_sys.h — host system calls that the C library may not wrap.
 */
#ifndef W2N_WASI_SYS_H
#define W2N_WASI_SYS_H

/* openat(dirfd, path, flags) that fails with EXDEV rather than leave the
 * directory tree under dirfd; ENOSYS where the kernel or build lacks it. */
int w2n_wasi_sys_open_beneath(int dirfd, const char *path, int flags);

#endif
