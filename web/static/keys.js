// Desktop keyboard shortcuts: space play/pause, ←/→ seek −5/+5 s, n/p
// next/previous track, / search, m mute, q the queue panel, ? the list of
// shortcuts. None acts in a text field. The character keys (n, p, m, q, /,
// ?) act only when no control has focus, so that typing never triggers
// them by accident (WCAG 2.1.4): focus on a button, link or slider keeps
// them for itself. On a video's page, space and the arrows play, pause and
// seek the video instead.
import { toggle, next, prev, seekBy, toggleMute } from './player.js';
import { toggleQueue } from './queueview.js';
import { shownVideo } from './video.js';
import { toggleHelp } from './a11y.js';

const typing = (t) => t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' ||
  (t.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes(t.type));

// control reports whether t is (in) an element that takes keys itself.
const control = (t) => !!t.closest?.('a[href], button, input, select, textarea, summary, video, audio, [role=menuitem], [role=button], [role=slider], [tabindex]:not([tabindex="-1"])');

const keys = {
  ' ': toggle, ArrowLeft: () => seekBy(-5), ArrowRight: () => seekBy(5),
  n: next, p: prev, m: toggleMute, q: () => toggleQueue(),
  '/': () => document.getElementById('search').focus(),
  '?': () => toggleHelp(),
};

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const f = keys[k];
  if (!f || e.target.closest?.('#keys-help')) return;
  if (k !== ' ' && k.length === 1 && control(e.target)) return;
  // Space and arrows keep their own meaning on buttons and sliders.
  if ((e.key === ' ' && e.target.closest('button, a, [role=menuitem]')) || (e.key.startsWith('Arrow') && e.target.type === 'range')) return;
  const v = shownVideo();
  if (v && e.target === v) return; // the focused video's own controls handle it
  e.preventDefault();
  if (v && e.key === ' ') v.paused ? v.play().catch(() => {}) : v.pause();
  else if (v && e.key.startsWith('Arrow')) v.currentTime = Math.max(0, v.currentTime + (e.key === 'ArrowLeft' ? -5 : 5));
  else f();
});
