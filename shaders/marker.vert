#version 330 core
// Markers: one instanced quad each, shaded as a signed-distance shape in the
// fragment shader, so they are crisp and antialiased at any size.
//
// Everything that is the same for the whole marker is worked out here, once
// per vertex instead of once per pixel: its premultiplied colours, and its
// shape as one recipe the fragment shader follows without branching
// on the shape: turn the point (0 or 45 degrees), fold it into the shape's
// symmetric wedge (none; |x|,|y| sorted; |x|; the star's five mirrors), take
// the distance to at most two segments, decide inside/outside by which side
// of them it lies on, subtract an offset (a radius, half a stroke).
// The quad is only as large as the shape plus its rim and the 1 px
// antialiasing ramp: every pixel outside it would have coverage 0.
layout(location = 0) in vec2 a_corner;   // unit quad corner, 0..1
layout(location = 1) in vec4 a_geom;     // centre x, y, size (diameter px), shape
layout(location = 2) in vec4 a_fill;     // straight RGBA (the colormap's colour, looked up by the CPU)
layout(location = 3) in vec4 a_outline;  // straight RGBA
layout(location = 4) in vec4 a_params;   // alpha, outline width, stroke width, unused
uniform vec2 u_view;
uniform float u_flip;  // 1: window (y up); -1: offscreen, rows stored top first
uniform float u_y0;    // first row of the band being drawn (tiled offscreen rendering)
out vec2 v_local;                         // px from the centre, y down
flat out vec4 v_fill;                     // premultiplied fill
flat out vec4 v_outline;                  // premultiplied rim
flat out vec4 v_ab;                       // segment A-B in the folded frame
flat out vec4 v_cd;                       // segment C-D (= A-B when one is enough)
flat out vec4 v_side;                     // filled (0/1), side of A-B, side of C-D, offset
flat out vec3 v_mode;                     // fold (0..3), turn 45 degrees (0/1), rim width

void main()
{
    float r = a_geom.z * 0.5;
    int shape = int(a_geom.w + 0.5);
    float ow = a_params.y, half_stroke = a_params.z * 0.5;
    float fold = 0.0, turn = 0.0, filled = 0.0, s1 = 1.0, s2 = 1.0, off = 0.0, ext;
    vec2 A = vec2(0.0), B = vec2(0.0), C, D;
    if (shape == 0) { // circle: the distance to the centre, less the radius
        off = r;
        ext = r;
    } else if (shape == 1 || shape == 5) { // x, plus: one arm of the folded cross
        float arm = shape == 1 ? r * 0.78 * 1.41421356 : r * 0.95;
        turn = shape == 1 ? 1.0 : 0.0;
        fold = 1.0;
        B = vec2(arm, 0.0);
        off = half_stroke;
        ext = (shape == 1 ? r * 0.78 : arm) + half_stroke;
    } else if (shape == 2) { // square, equal area to the circle: one folded side
        float h = r * 0.886;
        fold = 1.0;
        A = vec2(h, 0.0);
        B = vec2(h, h);
        filled = 1.0;
        ext = h;
    } else if (shape == 3) { // triangle, apex up: the right half's slanted side and half base
        float R = r * 1.1;
        fold = 2.0;
        A = vec2(0.0, -R);
        B = vec2(0.866 * R, 0.5 * R);
        C = vec2(0.0, 0.5 * R);
        D = B;
        filled = 1.0;
        s1 = 1.0;
        s2 = -1.0;
        ext = R;
    } else if (shape == 4) { // diamond: |x| + |y| = 1.15 r, its distance scaled by 1/sqrt 2
        float h = r * 1.15 * 0.70710678;
        float far = 4.0 * (r + ow + 1.0);
        turn = 1.0;
        fold = 1.0;
        A = vec2(h, -far); // a long side: the distance to its line
        B = vec2(h, far);
        filled = 1.0;
        ext = r * 1.15;
    } else { // star: five points, the first up; one edge of one half-spike (y up)
        float R = r * 1.2, ri = R * 0.45;
        fold = 3.0;
        A = vec2(0.0, R);
        B = vec2(0.58778525, 0.80901699) * ri; // sin, cos of 36 degrees
        filled = 1.0;
        s1 = -1.0;
        ext = R;
    }
    if (shape != 3) {
        C = A;
        D = B;
        s2 = s1;
    }
    ext += ow + 0.5 + 0.01; // the rim and the antialiasing ramp
    vec2 local = (a_corner * 2.0 - 1.0) * ext;
    vec2 p = a_geom.xy + local;
    gl_Position = vec4(p.x / u_view.x * 2.0 - 1.0, (1.0 - (p.y - u_y0) / u_view.y * 2.0) * u_flip, 0.0, 1.0);
    v_local = local;
    float alpha = a_params.x;
    v_fill = vec4(a_fill.rgb * a_fill.a, a_fill.a) * alpha;
    v_outline = vec4(a_outline.rgb * a_outline.a, a_outline.a) * alpha;
    v_ab = vec4(A, B);
    v_cd = vec4(C, D);
    v_side = vec4(filled, s1, s2, off);
    v_mode = vec3(fold, turn, ow);
}
