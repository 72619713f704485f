// The web page (headviz --html) in a real browser: Debian's chromium,
// headless, driven over the DevTools protocol (cdp.js). No npm modules.
//
// usage: node browser_test.js HEADVIZ LAYOUT_PROBE WORKDIR
// Writes the page and native stills into WORKDIR, then checks, from file://:
//   the first step (state and pixels against the native still at progress 0),
//   End's complete figure against the native still (pixels differing by more
//   than 24 levels: at most MAX_DIFF of them), a tooltip after hovering the
//   marker whose position the native layout reports, no scroll on PageDown /
//   Space / arrows, resize and devicePixelRatio, no exception in the console.
// Prints "N passed, N failed" last; exits 1 when a check failed.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { open, readPng, sleep, tally } = require('./cdp.js');

const [, , HEADVIZ, PROBE, WORK] = process.argv;
if (!HEADVIZ || !PROBE || !WORK) {
  console.error('usage: node browser_test.js HEADVIZ LAYOUT_PROBE WORKDIR');
  process.exit(2);
}
const W = 960, H = 540;
const LEVELS = 24, MAX_DIFF = 0.03; // the measure: a few percent at most

const { check, finish, crash } = tally();

// fraction of pixels whose largest channel difference exceeds LEVELS
function diffFraction(a, b) {
  if (a.w !== b.w || a.h !== b.h) return 1;
  let n = 0;
  for (let i = 0; i < a.w * a.h; i++) {
    let d = 0;
    for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs(a.px[i * 4 + k] - b.px[i * 4 + k]));
    if (d > LEVELS) n++;
  }
  return n / (a.w * a.h);
}
// fraction of pixels that are not the background (white)
function inked(a) {
  let n = 0;
  for (let i = 0; i < a.w * a.h; i++) if (a.px[i * 4] < 200 || a.px[i * 4 + 1] < 200 || a.px[i * 4 + 2] < 200) n++;
  return n / (a.w * a.h);
}

// ---- the files ----------------------------------------------------------------
fs.mkdirSync(WORK, { recursive: true });
const page = path.join(WORK, 'fig.html');
const run = (cmd, args) => execFileSync(cmd, args, { env: { ...process.env, SDL_VIDEODRIVER: 'offscreen' } }).toString();
run(HEADVIZ, ['--html', page, '--force']);
run(HEADVIZ, ['--screenshot', path.join(WORK, 'native_first.png'), '--size', `${W}x${H}`, '--progress', '0', '--force', '--renderer', 'gl']);
run(HEADVIZ, ['--screenshot', path.join(WORK, 'native_end.png'), '--size', `${W}x${H}`, '--force', '--renderer', 'gl']);
const probe = run(PROBE, ['--size', `${W}x${H}`, '--progress', '1']).trim().split('\t');
const [mx, my] = probe[0].split(' ').map(Number);
const pageKB = Math.round(fs.statSync(page).size / 1024);
console.log(`page ${page}: ${pageKB} KB; native marker at ${mx}, ${my}: ${probe[1]}, ${probe[2]}`);

// ---- the browser ----------------------------------------------------------------
const profile = fs.mkdtempSync(path.join(WORK, 'profile-'));

let b = null;
(async () => {
  b = await open({ width: W, height: H, profileDir: profile });
  await b.metrics(W, H, 1);
  const { evalJs, key } = b;
  const state = () => evalJs('window.headviz && window.headviz.ready ? window.headviz.state() : null');
  const shot = name => b.shot(path.join(WORK, name));
  const settle = async () => { // until the player rests (a transition is 1.5 s)
    for (let i = 0; i < 100; i++) { const st = await state(); if (st && !st.animating) return st; await sleep(100); }
    return state();
  };

  const t0 = Date.now();
  await b.navigate('file://' + path.resolve(page));
  let st = null;
  for (let i = 0; i < 100 && !(st && st.frames > 0); i++) { await sleep(50); st = await state(); }
  const loadMs = Date.now() - t0;
  check(st && st.frames > 0, 'the page draws a first frame', st ? `main() at ${st.main_ms} ms of the page's clock, its first frame ${st.first_frame_ms} ms later; ${loadMs} ms from navigating to seeing it` : 'no frame');
  check(st && st.error === '', 'no error on the page', st && st.error);
  check(st && st.width === W && st.height === H && st.dpr === 1, 'the canvas fills the page', st && `${st.width}x${st.height} at ${st.dpr}`);
  check(st && st.step === 0 && st.steps === 2, 'the page starts on the first step', st && `step ${st.step} of ${st.steps}`);
  const nativeFirst = readPng(fs.readFileSync(path.join(WORK, 'native_first.png')));
  const first = await shot('page_first.png');
  const dFirst = diffFraction(first, nativeFirst);
  check(dFirst <= MAX_DIFF && inked(first) > 0.02, 'the first step looks like the native still at progress 0',
    `${(100 * dFirst).toFixed(2)}% of pixels differ by more than ${LEVELS} levels (at most ${100 * MAX_DIFF}%)`);

  await key('End');
  st = await settle();
  await sleep(200); // the frame of the step drawn
  check(st && st.step === 1, 'End goes to the last step', st && `step ${st.step}`);
  const nativeEnd = readPng(fs.readFileSync(path.join(WORK, 'native_end.png')));
  const end = await shot('page_end.png');
  const dEnd = diffFraction(end, nativeEnd);
  check(dEnd <= MAX_DIFF, "End's complete figure looks like the native still",
    `${(100 * dEnd).toFixed(2)}% of pixels differ by more than ${LEVELS} levels (at most ${100 * MAX_DIFF}%)`);
  check(diffFraction(end, first) > 0.001, 'the last step differs from the first (its markers)');

  await b.mouse(mx, my);
  await sleep(300);
  st = await state();
  const tip = st ? st.tooltip : '';
  check(tip.includes(probe[1]) && tip.includes(probe[2]), 'hovering the marker the native layout places shows its tooltip',
    JSON.stringify(tip));
  await shot('page_hover.png');
  await b.mouse(5, 5);
  await sleep(200);
  st = await state();
  check(st && st.tooltip === '', 'no tooltip away from the markers', st && JSON.stringify(st.tooltip));

  await key('Home');
  st = await settle();
  await key('ArrowRight');
  await sleep(300);
  st = await state();
  check(st && st.animating, 'Right animates towards the next step');
  st = await settle();
  check(st && st.step === 1, 'Right arrives on the next step', st && `step ${st.step}`);
  await key('ArrowLeft');
  st = await settle();
  check(st && st.step === 0, 'Left goes back', st && `step ${st.step}`);
  await key('2');
  await key('Enter');
  st = await settle();
  check(st && st.step === 1, '2 then Enter goes to step 2', st && `step ${st.step}`);
  await key('h');
  st = await state();
  check(st && st.help, 'H opens the help');
  await key('Escape');
  st = await state();
  check(st && !st.help && st.error === '', 'Esc closes it and the page stays');
  await key('t');
  st = await state();
  check(st && st.theme === 'dark', 'T switches to the dark theme');
  await key('t');

  // a page taller than the window: the keys that step must not scroll it
  await evalJs("document.documentElement.style.overflow='auto';document.body.style.overflow='auto';" +
    "document.getElementById('headviz-figure').style.height='540px';document.body.style.height='5000px';window.scrollTo(0,0);0");
  await key('Home');
  for (const k of ['PageDown', ' ', 'ArrowDown']) await key(k);
  await sleep(300);
  const scrolled = await evalJs('window.scrollY');
  const canScroll = await evalJs('document.documentElement.scrollHeight > window.innerHeight');
  check(canScroll && scrolled === 0, 'PageDown, Space and Down step the figure and never scroll the page', `scrollY ${scrolled}`);
  await evalJs("document.getElementById('headviz-figure').style.height='100%';document.body.style.height='';0");

  // resize and high-DPI: the canvas follows its box at the pixel ratio
  await b.metrics(640, 360, 2);
  await sleep(500);
  st = await state();
  check(st && st.width === 1280 && st.height === 720 && st.dpr === 2, 'a 640x360 window at devicePixelRatio 2 gives a 1280x720 canvas',
    st && `${st.width}x${st.height} at ${st.dpr}`);
  await b.metrics(W, H, 1);

  // every layout the window has, drawn by the page
  const layouts = [];
  for (let i = 0; i < 5; i++) { await key('l'); await sleep(150); st = await state(); layouts.push(st && st.layout); }
  check(layouts.join(' ') === 'morph models heatmap diff side' && st.error === '', 'L cycles through the layouts', layouts.join(' '));
  await finish(b);
})().catch(e => crash(e, b));
