#version 330 core
uniform sampler2D u_values;  // one texel per cell: its straight RGBA colour
uniform float u_alpha;
in vec2 v_uv;
out vec4 o_color;
void main()
{
    ivec2 size = textureSize(u_values, 0);
    // the cell under this pixel's centre: nearest neighbour, never a blend
    ivec2 cell = clamp(ivec2(floor(v_uv * vec2(size))), ivec2(0), size - 1);
    vec4 c = texelFetch(u_values, cell, 0);
    c.a *= u_alpha;
    o_color = vec4(c.rgb * c.a, c.a);
}
