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
    ivec2 cell = clamp((2 * p + 1) * size / (2 * n), ivec2(0), size - 1);
    vec4 c = texelFetch(u_values, cell, 0);
    c.a *= u_alpha;
    o_color = vec4(c.rgb * c.a, c.a);
}
