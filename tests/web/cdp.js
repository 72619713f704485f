// Headless Chromium driven over the DevTools protocol on
// --remote-debugging-pipe (fds 3 and 4, messages ending in NUL), for the web
// page's tests (browser_test.js, fragment_test.js). No npm modules: node's
// own child_process, zlib (to read PNGs) and fs.
//
//   const b = await cdp.open({ width, height, profileDir });
//   await b.navigate(url); await b.evalJs('1 + 1'); await b.key('End');
//   await b.mouse(x, y); const png = await b.shot(file); b.events; await b.close();
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const zlib = require('zlib');

// ---- PNG (8-bit RGB/RGBA, not interlaced: what chromium and headviz write) --
function readPng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8, w = 0, h = 0, ct = 0, depth = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); depth = data[8]; ct = data[9]; }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (depth !== 8 || (ct !== 2 && ct !== 6)) throw new Error(`PNG colour type ${ct}, depth ${depth} not read here`);
  const bpp = ct === 6 ? 4 : 3, stride = w * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const out = Buffer.alloc(w * h * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let p = 0;
      if (f === 1) p = a; else if (f === 2) p = b; else if (f === 3) p = (a + b) >> 1;
      else if (f === 4) { const q = a + b - c, pa = Math.abs(q - a), pb = Math.abs(q - b), pc = Math.abs(q - c); p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      line[i] = (line[i] + p) & 255;
    }
    for (let x = 0; x < w; x++) {
      out[(y * w + x) * 4] = line[x * bpp]; out[(y * w + x) * 4 + 1] = line[x * bpp + 1];
      out[(y * w + x) * 4 + 2] = line[x * bpp + 2]; out[(y * w + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { w, h, px: out };
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const KEYS = { ArrowRight: 39, ArrowLeft: 37, ArrowDown: 40, ArrowUp: 38, PageDown: 34, PageUp: 33, ' ': 32, Home: 36, End: 35, Enter: 13, Escape: 27 };

// Starts chromium (CHROMIUM, else chromium) headless on SwiftShader's WebGL2
// with one page of width x height at devicePixelRatio 1; past limitMs the
// test ends with "FAIL <what> timed out" (exit 1).
async function open({ width, height, profileDir, what = 'the browser test', limitMs = 90000 }) {
  const chrome = spawn(process.env.CHROMIUM || 'chromium', ['--headless', '--no-sandbox', '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader', '--remote-debugging-pipe', `--window-size=${width},${height}`,
    `--user-data-dir=${profileDir}`, '--no-first-run', '--hide-scrollbars', 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  chrome.stderr.on('data', d => { if (process.env.VERBOSE) process.stderr.write(d); });
  const toChrome = chrome.stdio[3], fromChrome = chrome.stdio[4];
  let nextId = 0, inbuf = '';
  const pending = new Map(), events = [];
  fromChrome.on('data', d => {
    inbuf += d.toString();
    let i;
    while ((i = inbuf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(inbuf.slice(0, i));
      inbuf = inbuf.slice(i + 1);
      if (msg.id && pending.has(msg.id)) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p.rej(new Error(JSON.stringify(msg.error))); else p.res(msg.result);
      } else events.push(msg);
    }
  });
  function send(method, params = {}, sessionId) {
    const m = { id: ++nextId, method, params };
    if (sessionId) m.sessionId = sessionId;
    toChrome.write(JSON.stringify(m) + '\0');
    return new Promise((res, rej) => pending.set(m.id, { res, rej }));
  }
  const timer = setTimeout(() => { console.log(`FAIL ${what} timed out`); chrome.kill(); process.exit(1); }, limitMs);
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId: s } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Runtime.enable', {}, s);
  await send('Page.enable', {}, s);
  const b = {
    chrome, events,
    send: (method, params) => send(method, params, s),
    metrics: (w, h, dpr) => send('Emulation.setDeviceMetricsOverride', { width: w, height: h, deviceScaleFactor: dpr, mobile: false }, s),
    navigate: url => send('Page.navigate', { url }, s),
    evalJs: async expr => (await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true }, s)).result.value,
    key: async k => {
      const code = KEYS[k] || k.toUpperCase().charCodeAt(0);
      const common = { key: k, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code };
      await send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...common }, s);
      if (k.length === 1) await send('Input.dispatchKeyEvent', { type: 'char', text: k, ...common }, s);
      await send('Input.dispatchKeyEvent', { type: 'keyUp', ...common }, s);
    },
    mouse: (x, y, type = 'mouseMoved') =>
      send('Input.dispatchMouseEvent', { type, x, y, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: type === 'mouseMoved' ? 0 : 1 }, s),
    shot: async file => {
      const r = await send('Page.captureScreenshot', { format: 'png' }, s);
      const buf = Buffer.from(r.data, 'base64');
      if (file) fs.writeFileSync(file, buf);
      return readPng(buf);
    },
    // exceptions and console errors seen so far
    errors: () => events.filter(e => e.method === 'Runtime.exceptionThrown' ||
      (e.method === 'Runtime.consoleAPICalled' && (e.params.type === 'error' || e.params.type === 'assert'))),
    close: async () => {
      clearTimeout(timer);
      const exited = new Promise(r => chrome.once('exit', r));
      await send('Browser.close').catch(() => {});
      await Promise.race([exited, sleep(5000)]);
      try { fs.rmSync(profileDir, { recursive: true, force: true }); } catch (e) { /* chromium's last writes: left to the next run */ }
    },
  };
  return b;
}

// A test's checks: check(ok, what, detail) prints "ok   what" or "FAIL
// what: detail"; finish(b) adds the console's check (no exception or
// error), closes the browser, prints "N passed, N failed" and exits 1 when
// a check failed; crash(e, b) ends a test that threw.
function tally() {
  let passed = 0, failed = 0;
  const check = (ok, what, detail) => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail !== undefined ? ': ' + detail : ''}`);
  };
  const finish = async b => {
    await sleep(200);
    const errors = b.errors();
    check(errors.length === 0, 'no exception or error in the console',
      errors.map(e => JSON.stringify(e.params).slice(0, 300)).join(' | ') || 'none');
    await b.close();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  const crash = (e, b) => {
    console.log('FAIL ' + e.stack);
    console.log(`${passed} passed, ${failed + 1} failed`);
    if (b) b.chrome.kill();
    process.exit(1);
  };
  return { check, finish, crash };
}

module.exports = { open, readPng, sleep, tally };
