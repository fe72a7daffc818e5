// Desktop keyboard shortcuts, active when focus is not in a text field:
// space play/pause, ←/→ seek −5/+5 s, n/p next/previous track, / search,
// m mute, q the queue panel. On a video's page, space and the arrows
// play, pause and seek the video instead.
import { toggle, next, prev, seekBy, toggleMute } from './player.js';
import { toggleQueue } from './queueview.js';
import { shownVideo } from './video.js';

const typing = (t) => t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' ||
  (t.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes(t.type));

const keys = {
  ' ': toggle, ArrowLeft: () => seekBy(-5), ArrowRight: () => seekBy(5),
  n: next, p: prev, m: toggleMute, q: () => toggleQueue(),
  '/': () => document.getElementById('search').focus(),
};

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
  const f = keys[e.key.length === 1 ? e.key.toLowerCase() : e.key];
  if (!f) return;
  // Space and arrows keep their own meaning on buttons and sliders.
  if ((e.key === ' ' && e.target.closest('button, a, [role=menuitem]')) || (e.key.startsWith('Arrow') && e.target.type === 'range')) return;
  const v = shownVideo();
  if (v && e.target === v) return; // the focused video's own controls handle it
  e.preventDefault();
  if (v && e.key === ' ') v.paused ? v.play().catch(() => {}) : v.pause();
  else if (v && e.key.startsWith('Arrow')) v.currentTime = Math.max(0, v.currentTime + (e.key === 'ArrowLeft' ? -5 : 5));
  else f();
});
