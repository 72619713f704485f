#version 330 core
// Heatmaps: one quad per grid, its cells looked up in the fragment shader.
layout(location = 0) in vec2 a_corner;   // unit quad corner, 0..1
uniform vec2 u_view;
uniform float u_flip;  // 1: window (y up); -1: offscreen, rows stored top first
uniform float u_y0;    // first row of the band being drawn (tiled offscreen rendering)
uniform vec4 u_rect;   // x, y, w, h in px
out vec2 v_uv;         // 0..1 over the grid, y down
void main()
{
    vec2 p = u_rect.xy + a_corner * u_rect.zw;
    gl_Position = vec4(p.x / u_view.x * 2.0 - 1.0, (1.0 - (p.y - u_y0) / u_view.y * 2.0) * u_flip, 0.0, 1.0);
    v_uv = a_corner;
}
