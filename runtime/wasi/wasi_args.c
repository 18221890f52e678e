/*
 * wasi_args.c — args_* and environ_*: the program's argument and
 * environment strings, laid out as C expects them (an array of guest
 * pointers, and the NUL-terminated strings packed in one buffer).  The
 * sizes functions and the get functions agree, so a guest that allocates
 * what *_sizes_get said never faults; one that allocates less does.
 */
#include <string.h>

#include "wasi/wasi_internal.h"

static uint64_t total_size(char **v, uint32_t n) {
    uint64_t size = 0;
    for (uint32_t i = 0; i < n; i++)
        size += strlen(v[i]) + 1;
    return size;
}

static wasi_errno sizes(const wasi_mem *m, char **v, uint32_t n, uint32_t count_ptr,
                        uint32_t size_ptr) {
    uint64_t size = total_size(v, n);
    if (size > UINT32_MAX)
        return WASI_EOVERFLOW;
    if (!wasi_mem_check(m, count_ptr, 4) || !wasi_mem_check(m, size_ptr, 4))
        return WASI_EFAULT;
    wasi_put_u32(wasi_mem_at(m, count_ptr), n);
    wasi_put_u32(wasi_mem_at(m, size_ptr), (uint32_t)size);
    return WASI_ESUCCESS;
}

static wasi_errno strings(const wasi_mem *m, char **v, uint32_t n, uint32_t ptrs, uint32_t buf) {
    uint64_t size = total_size(v, n);
    if (!wasi_mem_check(m, ptrs, (uint64_t)n * 4) || !wasi_mem_check(m, buf, size))
        return WASI_EFAULT;
    uint32_t at = buf;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        wasi_put_u32(wasi_mem_at(m, ptrs + 4 * i), at);
        memcpy(wasi_mem_at(m, at), v[i], len);
        at += (uint32_t)len;
    }
    return WASI_ESUCCESS;
}

wasi_errno w2n_wasi_args_sizes_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t argc_ptr,
                                   uint32_t size_ptr) {
    return sizes(m, ctx->argv, ctx->argc, argc_ptr, size_ptr);
}

wasi_errno w2n_wasi_args_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t argv, uint32_t buf) {
    return strings(m, ctx->argv, ctx->argc, argv, buf);
}

wasi_errno w2n_wasi_environ_sizes_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t count_ptr,
                                      uint32_t size_ptr) {
    return sizes(m, ctx->envp, ctx->envc, count_ptr, size_ptr);
}

wasi_errno w2n_wasi_environ_get(wasi_ctx *ctx, const wasi_mem *m, uint32_t env, uint32_t buf) {
    return strings(m, ctx->envp, ctx->envc, env, buf);
}
