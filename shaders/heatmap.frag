#version 330 core
uniform sampler2D u_values;  // one texel per cell: its straight RGBA colour
uniform float u_alpha;
uniform vec4 u_rect;         // x, y, w, h in px: whole pixels (hv_dl_heatmap)
in vec2 v_uv;
out vec4 o_color;
void main()
{
    ivec2 size = textureSize(u_values, 0);
    // the cell under this pixel's centre: nearest neighbour, never a blend,
    // in integers as hv_heatmap_cell (drawlist.h) and the CPU raster do it:
    // pixel p of n shows cell (2p + 1) * cells / (2n). v_uv * n is p + 0.5
    // give or take interpolation's error, far from an integer: floor is p.
    ivec2 n = max(ivec2(round(u_rect.zw)), ivec2(1));
    ivec2 p = clamp(ivec2(floor(v_uv * vec2(n))), ivec2(0), n - 1);
    // cells smaller than a pixel: the mean of the cells the pixel covers
    // (hv_heatmap_samples / hv_heatmap_sample in drawlist.h), at most 8 a side
    ivec2 a = p * size / n, b = (p + 1) * size / n;
    ivec2 k = ivec2(size.x > n.x ? clamp(b.x - a.x, 1, 8) : 1, size.y > n.y ? clamp(b.y - a.y, 1, 8) : 1);
    vec4 sum = vec4(0.0);
    for (int j = 0; j < k.y; j++) {
        for (int i = 0; i < k.x; i++) {
            ivec2 q = ivec2(i, j);
            ivec2 near = (2 * p + 1) * size / (2 * n);
            ivec2 spread = a + ((2 * q + 1) * (b - a)) / (2 * k);
            ivec2 cell = ivec2(size.x > n.x ? spread.x : near.x, size.y > n.y ? spread.y : near.y);
            sum += texelFetch(u_values, clamp(cell, ivec2(0), size - 1), 0);
        }
    }
    vec4 c = sum / float(k.x * k.y);
    c.a *= u_alpha;
    o_color = vec4(c.rgb * c.a, c.a);
}
