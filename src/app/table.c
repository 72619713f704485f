#include "table.h"
#include "strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../export/png.h"

int hv_table_format_of(const char *path, hv_error *err)
{
    if (strcmp(path, "-") == 0)
        return HV_TABLE_CSV;
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcasecmp(dot, ".csv") == 0)
            return HV_TABLE_CSV;
        if (strcasecmp(dot, ".md") == 0)
            return HV_TABLE_MD;
        if (strcasecmp(dot, ".tex") == 0)
            return HV_TABLE_TEX;
    }
    hv_errorf(err, "--table %s: expected a .csv, .md or .tex file, or - (CSV on standard output)", path);
    return -1;
}

/* The fewest significant digits that read back as v. */
static void score_text(double v, char *out, size_t cap)
{
    if (v == floor(v) && fabs(v) < 1e15) { /* counts and whole scores: 20, not 2e+01 */
        snprintf(out, cap, "%.0f", v);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, cap, "%.*g", p, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

static void cell(hv_strbuf *b, const char *s, hv_table_format f)
{
    if (f == HV_TABLE_CSV) {
        bool quote = strpbrk(s, ",\"\r\n") || s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');
        if (!quote) {
            hv_strbuf_puts(b, s);
            return;
        }
        hv_strbuf_puts(b, "\"");
        for (const char *p = s; *p; p++)
            hv_strbuf_put(b, p, 1), *p == '"' ? hv_strbuf_put(b, "\"", 1) : (void)0;
        hv_strbuf_puts(b, "\"");
    } else if (f == HV_TABLE_MD) {
        for (const char *p = s; *p; p++)
            if (*p == '|')
                hv_strbuf_puts(b, "\\|");
            else if (*p == '\n' || *p == '\r')
                hv_strbuf_puts(b, " ");
            else
                hv_strbuf_put(b, p, 1);
    } else {
        for (const char *p = s; *p; p++) {
            switch (*p) {
            case '\\': hv_strbuf_puts(b, "\\textbackslash{}"); break;
            case '~': hv_strbuf_puts(b, "\\textasciitilde{}"); break;
            case '^': hv_strbuf_puts(b, "\\textasciicircum{}"); break;
            case '&': case '%': case '$': case '#': case '_': case '{': case '}':
                hv_strbuf_put(b, "\\", 1);
                hv_strbuf_put(b, p, 1);
                break;
            case '\n': case '\r': hv_strbuf_puts(b, " "); break;
            default: hv_strbuf_put(b, p, 1);
            }
        }
    }
}

char *hv_table_text(const hv_dataset *all, int k, bool by_abs, hv_table_format f)
{
    hv_strbuf b = {0};
    int *idx = malloc(((size_t)all->n_points + 1) * sizeof *idx);
    if (!idx)
        return NULL;
    static const char *const cols[6] = {"model", "condition", "rank", "layer", "head", "score"};
    if (f == HV_TABLE_CSV) {
        hv_strbuf_puts(&b, "model,condition,rank,layer,head,score\n");
    } else if (f == HV_TABLE_MD) {
        hv_strbuf_puts(&b, "| model | condition | rank | layer | head | score |\n|---|---|---:|---:|---:|---:|\n");
    } else {
        hv_strbuf_puts(&b, "% headviz --table: the top heads per model and condition (needs \\usepackage{booktabs})\n"
                  "\\begin{tabular}{llrrrr}\n\\toprule\n");
        for (int i = 0; i < 6; i++)
            hv_strbuf_printf(&b, "%s%s", cols[i], i < 5 ? " & " : " \\\\\n");
        hv_strbuf_puts(&b, "\\midrule\n");
    }
    bool first_group = true;
    for (int m = 0; m < all->n_models; m++)
        for (int c = 0; c < all->n_conditions; c++) {
            int n = 0;
            hv_dataset_ranked(all, m, c, by_abs, idx, &n);
            int take = k > 0 && k < n ? k : n;
            if (!take)
                continue;
            if (f == HV_TABLE_TEX && !first_group)
                hv_strbuf_puts(&b, "\\midrule\n");
            first_group = false;
            for (int r = 0; r < take; r++) {
                const hv_point *p = &all->points[idx[r]];
                char s[64];
                score_text(p->score, s, sizeof s);
                const char *sep = f == HV_TABLE_CSV ? "," : " & ";
                if (f == HV_TABLE_MD) {
                    hv_strbuf_puts(&b, "| ");
                    sep = " | ";
                }
                cell(&b, all->models[m], f);
                hv_strbuf_puts(&b, sep);
                cell(&b, all->conditions[c], f);
                hv_strbuf_printf(&b, "%s%d%s%d%s%d%s%s", sep, r + 1, sep, p->layer, sep, p->head, sep, s);
                hv_strbuf_puts(&b, f == HV_TABLE_CSV ? "\n" : f == HV_TABLE_MD ? " |\n" : " \\\\\n");
            }
        }
    if (f == HV_TABLE_TEX)
        hv_strbuf_puts(&b, "\\bottomrule\n\\end{tabular}\n");
    free(idx);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

bool hv_table_write(const hv_dataset *all, int k, bool by_abs, const char *path, bool overwrite, hv_error *err)
{
    int f = hv_table_format_of(path, err);
    if (f < 0)
        return false;
    char *t = hv_table_text(all, k, by_abs, (hv_table_format)f);
    if (!t)
        return hv_errorf(err, "%s: out of memory", path);
    bool ok;
    if (strcmp(path, "-") == 0) {
        size_t n = strlen(t);
        ok = fwrite(t, 1, n, stdout) == n && fflush(stdout) == 0;
        if (!ok)
            hv_errorf(err, "--table -: cannot write to standard output: %s", strerror(errno));
    } else {
        ok = hv_write_file_atomic(path, t, strlen(t), overwrite, err);
    }
    free(t);
    return ok;
}
