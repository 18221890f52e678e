/*
 * libcall_table.h — the types of the library functions in libcalls.def,
 * for the compiler (which gives them stubs) and the loader (which binds
 * them).
 */
#ifndef W2N_LIBCALL_TABLE_H
#define W2N_LIBCALL_TABLE_H

typedef enum w2n_libcall_sig {
    W2N_LIBCALL_SIG_COPY,   /* void *(void *, const void *, size_t) */
    W2N_LIBCALL_SIG_FILL,   /* void *(void *, int, size_t) */
    W2N_LIBCALL_SIG_F64_1,  /* double(double) */
    W2N_LIBCALL_SIG_F32_1,  /* float(float) */
    W2N_LIBCALL_SIG_F64_2,  /* double(double, double) */
    W2N_LIBCALL_SIG_F32_2,  /* float(float, float) */
    W2N_LIBCALL_SIG_F64_3,  /* double(double, double, double) */
    W2N_LIBCALL_SIG_F32_3,  /* float(float, float, float) */
    W2N_LIBCALL_SIG_I128_2, /* __int128(__int128, __int128) */
} w2n_libcall_sig;

#endif
