#version 330 core
// Text: a quad per string, textured with the string's coverage (SDL2_ttf).
layout(location = 0) in vec2 a_pos;  // px
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color; // straight RGBA
uniform vec2 u_view;
uniform float u_flip;  // 1: window (y up); -1: offscreen, rows stored top first
uniform float u_y0;    // first row of the band being drawn (tiled offscreen rendering)
out vec2 v_uv;
out vec4 v_color;
void main()
{
    gl_Position = vec4(a_pos.x / u_view.x * 2.0 - 1.0, (1.0 - (a_pos.y - u_y0) / u_view.y * 2.0) * u_flip, 0.0, 1.0);
    v_uv = a_uv;
    v_color = a_color;
}
