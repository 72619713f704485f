// Several figures on one page (headviz --html-fragment) in Debian's
// headless chromium (cdp.js): two fragments of different figures (the side
// layout, light; the heatmap, dark) pasted into one page with text around
// them, and the first pasted once more (a fragment has no id). Checks: all
// draw (each state, and the pixels of each canvas: light and dark, not
// blank, the same figure alike), a key goes to the figure with the focus
// only, without focus to the figure under the mouse only, and to none when
// the mouse is over neither; no exception or error in the console.
//
// usage: node fragment_test.js HEADVIZ WORKDIR
// Prints "N passed, N failed" last; exits 1 when a check failed.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { open, sleep, tally } = require('./cdp.js');

const [, , HEADVIZ, WORK] = process.argv;
if (!HEADVIZ || !WORK) {
  console.error('usage: node fragment_test.js HEADVIZ WORKDIR');
  process.exit(2);
}
const W = 960, H = 1100, FW = 480, FH = 270; // the page; each figure (16:9 by default)

const { check, finish, crash } = tally();

// ---- the page: two fragments pasted into one -------------------------------------
fs.mkdirSync(WORK, { recursive: true });
const run = args => execFileSync(HEADVIZ, args).toString();
const fa = path.join(WORK, 'a.html'), fb = path.join(WORK, 'b.html'), page = path.join(WORK, 'two.html');
const said = run(['--html-fragment', fa, '--force']);
check(/an HTML fragment/.test(said), '--html-fragment says what it wrote', said.trim());
run(['--html-fragment', fb, '--force', '--layout', 'heatmap', '--theme', 'dark']);
const A = fs.readFileSync(fa, 'utf8'), B = fs.readFileSync(fb, 'utf8');
check(!/<html|<head|<body|<!doctype/i.test(A) && /^<div class="headviz-figure"/.test(A) && !/<(div|canvas|script)[^>]* id=/.test(A),
  'a fragment has no <html>, <head> or <body>, and no id (it may stand twice on a page)');
fs.writeFileSync(page, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>two figures</title>
<style>body{margin:0;font:16px sans-serif}.slot{width:${FW}px;margin:8px}p{margin:8px;height:40px}</style>
</head><body>
<p id="intro">Two figures, each a fragment written by headviz --html-fragment.</p>
<div class="slot">${A}</div>
<p>Between the figures.</p>
<div class="slot">${B}</div>
<p>The first figure again.</p>
<div class="slot">${A}</div>
</body></html>
`);

// ---- the browser ----------------------------------------------------------------
const profile = fs.mkdtempSync(path.join(WORK, 'profile-'));
let b = null;
(async () => {
  b = await open({ width: W, height: H, profileDir: profile, what: 'the fragment test' });
  await b.metrics(W, H, 1);
  const states = () => b.evalJs("Array.from(document.querySelectorAll('.headviz-figure')).map(" +
    'f => f.headviz && f.headviz.ready ? f.headviz.state() : null)');
  const settle = async () => {
    for (let i = 0; i < 100; i++) {
      const s = await states();
      if (s.every(x => x && !x.animating)) return s;
      await sleep(100);
    }
    return states();
  };
  const steps = s => s.map(x => x ? x.step : '-').join(' ');

  await b.navigate('file://' + path.resolve(page));
  let st = [];
  for (let i = 0; i < 100 && !(st.length === 3 && st.every(x => x && x.frames > 0)); i++) { await sleep(50); st = await states(); }
  check(st.length === 3 && st.every(x => x && x.frames > 0), 'the three figures draw a first frame',
    st.map(x => x ? `${x.frames} frames` : 'not ready').join(', '));
  check(st.every(x => x && x.error === ''), 'no error in any figure', st.map(x => x && x.error).join(' | '));
  check(st.every(x => x && x.width === FW && x.height === FH), `each canvas is its box, ${FW}x${FH}`,
    st.map(x => x && `${x.width}x${x.height}`).join(', '));
  check(st[0] && st[1] && st[2] && st[0].layout === 'side' && st[1].layout === 'heatmap' && st[0].theme === 'light' &&
    st[1].theme === 'dark' && st[2].layout === 'side', 'each runs its own figure', st.map(x => x && `${x.layout} ${x.theme}`).join(', '));

  // the pixels of each canvas: the light figure mostly light, the dark one
  // mostly dark, and each more than one colour (markers, text, cells)
  const rects = await b.evalJs("Array.from(document.querySelectorAll('.headviz-figure canvas')).map(c => " +
    '{ const r = c.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; })');
  const shot = await b.shot(path.join(WORK, 'two.png'));
  const region = ([x0, y0, w, h]) => {
    let light = 0, inked = 0, n = 0;
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const i = (y * shot.w + x) * 4, r = shot.px[i], g = shot.px[i + 1], bl = shot.px[i + 2];
        const lum = (r + g + bl) / 3;
        if (lum > 128) light++;
        if (Math.max(Math.abs(r - g), Math.abs(g - bl), Math.abs(r - bl)) > 40 || lum < 200 && lum > 60) inked++;
        n++;
      }
    }
    return { light: light / n, inked: inked / n };
  };
  const ra = region(rects[0]), rb = region(rects[1]);
  check(ra.light > 0.8 && ra.inked > 0.01, 'the first figure is drawn (light, with marks)',
    `${(100 * ra.light).toFixed(1)}% light, ${(100 * ra.inked).toFixed(1)}% marks`);
  check(rb.light < 0.5 && rb.inked > 0.02, 'the second figure is drawn (dark, with cells)',
    `${(100 * rb.light).toFixed(1)}% light, ${(100 * rb.inked).toFixed(1)}% marks`);
  const rc = region(rects[2]);
  check(Math.abs(rc.light - ra.light) < 0.01 && Math.abs(rc.inked - ra.inked) < 0.01, 'the first figure pasted again is drawn the same',
    `${(100 * rc.light).toFixed(1)}% light, ${(100 * rc.inked).toFixed(1)}% marks`);

  // keys: the focused figure's only
  const inside = (r, fx, fy) => [r[0] + Math.round(r[2] * fx), r[1] + Math.round(r[3] * fy)];
  const click = async ([x, y]) => { await b.mouse(x, y); await b.mouse(x, y, 'mousePressed'); await b.mouse(x, y, 'mouseReleased'); };
  await click(inside(rects[0], 0.02, 0.03)); // a corner: no legend entry there
  check(await b.evalJs("document.activeElement === document.querySelectorAll('.headviz-figure canvas')[0]"),
    'a click gives the first figure the focus');
  await b.key('End');
  st = await settle();
  check(steps(st) === '1 0 0', 'End goes to the focused figure only', steps(st));
  await click(inside(rects[1], 0.02, 0.03));
  await b.key('End');
  st = await settle();
  check(steps(st) === '1 1 0', 'then to the second figure, focused by a click', steps(st));
  await b.mouse(...inside(rects[0], 0.5, 0.5)); // the mouse over the first, the focus on the second
  await b.key('Home');
  st = await settle();
  check(steps(st) === '1 0 0', 'the focus wins over the mouse', steps(st));
  await b.evalJs('document.activeElement.blur(); 0');
  await b.key('Home');
  st = await settle();
  check(steps(st) === '0 0 0', 'without focus, the figure under the mouse', steps(st));
  const p = await b.evalJs("(r => [Math.round(r.left + 4), Math.round(r.top + 4)])(document.getElementById('intro').getBoundingClientRect())");
  await b.mouse(p[0], p[1]);
  await b.key('End');
  await b.key('t');
  st = await settle();
  check(steps(st) === '0 0 0' && st[0].theme === 'light' && st[1].theme === 'dark' && st[2].theme === 'light',
    'over neither figure and without focus, a key is no figure\'s', `${steps(st)}, ${st.map(x => x.theme).join(' ')}`);

  await finish(b);
})().catch(e => crash(e, b));
