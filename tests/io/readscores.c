/* readscores: a test-only tool that reads a score file with hv_read_scores
 * and prints the grid as text, for tests/io/numpy_check.sh:
 *
 *   readscores [--format F] [--tensor T] [--reduce R] [--top K] [--abs] FILE
 *
 * prints "layers heads samples" on the first line, then one line per layer
 * with each head's value as %.17g ("nan" for no score). On an error prints
 * the message to stderr and exits 2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "scores.h"

static int usage(void)
{
    fprintf(stderr, "usage: readscores [--format F] [--tensor T] [--reduce R] [--top K] [--abs] "
                    "FILE\n");
    return 2;
}

int main(int argc, char **argv)
{
    hv_read_opts o = {0};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--format") == 0 && has_value) {
            int f = hv_format_parse(argv[++i]);
            if (f < 0)
                return usage();
            o.format = (hv_format)f;
        } else if (strcmp(a, "--tensor") == 0 && has_value) {
            o.tensor = argv[++i];
        } else if (strcmp(a, "--reduce") == 0 && has_value) {
            int r = hv_reduce_parse(argv[++i]);
            if (r < 0)
                return usage();
            o.reduce = (hv_reduce)r;
        } else if (strcmp(a, "--top") == 0 && has_value) {
            o.count_top = atoi(argv[++i]);
        } else if (strcmp(a, "--abs") == 0) {
            o.count_abs = true;
        } else if (a[0] == '-' && a[1] == '-') {
            return usage();
        } else if (!path) {
            path = a;
        } else {
            return usage();
        }
    }
    if (!path)
        return usage();
    char *data = NULL;
    size_t len = 0;
    hv_error err;
    if (!hv_read_file(path, (size_t)1 << 31, &data, &len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    hv_grid g;
    bool ok = hv_read_scores((const unsigned char *)data, len, path, &o, &g, &err);
    free(data);
    if (!ok) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    printf("%d %d %d\n", g.layers, g.heads, g.samples);
    for (int l = 0; l < g.layers; l++) {
        for (int h = 0; h < g.heads; h++) {
            double v = g.v[(size_t)l * (size_t)g.heads + (size_t)h];
            if (isnan(v))
                printf("%snan", h ? " " : "");
            else
                printf("%s%.17g", h ? " " : "", v);
        }
        printf("\n");
    }
    hv_grid_free(&g);
    return 0;
}
