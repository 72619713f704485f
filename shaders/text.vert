#version 330 core
// Text: a quad per string, textured with the string's coverage (SDL2_ttf).
layout(location = 0) in vec2 a_pos;  // px
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color; // straight RGBA
uniform vec2 u_view;
out vec2 v_uv;
out vec4 v_color;
void main()
{
    gl_Position = vec4(a_pos.x / u_view.x * 2.0 - 1.0, 1.0 - a_pos.y / u_view.y * 2.0, 0.0, 1.0);
    v_uv = a_uv;
    v_color = a_color;
}
