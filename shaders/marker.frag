#version 330 core
uniform sampler2D u_cmap;
uniform float u_cmap_row;
in vec2 v_local;
flat in vec4 v_fill;
flat in vec4 v_outline;
flat in vec4 v_params;
flat in vec2 v_shape;
out vec4 o_color;

const float PI = 3.14159265358979;

// distance from p to the segment a-b
float seg(vec2 p, vec2 a, vec2 b)
{
    vec2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}

float box(vec2 p, vec2 half_size)
{
    vec2 d = abs(p) - half_size;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}

// Signed distance in px to a convex polygon given by its n vertices (ccw or cw).
float triangle_up(vec2 p, float r)
{
    // equilateral triangle, centroid at the origin, apex up (y down on screen)
    vec2 a = vec2(0.0, -r), b = vec2(-0.866 * r, 0.5 * r), c = vec2(0.866 * r, 0.5 * r);
    float d = min(min(seg(p, a, b), seg(p, b, c)), seg(p, c, a));
    // inside test via edge functions
    float e0 = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    float e1 = (c.x - b.x) * (p.y - b.y) - (c.y - b.y) * (p.x - b.x);
    float e2 = (a.x - c.x) * (p.y - c.y) - (a.y - c.y) * (p.x - c.x);
    bool inside = (e0 <= 0.0 && e1 <= 0.0 && e2 <= 0.0) || (e0 >= 0.0 && e1 >= 0.0 && e2 >= 0.0);
    return inside ? -d : d;
}

float star5(vec2 p, float r)
{
    float ri = r * 0.45;
    float sector = 2.0 * PI / 5.0;
    float ang = atan(p.x, -p.y);                 // 0 at the top point
    ang = mod(ang + sector * 0.5, sector) - sector * 0.5;
    float len = length(p);
    vec2 q = vec2(abs(sin(ang)), cos(ang)) * len; // folded into one half-spike
    vec2 o = vec2(0.0, r);
    vec2 i = vec2(sin(sector * 0.5), cos(sector * 0.5)) * ri;
    float d = seg(q, o, i);
    // inside if q is on the centre's side of the edge o-i
    float side = (i.x - o.x) * (q.y - o.y) - (i.y - o.y) * (q.x - o.x);
    return side < 0.0 ? -d : d;
}

float shape_sdf(int shape, vec2 p, float r, float stroke)
{
    if (shape == 0) // circle
        return length(p) - r;
    if (shape == 1) { // x: two diagonal strokes
        float a = r * 0.78;
        float d = min(seg(p, vec2(-a, -a), vec2(a, a)), seg(p, vec2(-a, a), vec2(a, -a)));
        return d - stroke * 0.5;
    }
    if (shape == 2) // square, equal area to the circle
        return box(p, vec2(r * 0.886));
    if (shape == 3)
        return triangle_up(p, r * 1.1);
    if (shape == 4) // diamond
        return (abs(p.x) + abs(p.y) - r * 1.15) * 0.70710678;
    if (shape == 5) { // plus
        float a = r * 0.95;
        float d = min(seg(p, vec2(-a, 0.0), vec2(a, 0.0)), seg(p, vec2(0.0, -a), vec2(0.0, a)));
        return d - stroke * 0.5;
    }
    return star5(p, r * 1.2);
}

void main()
{
    int shape = int(v_shape.x + 0.5);
    float r = v_shape.y;
    float value = v_params.x, alpha = v_params.y, ow = v_params.z, stroke = v_params.w;
    float d = shape_sdf(shape, v_local, r, stroke);
    // coverage of the fill and of fill+outline, 1 px antialiasing ramp
    float a_fill = clamp(0.5 - d, 0.0, 1.0);
    float a_all = clamp(0.5 - (d - ow), 0.0, 1.0);
    if (a_all <= 0.0)
        discard;
    vec3 fill = value >= 0.0
        ? texture(u_cmap, vec2((clamp(value, 0.0, 1.0) * 255.0 + 0.5) / 256.0, u_cmap_row)).rgb
        : v_fill.rgb;
    float fa = value >= 0.0 ? 1.0 : v_fill.a;
    // premultiplied: the fill, and the outline band around it (a transparent
    // fill leaves a ring)
    vec4 f = vec4(fill * fa, fa) * a_fill;
    vec4 outline = vec4(v_outline.rgb * v_outline.a, v_outline.a) * (a_all - a_fill);
    vec4 c = f + outline;
    o_color = c * alpha;
}
