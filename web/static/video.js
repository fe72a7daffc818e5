// The Videos tab: a grid of poster cards (#/videos) and a video's page
// (#/videos/{id}) that plays it in a <video> element from the same Range
// stream as songs, so seeking works. Playing a video pauses the music and
// playing music pauses the video. Tag text is only set with textContent.
import { clock } from './format.js';
import { $, el, link, cover, trackURL, titleOf } from './dom.js';
import * as api from './api.js';

const enc = encodeURIComponent;
const list = (v) => (Array.isArray(v) ? v : []);
const href = (id) => `#/videos/${enc(id)}`;

// page is the video page on screen: a refresh of the same video keeps its
// nodes, so playback goes on.
let page = null; // {id, title, nodes, video}

// The player alternates two audio elements (gapless), so listen for any
// of them starting, in the capture phase (media events do not bubble).
document.addEventListener('play', (e) => { if (e.target instanceof HTMLAudioElement) page?.video.pause(); }, true);

// shownVideo returns the <video> of the video page on screen, or null.
export const shownVideo = () => (page?.video.isConnected ? page.video : null);

// facts lists what is known of a video: length, picture size, format.
const facts = (t) => [clock(t.duration), t.width && t.height && `${t.width}×${t.height}`, (t.format || '').toUpperCase()].filter(Boolean);

// videos lists every video as a card with its poster, title and length.
export async function videos() {
  const vs = list((await api.get('/api/videos')).videos);
  const ul = el('ul', 'grid vgrid');
  ul.setAttribute('aria-label', 'Videos');
  ul.append(...vs.map((t) => {
    const a = link(href(t.id), 'tile vtile', 'videoId', t.id);
    const art = el('span', 'vart');
    // The name is the card's text, the duration said after the title (an
    // aria-label would leave out visible text: WCAG 2.5.3).
    const dur = el('span', 'vdur', clock(t.duration));
    dur.setAttribute('aria-hidden', 'true');
    art.append(cover(t.hasCover && t.id, 300), dur);
    const title = el('span', 't', titleOf(t));
    title.append(el('span', 'vh', `, ${clock(t.duration)}`));
    a.append(art, title, el('span', 'sub', facts(t).slice(1).join(' · ')));
    const li = el('li');
    li.append(a);
    return li;
  }));
  const h = el('h2', 'vh', 'Videos');
  h.tabIndex = -1;
  return { title: 'Videos', nodes: [h, ul], empty: !vs.length && 'No videos yet — MP4, M4V, MOV and WebM files in your folder show up here' };
}

// fullscreen shows v on the whole screen: the Fullscreen API where the
// browser has it for elements, the iPhone's own video player otherwise.
function fullscreen(v) {
  const ios = () => v.webkitEnterFullscreen?.();
  if (v.requestFullscreen) v.requestFullscreen().catch(ios);
  else ios();
}

// loading is the video page being made, so that two routes at once (the
// first one and a refresh after a library change) share one <video>
// rather than each making its own. {id, promise} or null.
let loading = null;

// video shows video id: a player, its title and facts, and Full screen.
export function video(id) {
  if (page?.id === id && page.video.isConnected) return Promise.resolve(page);
  if (loading?.id === id) return loading.promise;
  const promise = makeVideo(id).finally(() => { if (loading?.promise === promise) loading = null; });
  loading = { id, promise };
  return promise;
}

// makeVideo makes the page of video id (see video).
async function makeVideo(id) {
  const t = await api.get(`/api/tracks/${enc(id)}`);
  if (!t.video) throw Object.assign(new Error('not a video'), { status: 404 });
  const v = el('video', 'vplayer');
  v.controls = true;
  v.playsInline = true;
  v.preload = 'metadata';
  v.setAttribute('playsinline', '');
  if (t.hasCover) v.poster = trackURL(t.id, 'cover');
  if (t.width && t.height) v.style.aspectRatio = `${t.width} / ${t.height}`;
  v.src = trackURL(t.id, 'stream');
  v.setAttribute('aria-label', titleOf(t));
  v.addEventListener('play', () => $('audio').pause());
  const fs = el('button', 'play-all vfs', 'Full screen');
  fs.type = 'button';
  fs.addEventListener('click', () => fullscreen(v));
  const back = link('#/videos', 'ln', '', '');
  back.textContent = 'All videos';
  const h = el('h2', 'h', titleOf(t));
  h.tabIndex = -1;
  const info = el('div', 'vinfo');
  const meta = el('p', 'meta', facts(t).join(' · '));
  info.append(h, meta, fs, back);
  const wrap = el('div', 'vwrap');
  wrap.append(v);
  page = { id, title: titleOf(t), nodes: [wrap, info], video: v };
  v.play().catch(() => { /* no user gesture (a reload): the controls are there */ });
  return page;
}
