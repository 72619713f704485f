#version 330 core
uniform sampler2D u_cmap;   // 256 x N colormaps, one per row
uniform float u_cmap_row;   // (row + 0.5) / N
in vec4 v_color;
in float v_t;
flat in float v_is_cbar;
out vec4 o_color;
void main()
{
    vec4 c = v_color;
    if (v_is_cbar > 0.5) {
        float t = clamp(v_t, 0.0, 1.0);
        c = vec4(texture(u_cmap, vec2((t * 255.0 + 0.5) / 256.0, u_cmap_row)).rgb, v_color.a);
    }
    o_color = vec4(c.rgb * c.a, c.a);
}
