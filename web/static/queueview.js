// The queue panel (opened from the player bar) and the rows' "more" menu
// (Play next, Add to queue). The panel lists the current track and what
// follows, up to a window of rows; rows reorder by dragging their grip
// (pointer events: mouse, pen and touch) or by their move buttons.
import { $, el, toast, titleOf, artistOf } from './dom.js';
import { queueOf } from './views.js';
import * as Q from './queue.js';
import { playAt, removeAt } from './player.js';
import { openDialog, closeDialog } from './a11y.js';

const panel = $('queue'), list = $('q-list'), opener = $('queue-open'), menu = $('more-menu');
const BEFORE = 20, WINDOW = 200; // rows shown before and after the current one
// NARROW is where the panel covers the page, a modal dialog (a11y.css);
// wider, the page makes room for it beside.
const NARROW = matchMedia('(max-width: 999.98px)');

// toggleQueue opens or closes the queue panel. Focus moves to its heading
// and, on closing, back to where it was (else to the Queue button).
export function toggleQueue(open = panel.hidden) {
  if (open === !panel.hidden) return;
  panel.hidden = !open;
  opener.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('queue-open', open);
  if (open) {
    render();
    openDialog(panel, () => toggleQueue(false), NARROW);
    $('queue-h').focus();
  } else closeDialog(panel, opener);
}

function render() {
  syncModes();
  if (panel.hidden) return;
  const { ids, index } = Q.state();
  const from = Math.max(0, index - BEFORE), to = Math.min(ids.length, Math.max(index, 0) + WINDOW);
  const focus = document.activeElement?.closest?.('#q-list li') && [document.activeElement.className, document.activeElement.closest('li').dataset.i];
  list.replaceChildren(...ids.slice(from, to).map((id, j) => row(id, from + j, index)));
  const more = ids.length - to;
  $('q-more').hidden = more <= 0;
  $('q-more').textContent = `and ${more} more`;
  if (!ids.length) list.append(el('li', 'q-empty', 'The queue is empty. Tap a song to play it.'));
  if (focus) list.querySelector(`li[data-i="${focus[1]}"] .${focus[0].split(' ').pop()}`)?.focus();
}

// later renders once on the next frame, for rows whose tracks arrived.
let again = 0;
const later = () => { again ||= requestAnimationFrame(() => { again = 0; render(); }); };

function row(id, k, index) {
  const t = Q.cached(id);
  const li = el('li', 'q-row');
  li.dataset.i = k;
  if (k === index) li.setAttribute('aria-current', 'true');
  const name = t ? titleOf(t) : '…';
  const grip = el('span', 'grip');
  grip.setAttribute('aria-hidden', 'true');
  const playB = el('button', 'q-play');
  playB.type = 'button';
  const text = el('span', 'text');
  // A track that needs ffmpeg is skipped when its turn comes: say so here too.
  text.append(el('span', 't', name), el('span', 'sub', t ? artistOf(t) + (t.needsFFmpeg ? ' · needs ffmpeg' : '') : ''));
  playB.append(text);
  li.append(grip, playB, button('ctl q-up', `Move ${name} up`, '↑'), button('ctl q-down', `Move ${name} down`, '↓'),
    button('ctl q-rm', `Remove ${name} from the queue`, '×'));
  if (!t) Q.track(id).then(later, () => {});
  return li;
}

function button(cls, label, text) {
  const b = el('button', cls, text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  return b;
}

function syncModes() {
  const { shuffle, repeat } = Q.state();
  $('q-shuffle').setAttribute('aria-pressed', String(shuffle));
  const r = $('q-repeat');
  r.setAttribute('aria-pressed', String(repeat !== 'off'));
  r.setAttribute('aria-label', `Repeat: ${repeat}`);
  r.classList.toggle('r-one', repeat === 'one');
}

Q.onChange(render);
syncModes();

opener.addEventListener('click', () => toggleQueue());
$('q-close').addEventListener('click', () => toggleQueue(false));
$('q-shuffle').addEventListener('click', () => Q.setShuffle(!Q.state().shuffle));
$('q-repeat').addEventListener('click', () => Q.cycleRepeat());
$('q-clear').addEventListener('click', () => Q.clear());
panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); toggleQueue(false); } });
list.addEventListener('click', (e) => {
  const b = e.target.closest('button'), li = b?.closest('li[data-i]');
  if (!li) return;
  const k = +li.dataset.i;
  if (b.classList.contains('q-play')) playAt(k);
  else if (b.classList.contains('q-up') || b.classList.contains('q-down')) {
    const cls = b.classList.contains('q-up') ? 'q-up' : 'q-down', to = k + (cls === 'q-up' ? -1 : 1);
    Q.move(k, to);
    // Focus follows the moved row: the same button, or its other move
    // button when this one is hidden (the row is now first or last).
    const row = list.querySelector(`li[data-i="${to}"]`);
    [`.${cls}`, cls === 'q-up' ? '.q-down' : '.q-up'].map((c) => row?.querySelector(c))
      .find((x) => x && getComputedStyle(x).visibility !== 'hidden')?.focus();
  }
  else if (b.classList.contains('q-rm')) removeAt(k);
});

// Dragging a grip moves its row among the others as the pointer passes
// their middles; letting go commits the move to the queue.
list.addEventListener('pointerdown', (e) => {
  const li = e.target.closest('.grip')?.closest('li');
  if (!li) return;
  e.preventDefault();
  const from = +li.dataset.i, first = +list.firstElementChild.dataset.i;
  li.classList.add('dragging');
  list.setPointerCapture(e.pointerId); // the list: a row loses capture when it moves
  const move = (ev) => {
    const to = [...list.children].find((o) => o !== li && ev.clientY < o.getBoundingClientRect().top + o.offsetHeight / 2);
    if (!to) { if (list.lastElementChild !== li) list.append(li); }
    else if (li.nextElementSibling !== to) to.before(li);
  };
  const up = () => {
    list.removeEventListener('pointermove', move);
    list.removeEventListener('pointerup', up);
    list.removeEventListener('pointercancel', up);
    li.classList.remove('dragging');
    const to = first + [...list.children].indexOf(li);
    if (to !== from) Q.move(from, to);
    else render();
  };
  list.addEventListener('pointermove', move);
  list.addEventListener('pointerup', up);
  list.addEventListener('pointercancel', up);
});

// ---- the rows' "more" menu ----

let menuTrack = null, menuFrom = null;
const openHooks = [];

// onMenuOpen calls f(button) whenever the rows' ⋯ menu opens from button
// (its data-more-id names the track), before the menu is placed: other
// modules show or hide their own items in it there.
export const onMenuOpen = (f) => openHooks.push(f);

// menuButton returns the ⋯ button the open menu came from, or null.
export const menuButton = () => (menu.hidden ? null : menuFrom);

async function openMenu(b) {
  const id = b.dataset.moreId;
  menuTrack = queueOf(b.closest('ul')).find((t) => t.id === id) || null;
  menuFrom = b;
  for (const f of openHooks) f(b);
  const r = b.getBoundingClientRect();
  menu.hidden = false;
  menu.style.top = `${Math.min(r.bottom, innerHeight - menu.offsetHeight - 8)}px`;
  menu.style.left = `${Math.max(8, Math.min(r.right - menu.offsetWidth, innerWidth - menu.offsetWidth - 8))}px`;
  b.setAttribute('aria-expanded', 'true');
  menu.querySelector('button').focus();
  if (!menuTrack) {
    try { menuTrack = await Q.track(id); } catch (e) { toast(`Couldn't find the track: ${e.message}`); closeMenu(); }
  }
}

// closeMenu closes the rows' ⋯ menu, giving the focus back to its button
// when refocus is set.
export function closeMenu(refocus) {
  if (menu.hidden) return;
  menu.hidden = true;
  menuFrom?.removeAttribute('aria-expanded');
  if (refocus) menuFrom?.focus();
}

// Capture, so that the row under the button does not play as well.
document.addEventListener('click', (e) => {
  const b = e.target.closest?.('[data-more-id]');
  if (b) {
    e.stopPropagation();
    e.preventDefault();
    if (!menu.hidden && menuFrom === b) closeMenu(true);
    else openMenu(b);
  } else if (!menu.contains(e.target)) closeMenu();
}, true);
menu.addEventListener('click', (e) => {
  const act = e.target.closest('[data-act]')?.dataset.act;
  if (!act || !menuTrack) return;
  if (act === 'next') Q.playNext(menuTrack);
  else if (act === 'add') Q.add(menuTrack);
  else return; // another module's item
  toast(act === 'next' ? `“${titleOf(menuTrack)}” plays next` : `Added “${titleOf(menuTrack)}” to the queue`);
  closeMenu(true);
});
menu.addEventListener('keydown', (e) => {
  const items = [...menu.querySelectorAll('button:not([hidden])')], k = items.indexOf(document.activeElement);
  if (e.key === 'Escape') { e.stopPropagation(); closeMenu(true); }
  else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    items[(k + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
  }
});
addEventListener('scroll', () => closeMenu(), { passive: true });
// The menu closes when focus leaves it (Tab, a click elsewhere); a press in
// it keeps the focus where it is, as browsers that don't focus a pressed
// button would otherwise close it before the click.
// (A press on the ⋯ button that opened it is left to the click, which
// toggles the menu.)
let pressingOpener = false;
document.addEventListener('pointerdown', (e) => { pressingOpener = !menu.hidden && !!menuFrom?.contains(e.target); }, true);
menu.addEventListener('focusout', (e) => {
  if (menu.contains(e.relatedTarget) || (pressingOpener && e.relatedTarget === menuFrom)) return;
  closeMenu();
});
menu.addEventListener('mousedown', (e) => e.preventDefault());
