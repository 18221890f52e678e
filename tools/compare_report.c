/*
 * compare_report.c — what `w2n compare` found: a table on stdout, and on
 * request the same as JSON and as an SVG bar chart of run times.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "w2n/version.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cmp_median(const double *v, int n) {
    if (n <= 0)
        return 0;
    double sorted[CMP_MAX_RUNS];
    memcpy(sorted, v, (size_t)n * sizeof *v);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void format_time(double s, char *buf, size_t size) {
    if (s < 1e-3)
        snprintf(buf, size, "%.0f us", s * 1e6);
    else if (s < 1)
        snprintf(buf, size, "%.1f ms", s * 1e3);
    else
        snprintf(buf, size, "%.2f s", s);
}

/* Ratios under 1 ms of w2n time mostly measure the clock: print "-". */
static void format_ratio(double x, double reference, char *buf, size_t size) {
    if (reference < 1e-3)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2f", x / reference);
}

static const cmp_row *w2n_row(const cmp_summary *s) { return &s->rows[0]; }

void cmp_report_text(const cmp_summary *s, FILE *out) {
    const cmp_job *job = s->job;
    fprintf(out, "w2n compare: %s", job->wasm);
    if (job->invoke)
        fprintf(out, " --invoke %s", job->export_name);
    for (int i = 0; i < job->nargs; i++)
        fprintf(out, " %s", job->args[i]);
    fprintf(out,
            "\n%d timed runs per engine, interleaved; medians.  run = total - start-up "
            "(the engine on an empty module).\n\n",
            s->runs);
    fprintf(out, "%-14s %-12s %10s %10s %10s %7s %7s  %s\n", "engine", "version", "start-up", "run",
            "total", "run x", "total x", "output");
    const cmp_row *ref = w2n_row(s);
    for (int i = 0; i < s->nrows; i++) {
        const cmp_row *r = &s->rows[i];
        if (r->skipped || !r->nruns) {
            fprintf(out, "%-14s %-12s %10s %10s %10s %7s %7s  %s%s\n", r->engine.name,
                    r->engine.version, "-", "-", "-", "-", "-", r->skipped ? "skipped: " : "",
                    r->skipped ? r->skipped : r->mismatch);
            continue;
        }
        char st[32], run[32], total[32], rx[16], tx[16];
        format_time(r->startup_median, st, sizeof st);
        format_time(r->run_median, run, sizeof run);
        format_time(r->total_median, total, sizeof total);
        format_ratio(r->run_median, ref->run_median, rx, sizeof rx);
        format_ratio(r->total_median, ref->total_median, tx, sizeof tx);
        fprintf(out, "%-14s %-12s %10s %10s %10s %7s %7s  %s\n", r->engine.name, r->engine.version,
                st, run, total, rx, tx,
                i == 0      ? "reference"
                : r->agrees ? "same"
                            : r->mismatch);
    }
    char ct[32];
    format_time(s->compile_seconds, ct, sizeof ct);
    fprintf(out,
            "\nw2n compiled the module ahead of time in %s (-O%d, %s); not in the "
            "times above.\n",
            ct, s->opt_level, s->target);
    if (!s->all_agree)
        fprintf(out, "w2n compare: OUTPUTS DIFFER (see the output column)\n");
}

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

bool cmp_report_json(const cmp_summary *s, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    const cmp_job *job = s->job;
    fprintf(f, "{\n  \"w2n_version\": ");
    json_string(f, W2N_VERSION);
    fprintf(f, ",\n  \"module\": ");
    json_string(f, job->wasm);
    fprintf(f, ",\n  \"mode\": \"%s\",\n", job->invoke ? "invoke" : "wasi");
    if (job->invoke) {
        fprintf(f, "  \"export\": ");
        json_string(f, job->export_name);
        fprintf(f, ",\n");
    }
    fprintf(f, "  \"args\": [");
    for (int i = 0; i < job->nargs; i++) {
        fprintf(f, i ? ", " : "");
        json_string(f, job->args[i]);
    }
    fprintf(f, "],\n  \"runs\": %d,\n  \"compile_seconds\": %.6f,\n  \"target\": ", s->runs,
            s->compile_seconds);
    json_string(f, s->target);
    fprintf(f, ",\n  \"opt_level\": %d,\n  \"outputs_agree\": %s,\n  \"engines\": [\n",
            s->opt_level, s->all_agree ? "true" : "false");
    for (int i = 0; i < s->nrows; i++) {
        const cmp_row *r = &s->rows[i];
        fprintf(f, "    {\"name\": ");
        json_string(f, r->engine.name);
        fprintf(f, ", \"version\": ");
        json_string(f, r->engine.version);
        if (r->skipped) {
            fprintf(f, ", \"skipped\": ");
            json_string(f, r->skipped);
        } else {
            fprintf(f,
                    ", \"startup_seconds\": %.6f, \"run_seconds\": %.6f, "
                    "\"total_seconds\": %.6f, \"output_agrees\": %s",
                    r->startup_median, r->run_median, r->total_median,
                    r->agrees ? "true" : "false");
            if (!r->agrees) {
                fprintf(f, ", \"mismatch\": ");
                json_string(f, r->mismatch);
            }
            fprintf(f, ", \"total_samples\": [");
            for (int k = 0; k < r->nruns; k++)
                fprintf(f, "%s%.6f", k ? ", " : "", r->total[k]);
            fprintf(f, "]");
        }
        fprintf(f, "}%s\n", i + 1 < s->nrows ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return fclose(f) == 0;
}

/* Horizontal bars of median run time on a log scale (interpreters are
 * often 100x slower), start-up drawn lighter in front of the run. */
bool cmp_report_svg(const cmp_summary *s, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    const int left = 150, width = 520, bar = 22, gap = 10, top = 40;
    double lo = 1e9, hi = 0;
    int shown = 0;
    for (int i = 0; i < s->nrows; i++) {
        if (s->rows[i].skipped || !s->rows[i].nruns)
            continue;
        double t = fmax(s->rows[i].total_median, 1e-6);
        lo = fmin(lo, t);
        hi = fmax(hi, t);
        shown++;
    }
    double lmin = floor(log10(fmax(lo, 1e-6))) - 0.2, lmax = ceil(log10(fmax(hi, 1e-6)));
    if (lmax <= lmin)
        lmax = lmin + 1;
    int height = top + shown * (bar + gap) + 30;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n",
            left + width + 120, height);
    fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\">w2n compare: median total time per "
               "engine (log scale; lighter: start-up)</text>\n");
    int y = top;
    for (int i = 0; i < s->nrows; i++) {
        const cmp_row *r = &s->rows[i];
        if (r->skipped || !r->nruns)
            continue;
        double scale = width / (lmax - lmin);
        double wt = (log10(fmax(r->total_median, 1e-6)) - lmin) * scale;
        double ws = (log10(fmax(r->startup_median, 1e-6)) - lmin) * scale;
        ws = fmin(fmax(ws, 0), wt);
        char label[32];
        format_time(r->total_median, label, sizeof label);
        fprintf(f, "<text x=\"10\" y=\"%d\">%s</text>\n", y + 15, r->engine.name);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", left, y,
                fmax(wt, 1), bar, r->agrees || i == 0 ? "#3a6ea5" : "#c0392b");
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#9dbcd9\"/>\n",
                left, y, ws, bar);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s%s</text>\n", left + fmax(wt, 1) + 6, y + 15, label,
                r->agrees || i == 0 ? "" : " (output differs)");
        y += bar + gap;
    }
    fprintf(f, "</svg>\n");
    return fclose(f) == 0;
}
