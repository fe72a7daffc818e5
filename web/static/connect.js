// "Connect an app": passwords for the music apps that speak the Subsonic
// API (Symfonium, DSub, Ultrasonic, play:Sub, Amperfy, Feishin…), made and
// revoked through /api/app-passwords (web/apppasswords.go), as the
// window's "Connect an app…" does. The dialog shows what to type into the
// app (the server URL, the user name, and the new password, once) and
// lists the app passwords, each with Revoke. It opens from the queue
// panel's foot (#connect-open). The look is connect.css's.
import { $, el } from './dom.js';
import { getJSON, send } from './api.js';
import { announce, openDialog, closeDialog } from './a11y.js';

const API = '/api/app-passwords';
const X = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>';

// The dialog's fixed markup; every name and value is set as text.
const SHELL = `<div class="kh-head"><h2 id="cn-h" tabindex="-1">Connect an app</h2>
<button id="cn-close" class="ctl" type="button" aria-label="Close Connect an app">${X}</button></div>
<p class="cn-intro">Music apps that speak Subsonic (Symfonium, DSub, Ultrasonic, play:Sub, Amperfy, Feishin…) log in with a server address, a user name and a password. Make a password for each app; revoking it locks that app out.</p>
<form id="cn-form" class="cn-form">
<label for="cn-name">App name</label>
<div class="cn-row"><input id="cn-name" maxlength="100" autocomplete="off" autocapitalize="off" placeholder="Symfonium on my phone" required>
<button id="cn-make" class="cn-btn" type="submit">Create password</button></div>
<p id="cn-err" class="cn-err" role="alert" hidden></p>
</form>
<section id="cn-made" class="cn-made" aria-labelledby="cn-made-h" hidden>
<h3 id="cn-made-h" tabindex="-1"></h3>
<dl><dt>Server</dt><dd id="cn-url"></dd><dt>User name</dt><dd id="cn-user"></dd><dt>Password</dt><dd id="cn-pw"></dd></dl>
<p class="cn-once">The password is shown only now. Type it into the app, or make a new one later.</p>
</section>
<h3 id="cn-list-h">App passwords</h3>
<p id="cn-none" class="cn-none">None yet.</p>
<ul id="cn-list" class="cn-list" aria-labelledby="cn-list-h"></ul>`;

let dlg = null;       // the dialog, built when first opened
let serverURL = '';   // the LAN address an app on another device uses

// appURL is where an app should connect: this page's own address, unless
// that is this computer's loopback one, which a phone cannot reach.
function appURL() {
  const loop = /^(localhost|127\.[\d.]+|\[::1\])$/.test(location.hostname);
  return loop && serverURL ? serverURL : location.origin;
}

// build makes the dialog and wires it.
function build() {
  dlg = el('section', 'connect');
  Object.assign(dlg, { id: 'connect', hidden: true });
  dlg.setAttribute('role', 'dialog');
  dlg.setAttribute('aria-labelledby', 'cn-h');
  dlg.innerHTML = SHELL;
  document.body.append(dlg);
  $('cn-close').addEventListener('click', () => toggleConnect(false));
  dlg.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); toggleConnect(false); } });
  $('cn-form').addEventListener('submit', (e) => { e.preventDefault(); create(); });
}

// showError says msg under the form ('' hides it).
function showError(msg) {
  $('cn-err').textContent = msg;
  $('cn-err').hidden = !msg;
}

// refresh lists the app passwords, newest last, each with Revoke.
async function refresh() {
  let body;
  try {
    body = await getJSON(API);
  } catch (err) {
    showError(err.message);
    return;
  }
  serverURL = body.serverUrl || '';
  const list = $('cn-list');
  list.replaceChildren(...(body.appPasswords || []).map((p) => {
    const li = el('li', 'cn-item');
    li.dataset.id = p.id;
    const text = el('div', 'cn-text');
    text.append(el('span', 'cn-name', p.name), el('span', 'cn-date', `Made ${new Date(p.created).toLocaleDateString()}`));
    const b = el('button', 'cn-btn cn-revoke', 'Revoke');
    b.type = 'button';
    b.setAttribute('aria-label', `Revoke ${p.name}`);
    b.addEventListener('click', () => revoke(p));
    li.append(text, b);
    return li;
  }));
  $('cn-none').hidden = list.children.length > 0;
}

// create makes an app password named as typed and shows it.
async function create() {
  const name = $('cn-name').value.trim();
  if (!name) { showError('Give the app a name, such as "Symfonium on my phone".'); return; }
  showError('');
  $('cn-make').disabled = true;
  try {
    const p = await send('POST', API, { name });
    $('cn-made-h').textContent = `Type these into ${p.name}`;
    $('cn-url').textContent = appURL();
    $('cn-user').textContent = p.user;
    $('cn-pw').textContent = p.password;
    $('cn-made').hidden = false;
    $('cn-name').value = '';
    $('cn-made-h').focus();
    await refresh();
  } catch (err) {
    showError(err.message);
  } finally {
    $('cn-make').disabled = false;
  }
}

// revoke revokes app password p: its app is locked out at its next request.
async function revoke(p) {
  try {
    await send('DELETE', `${API}/${encodeURIComponent(p.id)}`);
  } catch (err) {
    showError(err.message);
    return;
  }
  announce(`Revoked ${p.name}`);
  await refresh();
  $('cn-name').focus();
}

// toggleConnect opens or closes the dialog; opening lists the passwords
// and forgets any password shown before.
export function toggleConnect(open = !dlg || dlg.hidden) {
  if (!dlg) build();
  if (open === !dlg.hidden) return;
  dlg.hidden = !open;
  if (open) {
    $('cn-made').hidden = true;
    $('cn-pw').textContent = '';
    showError('');
    openDialog(dlg, () => toggleConnect(false));
    $('cn-h').focus();
    refresh();
  } else closeDialog(dlg, $('queue-open'));
}

$('connect-open')?.addEventListener('click', () => toggleConnect(true));
