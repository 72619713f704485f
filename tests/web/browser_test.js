// The web page (headviz --html) in a real browser: Debian's chromium,
// headless, driven over the DevTools protocol (cdp.js). No npm modules.
//
// usage: node browser_test.js HEADVIZ LAYOUT_PROBE WORKDIR
// Writes the page and native stills into WORKDIR, then checks, from file://:
//   the first step (state and pixels against the native still at progress 0),
//   End's complete figure against the native still (pixels differing by more
//   than 24 levels: at most MAX_DIFF of them), a tooltip after hovering the
//   marker whose position the native layout reports, no scroll on PageDown /
//   Space / arrows, resize and devicePixelRatio, no exception in the console;
//   a page of CJK, Cyrillic and runic model names: the fallback fonts it
//   carries (fonts-droid-fallback's and DejaVu's cuts) leave only the rune,
//   which no installed font has, as a box (the page's count of missing
//   glyphs), and where the same page without them differs, it draws what
//   the native still draws.
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
// names in other scripts (as tests/heatmap's): one page with the fallback
// fonts --html embeds, one with them cut out of its data
const Q = 'Qwen2-7B-Instruct（通义千问·Zürich）', M = 'Мистраль-7B Инструкт';
fs.writeFileSync(path.join(WORK, 'names.csv'), `model,condition,layer,head,score\n${Q},A,1,2,3\n${Q},A,3,4,5\n` +
  `${M},A,2,2,4\n${M},A,5,1,2\nrune ᚠ,A,4,3,1\n`);
const names = path.join(WORK, 'names.html'), namesBare = path.join(WORK, 'names_bare.html');
run(HEADVIZ, [path.join(WORK, 'names.csv'), '--html', names, '--force']);
run(HEADVIZ, [path.join(WORK, 'names.csv'), '--screenshot', path.join(WORK, 'native_names.png'), '--size', `${W}x${H}`, '--force', '--renderer', 'gl']);
const namesHtml = fs.readFileSync(names, 'utf8');
const nFontLines = (namesHtml.match(/^font\t/mg) || []).length;
fs.writeFileSync(namesBare, namesHtml.replace(/^font\t.*\n/mg, ''));
console.log(`names page: ${Math.round(namesHtml.length / 1024)} KB with ${nFontLines} fallback fonts`);
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
  await sleep(200);
  // the names: the fallback fonts draw them; without them, boxes
  const namesPage = async (file, shotName) => {
    await b.navigate('file://' + path.resolve(file));
    let ns = null;
    for (let i = 0; i < 100 && !(ns && ns.frames > 0); i++) { await sleep(50); ns = await state(); }
    ns = await settle();
    await sleep(200);
    return { st: ns, img: await shot(shotName) };
  };
  const withFonts = await namesPage(names, 'page_names.png');
  const bare = await namesPage(namesBare, 'page_names_bare.png');
  check(nFontLines === 2 && withFonts.st && withFonts.st.fonts === 2 && withFonts.st.error === '',
    'a page of CJK and Cyrillic names carries two fallback fonts (the CJK one, the Cyrillic one)',
    `${nFontLines} in the data, ${withFonts.st && withFonts.st.fonts} loaded; ${withFonts.st && withFonts.st.error}`);
  check(withFonts.st && withFonts.st.missing_glyphs === 1, 'with them, only the rune (no installed font has it) is a box',
    `${withFonts.st && withFonts.st.missing_glyphs} characters missing`);
  check(bare.st && bare.st.missing_glyphs > 10, 'without them, the CJK and Cyrillic letters are boxes (the count can fail)',
    `${bare.st && bare.st.missing_glyphs} characters missing`);
  const nativeNames = readPng(fs.readFileSync(path.join(WORK, 'native_names.png')));
  // where the fonts change the page (the legend's names), the page with them
  // looks like the native still, the page without them does not. Text is
  // rasterised differently (stb_truetype, FreeType), a pixel or two apart:
  // compared as ink per column inside that box (smoothed over 5 columns,
  // at the best shift of a few pixels), |page - native| / native
  const a = withFonts.img, bb = bare.img, n = nativeNames;
  let x0 = a.w, y0 = a.h, x1 = -1, y1 = -1;
  for (let y = 0; a.w === n.w && a.h === n.h && bb.w === n.w && y < a.h; y++)
    for (let x = 0; x < a.w; x++) {
      const i = (y * a.w + x) * 4;
      if (Math.max(...[0, 1, 2].map(k => Math.abs(a.px[i + k] - bb.px[i + k]))) > LEVELS) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  const M8 = 8;
  x0 = Math.max(x0 - M8, M8); y0 = Math.max(y0 - M8, M8); x1 = Math.min(x1 + M8, a.w - 1 - M8); y1 = Math.min(y1 + M8, a.h - 1 - M8);
  const inkCols = (p, dx, dy) => {
    const c = [];
    for (let x = x0; x <= x1; x++) {
      let s = 0;
      for (let y = y0; y <= y1; y++) {
        const i = ((y + dy) * p.w + x + dx) * 4;
        s += 255 - Math.min(p.px[i], p.px[i + 1], p.px[i + 2]);
      }
      c.push(s);
    }
    return c.map((v, i) => c.slice(Math.max(0, i - 2), i + 3).reduce((u, w) => u + w, 0));
  };
  const unlike = p => {
    const ref = inkCols(n, 0, 0), total = ref.reduce((u, v) => u + v, 0);
    let best = Infinity;
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -6; dx <= 6; dx++) {
        const c = inkCols(p, dx, dy);
        best = Math.min(best, c.reduce((u, v, i) => u + Math.abs(v - ref[i]), 0) / total);
      }
    return best;
  };
  const boxed = x1 - x0 > 40 && y1 - y0 > 10;
  const uFonts = boxed ? unlike(a) : 1, uBare = boxed ? unlike(bb) : 0;
  check(boxed && uFonts <= 0.2 && uBare >= 0.3,
    'where the fallback fonts change the names page, its ink is the native still\'s (without them it is not)',
    `a ${x1 - x0 + 1}x${y1 - y0 + 1} box; ink per column unlike the native still's: ${(100 * uFonts).toFixed(0)}% ` +
    `with the fonts, ${(100 * uBare).toFixed(0)}% without (at most 20%, at least 30%)`);
  const dNames = diffFraction(a, n);
  check(dNames <= MAX_DIFF, 'the names page looks like the native still',
    `${(100 * dNames).toFixed(2)}% of pixels differ by more than ${LEVELS} levels (at most ${100 * MAX_DIFF}%)`);

  await finish(b);
})().catch(e => crash(e, b));
