#version 330 core
// Markers: one instanced quad each, shaded as a signed-distance shape in the
// fragment shader, so they are crisp and antialiased at any size.
layout(location = 0) in vec2 a_corner;   // unit quad corner, 0..1
layout(location = 1) in vec4 a_geom;     // centre x, y, size (diameter px), shape
layout(location = 2) in vec4 a_fill;     // straight RGBA, used when value < 0
layout(location = 3) in vec4 a_outline;  // straight RGBA
layout(location = 4) in vec4 a_params;   // value, alpha, outline width, stroke width
uniform vec2 u_view;
uniform float u_flip;  // 1: window (y up); -1: offscreen, rows stored top first
uniform float u_y0;    // first row of the band being drawn (tiled offscreen rendering)
out vec2 v_local;                         // px from the centre, y down
flat out vec4 v_fill;
flat out vec4 v_outline;
flat out vec4 v_params;
flat out vec2 v_shape;                    // shape, radius
void main()
{
    float r = a_geom.z * 0.5;
    float ext = r + a_params.z + a_params.w + 2.0;
    vec2 local = (a_corner * 2.0 - 1.0) * ext;
    vec2 p = a_geom.xy + local;
    gl_Position = vec4(p.x / u_view.x * 2.0 - 1.0, (1.0 - (p.y - u_y0) / u_view.y * 2.0) * u_flip, 0.0, 1.0);
    v_local = local;
    v_fill = a_fill;
    v_outline = a_outline;
    v_params = a_params;
    v_shape = vec2(a_geom.w, r);
}
