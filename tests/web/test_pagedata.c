/* Unit tests of the page data (src/web/pagedata.c): what the native run
 * writes into a --html page reads back into the same dataset, spec and
 * options, exactly (doubles, names with tabs, newlines and "<"), and the
 * text never holds "<" (it sits in a <script> element); the fallback fonts
 * (bytes, base64) come back byte for byte, whatever their length mod 3. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/web/pagedata.h"
#include "../unit/check.h"
#include "assets.h"

static void same_dataset(const hv_dataset *a, const hv_dataset *b)
{
    CHECK_INT(a->n_models, b->n_models);
    CHECK_INT(a->n_conditions, b->n_conditions);
    CHECK_INT(a->n_points, b->n_points);
    CHECK_INT(a->n_sources, b->n_sources);
    for (int m = 0; m < a->n_models && m < b->n_models; m++) {
        CHECK_STR(a->models[m], b->models[m]);
        CHECK_INT(a->layers[m], b->layers[m]);
        CHECK_INT(a->heads[m], b->heads[m]);
        for (int c = 0; c < a->n_conditions; c++)
            CHECK_INT(a->full[m][c], b->full[m][c]);
    }
    for (int c = 0; c < a->n_conditions && c < b->n_conditions; c++)
        CHECK_STR(a->conditions[c], b->conditions[c]);
    int same = 0;
    for (int i = 0; i < a->n_points && i < b->n_points; i++) {
        const hv_point *p = &a->points[i], *q = &b->points[i];
        same += p->model == q->model && p->condition == q->condition && p->layer == q->layer && p->head == q->head &&
                p->score == q->score && p->line == q->line && p->source == q->source;
    }
    CHECK_INT(same, a->n_points);
}

int main(void)
{
    hv_error err = {""};
    /* the bundled data and spec */
    hv_dataset all = {0};
    hv_spec spec;
    hv_spec_init(&spec);
    CHECK(hv_dataset_parse(&all, hv_asset_csv, hv_asset_csv_len, "safety_heads.csv", &err));
    CHECK(hv_spec_parse(&spec, hv_asset_ini, "safety_heads.ini", &err));
    /* a grid with a NaN, names that need escaping, a score that needs 17 digits */
    double v[6] = {0.1, 1.0 / 3.0, NAN, -2.5e-7, 7, 123456789.123456789};
    CHECK(hv_dataset_add_grid(&all, "Model\twith <tab>", "Cond\nline", 2, 3, v, "/some/where/g.npy", &err));
    snprintf(spec.title, sizeof spec.title, "A \\ title <b> on {condition}");
    spec.xlim = (hv_range){true, -1.5, 31.25};
    spec.center_set = true;
    spec.center = 0.1;
    spec.models[0].color_set = true;
    spec.models[0].color[1] = 0.25f;
    hv_page_opts o = {2, 1, 3, 0.4, 0.75, 2.5, 1, 2, 1.5f, 4, true, true, 7, 1.0, {{0}}, 0};
    /* "fonts": every byte value, and lengths 1, 2, 3 and 256 (all paddings) */
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)(255 - i);
    const size_t lens[4] = {1, 2, 3, 256};
    for (int f = 0; f < 4; f++)
        o.fonts[o.n_fonts++] = (hv_page_font){bytes + (f == 3 ? 0 : 100 + f), lens[f]};
    char *text = NULL;
    size_t len = 0;
    CHECK(hv_page_write(&all, &spec, &o, &text, &len, &err));
    CHECK(text && strlen(text) == len);
    CHECK(text && !strchr(text, '<'));
    CHECK(text && !strstr(text, "/some/where")); /* no paths of the machine */

    hv_dataset back = {0};
    hv_spec bspec;
    hv_page_opts bo;
    CHECK(hv_page_read(text, &back, &bspec, &bo, &err));
    same_dataset(&all, &back);
    CHECK_STR(back.sources[back.n_sources - 1], "g.npy");
    CHECK_STR(bspec.title, spec.title);
    CHECK_STR(bspec.cbar_label, spec.cbar_label);
    CHECK_STR(bspec.colormap, spec.colormap);
    CHECK(memcmp(&bspec.xlim, &spec.xlim, sizeof spec.xlim) == 0);
    CHECK(bspec.xticks.set == spec.xticks.set && bspec.xticks.step == spec.xticks.step);
    CHECK_INT(bspec.n_conds, spec.n_conds);
    CHECK_INT(bspec.n_models, spec.n_models);
    for (int c = 0; c < spec.n_conds; c++) {
        CHECK_STR(bspec.conds[c].name, spec.conds[c].name);
        CHECK(bspec.conds[c].range.set == spec.conds[c].range.set && bspec.conds[c].range.hi == spec.conds[c].range.hi);
        CHECK(bspec.conds[c].ticks.step == spec.conds[c].ticks.step);
    }
    for (int m = 0; m < spec.n_models; m++) {
        CHECK_STR(bspec.models[m].name, spec.models[m].name);
        CHECK_INT(bspec.models[m].shape, spec.models[m].shape);
        CHECK(bspec.models[m].color[1] == spec.models[m].color[1]);
    }
    CHECK(bspec.center_set && bspec.center == 0.1);
    CHECK_INT(bo.layout, 2);
    CHECK_INT(bo.easing, 3);
    CHECK_NEAR(bo.stagger, 0.4, 0);
    CHECK_NEAR(bo.transition, 2.5, 0);
    CHECK_INT(bo.legend, 4);
    CHECK(bo.loop && bo.rank_abs);
    CHECK_INT(bo.top, 7);
    CHECK_NEAR(bo.progress, 1.0, 0);
    CHECK_INT(bo.n_fonts, 4);
    for (int f = 0; f < 4 && f < bo.n_fonts; f++) {
        CHECK_INT((int)bo.fonts[f].len, (int)lens[f]);
        CHECK(bo.fonts[f].len == lens[f] && memcmp(bo.fonts[f].data, o.fonts[f].data, lens[f]) == 0);
    }
    CHECK(strstr(text, "\nfont\tmw==\n") != NULL); /* the byte 155, as base64 says it */
    hv_page_opts_free(&bo);
    CHECK_INT(bo.n_fonts, 0);
    hv_dataset_free(&back);
    hv_spec_free(&bspec);

    /* refusals: not page data, cut short, a point of an unknown model */
    CHECK(!hv_page_read("<html>", &back, &bspec, &bo, &err));
    CHECK_STR(err.msg, "page data: not headviz page data (version 1)");
    text[len / 2] = '\0';
    CHECK(!hv_page_read(text, &back, &bspec, &bo, &err));
    CHECK(strstr(err.msg, "page data") != NULL);
    CHECK(!hv_page_read("headviz-page 1\nmodel\tM\t2\t2\ncondition\tC\np\t3\t0\t1\t1\t0.5\t0\t0\nend\n", &back, &bspec,
                        &bo, &err));
    CHECK_STR(err.msg, "page data:4: a point of an unknown model or condition");
    CHECK(!hv_page_read("headviz-page 1\nfont\tAAA*\nend\n", &back, &bspec, &bo, &err));
    CHECK_STR(err.msg, "page data:2: font: not base64");
    CHECK(!hv_page_read("headviz-page 1\nfont\tAA=A\nend\n", &back, &bspec, &bo, &err));
    CHECK(!hv_page_read("headviz-page 1\nfont\tAAA\nend\n", &back, &bspec, &bo, &err));
    free(text);
    hv_dataset_free(&all);
    hv_spec_free(&spec);
    return check_summary();
}
