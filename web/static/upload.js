// Add music: files picked or dropped go to /api/uploads by our own tus
// 1.0.0 client (core, creation, termination). A failed or stalled PATCH is
// retried from the server's offset (HEAD), from 0 only after a 404.
// Unfinished uploads are kept in localStorage to resume after a reload.
import { $, el } from './dom.js';
import { getJSON } from './api.js';
import { announce } from './a11y.js';
import { layout } from './views.js';

const CHUNK = 8 << 20, PARALLEL = 4; // PARALLEL: the server's limit a device
const STALL = 10000, LAST = 120000;  // ms without progress; for the last chunk's answer
const SKEY = 'earshot.uploads', KKEY = 'earshot.uploadKeep';
// A folder sends only its media; picked files all go.
const MEDIA = /\.(mp[234]|m4[abv]|flac|aac|opus|og[ga]|wav|aif[fc]?|wma|wv|ape|mpc|tta|e?ac3|ds[fd]|mk[av]|webm|avi|mov)$/i;
const LIVE = ['queued', 'sending', 'retrying'];

const panel = $('uploads'), total = $('up-total'), keep = $('up-keep');
const inputs = [$('upload-input'), $('upload-folder')];
const items = [];
let allowed = true, maxSize = 0, running = 0, wasLive = false;
let rate = 0, lastSent = 0, lastTick = 0, ticker = 0; // smoothed bytes/s

// stored: fingerprint → {url, name, size}.
const stored = () => { try { return JSON.parse(localStorage.getItem(SKEY)) || {}; } catch { return {}; } };
function remember(u, url) {
  const s = stored();
  u.url = url;
  if (url) s[u.fp] = { url, name: u.name, size: u.size };
  else delete s[u.fp];
  try { localStorage.setItem(SKEY, JSON.stringify(s)); } catch { /* full */ }
}

const b64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const json = (x) => { try { return JSON.parse(x.responseText) || {}; } catch { return {}; } };

// send rejects {net} on a network error or after STALL ms without progress
// (wait once the body is sent), {cancelled} if u was cancelled.
function send(u, method, url, headers = {}, body = null, onSent = null, wait = STALL) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest(), gen = u.gen;
    let last = Date.now(), limit = STALL;
    const watch = setInterval(() => Date.now() - last > limit && x.abort(), 1000);
    x.open(method, url);
    for (const [k, v] of Object.entries({ 'Tus-Resumable': '1.0.0', ...headers })) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => { last = Date.now(); onSent?.(e.loaded); };
    x.upload.onload = () => { last = Date.now(); limit = wait; };
    const end = (ok) => () => { clearInterval(watch); gen !== u.gen ? reject({ cancelled: true }) : ok ? resolve(x) : reject({ net: true }); };
    x.onload = end(true);
    x.onerror = x.onabort = end(false);
    u.xhr = x;
    x.send(body);
  });
}

// failure sorts an answer: gone (404), final (refused) or to retry.
function failure(x) {
  const s = x.status, msg = json(x).error || `${s} ${x.statusText}`;
  if (s === 404 || s === 410) return { gone: true };
  if (s === 423 || s === 429 || (s >= 500 && s !== 503 && s !== 507)) return { msg };
  if (s === 403 && / off/.test(msg)) setAllowed(false);
  return { final: true, msg, refused: s === 422 };
}

async function create(u) {
  u.fresh = true; // a 404 now is the server's trouble: back off
  const meta = { filename: u.name, placement: keep.checked ? 'keep' : 'tags', ...(u.rel && { relativePath: u.rel }) };
  const x = await send(u, 'POST', '/api/uploads', {
    'Upload-Length': String(u.size),
    'Upload-Metadata': Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`).join(','),
  });
  if (x.status !== 201 || !x.getResponseHeader('Location')) throw failure(x);
  u.offset = u.sent = 0;
  remember(u, new URL(x.getResponseHeader('Location'), location.href).pathname);
}

async function sync(u) {
  const x = await send(u, 'HEAD', u.url);
  if (x.status === 404) return outcome(u); // done (the answer lost)? GET knows
  if (x.status !== 200) throw failure(x);
  u.offset = u.sent = Number(x.getResponseHeader('Upload-Offset')) || 0;
}

async function patch(u) {
  const from = u.offset, blob = u.file.slice(from, from + CHUNK);
  const x = await send(u, 'PATCH', u.url, { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(from) },
    blob, (n) => { u.sent = from + Math.min(n, blob.size); u.tries = 0; paint(u); summary(); }, from + blob.size < u.size ? STALL : LAST);
  if (x.status === 204) { u.offset = u.sent = Number(x.getResponseHeader('Upload-Offset')) || from; u.fresh = false; }
  else if (x.status === 200) finish(u, json(x));
  else if (x.status === 409) await sync(u);
  else if (x.status === 404) await outcome(u);
  else throw failure(x);
}

// outcome asks how an upload whose last answer was lost ended.
async function outcome(u) {
  const x = await send(u, 'GET', u.url), b = json(x);
  if (x.status !== 200) throw failure(x);
  if (b.done) finish(u, b);
  else u.offset = u.sent = b.offset || 0;
}

function finish(u, b) {
  remember(u, '');
  u.sent = u.size;
  const where = (b.path || '').split('/').join(' / ');
  set(u, 'done', b.duplicate ? `Already in your library: ${where}` : `Added to ${where}`);
}

// run sends u, backing off 1, 2, 4 … 30 s while the network is away.
async function run(u) {
  const gen = u.gen;
  for (;;) {
    set(u, 'sending', '');
    try {
      if (u.url) await sync(u);
      while (u.state === 'sending') {
        if (!u.url) await create(u);
        else if (u.offset >= u.size) await outcome(u);
        else await patch(u);
      }
      return;
    } catch (e) {
      if (e.cancelled || gen !== u.gen) return;
      if (e.gone) remember(u, '');
      if (e.gone && !u.fresh) continue;
      if (e.final) {
        if ((u.refused = e.refused)) remember(u, ''); // by content: no Retry
        return set(u, 'error', e.msg);
      }
      await backoff(u, Math.min(30, 2 ** u.tries++), e.msg || (navigator.onLine ? 'Connection lost' : 'Offline'));
      if (gen !== u.gen) return;
    }
  }
}

const backoff = (u, s, why) => new Promise((resolve) => {
  const until = Date.now() + s * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) u.wake();
    else set(u, 'retrying', `${why} at ${size(u.sent)} of ${size(u.size)}. Retrying in ${left} s…`);
  };
  const timer = setInterval(tick, 1000);
  u.wake = () => { clearInterval(timer); u.wake = null; resolve(); };
  tick();
});

function pump() {
  for (const u of items) {
    if (running >= PARALLEL) break;
    if (u.state !== 'queued') continue;
    running++;
    u.state = 'sending';
    run(u).finally(() => { running--; pump(); });
  }
  if (!ticker) startTicker();
}

function retry(u) {
  u.tries = 0;
  if (u.wake) u.wake();
  else { set(u, 'queued', 'Waiting…'); pump(); }
}

function cancel(u) {
  u.gen++;
  u.xhr?.abort();
  u.wake?.();
  if (u.url) send(u, 'DELETE', u.url).catch(() => {});
  remember(u, '');
  drop(u);
}

function drop(u) {
  items.splice(items.indexOf(u), 1);
  u.row.remove();
  summary();
}

// add queues [{file, rel}] (rel: path in a folder); a known fingerprint resumes.
function add(picked) {
  if (!allowed) return showOff();
  if (!items.some((u) => LIVE.includes(u.state))) for (const u of items) u.old = true; // a new batch
  for (const { file, rel } of picked) {
    const fp = JSON.stringify([file.name, file.size, file.lastModified, rel]);
    let u = items.find((x) => x.fp === fp && x.state !== 'done');
    if (LIVE.includes(u?.state)) continue;
    u ||= row({ fp, name: file.name, size: file.size, rel, url: '' });
    Object.assign(u, { file, old: false });
    u.gen++;
    set(u, ...(maxSize && file.size > maxSize ? ['error', `Over the ${size(maxSize)} limit`] : ['queued', 'Waiting…']));
  }
  show(true);
  pump();
}

function row(u) {
  Object.assign(u, { offset: 0, sent: 0, state: '', msg: '', gen: 0, tries: 0 });
  const text = el('div', 'text');
  text.append(el('span', 't', u.rel || u.name), (u.msgEl = el('span', 'sub up-msg')));
  u.bar = el('progress');
  u.bar.max = u.size;
  u.bar.setAttribute('aria-label', `Upload of ${u.name}`);
  u.retry = button(`Retry ${u.name}`, 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7', () => retry(u));
  u.cancel = button(`Cancel ${u.name}`, 'M6 6l12 12M18 6 6 18', () => cancel(u));
  u.row = el('li', 'up-row');
  u.row.append(text, u.bar, u.retry, u.cancel);
  items.push(u);
  $('up-list').append(u.row);
  return u;
}

function button(label, d, f) {
  const b = el('button', 'ctl');
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${d}"/></svg>`;
  b.onclick = f;
  return b;
}

function size(n) {
  const i = n < 1e3 ? 0 : Math.min(3, Math.floor(Math.log10(n) / 3)), v = n / 1e3 ** i;
  return `${i ? v.toFixed(v < 10 ? 1 : 0) : v} ${['bytes', 'KB', 'MB', 'GB'][i]}`;
}

function set(u, state, msg) {
  Object.assign(u, { state, msg });
  paint(u);
  summary();
}

function paint(u) {
  u.row.dataset.state = u.state;
  u.bar.value = u.sent;
  u.bar.hidden = u.state === 'done' || u.state === 'error';
  u.msgEl.textContent = u.state === 'sending' ? `${size(u.sent)} of ${size(u.size)}` : u.msg;
  u.retry.hidden = !u.wake && !(u.state === 'error' && u.file && !u.refused);
  u.cancel.hidden = u.state === 'done';
}

function summary() {
  const n = (s) => items.filter((u) => u.state === s).length, live = n('queued') + n('sending') + n('retrying');
  const done = n('done'), dup = items.filter((u) => u.msg.startsWith('Already')).length;
  if (live) {
    wasLive = true;
    const batch = items.filter((u) => u.file && !u.old && u.state !== 'error');
    const all = batch.reduce((s, u) => s + u.size, 0), sent = batch.reduce((s, u) => s + u.sent, 0), left = (all - sent) / rate;
    total.textContent = `Uploading ${live} of ${batch.length} · ${Math.floor((100 * sent) / (all || 1))} %` +
      (rate > 0 ? ` · about ${left < 90 ? `${Math.ceil(left / 5) * 5} s` : `${Math.round(left / 60)} min`} left` : '');
    return;
  }
  clearInterval(ticker);
  ticker = rate = 0;
  total.textContent = [done - dup && `${done - dup} added`, dup && `${dup} already in your library`,
    n('error') && `${n('error')} not added`, n('pending') && `${n('pending')} to resume`].filter(Boolean).join(' · ');
  if (wasLive) announce(`Uploads finished: ${total.textContent}`);
  wasLive = false;
}

// startTicker smooths the rate (a moving average) for the time left.
function startTicker() {
  const sentNow = () => items.reduce((s, u) => s + (u.file ? u.sent : 0), 0);
  lastSent = sentNow();
  lastTick = performance.now();
  ticker = setInterval(() => {
    const now = performance.now(), s = sentNow(), r = ((s - lastSent) * 1000) / (now - lastTick);
    if (r >= 0) rate = rate ? 0.8 * rate + 0.2 * r : r;
    [lastSent, lastTick] = [s, now];
    summary();
  }, 1000);
}

const show = (open) => { panel.hidden = !open; };
const showOff = () => { $('up-off').hidden = false; show(true); };
function setAllowed(v) {
  allowed = v;
  $('upload-open').classList.toggle('off', !v);
  for (const i of inputs) i.setAttribute('aria-disabled', String(!v));
  $('up-off').hidden = v;
  $('up-actions').hidden = !v;
}

const media = (picked) => picked.filter(({ file, rel }) => !rel || MEDIA.test(file.name) || /^(audio|video)\//.test(file.type));

async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ file, rel: entry.fullPath.indexOf('/', 1) > 0 ? entry.fullPath.slice(1) : '' });
  } else if (entry.isDirectory) {
    const r = entry.createReader();
    for (let batch; (batch = await new Promise((res, rej) => r.readEntries(res, rej))).length;) {
      for (const e of batch) await walk(e, out);
    }
  }
}

function wireDrop() {
  const cover = $('drop'), files = (e) => e.dataTransfer?.types.includes('Files');
  let depth = 0;
  document.addEventListener('dragenter', (e) => { if (files(e)) { depth++; cover.hidden = false; } });
  document.addEventListener('dragleave', (e) => { if (files(e) && --depth <= 0) { depth = 0; cover.hidden = true; } });
  document.addEventListener('dragover', (e) => { if (files(e)) e.preventDefault(); });
  document.addEventListener('drop', async (e) => {
    if (!files(e)) return;
    e.preventDefault();
    depth = 0;
    cover.hidden = true;
    const out = [], roots = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
    for (const r of roots) await walk(r, out).catch(() => {});
    if (!roots.length) for (const file of e.dataTransfer.files) out.push({ file, rel: '' });
    add(media(out));
  });
}

// restore lists the uploads an earlier page left unfinished.
async function restore() {
  for (const [fp, s] of Object.entries(stored())) {
    const u = row({ fp, name: s.name, size: s.size, rel: JSON.parse(fp)[3], url: s.url });
    try {
      const b = await getJSON(s.url);
      if (b.done) { finish(u, b); continue; }
      u.sent = b.offset || 0;
    } catch (e) {
      if (e.status === 404) { remember(u, ''); drop(u); continue; }
    }
    set(u, 'pending', `Pick the file again to resume (${Math.floor((100 * u.sent) / (u.size || 1))} % sent)`);
  }
  if (items.length) show(true);
}

// initUploads wires the Add music button, the panel and drops.
export async function initUploads() {
  try { keep.checked = !!localStorage.getItem(KKEY); } catch { /* off */ }
  keep.onchange = () => { try { localStorage.setItem(KKEY, keep.checked ? '1' : ''); } catch { /* not kept */ } };
  for (const i of inputs) {
    i.onclick = (e) => { if (allowed) show(true); else { e.preventDefault(); showOff(); } };
    i.onchange = () => {
      const picked = [...i.files].map((file) => ({ file, rel: i.webkitdirectory ? file.webkitRelativePath : '' }));
      i.value = '';
      add(i.webkitdirectory ? media(picked) : picked);
    };
  }
  $('up-close').onclick = () => { // and forgets the finished rows
    items.filter((u) => u.state === 'done' || u.state === 'error').forEach(drop);
    show(false);
    inputs[0].focus();
  };
  addEventListener('online', () => items.forEach((u) => u.wake?.()));
  new ResizeObserver(layout).observe(panel);
  wireDrop();
  try {
    const st = await getJSON('/api/status');
    setAllowed(st.uploads?.allowed !== false);
    maxSize = st.uploads?.maxSize || 0;
  } catch { /* status line */ }
  await restore();
}
