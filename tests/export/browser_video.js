// Plays a video in headless Chromium and writes its first frame as Chromium
// shows it: a <video> on a page beside the file, its first frame (after
// 'loadeddata', a seek to 0 and requestVideoFrameCallback) drawn into a 2D
// canvas and read back as PNG (getImageData's values, lossless).
// Chromium is driven over --remote-debugging-pipe (DevTools protocol); no npm
// modules, Node >= 18.
// usage: node browser_video.js VIDEO OUT.png
// prints "readyState N WxH" and exits 0; exit 1 with one line on stderr when
// the video does not load or play; exit 2 when Chromium cannot be started.
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const fs = require('fs');
const os = require('os');

const [,, video, outPng] = process.argv;
if (!video || !outPng) {
  console.error('usage: node browser_video.js VIDEO OUT.png');
  process.exit(2);
}
const dir = path.dirname(path.resolve(video));
const page = path.join(dir, 'play_' + path.basename(video) + '.html');
fs.writeFileSync(page, `<!doctype html><meta charset="utf-8"><body>
<video id="v" muted playsinline preload="auto"></video>
<script>
const v = document.getElementById('v');
window.result = null;
function done(r) { if (!window.result) window.result = r; }
v.onerror = () => done({ error: 'media error ' + (v.error ? v.error.code + ' ' + v.error.message : '?') });
window.events = [];
for (const ev of ['loadedmetadata', 'loadeddata', 'canplay', 'seeked', 'playing', 'ended'])
  v.addEventListener(ev, () => window.events.push(ev));
function grab(now, meta) {
  v.pause();
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const g = c.getContext('2d', { colorSpace: 'srgb' });
  g.drawImage(v, 0, 0);
  try {
    done({ readyState: v.readyState, w: v.videoWidth, h: v.videoHeight, mediaTime: meta.mediaTime, png: c.toDataURL('image/png') });
  } catch (e) { done({ error: 'canvas readback: ' + e.message }); }
}
v.addEventListener('loadeddata', () => {
  v.requestVideoFrameCallback(grab);
  v.play().catch(e => done({ error: 'play(): ' + e.message }));
}, { once: true });
v.src = ${JSON.stringify(path.basename(video))};
</script>`);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hv-chromium-'));
const chrome = spawn(process.env.CHROMIUM || 'chromium', [
  '--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--allow-file-access-from-files',
  '--autoplay-policy=no-user-gesture-required', '--no-first-run', '--mute-audio',
  '--remote-debugging-pipe', '--user-data-dir=' + profile, 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let stderr = '';
chrome.stderr.on('data', d => { stderr += d; if (process.env.VERBOSE) process.stderr.write(d); });
function cleanup() {
  try { chrome.kill('SIGKILL'); } catch (e) { /* gone */ }
  fs.rmSync(page, { force: true });
  // Chromium's helpers may still write into the profile as they go
  for (let i = 0; i < 20; i++)
    try { fs.rmSync(profile, { recursive: true, force: true }); break; } catch (e) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); }
}
function fail(code, msg) {
  console.error('browser_video: ' + msg);
  cleanup();
  process.exit(code);
}
chrome.on('error', e => fail(2, 'cannot start Chromium: ' + e.message));
chrome.on('exit', (c, sig) => fail(2, `Chromium exited (${c === null ? sig : c}) before the frame was read: ` +
  stderr.split('\n').filter(l => l.trim()).slice(-1)[0]));

const out = chrome.stdio[3], inp = chrome.stdio[4];
let id = 0, buf = '';
const pending = new Map();
inp.on('data', d => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (msg.id && pending.has(msg.id)) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? p.rej(new Error(JSON.stringify(msg.error))) : p.res(msg.result);
    }
  }
});
function send(method, params = {}, sessionId) {
  const m = { id: ++id, method, params };
  if (sessionId) m.sessionId = sessionId;
  out.write(JSON.stringify(m) + '\0');
  return new Promise((res, rej) => pending.set(m.id, { res, rej }));
}
const sleep = ms => new Promise(r => setTimeout(r, ms));

(async () => {
  let state = 'no page';
  const timer = setTimeout(() => fail(1, video + ': no frame within 60 s (' + state + ')'), 60000);
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId: s } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Runtime.enable', {}, s);
  await send('Page.enable', {}, s);
  await send('Page.navigate', { url: 'file://' + page }, s);
  let r = null;
  while (!r) {
    await sleep(100);
    const e = await send('Runtime.evaluate', {
      expression: '[window.result, v.readyState, v.networkState, v.currentTime, window.events.join(" ")]', returnByValue: true }, s);
    const a = e.result && e.result.value;
    if (!a) continue;
    r = a[0];
    state = `readyState ${a[1]}, networkState ${a[2]}, currentTime ${a[3]}, events: ${a[4]}`;
  }
  clearTimeout(timer);
  if (r.error)
    fail(1, video + ': ' + r.error);
  fs.writeFileSync(outPng, Buffer.from(r.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
  console.log(`readyState ${r.readyState} ${r.w}x${r.h} frame at ${r.mediaTime} s`);
  chrome.removeAllListeners('exit');
  await send('Browser.close').catch(() => {});
  cleanup();
  process.exit(0);
})().catch(e => fail(1, e.message));
