#version 330 core
uniform sampler2D u_cmap;    // 256 x N colormaps, one per row
uniform float u_cmap_row;    // (row + 0.5) / N
uniform sampler2D u_values;  // one texel per cell: colormap position, < 0 = no score
uniform vec4 u_nan;          // straight RGBA of cells without a score
uniform float u_alpha;
in vec2 v_uv;
out vec4 o_color;
void main()
{
    ivec2 size = textureSize(u_values, 0);
    // the cell under this pixel's centre: nearest neighbour, never a blend
    ivec2 cell = clamp(ivec2(floor(v_uv * vec2(size))), ivec2(0), size - 1);
    float v = texelFetch(u_values, cell, 0).r;
    vec4 c = v >= 0.0
        ? vec4(texture(u_cmap, vec2((clamp(v, 0.0, 1.0) * 255.0 + 0.5) / 256.0, u_cmap_row)).rgb, 1.0)
        : u_nan;
    c.a *= u_alpha;
    o_color = vec4(c.rgb * c.a, c.a);
}
