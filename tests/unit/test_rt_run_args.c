/*
 * test_rt_run_args.c — the `run` command line: options, and the value
 * formats of --invoke, and the /proc number reader.  run_args.c is pure (no
 * runtime calls) and run_proc.c reads files only, so they are compiled into
 * this test directly.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/run_args.c"
#include "../../tools/run_proc.c"

static bool parse(w2n_run_options *o, char *msg, ...) {
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, msg);
    argv[argc++] = "run";
    for (char *a; (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    static char *keep[32];
    memcpy(keep, argv, sizeof argv);
    return w2n_run_parse(argc, keep, o, msg, 256);
}

Test(run_args, huge_pages_placements) {
    w2n_run_options o;
    char msg[256];
    static const struct {
        const char *arg;
        w2n_huge_pages want;
    } cases[] = {{"--huge-pages=grown", W2N_HUGE_PAGES_GROWN},
                 {"--huge-pages=always", W2N_HUGE_PAGES_ALWAYS},
                 {"--huge-pages=never", W2N_HUGE_PAGES_NEVER}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cr_assert(parse(&o, msg, cases[k].arg, "a.o", NULL), "%s", msg);
        cr_assert_eq(w2n_run_store_options(&o).huge_pages, cases[k].want, "%s", cases[k].arg);
        w2n_run_options_free(&o);
    }
    cr_assert(parse(&o, msg, "--huge-pages", "always", "a.o", NULL), "%s", msg);
    cr_assert_eq(o.huge_pages, W2N_HUGE_PAGES_ALWAYS);
    w2n_run_options_free(&o);
}

Test(run_args, options_then_file_then_program_args) {
    w2n_run_options o;
    char msg[256];
    cr_assert(parse(&o, msg, "--dir", "/tmp::/t", "--dir=.", "--env", "A=1",
                    "--env=B=", "--inherit-env", "--stack-size", "8M", "--bounds-checks=explicit",
                    "--no-huge-pages", "--perf-map", "--gc-stats", "app.o", "--dir", "x", NULL),
              "%s", msg);
    cr_assert_eq(o.ndirs, 2);
    cr_assert_str_eq(o.dirs[0], "/tmp::/t");
    cr_assert_str_eq(o.dirs[1], ".");
    cr_assert_eq(o.nenvs, 2);
    cr_assert_str_eq(o.envs[1], "B=");
    cr_assert(o.inherit_env);
    cr_assert(o.no_huge_pages);
    cr_assert(o.perf_map);
    cr_assert(o.gc_stats);
    cr_assert_eq(o.stack_size, 8u << 20);
    cr_assert_eq(o.bounds, W2N_BOUNDS_EXPLICIT);
    cr_assert(w2n_run_store_options(&o).no_huge_pages);
    cr_assert_str_eq(o.file, "app.o");
    cr_assert_eq(o.nargs, 2); /* options after FILE are the program's */
    cr_assert_str_eq(o.args[0], "--dir");
    cr_assert_null(o.invoke);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--invoke", "fib", "--", "-weird.o", "30", NULL));
    cr_assert_not(o.no_huge_pages);
    cr_assert_eq(o.huge_pages, W2N_HUGE_PAGES_DEFAULT);
    cr_assert_eq(w2n_run_store_options(&o).huge_pages, W2N_HUGE_PAGES_DEFAULT);
    cr_assert_not(o.perf_map);
    cr_assert_not(o.gc_stats);
    cr_assert_str_eq(o.invoke, "fib");
    cr_assert_str_eq(o.file, "-weird.o");
    cr_assert_eq(o.nargs, 1);
    w2n_run_options_free(&o);
}

Test(run_args, resource_limits) {
    w2n_run_options o;
    char msg[256];
    cr_assert(parse(&o, msg, "app.o", NULL), "%s", msg);
    w2n_store_options so = w2n_run_store_options(&o);
    cr_assert_eq(so.limits.max_memory, 0, "no limits unless asked");
    cr_assert_eq(so.limits.max_table_elements, 0);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--max-memory=64M", "--max-table-elements", "1000",
                    "--max-gc-heap=128M", "app.o", NULL),
              "%s", msg);
    so = w2n_run_store_options(&o);
    cr_assert_eq(so.limits.max_memory, 64u << 20);
    cr_assert_eq(so.limits.max_gc_heap, 128u << 20);
    cr_assert_eq(so.limits.max_table_elements, 1000);
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--max-memory=0", "app.o", NULL));
    cr_assert_str_eq(msg, "--max-memory needs a positive size in bytes such as 64M, got '0'");
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--max-table-elements=x", "app.o", NULL));
    cr_assert(strstr(msg, "--max-table-elements needs a positive number"), "%s", msg);
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--max-gc-heap=0", "app.o", NULL));
    cr_assert_str_eq(msg, "--max-gc-heap needs a positive size in bytes such as 128M, got '0'");
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--max-memory", NULL));
    cr_assert(strstr(msg, "got ''"), "%s", msg);
    w2n_run_options_free(&o);
}

Test(run_args, bad_command_lines) {
    w2n_run_options o;
    char msg[256];
    cr_assert_not(parse(&o, msg, NULL));
    cr_assert(strstr(msg, "no FILE"));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--frobnicate", "a.o", NULL));
    cr_assert(strstr(msg, "unknown option '--frobnicate'"), "%s", msg);
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--env", "NOEQUALS", "a.o", NULL));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--env", "=x", "a.o", NULL));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--bounds-checks=maybe", "a.o", NULL));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--huge-pages=sometimes", "a.o", NULL));
    cr_assert(strstr(msg, "--huge-pages must be grown, always or never, got 'sometimes'"), "%s",
              msg);
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--stack-size", "0", "a.o", NULL));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--stack-size", "12Q", "a.o", NULL));
    w2n_run_options_free(&o);
    cr_assert_not(parse(&o, msg, "--dir", NULL));
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--help", NULL));
    cr_assert(o.help);
    w2n_run_options_free(&o);
}

static w2n_value val(const char *s, w2n_valtype t) {
    w2n_value v;
    cr_assert(w2n_run_parse_value(s, t, &v), "%s as %s", s, w2n_valtype_name(t));
    return v;
}

static void bad(const char *s, w2n_valtype t) {
    w2n_value v;
    cr_assert_not(w2n_run_parse_value(s, t, &v), "%s as %s", s, w2n_valtype_name(t));
}

Test(run_args, integers) {
    cr_assert_eq(val("42", W2N_I32).of.i32, 42);
    cr_assert_eq(val("-1", W2N_I32).of.i32, -1);
    cr_assert_eq(val("0xffffffff", W2N_I32).of.i32, -1);
    cr_assert_eq(val("4294967295", W2N_I32).of.i32, -1);
    cr_assert_eq(val("-2147483648", W2N_I32).of.i32, INT32_MIN);
    bad("4294967296", W2N_I32);
    bad("-2147483649", W2N_I32);
    bad("", W2N_I32);
    bad(" 1", W2N_I32);
    bad("1x", W2N_I32);
    bad("--1", W2N_I32);
    bad("0x", W2N_I32);
    cr_assert_eq(val("-9223372036854775808", W2N_I64).of.i64, INT64_MIN);
    cr_assert_eq(val("18446744073709551615", W2N_I64).of.i64, -1);
    cr_assert_eq(val("0x7fffffffffffffff", W2N_I64).of.i64, INT64_MAX);
    bad("18446744073709551616", W2N_I64);
}

Test(run_args, floats_and_vectors) {
    cr_assert_eq(val("1.5", W2N_F32).of.f32, 1.5f);
    cr_assert(isnan(val("nan", W2N_F64).of.f64));
    cr_assert(isinf(val("-inf", W2N_F64).of.f64));
    cr_assert_eq(val("0x1p-2", W2N_F64).of.f64, 0.25);
    bad("1.5x", W2N_F64);
    bad("", W2N_F32);
    w2n_value v = val("0x000102030405060708090a0b0c0d0e0f", W2N_V128);
    for (int i = 0; i < 16; i++)
        cr_assert_eq(v.of.v128[i], 15 - i);
    v = val("ff", W2N_V128);
    cr_assert_eq(v.of.v128[0], 0xff);
    cr_assert_eq(v.of.v128[1], 0);
    bad("0x1000000000000000000000000000000000", W2N_V128);
    bad("xyz", W2N_V128);
    cr_assert_null(val("null", W2N_FUNCREF).of.ref);
    bad("1", W2N_EXTERNREF);
}

static const char *fmt(w2n_value v) {
    static char buf[64];
    w2n_run_format_value(&v, buf, sizeof buf);
    return buf;
}

Test(run_args, printing) {
    cr_assert_str_eq(fmt(w2n_i32(-5)), "-5");
    cr_assert_str_eq(fmt(w2n_i64(INT64_MIN)), "-9223372036854775808");
    cr_assert_str_eq(fmt(w2n_f64(0.1)), "0.1");
    cr_assert_str_eq(fmt(w2n_f32(0.1f)), "0.1");
    cr_assert_str_eq(fmt(w2n_f64(1e300)), "1e+300");
    cr_assert_str_eq(fmt(w2n_f64(-INFINITY)), "-inf");
    cr_assert_str_eq(fmt(w2n_f32(NAN)), "nan");
    w2n_value v = val("0x0f0e0d0c0b0a09080706050403020100", W2N_V128);
    cr_assert_str_eq(fmt(v), "0x0f0e0d0c0b0a09080706050403020100");
    v.type = W2N_EXTERNREF;
    v.of.ref = NULL;
    cr_assert_str_eq(fmt(v), "null");
}

Test(run_args, compile_budgets) {
    w2n_run_options o;
    char msg[256];
    cr_assert(parse(&o, msg, "a.wasm", NULL), "%s", msg);
    cr_assert_eq(o.compile_budget.max_memory, W2N_RUN_DEFAULT_COMPILE_MEMORY);
    cr_assert_eq(o.compile_budget.max_seconds, W2N_RUN_DEFAULT_COMPILE_SECONDS);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--max-compile-memory=512M", "--max-compile-time=7", "a.wasm", NULL),
              "%s", msg);
    cr_assert_eq(o.compile_budget.max_memory, 512ull << 20);
    cr_assert_eq(o.compile_budget.max_seconds, 7);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--max-compile-memory=0", "--max-compile-time=0", "a.wasm", NULL));
    cr_assert_eq(o.compile_budget.max_memory, 0);
    cr_assert_eq(o.compile_budget.max_seconds, 0);
    w2n_run_options_free(&o);
    static const char *const bad[] = {"--max-compile-memory=",    "--max-compile-memory=lots",
                                      "--max-compile-memory=12Q", "--max-compile-time=1.5",
                                      "--max-compile-time=2M",    "--max-compile-time=-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(parse(&o, msg, bad[i], "a.wasm", NULL), "%s", bad[i]);
        cr_assert(strstr(msg, "--max-compile-"), "%s", msg);
    }
}

Test(run_args, timeout_and_fuel) {
    w2n_run_options o;
    char msg[256];
    cr_assert(parse(&o, msg, "--timeout=1.5", "--fuel", "1000", "app.o", NULL), "%s", msg);
    cr_assert_float_eq(o.timeout, 1.5, 1e-9);
    cr_assert(o.has_fuel);
    cr_assert_eq(o.fuel, 1000);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "--timeout", "0.01", "--fuel=0", "app.o", NULL), "%s", msg);
    cr_assert_float_eq(o.timeout, 0.01, 1e-12);
    cr_assert(o.has_fuel && o.fuel == 0);
    w2n_run_options_free(&o);
    cr_assert(parse(&o, msg, "app.o", NULL));
    cr_assert_eq(o.timeout, 0);
    cr_assert_not(o.has_fuel);
    w2n_run_options_free(&o);
    const char *bad_values[][2] = {{"--timeout=0", "--timeout"},
                                   {"--timeout=-1", "--timeout"},
                                   {"--timeout=1s", "--timeout"},
                                   {"--timeout=nan", "--timeout"},
                                   {"--fuel=-5", "--fuel"},
                                   {"--fuel=1e6", "--fuel"},
                                   {"--fuel=99999999999999999999999", "--fuel"}};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        cr_assert_not(parse(&o, msg, bad_values[i][0], "app.o", NULL), "%s", bad_values[i][0]);
        cr_assert(strstr(msg, bad_values[i][1]), "%s", msg);
        w2n_run_options_free(&o);
    }
}

/* The one number parser behind --stack-size, --max-*, --fuel and the
 * compile budgets. */
Test(run_args, one_number_parser) {
    uint64_t v;
    cr_assert(parse_number("64", true, false, UINT64_MAX, &v) && v == 64);
    cr_assert(parse_number("64k", true, false, UINT64_MAX, &v) && v == 64u << 10);
    cr_assert(parse_number("3M", true, false, UINT64_MAX, &v) && v == 3u << 20);
    cr_assert(parse_number("2G", true, false, UINT64_MAX, &v) && v == 2ull << 30);
    cr_assert(parse_number("0", false, true, UINT64_MAX, &v) && v == 0);
    cr_assert(parse_number("1024", true, false, 1024, &v) && v == 1024);
    cr_assert(parse_number("1K", true, false, 1024, &v) && v == 1024);
    static const char *const bad[] = {"",     "-1",   " 1",  "+1",
                                      "1.5",  "1T",   "1KB", "K",
                                      "0x10", "1025", "2K",  "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(parse_number(bad[i], true, false, 1024, &v), "'%s'", bad[i]);
    cr_assert_not(parse_number("0", true, false, 1024, &v), "zero when not allowed");
    cr_assert_not(parse_number("1K", false, true, UINT64_MAX, &v), "a suffix when not allowed");
    cr_assert_not(parse_number("17179869184G", true, false, UINT64_MAX, &v), "2^64 overflows");
}

static const char *write_tmp(const char *text) {
    static char path[] = "/tmp/w2n-proc-XXXXXX";
    strcpy(path, "/tmp/w2n-proc-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

Test(run_args, proc_numbers) {
    unsigned long long v;
    /* A stat line whose command name holds spaces and parentheses. */
    const char *stat = write_tmp("4242 (a) b (c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
                                 "987654 20 21\n");
    cr_assert(w2n_proc_number(stat, 1, &v) && v == 4242);
    cr_assert(w2n_proc_number(stat, 4, &v) && v == 1);
    cr_assert(w2n_proc_number(stat, 22, &v) && v == 987654);
    cr_assert_not(w2n_proc_number(stat, 3, &v), "field 3 is the state letter");
    cr_assert_not(w2n_proc_number(stat, 40, &v), "past the last field");
    unlink(stat);
    const char *statm = write_tmp("51234 1200 800 10 0 900 0\n");
    cr_assert(w2n_proc_number(statm, 1, &v) && v == 51234);
    cr_assert(w2n_proc_number(statm, 7, &v) && v == 0);
    unlink(statm);
    cr_assert_not(w2n_proc_number("/nonexistent/w2n", 1, &v));
    cr_assert(w2n_proc_number("/proc/self/stat", 22, &v) && v > 0, "the real starttime");
}
