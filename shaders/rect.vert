#version 330 core
// Axis-aligned rectangles (instanced unit quad): solid fills, and colorbars
// whose colour runs through the colormap from t0 (bottom) to t1 (top).
layout(location = 0) in vec2 a_corner;   // unit quad corner, 0..1
layout(location = 1) in vec4 a_rect;     // x, y, w, h in px
layout(location = 2) in vec4 a_color;    // straight RGBA
layout(location = 3) in vec3 a_cbar;     // t0, t1, is_colorbar
uniform vec2 u_view;
uniform float u_flip;  // 1: window (y up); -1: offscreen, rows stored top first
uniform float u_y0;    // first row of the band being drawn (tiled offscreen rendering)
out vec4 v_color;
out float v_t;
flat out float v_is_cbar;
void main()
{
    vec2 p = a_rect.xy + a_corner * a_rect.zw;
    gl_Position = vec4(p.x / u_view.x * 2.0 - 1.0, (1.0 - (p.y - u_y0) / u_view.y * 2.0) * u_flip, 0.0, 1.0);
    v_color = a_color;
    v_t = mix(a_cbar.y, a_cbar.x, a_corner.y); // corner.y = 0 is the top
    v_is_cbar = a_cbar.z;
}
