/*
 * run_keys.c — reading and writing the key files of run_keys.h.
 *
 * Files are parsed strictly (label, one space, exact hex length, optional
 * final newline) so a truncated or edited key is refused by name.  The
 * secret key is created with O_EXCL and mode 0600 and never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "w2n/file.h"
#include "run_keys.h"

#define SECRET_LABEL "w2n-ed25519-secret-key"
#define PUBLIC_LABEL "w2n-ed25519-public-key"

static int hexval(int c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static w2n_status read_key(const char *path, const char *label, uint8_t *key, size_t n,
                           w2n_error *err) {
    uint8_t *text;
    size_t size;
    w2n_status st = w2n_read_file(path, &text, &size, err);
    if (st != W2N_OK)
        return st;
    size_t ll = strlen(label);
    if (size && text[size - 1] == '\n')
        size--;
    bool ok = size == ll + 1 + 2 * n && !memcmp(text, label, ll) && text[ll] == ' ';
    for (size_t i = 0; ok && i < n; i++) {
        int hi = hexval(text[ll + 1 + 2 * i]), lo = hexval(text[ll + 2 + 2 * i]);
        ok = hi >= 0 && lo >= 0;
        key[i] = (uint8_t)(hi << 4 | lo);
    }
    free(text);
    if (!ok)
        return w2n_error_set(err, W2N_ERR_ARGUMENT, W2N_NO_OFFSET,
                             "%s: not a key file of the kind needed ('%s' and %zu hex digits)",
                             path, label, 2 * n);
    return W2N_OK;
}

w2n_status w2n_keys_read_public(const char *path, uint8_t key[W2N_SIGN_PUBLIC_SIZE],
                                w2n_error *err) {
    return read_key(path, PUBLIC_LABEL, key, W2N_SIGN_PUBLIC_SIZE, err);
}

w2n_status w2n_keys_read_secret(const char *path, uint8_t key[W2N_SIGN_SECRET_SIZE],
                                w2n_error *err) {
    return read_key(path, SECRET_LABEL, key, W2N_SIGN_SECRET_SIZE, err);
}

static w2n_status write_key(const char *path, int mode, const char *label, const uint8_t *key,
                            size_t n, w2n_error *err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0)
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: %s", path, strerror(errno));
    char line[200];
    int len = snprintf(line, sizeof line, "%s ", label);
    for (size_t i = 0; i < n; i++)
        len += snprintf(line + len, sizeof line - (size_t)len, "%02x", key[i]);
    line[len++] = '\n';
    bool ok = write(fd, line, (size_t)len) == len;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return w2n_error_set(err, W2N_ERR_IO, W2N_NO_OFFSET, "%s: cannot write", path);
    }
    return W2N_OK;
}

w2n_status w2n_keys_generate(const char *path, w2n_error *err) {
    uint8_t pk[W2N_SIGN_PUBLIC_SIZE], sk[W2N_SIGN_SECRET_SIZE];
    w2n_status st = w2n_sign_keygen(pk, sk, err);
    if (st != W2N_OK)
        return st;
    size_t n = strlen(path) + 5;
    char *pub = malloc(n);
    if (!pub)
        return w2n_error_set(err, W2N_ERR_NOMEM, W2N_NO_OFFSET, "out of memory");
    snprintf(pub, n, "%s.pub", path);
    st = write_key(path, 0600, SECRET_LABEL, sk, sizeof sk, err);
    if (st == W2N_OK && (st = write_key(pub, 0644, PUBLIC_LABEL, pk, sizeof pk, err)) != W2N_OK)
        unlink(path);
    memset(sk, 0, sizeof sk);
    free(pub);
    return st;
}
