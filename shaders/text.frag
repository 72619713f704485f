#version 330 core
uniform sampler2D u_tex;  // coverage in the red channel
uniform vec4 u_color;     // straight RGBA
in vec2 v_uv;
out vec4 o_color;
void main()
{
    float cov = texture(u_tex, v_uv).r * u_color.a;
    o_color = vec4(u_color.rgb * cov, cov);
}
