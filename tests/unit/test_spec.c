/* Unit tests of the figure spec (spec.c): every key of every section, the
 * error messages with their line numbers, title templates, name checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "check.h"
#include "spec.h"

/* Parses text onto a fresh spec; it must fail with exactly msg. */
static void expect_error(const char *text, const char *msg, const char *file, int line)
{
    hv_spec spec;
    hv_error err;
    hv_spec_init(&spec);
    memset(err.msg, 0, sizeof err.msg);
    bool ok = hv_spec_parse(&spec, text, "t.ini", &err);
    check_true_(!ok, "parse fails", file, line);
    check_str_(err.msg, msg, "error", "expected", file, line);
}
#define EXPECT_ERROR(text, msg) expect_error((text), (msg), __FILE__, __LINE__)

static bool parse(hv_spec *spec, const char *text, hv_error *err)
{
    hv_spec_init(spec);
    memset(err->msg, 0, sizeof err->msg);
    return hv_spec_parse(spec, text, "t.ini", err);
}

static void test_defaults(void)
{
    hv_spec s;
    memset(&s, 0x5a, sizeof s);
    hv_spec_init(&s);
    CHECK_STR(s.title, "Top {k} Heads on {condition}");
    CHECK_STR(s.xlabel, "Layer");
    CHECK_STR(s.ylabel, "Head");
    CHECK_STR(s.cbar_label, "Score");
    CHECK_STR(s.colormap, "viridis");
    CHECK(!s.xlim.set && !s.ylim.set && !s.xticks.set && !s.yticks.set);
    CHECK_NEAR(s.marker_scale, 1.0, 0);
    CHECK_INT(s.n_conds, 0);
    CHECK_INT(s.n_models, 0);

    /* an empty or comment-only text changes nothing */
    hv_error err;
    CHECK(parse(&s, "", &err));
    CHECK(parse(&s, "; nothing\n# here\n\n[figure]\n", &err));
    CHECK_STR(s.title, "Top {k} Heads on {condition}");
    CHECK_INT(s.n_conds, 0);
}

static const char k_full[] =
    "; a full spec\n"                                  /* 1 */
    "# with every key\n"                               /* 2 */
    "[figure]\n"                                       /* 3 */
    "title = Top {k} of {condition}\n"                 /* 4 */
    "xlabel = Layer index\n"                           /* 5 */
    "ylabel = Head index\n"                            /* 6 */
    "colorbar_label = Generalized Ships\n"             /* 7 */
    "colormap = Plasma\n"                              /* 8 */
    "xlim = -1.5, 31\n"                                /* 9 */
    "ylim=-2,40.5\n"                                   /* 10 */
    "xticks = 0, 30, 2\n"                              /* 11 */
    "yticks = 0, 40, 2.5\n"                            /* 12 */
    "marker_size = 1.5   ; inline comment\n"           /* 13 */
    "\n"                                               /* 14 */
    "[condition: Undiff Attn.]\n"                      /* 15 */
    "range = 0, 70\n"                                  /* 16 */
    "ticks = 0, 70, 10\n"                              /* 17 */
    "title = Custom {condition}\n"                     /* 18 */
    "[condition:Scaling Cont.]\n"                      /* 19 */
    "RANGE = 0, 22\n"                                  /* 20 */
    "ticks = 0, 20, 5\n"                               /* 21 */
    "[model: Llama-2-7b-chat]\n"                       /* 22 */
    "marker = circle\n"                                /* 23 */
    "color = #482878\n"                                /* 24 */
    "label = Llama 2 (7B chat)\n"                      /* 25 */
    "[model:   Vicuna-7b-v1.5]\n"                      /* 26 */
    "marker = X\n"                                     /* 27 */
    "Color = #FDE725\n"                                /* 28 */
    "[model: Other]\n"                                 /* 29 */
    "label = Just a label\n";                          /* 30 */

static void test_full(void)
{
    hv_spec s;
    hv_error err;
    CHECK(parse(&s, k_full, &err));
    CHECK_STR(err.msg, "");
    CHECK_STR(s.title, "Top {k} of {condition}");
    CHECK_STR(s.xlabel, "Layer index");
    CHECK_STR(s.ylabel, "Head index");
    CHECK_STR(s.cbar_label, "Generalized Ships");
    CHECK_STR(s.colormap, "Plasma");
    CHECK(s.xlim.set);
    CHECK_NEAR(s.xlim.lo, -1.5, 0);
    CHECK_NEAR(s.xlim.hi, 31, 0);
    CHECK(s.ylim.set);
    CHECK_NEAR(s.ylim.lo, -2, 0);
    CHECK_NEAR(s.ylim.hi, 40.5, 0);
    CHECK(s.xticks.set);
    CHECK_NEAR(s.xticks.first, 0, 0);
    CHECK_NEAR(s.xticks.last, 30, 0);
    CHECK_NEAR(s.xticks.step, 2, 0);
    CHECK(s.yticks.set);
    CHECK_NEAR(s.yticks.last, 40, 0);
    CHECK_NEAR(s.yticks.step, 2.5, 0);
    CHECK_NEAR(s.marker_scale, 1.5, 0);

    CHECK_INT(s.n_conds, 2);
    const hv_cond_spec *c = hv_spec_condition(&s, "Undiff Attn.");
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->name, "Undiff Attn.");
        CHECK(c->range.set);
        CHECK_NEAR(c->range.lo, 0, 0);
        CHECK_NEAR(c->range.hi, 70, 0);
        CHECK(c->ticks.set);
        CHECK_NEAR(c->ticks.first, 0, 0);
        CHECK_NEAR(c->ticks.last, 70, 0);
        CHECK_NEAR(c->ticks.step, 10, 0);
        CHECK_STR(c->title, "Custom {condition}");
    }
    c = hv_spec_condition(&s, "Scaling Cont.");
    CHECK(c != NULL);
    if (c) {
        CHECK(c == &s.conds[1]);
        CHECK(c->range.set);
        CHECK_NEAR(c->range.hi, 22, 0);
        CHECK_NEAR(c->ticks.last, 20, 0);
        CHECK_NEAR(c->ticks.step, 5, 0);
        CHECK_STR(c->title, "");
    }
    CHECK(hv_spec_condition(&s, "scaling cont.") == NULL); /* names are exact */
    CHECK(hv_spec_condition(&s, "Nope") == NULL);

    CHECK_INT(s.n_models, 3);
    const hv_model_spec *m = hv_spec_model(&s, "Llama-2-7b-chat");
    CHECK(m != NULL);
    if (m) {
        CHECK(m == &s.models[0]);
        CHECK_INT(m->shape, HV_SHAPE_CIRCLE);
        CHECK(m->color_set);
        CHECK_NEAR(m->color[0], 0x48 / 255.0, 1e-6);
        CHECK_NEAR(m->color[1], 0x28 / 255.0, 1e-6);
        CHECK_NEAR(m->color[2], 0x78 / 255.0, 1e-6);
        CHECK_STR(m->label, "Llama 2 (7B chat)");
    }
    m = hv_spec_model(&s, "Vicuna-7b-v1.5");
    CHECK(m != NULL);
    if (m) {
        CHECK_INT(m->shape, HV_SHAPE_X);
        CHECK(m->color_set);
        CHECK_NEAR(m->color[0], 0xfd / 255.0, 1e-6);
        CHECK_NEAR(m->color[1], 0xe7 / 255.0, 1e-6);
        CHECK_NEAR(m->color[2], 0x25 / 255.0, 1e-6);
        CHECK_STR(m->label, "");
    }
    m = hv_spec_model(&s, "Other");
    CHECK(m != NULL);
    if (m) {
        CHECK_INT(m->shape, -1); /* unset: the figure decides */
        CHECK(!m->color_set);
        CHECK_STR(m->label, "Just a label");
    }
    CHECK(hv_spec_model(&s, "Nope") == NULL);

    /* every marker name, any case */
    static const char *const shapes[HV_SHAPE_COUNT] = {"circle", "x", "square", "triangle",
                                                       "diamond", "plus", "star"};
    for (int i = 0; i < HV_SHAPE_COUNT; i++) {
        char text[128];
        snprintf(text, sizeof text, "[model: M]\nmarker = %s\n", shapes[i]);
        check_context("marker %s", shapes[i]);
        CHECK(parse(&s, text, &err));
        CHECK_INT(s.models[0].shape, i);
        CHECK_STR(hv_shape_name((hv_shape)i), shapes[i]);
        CHECK_INT(hv_shape_parse(shapes[i]), i);
    }
    check_context("%s", "");
    CHECK_INT(hv_shape_parse("STAR"), HV_SHAPE_STAR);
    CHECK_INT(hv_shape_parse("Diamond"), HV_SHAPE_DIAMOND);
    CHECK_INT(hv_shape_parse("hexagon"), -1);
    CHECK_INT(hv_shape_parse(""), -1);
    CHECK_STR(hv_shape_name(HV_SHAPE_COUNT), "?");

    /* every colormap name */
    static const char *const cmaps[] = {"viridis", "plasma", "magma", "inferno", "cividis"};
    for (int i = 0; i < 5; i++) {
        char text[128];
        snprintf(text, sizeof text, "[figure]\ncolormap = %s\n", cmaps[i]);
        check_context("colormap %s", cmaps[i]);
        CHECK(parse(&s, text, &err));
        CHECK_STR(s.colormap, cmaps[i]);
    }
    check_context("%s", "");

    /* marker_size bounds: (0.05, 20] */
    CHECK(parse(&s, "[figure]\nmarker_size = 20\n", &err));
    CHECK_NEAR(s.marker_scale, 20, 0);
    CHECK(parse(&s, "[figure]\nmarker_size = 0.06\n", &err));
    CHECK_NEAR(s.marker_scale, 0.06, 0);
    /* old Mac line ends (CR alone) are lines too */
    CHECK(parse(&s, "[figure]\rxlabel = L\rylabel = H\r", &err));
    CHECK_STR(s.ylabel, "H");
    /* ticks: exactly 64 ticks (63 intervals) is allowed, first == last too */
    CHECK(parse(&s, "[figure]\nxticks = 0, 63, 1\nyticks = 3, 3, 1\n", &err));
    CHECK_NEAR(s.xticks.last, 63, 0);
    CHECK_NEAR(s.yticks.first, 3, 0);
    /* an empty text value is allowed (a condition title "" = the figure's) */
    CHECK(parse(&s, "[figure]\nxlabel =\n", &err));
    CHECK_STR(s.xlabel, "");
    /* section names are case-insensitive, condition/model names are kept */
    CHECK(parse(&s, "[FIGURE]\nTITLE = T\n[Condition: Mixed Case]\nrange = 1, 2\n", &err));
    CHECK_STR(s.title, "T");
    CHECK_STR(s.conds[0].name, "Mixed Case");
    /* blanks around a section's name are not part of it */
    CHECK(parse(&s, "[condition:  Undiff Attn.  ]\nrange = 0, 70\n[model:\tM\t]\nmarker = x\n", &err));
    CHECK_STR(s.conds[0].name, "Undiff Attn.");
    CHECK(hv_spec_condition(&s, "Undiff Attn.") != NULL);
    CHECK_STR(s.models[0].name, "M");
    CHECK(hv_spec_model(&s, "M") != NULL);
}

static void test_sections_merge_and_layer(void)
{
    hv_spec s;
    hv_error err;
    /* a section named twice is one condition */
    CHECK(parse(&s,
                "[condition: A]\nrange = 0, 1\n[condition: B]\nrange = 0, 2\n"
                "[condition: A]\nticks = 0, 1, 0.5\n[model: M]\nmarker = star\n[model: M]\nlabel = L\n",
                &err));
    CHECK_INT(s.n_conds, 2);
    CHECK_STR(s.conds[0].name, "A");
    CHECK_STR(s.conds[1].name, "B");
    CHECK(s.conds[0].range.set && s.conds[0].ticks.set);
    CHECK_NEAR(s.conds[0].ticks.step, 0.5, 0);
    CHECK_INT(s.n_models, 1);
    CHECK_INT(s.models[0].shape, HV_SHAPE_STAR);
    CHECK_STR(s.models[0].label, "L");
    /* a later key overrides an earlier one */
    CHECK(parse(&s, "[figure]\ntitle = one\ntitle = two\n", &err));
    CHECK_STR(s.title, "two");

    /* parsing onto a spec layers: the second text overrides only what it names */
    CHECK(parse(&s, hv_asset_ini, &err));
    CHECK(hv_spec_parse(&s, "[figure]\ncolormap = magma\n[condition: Undiff Attn.]\nrange = 0, 100\n",
                        "override.ini", &err));
    CHECK_STR(s.colormap, "magma");
    CHECK_STR(s.title, "Top 10 Safety Heads on {condition}");
    CHECK_INT(s.n_conds, 2);
    const hv_cond_spec *c = hv_spec_condition(&s, "Undiff Attn.");
    CHECK(c != NULL && c->range.hi == 100 && c->ticks.set && c->ticks.last == 70);

    /* CRLF line ends: no '\r' in values */
    CHECK(parse(&s, "[figure]\r\ntitle = A title\r\nxlim = 0, 5\r\n", &err));
    CHECK_STR(s.title, "A title");
    CHECK_NEAR(s.xlim.hi, 5, 0);
}

static void test_bundled(void)
{
    hv_spec s;
    hv_error err;
    CHECK(parse(&s, hv_asset_ini, &err));
    CHECK_STR(s.title, "Top 10 Safety Heads on {condition}");
    CHECK_STR(s.xlabel, "Layer");
    CHECK_STR(s.ylabel, "Head");
    CHECK_STR(s.cbar_label, "Generalized Ships");
    CHECK_STR(s.colormap, "viridis");
    CHECK(s.xlim.set && s.xlim.lo == -1 && s.xlim.hi == 31);
    CHECK(s.ylim.set && s.ylim.lo == -1 && s.ylim.hi == 31);
    CHECK(s.xticks.set && s.xticks.first == 0 && s.xticks.last == 30 && s.xticks.step == 2);
    CHECK(s.yticks.set && s.yticks.first == 0 && s.yticks.last == 30 && s.yticks.step == 2);
    CHECK_INT(s.n_conds, 2);
    CHECK_STR(s.conds[0].name, "Undiff Attn.");
    CHECK(s.conds[0].range.hi == 70 && s.conds[0].ticks.step == 10);
    CHECK_STR(s.conds[1].name, "Scaling Cont.");
    CHECK(s.conds[1].range.hi == 22 && s.conds[1].ticks.last == 20 && s.conds[1].ticks.step == 5);
    CHECK_INT(s.n_models, 2);
    CHECK_STR(s.models[0].name, "Llama-2-7b-chat");
    CHECK_INT(s.models[0].shape, HV_SHAPE_CIRCLE);
    CHECK_STR(s.models[1].name, "Vicuna-7b-v1.5");
    CHECK_INT(s.models[1].shape, HV_SHAPE_X);
}

#define FIGURE_KEYS                                                                                \
    "(known: title, xlabel, ylabel, colorbar_label, colormap, xlim, ylim, xticks, yticks, marker_size, legend, context, font_scale, share_axes, top, rank_by, center, kv_heads, colorbar, facets, models, conditions, orientation, reveal)"
#define RANGE_MSG(key, v) "key \"" key "\": expected \"low, high\" with low < high, got \"" v "\""
#define TICKS_MSG(key, v)                                                                          \
    "key \"" key "\": expected \"first, last, step\" with first <= last, step > 0 and at most 64 ticks, got \"" v "\""

static void test_errors(void)
{
    EXPECT_ERROR("[figure]\ntitle = x\nfoo = 1\n", "t.ini:3: unknown key \"foo\" in [figure] " FIGURE_KEYS);
    EXPECT_ERROR("[condition: A]\nrange = 0, 1\ncolour = red\n",
                 "t.ini:3: unknown key \"colour\" in [condition: A] (known: range, ticks, title)");
    EXPECT_ERROR("[model: M]\nshape = x\n",
                 "t.ini:2: unknown key \"shape\" in [model: M] (known: marker, color, label, kv_heads, layers, heads)");
    EXPECT_ERROR("[figure]\ntitle = a\n\n[axes]\nx = 1\n",
                 "t.ini:5: unknown section [axes] (known: [figure], [condition: NAME], [model: NAME], [source: FILE])");
    EXPECT_ERROR("title = x\n", "t.ini:1: key \"title\" outside a section (start with [figure])");
    EXPECT_ERROR("[condition:]\nrange = 0, 1\n",
                 "t.ini:2: section [condition:]: missing condition name after \"condition:\"");
    EXPECT_ERROR("[model:  ]\nmarker = x\n", "t.ini:2: section [model:  ]: missing model name after \"model:\"");

    /* ranges */
    EXPECT_ERROR("[figure]\nxlim = 5, 5\n", "t.ini:2: " RANGE_MSG("xlim", "5, 5"));
    EXPECT_ERROR("[figure]\n\nylim = 3, 1\n", "t.ini:3: " RANGE_MSG("ylim", "3, 1"));
    EXPECT_ERROR("[condition: A]\nrange = 1\n", "t.ini:2: " RANGE_MSG("range", "1"));
    EXPECT_ERROR("[condition: A]\nrange = a, b\n", "t.ini:2: " RANGE_MSG("range", "a, b"));
    EXPECT_ERROR("[condition: A]\nrange = 0, 1, 2\n", "t.ini:2: " RANGE_MSG("range", "0, 1, 2"));
    EXPECT_ERROR("[condition: A]\nrange = 0; 1\n", "t.ini:2: " RANGE_MSG("range", "0; 1"));
    EXPECT_ERROR("[condition: A]\nrange = nan, 1\n", "t.ini:2: " RANGE_MSG("range", "nan, 1"));
    EXPECT_ERROR("[condition: A]\nrange = 0, inf\n", "t.ini:2: " RANGE_MSG("range", "0, inf"));
    EXPECT_ERROR("[condition: A]\nrange =\n", "t.ini:2: " RANGE_MSG("range", ""));
    /* finite numbers whose span is not (issue 15: a tick walk over an
     * infinite span never ended), and values beyond the scores' limits */
    EXPECT_ERROR("[condition: A]\nrange = 0, 1\n\nrange = -1e308, 1e308\n",
                 "t.ini:4: key \"range\": low and high must lie within -1e15..1e15, got \"-1e308, 1e308\"");
    EXPECT_ERROR("[figure]\nxlim = 0, 2e15\n",
                 "t.ini:2: key \"xlim\": low and high must lie within -1e15..1e15, got \"0, 2e15\"");
    EXPECT_ERROR("[condition: A]\nticks = -1e308, 1e308, 1e307\n",
                 "t.ini:2: key \"ticks\": first, last and step must lie within -1e15..1e15, got \"-1e308, 1e308, 1e307\"");
    {
        hv_spec s;
        hv_error e;
        hv_spec_init(&s);
        CHECK(hv_spec_parse(&s, "[condition: A]\nrange = -1e15, 1e15\nticks = -1e15, 1e15, 1e14\n", "t.ini", &e));
        hv_spec_free(&s);
    }

    /* ticks */
    EXPECT_ERROR("[condition: A]\nticks = 0, 10, 0\n", "t.ini:2: " TICKS_MSG("ticks", "0, 10, 0"));
    EXPECT_ERROR("[condition: A]\nticks = 0, 10, -1\n", "t.ini:2: " TICKS_MSG("ticks", "0, 10, -1"));
    EXPECT_ERROR("[condition: A]\nticks = 10, 0, 1\n", "t.ini:2: " TICKS_MSG("ticks", "10, 0, 1"));
    EXPECT_ERROR("[figure]\nxticks = 0, 64, 1\n", "t.ini:2: " TICKS_MSG("xticks", "0, 64, 1"));
    /* a step too small to move the first tick would loop forever */
    EXPECT_ERROR("[figure]\nxticks = 1e15, 1e15, 0.01\n", "t.ini:2: " TICKS_MSG("xticks", "1e15, 1e15, 0.01"));
    EXPECT_ERROR("[figure]\nxticks = 1e30, 1e30, 1\n",
                 "t.ini:2: key \"xticks\": first, last and step must lie within -1e15..1e15, got \"1e30, 1e30, 1\"");

    EXPECT_ERROR("[figure]\nyticks = 0, 30\n", "t.ini:2: " TICKS_MSG("yticks", "0, 30"));
    EXPECT_ERROR("[figure]\nyticks = 0, 30, 2, 4\n", "t.ini:2: " TICKS_MSG("yticks", "0, 30, 2, 4"));

    /* colormap, marker, colour, marker size */
    EXPECT_ERROR("[figure]\ncolormap = jet\n",
                 "t.ini:2: key \"colormap\": unknown colormap \"jet\" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)");
    EXPECT_ERROR("[model: M]\nmarker = hexagon\n",
                 "t.ini:2: key \"marker\": unknown marker \"hexagon\" (known: circle, x, square, triangle, diamond, plus, star)");
    EXPECT_ERROR("[model: M]\ncolor = red\n", "t.ini:2: key \"color\": expected #rrggbb, got \"red\"");
    EXPECT_ERROR("[model: M]\ncolor = #12345\n", "t.ini:2: key \"color\": expected #rrggbb, got \"#12345\"");
    EXPECT_ERROR("[model: M]\ncolor = #1234567\n", "t.ini:2: key \"color\": expected #rrggbb, got \"#1234567\"");
    EXPECT_ERROR("[model: M]\ncolor = #12345g\n", "t.ini:2: key \"color\": expected #rrggbb, got \"#12345g\"");
    EXPECT_ERROR("[model: M]\ncolor = 482878\n", "t.ini:2: key \"color\": expected #rrggbb, got \"482878\"");
    EXPECT_ERROR("[model: M]\ncolor = #-12345\n", "t.ini:2: key \"color\": expected #rrggbb, got \"#-12345\"");
    EXPECT_ERROR("[figure]\nmarker_size = 0\n",
                 "t.ini:2: key \"marker_size\": expected a number in (0.05, 20], got \"0\"");
    EXPECT_ERROR("[figure]\nmarker_size = 20.5\n",
                 "t.ini:2: key \"marker_size\": expected a number in (0.05, 20], got \"20.5\"");
    EXPECT_ERROR("[figure]\nmarker_size = big\n",
                 "t.ini:2: key \"marker_size\": expected a number in (0.05, 20], got \"big\"");

    /* reveal: a build's later panels */
    EXPECT_ERROR("[figure]\nreveal = frames\n", "t.ini:2: key \"reveal\": expected axes or none, got \"frames\"");
    {
        hv_spec s;
        hv_error e;
        hv_spec_init(&s);
        CHECK_INT(s.reveal, 0); /* none */
        CHECK(hv_spec_parse(&s, "[figure]\nreveal = axes\n", "t.ini", &e));
        CHECK_INT(s.reveal, 1);
        CHECK(hv_spec_parse(&s, "[figure]\nreveal = None\n", "t.ini", &e));
        CHECK_INT(s.reveal, 0);
        hv_spec_free(&s);
    }

    /* malformed lines (inih's own errors) */
    EXPECT_ERROR("[figure]\ntitle = ok\nthis is not ini\n",
                 "t.ini:3: malformed line (expected [section] or key = value)");
    EXPECT_ERROR("[figure\ntitle = ok\n", "t.ini:1: malformed line (expected [section] or key = value)");
    EXPECT_ERROR("[figure]\r\ntitle = ok\r\nbogus\r\n",
                 "t.ini:3: malformed line (expected [section] or key = value)");

    /* too many sections */
    char text[2048];
    int n = 0;
    for (int i = 0; i <= HV_MAX_CONDITIONS; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "[condition: C%d]\nrange = 0, 1\n", i);
    char msg[256];
    snprintf(msg, sizeof msg, "t.ini:%d: too many [condition: ...] sections (at most %d)",
             2 * HV_MAX_CONDITIONS + 2, HV_MAX_CONDITIONS);
    EXPECT_ERROR(text, msg);
    n = 0;
    for (int i = 0; i <= HV_MAX_MODELS; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "[model: M%d]\nmarker = x\n", i);
    snprintf(msg, sizeof msg, "t.ini:%d: too many [model: ...] sections (at most %d)",
             2 * HV_MAX_MODELS + 2, HV_MAX_MODELS);
    EXPECT_ERROR(text, msg);
}

static void test_first_error_line(void)
{
    /* the first bad line is reported with its own message, whatever follows */
    const char *text = "[figure]\n"          /* 1 */
                       "title = T\n"         /* 2 */
                       "xlabel = X\n"        /* 3 */
                       "\n"                  /* 4 */
                       "[condition: A]\n"    /* 5 */
                       "range = 0, 10\n"     /* 6 */
                       "ticks = 0, 10, 0\n"  /* 7: error */
                       "[model: M]\n"        /* 8 */
                       "marker = blob\n"     /* 9: error */
                       "nonsense\n"          /* 10: error */
                       "[figure]\n"          /* 11 */
                       "colormap = jet\n";   /* 12: error */
    EXPECT_ERROR(text, "t.ini:7: " TICKS_MSG("ticks", "0, 10, 0"));
    /* same with a malformed line 7 and handler errors later */
    EXPECT_ERROR("[figure]\ntitle = T\nxlabel = X\n\n[condition: A]\nrange = 0, 10\nnot a pair\n"
                 "[model: M]\nmarker = blob\n",
                 "t.ini:7: malformed line (expected [section] or key = value)");
    /* and with a handler error on line 7 and a malformed line later */
    EXPECT_ERROR("[figure]\ntitle = T\nxlabel = X\n\n[condition: A]\nrange = 0, 10\nwhat = 1\nnonsense\n",
                 "t.ini:7: unknown key \"what\" in [condition: A] (known: range, ticks, title)");
    /* the last line, without a newline */
    EXPECT_ERROR("[figure]\ntitle = T\nxlabel = X\n\n[condition: A]\nrange = 0, 10\nticks = 1, 0, 1",
                 "t.ini:7: " TICKS_MSG("ticks", "1, 0, 1"));

    /* a failed parse leaves the spec as it was */
    hv_spec s;
    hv_error err;
    hv_spec_init(&s);
    CHECK(hv_spec_parse(&s, "[figure]\ntitle = KEEP\n", "a.ini", &err));
    CHECK(!hv_spec_parse(&s, text, "b.ini", &err));
    CHECK_STR(err.msg, "b.ini:7: " TICKS_MSG("ticks", "0, 10, 0"));
    CHECK_STR(s.title, "KEEP");
    CHECK_STR(s.xlabel, "Layer");
    CHECK_INT(s.n_conds, 0);
    CHECK_INT(s.n_models, 0);
    /* err may be NULL */
    CHECK(!hv_spec_parse(&s, text, "b.ini", NULL));
}

static void test_long_lines(void)
{
    /* inih reads lines of at most INI_MAX_LINE - 2 bytes; a longer one must be
     * an error on its own line, not a misread value and shifted numbers */
    char title[300], text[512], msg[128];
    memset(title, 'a', sizeof title);
    const int max = 198;
    int prefix = (int)strlen("title = ");
    title[max - prefix] = '\0';
    snprintf(text, sizeof text, "[figure]\ntitle = %s\nxlabel = X\n", title);
    hv_spec s;
    hv_error err;
    CHECK(parse(&s, text, &err));
    CHECK_STR(s.title, title);
    CHECK_STR(s.xlabel, "X");
    /* the line numbers after it are right */
    snprintf(text, sizeof text, "[figure]\ntitle = %s\nbogus\n", title);
    EXPECT_ERROR(text, "t.ini:3: malformed line (expected [section] or key = value)");

    title[max - prefix] = 'a';
    title[max - prefix + 1] = '\0';
    snprintf(text, sizeof text, "[figure]\nxlabel = X\ntitle = %s\nbogus\n", title);
    snprintf(msg, sizeof msg, "t.ini:3: line longer than %d bytes", max);
    EXPECT_ERROR(text, msg);
    memset(title, 'b', sizeof title);
    title[250] = '\0';
    snprintf(text, sizeof text, "[figure]\n; %s\n", title);
    snprintf(msg, sizeof msg, "t.ini:2: line longer than %d bytes", max);
    EXPECT_ERROR(text, msg);
}

static void test_long_section_names(void)
{
    /* inih keeps 49 bytes of a section name: longer ones (up to the 127 a
     * name may have) still apply, under their whole name */
    char name[160], text[1024], msg[400];
    memset(name, 'n', sizeof name);
    name[127] = '\0';
    snprintf(text, sizeof text, "[figure]\ntitle = T\n[condition: %s]\ntitle = long\nrange = 0, 5\n"
                                "[model:   %s  ]\nmarker = star\n[condition: B]\ntitle = short\n",
             name, name);
    hv_spec s;
    hv_error err;
    CHECK(parse(&s, text, &err));
    CHECK_INT(s.n_conds, 2);
    CHECK_STR(s.conds[0].name, name);
    CHECK_STR(s.conds[0].title, "long");
    CHECK(s.conds[0].range.set && s.conds[0].range.hi == 5);
    CHECK_STR(s.conds[1].title, "short");
    CHECK_INT(s.n_models, 1);
    CHECK_STR(s.models[0].name, name);
    CHECK_INT(s.models[0].shape, HV_SHAPE_STAR);
    /* line numbers after an aliased section stay right */
    snprintf(text, sizeof text, "[condition: %s]\ntitle = a\n\nbogus\n", name);
    EXPECT_ERROR(text, "t.ini:4: malformed line (expected [section] or key = value)");
    /* one byte more than a name may have: an error with the real name */
    name[127] = 'n';
    name[128] = '\0';
    snprintf(text, sizeof text, "[figure]\n[condition: %s]\ntitle = a\n", name);
    snprintf(msg, sizeof msg, "t.ini:3: section [condition: %s]: name longer than 127 bytes", name);
    EXPECT_ERROR(text, msg);
}

/* Score files and the top k: [source: PATH] sections, top, rank_by,
 * center, kv_heads. */
static void test_sources_and_top(void)
{
    hv_spec s;
    hv_error err;
    const char *text = "[figure]\ntop = 5\nrank_by = abs\ncenter = -0.5\nkv_heads = 4\n"
                       "[model: m]\nkv_heads = 8\n"
                       "[source: runs/a b:c,d.npy]\nmodel = Llama, 7B: chat\ncondition = Undiff Attn.\n"
                       "format = npy\ntensor = scores\nreduce = abs-mean\n"
                       "[source: b.json]\nmodel = m\ncondition = B\n";
    CHECK(parse(&s, text, &err));
    CHECK_INT(s.top, 5);
    CHECK_INT(s.rank_by_abs, 1);
    CHECK(s.center_set && s.center == -0.5);
    CHECK_INT(s.kv_heads, 4);
    CHECK_INT(s.models[0].kv_heads, 8);
    CHECK_INT(s.n_sources, 2);
    CHECK_STR(s.sources[0].path, "runs/a b:c,d.npy");
    CHECK_STR(s.sources[0].model, "Llama, 7B: chat");
    CHECK_STR(s.sources[0].condition, "Undiff Attn.");
    CHECK_STR(s.sources[0].format, "npy");
    CHECK_STR(s.sources[0].tensor, "scores");
    CHECK_STR(s.sources[0].reduce, "abs-mean");
    CHECK_STR(s.sources[1].format, "");
    CHECK(hv_spec_check_sources(&s, "t.ini", &err));
    hv_spec_free(&s);
    CHECK(parse(&s, "[figure]\ntop = all\n", &err));
    CHECK_INT(s.top, 0);
    hv_spec_free(&s);
    /* defaults */
    CHECK(parse(&s, "", &err));
    CHECK_INT(s.top, -1);
    CHECK_INT(s.rank_by_abs, -1);
    CHECK(!s.center_set && !s.colormap_set);
    hv_spec_free(&s);
    CHECK(parse(&s, "[figure]\ncolormap = RdBu_r\n", &err));
    CHECK(s.colormap_set);
    hv_spec_free(&s);
    /* a source without its model or condition */
    CHECK(parse(&s, "[source: x.npy]\nmodel = m\n", &err));
    CHECK(!hv_spec_check_sources(&s, "t.ini", &err));
    CHECK_STR(err.msg, "t.ini:1: [source: x.npy] needs condition = (the model and condition its scores are)");
    hv_spec_free(&s);
    CHECK(parse(&s, "[figure]\ntop = 3\n\n[Source:  y.npz ]\ncondition = c\ntensor = t\n", &err));
    CHECK(!hv_spec_check_sources(&s, "t.ini", &err));
    CHECK_STR(err.msg, "t.ini:4: [source: y.npz] needs model = (the model and condition its scores are)");
    hv_spec_free(&s);
    /* errors name the line */
    EXPECT_ERROR("[figure]\ntop = 0\n", "t.ini:2: key \"top\": expected a whole number >= 1 or \"all\", got \"0\"");
    EXPECT_ERROR("[figure]\ntop = 2.5\n", "t.ini:2: key \"top\": expected a whole number >= 1 or \"all\", got \"2.5\"");
    EXPECT_ERROR("[figure]\nrank_by = size\n", "t.ini:2: key \"rank_by\": expected value or abs, got \"size\"");
    EXPECT_ERROR("[figure]\ncenter = middle\n", "t.ini:2: key \"center\": expected a number, got \"middle\"");
    EXPECT_ERROR("[model: m]\nkv_heads = 0\n", "t.ini:2: key \"kv_heads\": expected a whole number >= 1, got \"0\"");
    /* facets = : where a heatmap grid puts the models */
    hv_spec f;
    CHECK(parse(&f, "[figure]\n", &err));
    CHECK_INT(f.facets, HV_FACETS_AUTO);
    hv_spec_free(&f);
    CHECK(parse(&f, "[figure]\nfacets = Models-Columns\n", &err));
    CHECK_INT(f.facets, HV_FACETS_COLUMNS);
    hv_spec_free(&f);
    CHECK(parse(&f, "[figure]\nfacets = models-rows\n", &err));
    CHECK_INT(f.facets, HV_FACETS_ROWS);
    hv_spec_free(&f);
    EXPECT_ERROR("[figure]\nfacets = diagonal\n",
                 "t.ini:2: key \"facets\": expected auto, models-rows or models-columns, got \"diagonal\"");
    EXPECT_ERROR("[source: x.npy]\nformat = hdf5\n",
                 "t.ini:2: key \"format\": unknown format \"hdf5\" (known: auto, csv, json, jsonl, npy, npz, text, safetensors)");
    EXPECT_ERROR("[source: x.npy]\nreduce = median\n",
                 "t.ini:2: key \"reduce\": unknown reduction \"median\" (known: mean, max, sum, count, abs-mean)");
    EXPECT_ERROR("[source: x.npy]\nlayer = 3\n",
                 "t.ini:2: unknown key \"layer\" in [source: x.npy] (known: model, condition, format, tensor, reduce)");
    EXPECT_ERROR("[source:  ]\nmodel = m\n", "t.ini:2: section [source:  ]: missing a file after \"source:\"");
    /* a long path (a section name inih would cut) is kept whole */
    char path[190], t2[400];
    memset(path, 'p', sizeof path);
    path[180] = '\0';
    snprintf(t2, sizeof t2, "[source: %s]\nmodel = m\ncondition = c\n", path);
    CHECK(parse(&s, t2, &err));
    CHECK_INT(s.n_sources, 1);
    CHECK_STR(s.sources[0].path, path);
    hv_spec_free(&s);
    /* issue 18: two sections naming one file are two sources (two members
     * of one .npz), each with its own line; never merged */
    CHECK(parse(&s, "[source: l.npz]\nmodel = L\ncondition = Undiff\ntensor = undiff\n\n"
                    "[source: l.npz]\nmodel = L\ncondition = Scaling\ntensor = scaling\n", &err));
    CHECK_INT(s.n_sources, 2);
    CHECK_STR(s.sources[0].tensor, "undiff");
    CHECK_STR(s.sources[1].tensor, "scaling");
    CHECK_STR(s.sources[1].condition, "Scaling");
    CHECK_INT(s.sources[0].line, 1);
    CHECK_INT(s.sources[1].line, 6);
    hv_spec_free(&s);
    /* the extent and the pick of models and conditions */
    CHECK(parse(&s, "[figure]\nmodels = B, A\nconditions = Y\n[model: A]\nlayers = 32\nheads = 8\n", &err));
    CHECK_STR(s.pick_models, "B, A");
    CHECK_STR(s.pick_conditions, "Y");
    CHECK_INT(s.models[0].layers, 32);
    CHECK_INT(s.models[0].heads, 8);
    hv_spec_free(&s);
    EXPECT_ERROR("[model: A]\nlayers = 0\n", "t.ini:2: key \"layers\": expected a whole number >= 1, got \"0\"");
}

static void test_expand_title(void)
{
    char out[64];
    hv_spec_expand_title("Top {k} Heads on {condition}", NULL, "Undiff Attn.", 10, out, sizeof out);
    CHECK_STR(out, "Top 10 Heads on Undiff Attn.");
    hv_spec_expand_title("Top 10 Safety Heads on {condition}", NULL, "Scaling Cont.", 4, out, sizeof out);
    CHECK_STR(out, "Top 10 Safety Heads on Scaling Cont.");
    hv_spec_expand_title("{condition}/{condition} k={k}{k}", NULL, "A", 7, out, sizeof out);
    CHECK_STR(out, "A/A k=77");
    hv_spec_expand_title("no placeholders {x} {cond} {K}", NULL, "A", 1, out, sizeof out);
    CHECK_STR(out, "no placeholders {x} {cond} {K}");
    hv_spec_expand_title("{k", NULL, "A", 1, out, sizeof out);
    CHECK_STR(out, "{k");
    hv_spec_expand_title("", NULL, "A", 1, out, sizeof out);
    CHECK_STR(out, "");
    hv_spec_expand_title("{k}", NULL, "A", -3, out, sizeof out);
    CHECK_STR(out, "-3");
    /* truncated to out_size - 1 bytes, always terminated */
    memset(out, 'z', sizeof out);
    hv_spec_expand_title("Top {k} on {condition}", NULL, "Undiff", 123, out, 8);
    CHECK_STR(out, "Top 123");
    memset(out, 'z', sizeof out);
    hv_spec_expand_title("on {condition}", NULL, "Undiff", 1, out, 6);
    CHECK_STR(out, "on Un");
    hv_spec_expand_title("abc", NULL, "A", 1, out, 1);
    CHECK_STR(out, "");
    /* {model}: the model's name where one is given, else left as written */
    hv_spec_expand_title("{model} on {condition} (top {k})", "Llama-2-70b", "Undiff", 10, out, sizeof out);
    CHECK_STR(out, "Llama-2-70b on Undiff (top 10)");
    hv_spec_expand_title("{model}: {condition}", NULL, "Undiff", 10, out, sizeof out);
    CHECK_STR(out, "{model}: Undiff");
}

static void test_check_names(void)
{
    hv_dataset ds;
    memset(&ds, 0, sizeof ds);
    snprintf(ds.conditions[0], HV_MAX_NAME, "A");
    snprintf(ds.conditions[1], HV_MAX_NAME, "B");
    ds.n_conditions = 2;
    snprintf(ds.models[0], HV_MAX_NAME, "M");
    ds.n_models = 1;
    hv_spec s;
    hv_error err;
    char msg[256] = "";
    CHECK(parse(&s, "[condition: B]\nrange = 0, 1\n[model: M]\nmarker = x\n", &err));
    CHECK(!hv_spec_check_names(&s, &ds, "s.ini", msg, sizeof msg));
    CHECK(parse(&s, "[condition: B]\nrange = 0, 1\n[condition: C]\nrange = 0, 1\n", &err));
    CHECK(hv_spec_check_names(&s, &ds, "s.ini", msg, sizeof msg));
    CHECK_STR(msg, "s.ini: [condition: C] names no condition in the data");
    CHECK(parse(&s, "[model: N]\nmarker = x\n", &err));
    CHECK(hv_spec_check_names(&s, &ds, "s.ini", msg, sizeof msg));
    CHECK_STR(msg, "s.ini: [model: N] names no model in the data");
    /* issue 18: every section that names nothing, each with the closest name */
    snprintf(ds.models[0], HV_MAX_NAME, "Mistral-7B-Instruct-v0.2");
    snprintf(ds.models[1], HV_MAX_NAME, "Llama-2-7b-chat");
    ds.n_models = 2;
    snprintf(ds.conditions[0], HV_MAX_NAME, "Undiff Attn.");
    char big[1024];
    CHECK(parse(&s, "[model: Mistral-7B-Instruct]\nmarker = x\n[model: llama 2 7b chat]\nmarker = x\n"
                    "[model: Gemma]\nmarker = x\n[condition: undiff attn]\nrange = 0, 1\n", &err));
    CHECK(hv_spec_check_names(&s, &ds, "s.ini", big, sizeof big));
    CHECK_STR(big, "s.ini: [condition: undiff attn] names no condition in the data (did you mean \"Undiff Attn.\"?)\n"
                   "s.ini: [model: Mistral-7B-Instruct] names no model in the data (did you mean \"Mistral-7B-Instruct-v0.2\"?)\n"
                   "s.ini: [model: llama 2 7b chat] names no model in the data (did you mean \"Llama-2-7b-chat\"?)\n"
                   "s.ini: [model: Gemma] names no model in the data");
}

static void test_load(void)
{
    hv_spec s;
    hv_error err;
    hv_spec_init(&s);
    CHECK(!hv_spec_load(&s, "/nonexistent-hv-dir/s.ini", &err));
    CHECK_STR(err.msg, "/nonexistent-hv-dir/s.ini: cannot open: No such file or directory");

    char dir[] = "/tmp/hv_unit_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64], msg[512];
    snprintf(path, sizeof path, "%s/s.ini", dir);
    CHECK(!hv_spec_load(&s, dir, &err));
    snprintf(msg, sizeof msg, "%s: is a directory, expected a file", dir);
    CHECK_STR(err.msg, msg);

    static const char good[] = "[figure]\ntitle = Loaded\n";
    CHECK(check_write_file(path, good, sizeof good - 1));
    CHECK(hv_spec_load(&s, path, &err));
    CHECK_STR(s.title, "Loaded");

    static const char bad[] = "[figure]\ntitle = x\ncolormap = jet\n";
    CHECK(check_write_file(path, bad, sizeof bad - 1));
    CHECK(!hv_spec_load(&s, path, &err));
    snprintf(msg, sizeof msg,
             "%s:3: key \"colormap\": unknown colormap \"jet\" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)",
             path);
    CHECK_STR(err.msg, msg);
    CHECK_STR(s.title, "Loaded");

    static const char nul[] = "[figure]\ntitle = x\0y\n";
    CHECK(check_write_file(path, nul, sizeof nul - 1));
    CHECK(!hv_spec_load(&s, path, &err));
    snprintf(msg, sizeof msg, "%s: not a text file (contains NUL bytes)", path);
    CHECK_STR(err.msg, msg);

    CHECK(unlink(path) == 0);
    CHECK(rmdir(dir) == 0);
}

int main(void)
{
    test_defaults();
    test_full();
    test_long_section_names();
    test_sources_and_top();
    test_sections_merge_and_layer();
    test_bundled();
    test_errors();
    test_first_error_line();
    test_long_lines();
    test_expand_title();
    test_check_names();
    test_load();
    return check_summary();
}
