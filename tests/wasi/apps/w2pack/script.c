/* script.c — `w2pack script FILE`: many commands in one process.
 *
 * Each line is a command line as for the tool itself, split at blanks,
 * with "double quotes" grouping and $NAME replaced by that environment
 * variable.  '#' starts a comment.  A line may start with !N: the command
 * must then fail with status N (its message is printed, the script goes
 * on).  Two builtins: `echo WORDS...` and `same DIR1 DIR2`, which compares
 * two trees entry by entry and byte by byte.  Every command is echoed as
 * "$ ..." so the output reads as a transcript.  The script stops at the
 * first command whose status is not the expected one and returns
 * PK_ESCRIPT, or that command's own error if it was expected to succeed. */
#include "cli.h"

#include "fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_WORDS 64

typedef struct line {
    char text[MAX_LINE];
    char *words[MAX_WORDS + 1]; /* words[0] is the program name */
    int nwords;
    int expect; /* the status the command must end with */
} line;

static int expand(const char *name, char **out, char *end, pk_err *e) {
    const char *v = getenv(name);
    if (!v)
        return pk_fail(e, PK_EUSAGE, "$%s is not set", name);
    size_t n = strlen(v);
    if ((size_t)(end - *out) <= n)
        return pk_fail(e, PK_EUSAGE, "line too long after expanding $%s", name);
    memcpy(*out, v, n);
    *out += n;
    return PK_OK;
}

/* Split SRC into L's words, expanding variables; words live in L->text. */
static int split(const char *src, line *l, pk_err *e) {
    char *out = l->text, *end = l->text + sizeof l->text - 1;
    const char *p = src;
    l->nwords = 1;
    l->words[0] = "w2pack";
    l->expect = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!*p || *p == '#')
            break;
        if (l->nwords == MAX_WORDS)
            return pk_fail(e, PK_EUSAGE, "more than %d words", MAX_WORDS - 1);
        l->words[l->nwords++] = out;
        int quoted = 0;
        while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n'))) {
            if (*p == '"') {
                quoted = !quoted;
                p++;
            } else if (*p == '$') {
                char name[128];
                size_t n = 0;
                for (p++; (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                           (*p >= '0' && *p <= '9')) &&
                          n + 1 < sizeof name;
                     p++)
                    name[n++] = *p;
                name[n] = '\0';
                int st = expand(name, &out, end, e);
                if (st)
                    return st;
            } else if (out < end) {
                *out++ = *p++;
            } else {
                return pk_fail(e, PK_EUSAGE, "line too long");
            }
        }
        if (quoted)
            return pk_fail(e, PK_EUSAGE, "unterminated quote");
        *out++ = '\0';
        if (out >= end)
            return pk_fail(e, PK_EUSAGE, "line too long");
    }
    l->words[l->nwords] = NULL;
    if (l->nwords > 1 && l->words[1][0] == '!') {
        char *rest;
        long v = strtol(l->words[1] + 1, &rest, 10);
        if (*rest || v <= 0 || v > 255)
            return pk_fail(e, PK_EUSAGE, "bad expectation %s", l->words[1]);
        l->expect = (int)v;
        memmove(l->words + 1, l->words + 2, (size_t)(l->nwords - 1) * sizeof l->words[0]);
        l->nwords--;
    }
    return PK_OK;
}

static int file_same(const char *a, const char *b, int *same, pk_err *e) {
    pk_buf x = {0}, y = {0};
    int st = pk_fs_read_file(a, &x, e);
    if (!st)
        st = pk_fs_read_file(b, &y, e);
    *same = !st && x.len == y.len && (x.len == 0 || !memcmp(x.data, y.data, x.len));
    pk_buf_free(&x);
    pk_buf_free(&y);
    return st;
}

static int trees_same(const char *a, const char *b, pk_err *e) {
    pk_fslist la, lb;
    int st = pk_fs_walk(a, &la, e);
    if (st)
        return st;
    if ((st = pk_fs_walk(b, &lb, e))) {
        pk_fs_list_free(&la);
        return st;
    }
    if (la.n != lb.n)
        st = pk_fail(e, PK_ECORRUPT, "%s has %zu entries, %s %zu", a, la.n, b, lb.n);
    for (size_t i = 0; !st && i < la.n; i++) {
        const pk_fsent *x = &la.v[i], *y = &lb.v[i];
        if (strcmp(x->name, y->name) || x->is_dir != y->is_dir || x->size != y->size) {
            st = pk_fail(e, PK_ECORRUPT, "%s/%s and %s/%s differ", a, x->name, b, y->name);
        } else if (!x->is_dir) {
            char *pa = pk_fs_join(a, x->name), *pb = pk_fs_join(b, y->name);
            int same = 0;
            if (!pa || !pb)
                st = pk_fail(e, PK_ENOMEM, "out of memory");
            else if (!(st = file_same(pa, pb, &same, e)) && !same)
                st = pk_fail(e, PK_ECORRUPT, "%s and %s differ", pa, pb);
            free(pa);
            free(pb);
        }
    }
    if (!st)
        printf("same: %zu entries\n", la.n);
    pk_fs_list_free(&la);
    pk_fs_list_free(&lb);
    return st;
}

static int run_line(line *l, pk_err *e) {
    const char *cmd = l->words[1];
    if (!strcmp(cmd, "echo")) {
        for (int i = 2; i < l->nwords; i++)
            printf("%s%s", l->words[i], i + 1 < l->nwords ? " " : "");
        putchar('\n');
        return PK_OK;
    }
    if (!strcmp(cmd, "same")) {
        if (l->nwords != 4)
            return pk_fail(e, PK_EUSAGE, "same needs two directories");
        return trees_same(l->words[2], l->words[3], e);
    }
    return pk_cli_run(l->nwords, l->words, 1, e);
}

int pk_script_run(const char *path, pk_err *e) {
    FILE *f = fopen(path, "r");
    if (!f)
        return pk_fail_errno(e, PK_EIO, "cannot open %s", path);
    line *l = malloc(sizeof *l);
    char *src = malloc(MAX_LINE);
    int st = PK_OK;
    unsigned lineno = 0;
    if (!l || !src)
        st = pk_fail(e, PK_ENOMEM, "out of memory");
    while (!st && fgets(src, MAX_LINE, f)) {
        lineno++;
        if (!strchr(src, '\n') && !feof(f)) {
            st = pk_fail(e, PK_EUSAGE, "%s:%u: line too long", path, lineno);
            break;
        }
        if ((st = split(src, l, e)))
            break;
        if (l->nwords < 2)
            continue;
        printf("$");
        for (int i = 1; i < l->nwords; i++)
            printf(" %s", l->words[i]);
        printf(l->expect ? "   (expect status %d)\n" : "\n", l->expect);
        pk_err why = {0, ""};
        int rc = run_line(l, &why);
        if (rc)
            printf("! status %d: %s\n", rc, why.msg);
        if (rc != l->expect) {
            if (rc)
                *e = why;
            else
                pk_fail(e, PK_ESCRIPT, "%s:%u: expected status %d, got 0", path, lineno, l->expect);
            st = rc ? rc : PK_ESCRIPT;
        }
    }
    if (!st && ferror(f))
        st = pk_fail_errno(e, PK_EIO, "cannot read %s", path);
    fclose(f);
    free(l);
    free(src);
    return st;
}
