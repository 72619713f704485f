#version 330 core
uniform sampler2D u_tex;  // coverage in the red channel
in vec2 v_uv;
in vec4 v_color;          // straight RGBA
out vec4 o_color;
void main()
{
    float cov = texture(u_tex, v_uv).r * v_color.a;
    o_color = vec4(v_color.rgb * cov, cov);
}
