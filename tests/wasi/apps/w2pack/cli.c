/* cli.c — the w2pack command line: parse one command's arguments (and
 * the environment's defaults) and run it.  main.c and script.c call in.
 *
 *   w2pack c [-l LEVEL] [-b KIB] [-v] ARCHIVE DIR   create
 *   w2pack x [-v] ARCHIVE DIR                       extract
 *   w2pack t ARCHIVE                                list
 *   w2pack v ARCHIVE                                verify
 *   w2pack p ARCHIVE NAME                           print one file
 *   w2pack gen DIR SEED KIB                         make test input
 *   w2pack bench [-m MIB] [-l LEVEL] [-b KIB] [-r ROUNDS] [-s SEED] [-t]
 *   w2pack script FILE                              run commands from FILE
 *   w2pack copy FROM TO | damage FILE OFFSET | cut FILE SIZE   (for tests)
 *
 * W2PACK_LEVEL and W2PACK_BLOCK_KIB in the environment set the defaults of
 * -l and -b.  Exit status: 0 ok, 1 I/O error, 2 usage, 3 corrupt archive,
 * 4 out of memory, 5 a script command ended unexpectedly. */
#include "cli.h"

#include "arc.h"
#include "cmds.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LEVEL 6
#define DEFAULT_BLOCK_KIB 128
#define MAX_BLOCK_KIB 16384

const char pk_cli_usage[] =
    "usage: w2pack c [-l LEVEL] [-b KIB] [-v] ARCHIVE DIR\n"
    "       w2pack x [-v] ARCHIVE DIR\n"
    "       w2pack t ARCHIVE\n"
    "       w2pack v ARCHIVE\n"
    "       w2pack p ARCHIVE NAME\n"
    "       w2pack gen DIR SEED KIB\n"
    "       w2pack bench [-m MIB] [-l LEVEL] [-b KIB] [-r ROUNDS] [-s SEED] [-t]\n"
    "       w2pack script FILE\n"
    "       w2pack copy FROM TO | damage FILE OFFSET | cut FILE SIZE\n";

typedef struct options {
    int level;
    size_t block_kib;
    int verbose, timing;
    size_t mib;
    unsigned long rounds;
    uint64_t seed;
    char **args; /* the positional arguments */
    int nargs;
} options;

/* A whole decimal number in [lo, hi]. */
static int parse_num(const char *s, unsigned long long lo, unsigned long long hi,
                     unsigned long long *out) {
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int env_num(const char *name, unsigned long long lo, unsigned long long hi,
                   unsigned long long *out, pk_err *e) {
    const char *s = getenv(name);
    if (!s)
        return PK_OK;
    if (parse_num(s, lo, hi, out) < 0)
        return pk_fail(e, PK_EUSAGE, "%s=%s: expected a number from %llu to %llu", name, s, lo, hi);
    return PK_OK;
}

/* Options with a value: which letter, its range, where it goes. */
static int option_value(options *o, char flag, const char *value, pk_err *e) {
    unsigned long long v;
    switch (flag) {
    case 'l':
        if (parse_num(value, 0, 9, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "-l: expected a level from 0 to 9");
        o->level = (int)v;
        return PK_OK;
    case 'b':
        if (parse_num(value, 1, MAX_BLOCK_KIB, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "-b: expected KiB from 1 to %d", MAX_BLOCK_KIB);
        o->block_kib = (size_t)v;
        return PK_OK;
    case 'm':
        if (parse_num(value, 1, 1024, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "-m: expected MiB from 1 to 1024");
        o->mib = (size_t)v;
        return PK_OK;
    case 'r':
        if (parse_num(value, 1, 100000, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "-r: expected rounds from 1 to 100000");
        o->rounds = (unsigned long)v;
        return PK_OK;
    case 's':
        if (parse_num(value, 0, ~0ull, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "-s: expected a seed");
        o->seed = v;
        return PK_OK;
    default: return pk_fail(e, PK_EUSAGE, "unknown option -%c", flag);
    }
}

static int parse_options(int argc, char **argv, options *o, pk_err *e) {
    unsigned long long v = DEFAULT_LEVEL;
    int st = env_num("W2PACK_LEVEL", 0, 9, &v, e);
    if (st)
        return st;
    o->level = (int)v;
    v = DEFAULT_BLOCK_KIB;
    if ((st = env_num("W2PACK_BLOCK_KIB", 1, MAX_BLOCK_KIB, &v, e)))
        return st;
    o->block_kib = (size_t)v;
    o->mib = 8;
    o->rounds = 1;
    o->seed = 1;
    int i = 2;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "-v")) {
            o->verbose = 1;
        } else if (!strcmp(a, "-t")) {
            o->timing = 1;
        } else if (a[2]) {
            st = option_value(o, a[1], a + 2, e); /* -l9 */
        } else if (i + 1 < argc) {
            st = option_value(o, a[1], argv[++i], e);
        } else {
            st = pk_fail(e, PK_EUSAGE, "%s needs a value", a);
        }
        if (st)
            return st;
    }
    o->args = argv + i;
    o->nargs = argc - i;
    return PK_OK;
}

static int need_args(const options *o, int n, pk_err *e) {
    if (o->nargs != n)
        return pk_fail(e, PK_EUSAGE, "expected %d arguments, got %d", n, o->nargs);
    return PK_OK;
}

static int run(const char *cmd, options *o, int nested, pk_err *e) {
    int st;
    if (!strcmp(cmd, "c")) {
        if ((st = need_args(o, 2, e)))
            return st;
        pk_write_opts w = {o->level, o->block_kib * 1024, o->verbose};
        return pk_arc_create(o->args[0], o->args[1], &w, e);
    }
    if (!strcmp(cmd, "x"))
        return (st = need_args(o, 2, e)) ? st
                                         : pk_cmd_extract(o->args[0], o->args[1], o->verbose, e);
    if (!strcmp(cmd, "t"))
        return (st = need_args(o, 1, e)) ? st : pk_cmd_list(o->args[0], e);
    if (!strcmp(cmd, "v"))
        return (st = need_args(o, 1, e)) ? st : pk_cmd_verify(o->args[0], e);
    if (!strcmp(cmd, "p"))
        return (st = need_args(o, 2, e)) ? st : pk_cmd_print(o->args[0], o->args[1], e);
    if (!strcmp(cmd, "gen")) {
        unsigned long long seed, kib;
        if ((st = need_args(o, 3, e)))
            return st;
        if (parse_num(o->args[1], 0, ~0ull, &seed) < 0 ||
            parse_num(o->args[2], 0, 1u << 20, &kib) < 0)
            return pk_fail(e, PK_EUSAGE, "gen: SEED and KIB must be numbers");
        return pk_gen_tree(o->args[0], seed, (size_t)kib, e);
    }
    if (!strcmp(cmd, "bench")) {
        if ((st = need_args(o, 0, e)))
            return st;
        pk_bench_opts b = {o->mib,    o->level, o->block_kib * 1024, (unsigned)o->rounds,
                           o->timing, o->seed};
        return pk_cmd_bench(&b, e);
    }
    if (!strcmp(cmd, "copy"))
        return (st = need_args(o, 2, e)) ? st : pk_cmd_copy(o->args[0], o->args[1], e);
    if (!strcmp(cmd, "damage") || !strcmp(cmd, "cut")) {
        unsigned long long v;
        if ((st = need_args(o, 2, e)))
            return st;
        if (parse_num(o->args[1], 0, ~0ull, &v) < 0)
            return pk_fail(e, PK_EUSAGE, "%s: %s is not a number", cmd, o->args[1]);
        return cmd[0] == 'd' ? pk_cmd_damage(o->args[0], v, e) : pk_cmd_cut(o->args[0], v, e);
    }
    if (!strcmp(cmd, "script")) {
        if (nested)
            return pk_fail(e, PK_EUSAGE, "scripts cannot run scripts");
        return (st = need_args(o, 1, e)) ? st : pk_script_run(o->args[0], e);
    }
    return pk_fail(e, PK_EUSAGE, "unknown command %s", cmd);
}

int pk_cli_run(int argc, char **argv, int nested, pk_err *e) {
    options o;
    memset(&o, 0, sizeof o);
    if (argc < 2)
        return pk_fail(e, PK_EUSAGE, "no command");
    int st = parse_options(argc, argv, &o, e);
    return st ? st : run(argv[1], &o, nested, e);
}
