// DOM helpers shared by the page's modules: element building, covers, and
// the toast. Tag text is only ever set with textContent.
import { baseName } from './format.js';

export const $ = (id) => document.getElementById(id);

// el makes an element with a class and text.
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

// link makes an <a> to a route, with a data attribute naming what it opens.
export function link(href, cls, data, value) {
  const a = el('a', cls);
  a.href = href;
  if (data) a.dataset[data] = value;
  return a;
}

// icon returns an <svg> of one path d (24 × 24 units), hidden from
// assistive technology: its button carries the name.
export function icon(d) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', d);
  svg.append(p);
  return svg;
}

// Icon paths used by more than one module.
export const WARN_PATH = 'M12 3 2 20h20zM12 9v5M12 17v.5';
export const ADD_TO_LIST_PATH = 'M4 6h12M4 11h12M4 16h7M18 13v8M14 17h8';

export function placeholder() {
  const s = el('span', 'cover ph');
  s.setAttribute('aria-hidden', 'true');
  return s;
}

export const trackURL = (id, what) => `/api/tracks/${encodeURIComponent(id)}/${what}`;
export const titleOf = (t) => t.title || baseName(t.path) || 'Untitled';
export const artistOf = (t) => t.artist || t.albumArtist || 'Unknown artist';

// noThumbs is set when the server answered a thumbnail with 400: it has
// no ?size= yet, so later covers skip the thumbnail.
let noThumbs = false, probed = false;

// cover returns an <img> of track id's cover at a thumbnail size, or the
// placeholder when id is empty. A failed thumbnail retries the full cover;
// a failed full cover becomes the placeholder (see [watchCovers]).
export function cover(id, size) {
  if (!id) return placeholder();
  const img = el('img', 'cover');
  img.loading = 'lazy'; // before src, or the image loads eagerly
  img.decoding = 'async';
  img.alt = '';
  img.width = img.height = size > 96 ? 300 : 44;
  img.src = thumb(img, trackURL(id, 'cover'), size);
  return img;
}

// thumb returns the URL of full's thumbnail and keeps full on img, for a
// retry when the thumbnail fails.
export function thumb(img, full, size) {
  if (noThumbs) return full;
  img.dataset.full = full;
  return `${full}?size=${size}`;
}

// coverFailed handles img's load error: the full cover after a failed
// thumbnail, then its own placeholder (or hiding it, when asked to).
export function coverFailed(img, hide) {
  const full = img.dataset.full;
  if (full) {
    delete img.dataset.full;
    if (!probed) {
      probed = true;
      fetch(img.src).then((r) => { noThumbs = r.status === 400; }, () => { probed = false; });
    }
    img.src = full;
  } else if (hide) img.hidden = true;
  else img.replaceWith(placeholder());
}

// watchCovers handles cover load errors under root ('error' does not
// bubble, so it is caught on the way down).
export function watchCovers(root) {
  root.addEventListener('error', (e) => { if (e.target.tagName === 'IMG') coverFailed(e.target); }, true);
}

let toastTimer = 0;
export function toast(msg) {
  const t = $('toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}
