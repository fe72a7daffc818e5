// Small pure helpers for the player page: time, numbers and search folding.

// clock formats seconds as m:ss, or h:mm:ss from one hour up.
export function clock(sec) {
  const s = Number.isFinite(sec) && sec > 0 ? Math.floor(sec) : 0;
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

const nf = new Intl.NumberFormat();

// count formats an integer with the reader's digit grouping: 1,234.
export const count = (n) => nf.format(n || 0);

// plural returns "1 track" or "1,234 tracks".
export const plural = (n, word) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

// fold lower-cases s and strips accents so "Bjork" finds "Björk".
export const fold = (s) => (s || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// words splits a search query into folded words; every word must match.
export const words = (q) => fold(q).split(/\s+/).filter(Boolean);

// baseName returns the last element of a slash path without its extension.
export function baseName(path) {
  const b = (path || '').split('/').pop();
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(0, i) : b;
}
