#include "view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "overlay.h"

#define MODEL_FADE_S 0.3

void hv_view_init(hv_view *v)
{
    v->hover_panel = v->hover_point = -1;
    for (int m = 0; m < HV_MAX_MODELS; m++)
        v->model_target[m] = v->model_alpha[m] = 1;
}

void hv_view_free(hv_view *v)
{
    hv_drawlist_free(&v->dl);
    hv_anim_free(&v->anim);
    hv_figure_free(&v->fig);
    hv_dataset_free(&v->ds);
    hv_dataset_free(&v->all);
}

/* ---- the player ---------------------------------------------------------------- */

double hv_view_progress(const hv_view *v) { return hv_player_progress(&v->player); }

bool hv_view_animating(const hv_view *v)
{
    if (hv_player_animating(&v->player))
        return true;
    for (int m = 0; m < v->ds.n_models; m++)
        if (v->model_alpha[m] != v->model_target[m])
            return true;
    return false;
}

double hv_view_tick(hv_view *v, double dt)
{
    if (dt < 0)
        dt = 0;
    if (dt > 0.25)
        dt = 0.25; /* after a stall, don't skip the transition */
    hv_player_tick(&v->player, dt);
    for (int m = 0; m < v->ds.n_models; m++) {
        float d = v->model_target[m] - v->model_alpha[m];
        float s = (float)(dt / MODEL_FADE_S);
        if (d != 0) {
            v->model_alpha[m] = fabsf(d) <= s ? v->model_target[m] : v->model_alpha[m] + (d > 0 ? s : -s);
            v->player.dirty = true;
        }
    }
    return dt;
}

static void set_opts(hv_view *v, hv_error *err)
{
    hv_anim_set_opts(&v->anim, &v->aopt, err);
    v->player.n_steps = hv_anim_steps(&v->anim);
    v->hover_point = -1;
    v->player.dirty = true;
}

bool hv_view_act(hv_view *v, hv_action act, hv_error *err)
{
    hv_error e = {""};
    switch (act) {
    case HV_ACT_LAYOUT:
        /* the next layout the data can show (a heatmap of too many panels
         * is skipped, and said so) */
        for (int k = 1; k < HV_LAYOUT_COUNT; k++) {
            hv_anim_opts o = v->aopt;
            o.layout = (hv_layout_mode)((v->aopt.layout + k) % HV_LAYOUT_COUNT);
            if (hv_anim_set_opts(&v->anim, &o, &e)) {
                v->aopt = o;
                set_opts(v, err);
                hv_player_notice_kind(&v->player, HV_NOTICE_SETTING, "layout %s", hv_layout_name(v->aopt.layout));
                break;
            }
            hv_player_notice(&v->player, "%s", e.msg);
        }
        return true;
    case HV_ACT_MATCH:
        v->aopt.match = (hv_match_mode)((v->aopt.match + 1) % HV_MATCH_COUNT);
        set_opts(v, err);
        hv_player_notice_kind(&v->player, HV_NOTICE_SETTING, "match %s", hv_match_name(v->aopt.match));
        return true;
    case HV_ACT_EASING:
        v->aopt.easing = (hv_easing)((v->aopt.easing + 1) % HV_EASE_COUNT);
        set_opts(v, err);
        hv_player_notice_kind(&v->player, HV_NOTICE_SETTING, "easing %s", hv_easing_name(v->aopt.easing));
        return true;
    case HV_ACT_THEME:
        v->theme = v->theme == HV_THEME_DARK ? HV_THEME_LIGHT : HV_THEME_DARK;
        return true;
    default: return false;
    }
}

bool hv_view_click(hv_view *v)
{
    int m = hv_figure_hit_legend(&v->layout, v->mouse_x, v->mouse_y);
    if (m < 0 || m >= v->ds.n_models)
        return false;
    v->model_target[m] = v->model_target[m] > 0.5f ? 0.0f : 1.0f;
    v->player.dirty = true;
    return true;
}

/* ---- overlays' content ------------------------------------------------------------ */

/* The dataset point a marker stands for: where it comes from, else where it
 * goes (an entering point). */
static int source_point(const hv_scene_point *sp) { return sp->src_a >= 0 ? sp->src_a : sp->src_b; }

/* A head's tooltip: its model, place, and its score in every condition;
 * where its condition has more scored heads than the top k shown, its rank
 * among them ("3.2 (rank 14 of 1024)"). */
static void head_lines(hv_view *v, int model, int layer, int head)
{
    const hv_dataset *all = &v->all, *ds = &v->ds;
    int n = 0;
    snprintf(v->tip[n++], sizeof v->tip[0], "%s", v->fig.models[model].label);
    snprintf(v->tip[n++], sizeof v->tip[0], "layer %d, head %d", layer, head);
    for (int c = 0; c < all->n_conditions && n < 10; c++) {
        int of_all = 0, of_shown = 0;
        double score = 0;
        int rank = hv_dataset_rank(all, model, c, layer, head, v->rank_abs, &of_all, &score);
        hv_dataset_rank(ds, model, c, layer, head, v->rank_abs, &of_shown, NULL);
        char sc[96], num[48];
        hv_format_number(score, num, (int)sizeof num); /* a true minus sign, as the colorbar's */
        if (!rank)
            snprintf(sc, sizeof sc, "%s", all->full[model][c] ? "no score" : "not in top-k");
        else if (of_all > of_shown)
            snprintf(sc, sizeof sc, "%s (rank %d of %d)", num, rank, of_all);
        else
            snprintf(sc, sizeof sc, "%s", num);
        snprintf(v->tip[n++], sizeof v->tip[0], "%s: %s", all->conditions[c], sc);
    }
    v->n_tip = n;
}

static void hover_lines(hv_view *v, const hv_scene_point *sp)
{
    int src = source_point(sp);
    double P = hv_view_progress(v);
    if (sp->src_a >= 0 && sp->src_b >= 0 && P - floor(P) >= 0.5)
        src = sp->src_b;
    const hv_point *p = &v->ds.points[src];
    head_lines(v, p->model, p->layer, p->head);
}

void hv_view_status_line(hv_view *v, char *out, size_t size)
{
    const hv_dataset *ds = &v->ds;
    const hv_player *pl = &v->player;
    double P = hv_view_progress(v);
    int k = (int)floor(P) % ds->n_conditions, next = (k + 1) % ds->n_conditions;
    int o = 0;
    if (P - floor(P) > 0 && pl->stepping && pl->dir < 0) /* played in reverse */
        o += snprintf(out + o, size - (size_t)o, "%s \xe2\x86\x92 %s", ds->conditions[next], ds->conditions[k]);
    else if (P - floor(P) > 0)
        o += snprintf(out + o, size - (size_t)o, "%s \xe2\x86\x92 %s", ds->conditions[k], ds->conditions[next]);
    else
        o += snprintf(out + o, size - (size_t)o, "%s  \xc2\xb7  step %d of %d", ds->conditions[k],
                      hv_player_step(pl) + 1, pl->n_steps);
    o += snprintf(out + o, size - (size_t)o, "  \xc2\xb7  %s  \xc2\xb7  layout %s, match %s, easing %s",
                  pl->playing ? "playing" : pl->stepping ? "moving" : "paused", hv_layout_name(v->aopt.layout),
                  hv_match_name(v->aopt.match), hv_easing_name(v->aopt.easing));
    if (v->aopt.layout != HV_LAYOUT_SIDE && ds->n_conditions > 1)
        for (int m = 0; m < ds->n_models && (size_t)o < size; m++) {
            if (!v->shared_known[m][k]) {
                hv_anim_shared(ds, m, k, next, &v->shared[m][k][0], &v->shared[m][k][1]);
                v->shared_known[m][k] = true;
            }
            int sh = v->shared[m][k][0], tot = v->shared[m][k][1];
            o += snprintf(out + o, size - (size_t)o, "  \xc2\xb7  %s: %d of %d heads shared", v->fig.models[m].label,
                          sh, tot);
        }
    if ((size_t)o < size)
        snprintf(out + o, size - (size_t)o, "  \xc2\xb7  H: help");
}

float hv_view_overlay_scale(const hv_view *v, int w, int h)
{
    float s = fminf((float)w / 1920.0f, (float)h / 1080.0f);
    return fmaxf(s, 1.0f) * v->context * v->font_scale;
}

/* The band at the bottom: the mark at the right, the notice (or the number
 * being typed) left of it, the status line in what is left, shortened to
 * fit. Every box opaque, none cut off. */
static void draw_band(hv_view *v, const hv_overlay_style *st, const char *mark, int w, int h)
{
    const hv_player *pl = &v->player;
    float gap = fmaxf(6 * st->scale, 4), right = (float)w;
    char line[300], fit[600];
    if (mark) {
        const char *l[1] = {mark};
        float bw = hv_overlay_box_width(st, mark);
        if (bw <= right) {
            hv_overlay_box(&v->dl, st, l, 1, right - bw, (float)h, HV_BOX_BOTTOM_LEFT, false);
            right -= bw + gap;
        }
    }
    hv_player_notice_text(pl, line, (int)sizeof line);
    if (line[0]) {
        hv_overlay_fit(st, line, right, true, fit, (int)sizeof fit);
        if (fit[0]) {
            const char *l[1] = {fit};
            float bw = hv_overlay_box_width(st, fit);
            hv_overlay_box(&v->dl, st, l, 1, right - bw, (float)h, HV_BOX_BOTTOM_LEFT, false);
            right -= bw + gap;
        }
    }
    if (pl->hud) {
        hv_view_status_line(v, v->status, sizeof v->status);
        hv_overlay_fit(st, v->status, right, false, fit, (int)sizeof fit);
        if (fit[0]) {
            const char *l[1] = {fit};
            hv_overlay_box(&v->dl, st, l, 1, 0, (float)h, HV_BOX_BOTTOM_LEFT, false);
        }
    }
}

/* ---- the frame ------------------------------------------------------------------- */

void hv_view_build(hv_view *v, const hv_view_frame *f)
{
    int w = f->width, h = f->height;
    bool overlays = f->overlays;
    double P = hv_view_progress(v);
    v->n_panels = hv_anim_frame(&v->anim, P, v->model_alpha, v->panels, &v->desc);
    hv_figure_opts fo = {0};
    fo.width = w;
    fo.height = h;
    fo.theme = (hv_theme_id)v->theme;
    fo.transparent = f->transparent;
    fo.context = v->context;
    fo.font_scale = v->font_scale;
    fo.legend = v->legend;
    fo.desc = v->desc;
    fo.unit = f->unit; /* a physical size: type and markers in points, at the dpi */
    fo.measure = v->measure;
    fo.measure_user = v->measure_user;
    const hv_player *pl = &v->player;
    float os = hv_view_overlay_scale(v, w, h);
    hv_overlay_style st = {hv_theme_get((hv_theme_id)v->theme), os, v->measure, v->measure_user};
    /* outside --present the window keeps a band at the bottom for the
     * status line, notices and the recording mark: they never cover the
     * figure, and the figure does not move when one appears (a page keeps
     * it only for the status line, which it shows on I) */
    if (overlays && !pl->present && (f->band || pl->hud))
        fo.reserve_bottom = hv_overlay_line_height(&st);

    /* hover: the marker under the mouse, and the same head in other panels */
    v->hover_point = -1;
    v->n_tip = 0;
    if (overlays && v->mouse_in && !hv_player_pointer_hidden(pl)) {
        /* hit-test against the previous layout (same size unless resized) */
        int panel = -1;
        int i = hv_figure_hit(&v->layout, v->panels, v->n_panels, v->mouse_x, v->mouse_y, &panel);
        if (i >= 0) {
            v->hover_panel = panel;
            v->hover_point = i;
            hv_scene_point *hp = (hv_scene_point *)&v->panels[panel].points[i];
            hp->flags |= HV_POINT_HOVER;
            const hv_point *p = &v->ds.points[source_point(hp)];
            for (int q = 0; q < v->n_panels; q++) {
                if (q == panel)
                    continue;
                for (int j = 0; j < v->panels[q].n_points; j++) {
                    hv_scene_point *sp = (hv_scene_point *)&v->panels[q].points[j];
                    const hv_point *r = &v->ds.points[source_point(sp)];
                    if (r->model == p->model && r->layer == p->layer && r->head == p->head)
                        sp->flags |= HV_POINT_HIGHLIGHT;
                }
            }
        }
    }
    hv_figure_build(&v->fig, &fo, v->panels, v->n_panels, &v->dl, &v->layout);
    if (!overlays)
        return;
    if (pl->blank != HV_BLANK_NONE) { /* B / W: the whole screen one colour */
        hv_color c = pl->blank == HV_BLANK_BLACK ? (hv_color){0, 0, 0, 1} : (hv_color){1, 1, 1, 1};
        hv_drawlist_reset(&v->dl, w, h, c);
        return;
    }
    /* --present: the audience's screen shows the figure and nothing for the
     * presenter (notices, the number typed, the recording mark and the
     * status go to the terminal); what the presenter points at (a tooltip)
     * and the help, asked for, are drawn */
    if (!pl->present)
        draw_band(v, &st, f->mark, w, h);
    int cell_panel, cell_layer, cell_head;
    if (v->hover_point >= 0) {
        hover_lines(v, &v->panels[v->hover_panel].points[v->hover_point]);
    } else if (v->mouse_in && !hv_player_pointer_hidden(pl) &&
               hv_figure_hit_cell(&v->layout, v->panels, v->n_panels, v->mouse_x, v->mouse_y, &cell_panel,
                                  &cell_layer, &cell_head)) { /* a heatmap's cell: its panel's model */
        int per_model = v->aopt.layout == HV_LAYOUT_DIFF ? v->ds.n_conditions - 1 : v->ds.n_conditions;
        head_lines(v, cell_panel / (per_model > 0 ? per_model : 1), cell_layer, cell_head);
    }
    if (v->n_tip) {
        const char *lp[HV_VIEW_TIP_LINES];
        for (int i = 0; i < v->n_tip; i++)
            lp[i] = v->tip[i];
        hv_overlay_box(&v->dl, &st, lp, v->n_tip, v->mouse_x, v->mouse_y, HV_BOX_NEAR_CURSOR, true);
    }
    if (pl->help && v->help)
        hv_overlay_box(&v->dl, &st, v->help, v->n_help, 0, 0, HV_BOX_CENTER, true);
}
