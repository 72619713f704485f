#version 330 core
// A marker's pixel: the signed distance to its shape (the recipe comes from
// marker.vert, the same steps for every shape: no per-shape branches, no
// trigonometry), then fill and rim coverage with a 1 px antialiasing ramp.
in vec2 v_local;
flat in vec4 v_fill;
flat in vec4 v_outline;
flat in vec4 v_ab;
flat in vec4 v_cd;
flat in vec4 v_side;
flat in vec3 v_mode;
out vec4 o_color;

// distance from p to the segment a-b (a point when a == b)
float seg(vec2 p, vec2 a, vec2 b)
{
    vec2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / max(dot(ba, ba), 1e-20), 0.0, 1.0);
    return length(pa - ba * h);
}

// which side of the line a-b p lies on (> 0: to the left, y down)
float side(vec2 p, vec2 a, vec2 b) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); }

// mirror p across the line through the origin with unit normal n, if on n's side
vec2 mirror(vec2 p, vec2 n) { return p - 2.0 * max(dot(n, p), 0.0) * n; }

void main()
{
    vec2 q = v_local;
    q = mix(q, vec2(q.x + q.y, q.y - q.x) * 0.70710678, v_mode.y); // x and diamond: turned 45 degrees
    vec2 a = abs(q);
    vec2 octant = vec2(max(a.x, a.y), min(a.x, a.y));   // fold 1: square, diamond, x, plus
    vec2 half_plane = vec2(a.x, q.y);                   // fold 2: triangle
    // fold 3: the star, y up, into the wedge 0..36 degrees from its top
    // point by the mirrors at 108, 72 and 36 degrees
    vec2 star = vec2(a.x, -q.y);
    star = mirror(star, vec2(-0.30901699, -0.95105652));
    star = mirror(star, vec2(0.30901699, -0.95105652));
    star = mirror(star, vec2(0.80901699, -0.58778525));
    float fold = v_mode.x;
    q = fold < 0.5 ? q : fold < 1.5 ? octant : fold < 2.5 ? half_plane : star;
    float d = min(seg(q, v_ab.xy, v_ab.zw), seg(q, v_cd.xy, v_cd.zw));
    bool inside = v_side.x > 0.5 && side(q, v_ab.xy, v_ab.zw) * v_side.y >= 0.0 &&
                  side(q, v_cd.xy, v_cd.zw) * v_side.z >= 0.0;
    d = (inside ? -d : d) - v_side.w;
    // coverage of the fill and of fill+outline
    float ow = v_mode.z;
    float a_fill = clamp(0.5 - d, 0.0, 1.0);
    float a_all = clamp(0.5 - (d - ow), 0.0, 1.0);
    if (a_all <= 0.0)
        discard;
    // premultiplied: the fill, and the outline band around it (a transparent
    // fill leaves a ring)
    o_color = v_fill * a_fill + v_outline * (a_all - a_fill);
}
