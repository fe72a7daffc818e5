// Playlists (issue 14): the Playlists view (#/playlists), a playlist's page
// (#/playlists/{id}), "Add to playlist…" in the rows' ⋯ menu and "Save
// queue as playlist" in the queue panel. The playlists people make change
// through /api/playlists (POST, PUT, DELETE with JSON bodies); the library's
// playlist files (.m3u, .m3u8, .pls; IDs "file-…") are read-only. A change
// is shown once the server took it (a reorder at once, undone if refused);
// a refusal is a toast and leaves nothing half-done.
import { $, el, link, toast, titleOf } from './dom.js';
import { clock, count, plural } from './format.js';
import { getJSON, send } from './api.js';
import { trackList, setTracks, hero, heading } from './views.js';
import * as Q from './queue.js';
import { onMenuOpen, menuButton, closeMenu } from './queueview.js';
import { openDialog, closeDialog } from './a11y.js';

const API = '/api/playlists';
const enc = encodeURIComponent;
const pages = new WeakMap(); // an own playlist's track <ul> → {move(i, to), remove(i)}

// playlistHref is the route of playlist id's page.
export const playlistHref = (id) => `#/playlists/${enc(id)}`;

function button(cls, text, label) {
  const b = el('button', cls, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  return b;
}

// ---- the dialog: a name, a choice, a confirmation ----

// dialog opens a modal dialog titled title; fill(done) returns its body
// and calls done(value) to close it. It resolves to that value, or to null
// when closed by Cancel, Escape or the scrim.
function dialog(title, fill) {
  return new Promise((resolve) => {
    const d = el('div', 'pl-dialog');
    d.setAttribute('role', 'dialog');
    const h = el('h2', '', title);
    h.id = 'pl-dialog-h';
    h.tabIndex = -1;
    d.setAttribute('aria-labelledby', h.id);
    let open = true;
    const done = (v) => {
      if (!open) return;
      open = false;
      d.hidden = true;
      closeDialog(d);
      d.remove();
      resolve(v);
    };
    const cancel = button('pl-btn', 'Cancel');
    cancel.addEventListener('click', () => done(null));
    d.append(h, fill(done, cancel));
    d.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); done(null); } });
    document.body.append(d);
    openDialog(d, () => done(null));
    const input = d.querySelector('input');
    if (input) { input.focus(); input.select(); } else h.focus();
  });
}

// askName asks for a playlist's name (value to start from); it resolves
// to the name, or null.
function askName(title, value, ok) {
  return dialog(title, (done, cancel) => {
    const f = el('form', 'pl-form');
    const label = el('label', '', 'Name');
    const input = el('input');
    Object.assign(input, { type: 'text', value, required: true, maxLength: 200, autocomplete: 'off' });
    label.append(input);
    const go = button('pl-btn pri', ok);
    go.type = 'submit';
    const row = el('div', 'pl-row');
    row.append(cancel, go);
    f.append(label, row);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input.value.trim()) done(input.value.trim());
    });
    return f;
  });
}

// confirmAction asks before what cannot be undone; it resolves to true or null.
function confirmAction(title, text, ok) {
  return dialog(title, (done, cancel) => {
    const f = el('div');
    const go = button('pl-btn pri', ok);
    go.addEventListener('click', () => done(true));
    const row = el('div', 'pl-row');
    row.append(cancel, go);
    f.append(el('p', '', text), row);
    return f;
  });
}

// addToPlaylist opens the "Add to playlist…" chooser for trackIds (an
// array of track IDs): one of the playlists people made, or "New
// playlist…" (then a name). The tracks are appended (POST
// /api/playlists/{id}/tracks) or make the new playlist (POST
// /api/playlists); a toast says "Added to <name>" or why not.
export async function addToPlaylist(trackIds) {
  let mine;
  try {
    mine = (await getJSON(API)).playlists || [];
  } catch (e) {
    toast(`Couldn't list the playlists: ${e.message}`);
    return;
  }
  const what = trackIds.length === 1 ? 'the song' : plural(trackIds.length, 'song');
  const pick = await dialog('Add to playlist', (done, cancel) => {
    const ul = el('ul', 'pl-choices');
    ul.setAttribute('aria-label', 'Playlists');
    const choice = (text, sub, v) => {
      const b = button('pl-choice');
      b.append(el('span', 't', text), el('span', 'sub', sub));
      b.addEventListener('click', () => done(v));
      const li = el('li');
      li.append(b);
      return li;
    };
    ul.append(choice('New playlist…', `A new playlist with ${what}`, 'new'),
      ...mine.map((p) => choice(p.name, plural(p.trackCount, 'track'), p)));
    const f = el('div');
    f.append(ul, cancel);
    return f;
  });
  if (!pick) return;
  try {
    let info;
    if (pick === 'new') {
      const name = await askName('New playlist', '', 'Create');
      if (!name) return;
      info = await send('POST', API, { name, trackIds });
    } else {
      info = await send('POST', `${API}/${enc(pick.id)}/tracks`, { trackIds });
    }
    toast(`Added to ${info?.name || pick.name}`);
  } catch (e) {
    toast(`Couldn't add to the playlist: ${e.message}`);
  }
}

// newPlaylist asks for a name and makes an empty playlist, then opens it.
async function newPlaylist() {
  const name = await askName('New playlist', '', 'Create');
  if (!name) return;
  try {
    const info = await send('POST', API, { name, trackIds: [] });
    location.hash = playlistHref(info.id);
  } catch (e) {
    toast(`Couldn't make the playlist: ${e.message}`);
  }
}

// ---- the views ----

const listIcon = (() => {
  const s = el('span', 'cover icon');
  s.setAttribute('aria-hidden', 'true');
  s.innerHTML = '<svg viewBox="0 0 24 24"><path d="M4 6h11M4 11h11M4 16h7M18 5v11"/><circle cx="15.5" cy="16.5" r="2.5"/></svg>';
  return s;
})();

// listOf lists playlists as links to their pages; files are marked so.
function listOf(ps, label, files) {
  const ul = el('ul', 'list');
  ul.setAttribute('role', 'list');
  ul.setAttribute('aria-label', label);
  ul.append(...ps.map((p) => {
    const a = link(playlistHref(p.id), 'row', 'playlistId', p.id);
    const text = el('span', 'text');
    const sub = [plural(p.trackCount, 'track'), p.duration > 0 && clock(p.duration), p.missing && `${count(p.missing)} missing`].filter(Boolean).join(' · ');
    text.append(el('span', 't', p.name || 'Untitled playlist'), el('span', 'sub', files ? `File · ${p.path} · ${sub}` : sub));
    a.append(listIcon.cloneNode(true), text);
    const li = el('li');
    li.append(a);
    return li;
  }));
  return ul;
}

// playlists is the Playlists view: the playlists people made (oldest
// first), then the library's playlist files, and a New playlist button.
export async function playlists() {
  const body = await getJSON(API);
  const mine = body.playlists || [], files = body.files || [];
  const bar = el('div', 'bar pl-bar');
  const nb = button('pl-btn pri', 'New playlist');
  nb.addEventListener('click', newPlaylist);
  bar.append(heading('Playlists'), nb);
  const nodes = [bar];
  if (mine.length) nodes.push(el('h3', 'h3', 'Your playlists'), listOf(mine, 'Your playlists', false));
  if (files.length) nodes.push(el('h3', 'h3', 'Playlist files'), listOf(files, 'Playlist files in the library', true));
  return { title: 'Playlists', nodes, userdata: ['playlists', 'moved'],
    empty: !mine.length && !files.length && 'No playlists yet. Make one here, or with Add to playlist… in a song’s ⋯ menu.' };
}

// playlist is a playlist's page: the hero (Play, Shuffle), for one people
// made Rename, Delete and Export .m3u8, and its tracks in order. Entries
// naming no track of the library are shown as missing, not played. Rows
// of a playlist people made reorder by their handle (pointer: mouse, pen,
// touch), by Alt+↑/↓ or by Move up/down in the ⋯ menu, and leave by
// Remove from playlist.
export async function playlist(id) {
  const p = await getJSON(`${API}/${enc(id)}`);
  const own = !p.readOnly, name = p.name || 'Untitled playlist';
  let ts = p.tracks || [];
  const playable = (xs) => xs.filter((t) => !t.missing);
  const pl = playable(ts), missing = ts.length - pl.length;
  // Play and Shuffle take the order on screen (a reorder shows at once).
  const h = hero(pl.find((t) => t.hasCover)?.id, own ? 'Playlist' : 'Playlist file', name,
    [plural(ts.length, 'track'), clock(pl.reduce((s, t) => s + (t.duration || 0), 0)), missing && `${count(missing)} missing`, !own && p.path],
    () => playable(ts), {});
  const nodes = [h];
  const ul = trackList(ts.slice(), `Tracks of ${name}`, { queue: pl, decorate: (li, t, i) => row(li, t, i, own) });
  ul.dataset.playlist = p.id;
  if (own) {
    nodes.push(actions(p, name, h));
    ownList(ul, p.id, () => ts, (next) => { ts = next; });
  }
  nodes.push(ul);
  return { title: name, nodes, queue: pl, userdata: ['playlists', 'moved'], empty: !ts.length && 'This playlist is empty. Add songs with Add to playlist… in their ⋯ menu.' };
}

// row completes a playlist's row: a missing entry is greyed, says where
// its file was and does not play; a row of one people made gets its drag
// handle, and a missing one a Remove button instead of the ⋯ menu.
function row(li, t, i, own) {
  if (t.missing) {
    li.classList.add('missing');
    const b = li.querySelector('.row');
    delete b.dataset.trackId;
    b.setAttribute('aria-disabled', 'true');
    b.querySelector('.sub').replaceChildren(el('span', 'ar', `Missing: ${t.path}`));
    const more = li.querySelector('.more');
    if (own) {
      const rm = button('more pl-rm', '×', `Remove ${titleOf(t)} from the playlist`);
      rm.dataset.plRemove = '';
      more.replaceWith(rm);
    } else more.replaceWith(el('span', 'pl-gap')); // the durations stay in line
  }
  if (own) {
    li.querySelector('.row').setAttribute('aria-keyshortcuts', 'Alt+ArrowUp Alt+ArrowDown');
    const grip = el('span', 'grip pl-grip');
    grip.setAttribute('aria-hidden', 'true');
    li.prepend(grip);
  }
}

// actions is the bar of Rename, Delete and Export .m3u8 of playlist p.
function actions(p, name, h) {
  const bar = el('div', 'pl-actions');
  const url = `${API}/${enc(p.id)}`;
  const rename = button('pl-btn', 'Rename');
  rename.addEventListener('click', async () => {
    const n = await askName('Rename playlist', name, 'Rename');
    if (!n || n === name) return;
    try {
      const info = await send('PUT', url, { name: n });
      name = info.name;
      h.querySelector('h2').textContent = name;
      toast(`Renamed to ${name}`);
    } catch (e) {
      toast(`Couldn't rename the playlist: ${e.message}`);
    }
  });
  const del = button('pl-btn', 'Delete');
  del.addEventListener('click', async () => {
    if (!await confirmAction('Delete playlist', `Delete “${name}”? Its songs stay in the library.`, 'Delete')) return;
    try {
      await send('DELETE', url);
      toast(`Deleted ${name}`);
      location.hash = '#/playlists';
    } catch (e) {
      toast(`Couldn't delete the playlist: ${e.message}`);
    }
  });
  const exp = link(`${url}.m3u8`, 'pl-btn');
  exp.textContent = 'Export .m3u8';
  exp.download = '';
  bar.append(rename, del, exp);
  return bar;
}

// ownList wires the reordering and removing of the rows of ul, playlist
// id's tracks (get returns them, set keeps a new order): each change is
// shown at once and PUT as the new trackIds, and undone if refused.
function ownList(ul, id, get, set) {
  const commit = async (next, focus, what) => {
    const prev = get();
    const put = (xs, at) => {
      set(xs);
      const li = setTracks(ul, xs.slice(), xs.filter((t) => !t.missing), at);
      if (at >= 0) li?.querySelector('.row')?.focus();
    };
    put(next, focus);
    ul.setAttribute('aria-busy', 'true'); // until the server has it
    try {
      await send('PUT', `${API}/${enc(id)}`, { trackIds: next.map((t) => t.id) });
      if (what) toast(what);
    } catch (e) {
      put(prev, -1);
      toast(`Couldn't change the playlist: ${e.message}`);
    } finally {
      ul.removeAttribute('aria-busy');
    }
  };
  const move = (i, to, focus) => {
    const xs = get().slice();
    if (to < 0 || to >= xs.length || to === i) return;
    xs.splice(to, 0, ...xs.splice(i, 1));
    commit(xs, focus ? to : -1);
  };
  const remove = (i) => {
    const xs = get().slice();
    const [t] = xs.splice(i, 1);
    commit(xs, -1, `Removed ${titleOf(t)} from the playlist`);
  };
  pages.set(ul, { move, remove, size: () => get().length });

  ul.addEventListener('click', (e) => {
    if (e.target.closest('.pl-grip')) e.stopPropagation(); // not the row's play
    else if (e.target.closest('[data-pl-remove]')) { e.stopPropagation(); remove(e.target.closest('li').posinset); }
  });
  ul.addEventListener('keydown', (e) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    const li = e.target.closest('li');
    if (!li) return;
    e.preventDefault();
    e.stopPropagation();
    move(li.posinset, li.posinset + (e.key === 'ArrowUp' ? -1 : 1), true);
  });
  // A handle's drag moves its row with the pointer; the rows it passes
  // make room; letting go commits the new place.
  ul.addEventListener('pointerdown', (e) => {
    const li = e.target.closest('.pl-grip')?.closest('li');
    if (!li || e.button > 0) return;
    e.preventDefault();
    const from = li.posinset, rh = li.offsetHeight, y0 = e.clientY, n = get().length;
    let to = from;
    ul.setPointerCapture(e.pointerId);
    li.classList.add('dragging');
    const drag = (ev) => {
      const dy = ev.clientY - y0;
      to = Math.max(0, Math.min(n - 1, Math.round(from + dy / rh)));
      li.style.transform = `translateY(${dy}px)`;
      for (const o of ul.children) {
        if (o === li) continue;
        const k = o.posinset, shift = from < k && k <= to ? -rh : to <= k && k < from ? rh : 0;
        o.style.transform = shift ? `translateY(${shift}px)` : '';
      }
    };
    const end = (ev) => {
      ul.removeEventListener('pointermove', drag);
      ul.removeEventListener('pointerup', end);
      ul.removeEventListener('pointercancel', end);
      li.classList.remove('dragging');
      for (const o of ul.children) o.style.transform = '';
      if (ev.type === 'pointerup' && to !== from) move(from, to, false);
    };
    ul.addEventListener('pointermove', drag);
    ul.addEventListener('pointerup', end);
    ul.addEventListener('pointercancel', end);
  });
}

// ---- the ⋯ menu and the queue panel ----

const menu = $('more-menu');
onMenuOpen((b) => {
  const page = pages.get(b.closest('ul')), i = b.closest('li')?.posinset;
  for (const x of menu.querySelectorAll('[data-act^="pl-"]')) x.hidden = !page;
  if (!page) return;
  menu.querySelector('[data-act="pl-up"]').hidden = i === 0;
  menu.querySelector('[data-act="pl-down"]').hidden = i === page.size() - 1;
});
menu.addEventListener('click', (e) => {
  const act = e.target.closest('[data-act]')?.dataset.act, b = menuButton();
  if (!b || !['playlist', 'pl-up', 'pl-down', 'pl-remove'].includes(act)) return;
  const page = pages.get(b.closest('ul')), i = b.closest('li')?.posinset;
  closeMenu(true);
  if (act === 'playlist') addToPlaylist([b.dataset.moreId]);
  else if (act === 'pl-remove') page?.remove(i);
  else page?.move(i, i + (act === 'pl-up' ? -1 : 1), true);
});

// "Save queue as playlist": the queue's tracks, in play order, as a new
// playlist (POST /api/playlists).
const save = button('q-text', 'Save', 'Save queue as playlist');
save.id = 'q-save';
save.addEventListener('click', async () => {
  const trackIds = Q.state().ids.slice();
  if (!trackIds.length) { toast('The queue is empty'); return; }
  const name = await askName('Save queue as playlist', '', 'Save');
  if (!name) return;
  try {
    const info = await send('POST', API, { name, trackIds });
    toast(`Saved the queue as ${info.name}`);
  } catch (e) {
    toast(`Couldn't save the queue: ${e.message}`);
  }
});
$('q-clear').before(save);
