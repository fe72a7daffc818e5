// Accessibility helpers (WCAG 2.2 AA): the polite live region, dialogs
// that are modal (the rest of the page inert, focus moved in and given
// back), the skip link, the shortcut help and the volume slider's spoken
// value. The look is a11y.css's.
import { $ } from './dom.js';

// announce says msg through the polite live region #announce (4.1.3). The
// region is emptied first and filled a moment later, so that the same text
// twice in a row is announced twice.
let announceTimer = 0;
export function announce(msg) {
  const r = $('announce');
  r.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { r.textContent = msg; }, 100);
}

// ---- dialogs ----

// dialogs are the open dialogs, the last opened last: {el, close, when,
// back}. A dialog is modal while its media query `when` matches (always
// when there is none); the last modal one makes every other child of
// <body> inert, but the live regions.
const dialogs = [];
const KEEP = new Set(['announce', 'toast', 'scrim']);

// openDialog registers el (a role=dialog element the caller has just
// shown) as open: close is how to close it (Escape, the scrim), when the
// MediaQueryList under which it is modal (null: always). Focus goes back
// to where it was when the dialog closes ([closeDialog]).
export function openDialog(el, close, when = null) {
  if (dialogs.some((d) => d.el === el)) return;
  dialogs.push({ el, close, when, back: document.activeElement });
  when?.addEventListener('change', apply);
  apply();
}

// closeDialog unregisters el (the caller hides it) and, when focus was in
// it or nowhere, gives focus back to the element that had it before: to
// the page when that was none (so that the shortcut keys work again), or
// to fallback when it is gone or hidden.
export function closeDialog(el, fallback) {
  const i = dialogs.findIndex((d) => d.el === el);
  if (i < 0) return;
  const [d] = dialogs.splice(i, 1);
  d.when?.removeEventListener('change', apply);
  apply();
  const a = document.activeElement;
  if (a && a !== document.body && !el.contains(a)) return;
  if (!d.back || d.back === document.body) { a?.blur(); return; }
  (d.back.isConnected && d.back.getClientRects().length && !d.back.closest('[inert]') ? d.back : fallback)?.focus();
}

const isModal = (d) => !d.when || d.when.matches;

// apply makes the page match the open dialogs: aria-modal, the scrim, and
// inert on everything outside the top modal dialog.
function apply() {
  const top = dialogs.filter(isModal).at(-1);
  for (const d of dialogs) d.el.setAttribute('aria-modal', String(isModal(d)));
  for (const c of document.body.children) {
    if (!KEEP.has(c.id)) c.inert = !!top && c !== top.el;
  }
  $('scrim').hidden = !top;
}

$('scrim').addEventListener('click', () => dialogs.filter(isModal).at(-1)?.close());

// ---- the shortcut help ----

const help = $('keys-help');

// toggleHelp opens or closes the keyboard shortcut list.
export function toggleHelp(open = help.hidden) {
  if (open === !help.hidden) return;
  help.hidden = !open;
  if (open) {
    openDialog(help, () => toggleHelp(false));
    $('keys-h').focus();
  } else closeDialog(help, $('play'));
}
$('keys-close').addEventListener('click', () => toggleHelp(false));
help.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); toggleHelp(false); } });

// ---- skip link, volume ----

// The skip link moves focus to Play (a hash link would change the route).
$('skip').addEventListener('click', (e) => {
  e.preventDefault();
  $('play').focus();
});

// The volume slider says "80 %" rather than its value, 0.8 (1.3.1).
const volume = $('volume');
function sayVolume() {
  volume.setAttribute('aria-valuetext', $('audio').muted ? 'Muted' : `${Math.round(+volume.value * 100)} %`);
}
volume.addEventListener('input', sayVolume);
for (const a of document.querySelectorAll('audio')) a.addEventListener('volumechange', sayVolume);
sayVolume();
