/* all_imports: import every function of wasi_snapshot_preview1 with the
 * signature wasi-libc declares, so instantiation checks each of ours.  The
 * calls sit behind a condition that is never true at run time. */
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

/* Not declared by this wasi-libc any more, but part of preview 1. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) uint16_t
raw_proc_raise(uint32_t sig);

volatile int never; /* 0: the calls below only force the imports */

int main(void) {
    if (never) {
        uint8_t b[64];
        __wasi_fd_t fd;
        __wasi_size_t n;
        __wasi_filesize_t off;
        __wasi_timestamp_t t;
        __wasi_fdstat_t fs;
        __wasi_filestat_t st;
        __wasi_prestat_t ps;
        __wasi_iovec_t iov = {b, 1};
        __wasi_ciovec_t ciov = {b, 1};
        __wasi_event_t ev;
        __wasi_subscription_t sub;
        unsigned s = 0; /* results are to be used */
        __wasi_roflags_t rof;
        s += __wasi_args_get((uint8_t **)b, b);
        s += __wasi_args_sizes_get(&n, &n);
        s += __wasi_environ_get((uint8_t **)b, b);
        s += __wasi_environ_sizes_get(&n, &n);
        s += __wasi_clock_res_get(0, &t);
        s += __wasi_clock_time_get(0, 0, &t);
        s += __wasi_fd_advise(3, 0, 0, 0);
        s += __wasi_fd_allocate(3, 0, 0);
        s += __wasi_fd_close(3);
        s += __wasi_fd_datasync(3);
        s += __wasi_fd_fdstat_get(3, &fs);
        s += __wasi_fd_fdstat_set_flags(3, 0);
        s += __wasi_fd_fdstat_set_rights(3, 0, 0);
        s += __wasi_fd_filestat_get(3, &st);
        s += __wasi_fd_filestat_set_size(3, 0);
        s += __wasi_fd_filestat_set_times(3, 0, 0, 0);
        s += __wasi_fd_pread(3, &iov, 1, 0, &n);
        s += __wasi_fd_prestat_get(3, &ps);
        s += __wasi_fd_prestat_dir_name(3, b, 1);
        s += __wasi_fd_pwrite(3, &ciov, 1, 0, &n);
        s += __wasi_fd_read(3, &iov, 1, &n);
        s += __wasi_fd_readdir(3, b, 1, 0, &n);
        s += __wasi_fd_renumber(3, 4);
        s += __wasi_fd_seek(3, 0, 0, &off);
        s += __wasi_fd_sync(3);
        s += __wasi_fd_tell(3, &off);
        s += __wasi_fd_write(3, &ciov, 1, &n);
        s += __wasi_path_create_directory(3, "x");
        s += __wasi_path_filestat_get(3, 0, "x", &st);
        s += __wasi_path_filestat_set_times(3, 0, "x", 0, 0, 0);
        s += __wasi_path_link(3, 0, "x", 3, "y");
        s += __wasi_path_open(3, 0, "x", 0, 0, 0, 0, &fd);
        s += __wasi_path_readlink(3, "x", b, 1, &n);
        s += __wasi_path_remove_directory(3, "x");
        s += __wasi_path_rename(3, "x", 3, "y");
        s += __wasi_path_symlink("x", 3, "y");
        s += __wasi_path_unlink_file(3, "x");
        s += __wasi_poll_oneoff(&sub, &ev, 1, &n);
        s += __wasi_random_get(b, 1);
        s += __wasi_sock_accept(3, 0, &fd);
        s += __wasi_sock_recv(3, &iov, 1, 0, &n, &rof);
        s += __wasi_sock_send(3, &ciov, 1, 0, &n);
        s += __wasi_sock_shutdown(3, 0);
        s += raw_proc_raise(0);
        __wasi_proc_exit(s);
    }
    printf("every import linked\n");
    printf("sched_yield: %d\n", __wasi_sched_yield());
    printf("sock_shutdown on a directory: %d (notsock = %d)\n", __wasi_sock_shutdown(3, 1),
           __WASI_ERRNO_NOTSOCK);
    printf("sock_recv on a bad fd: %d (badf = %d)\n", __wasi_sock_recv(99, NULL, 0, 0, NULL, NULL),
           __WASI_ERRNO_BADF);
    return 0;
}
