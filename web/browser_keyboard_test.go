package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusShown describes where focus is when it is not on an element the
// user can see: "" when it is, else "none" (on the page itself), or the
// element and why (hidden, inert, out of the window, covered by another).
const focusShown = `(() => {
	const a = document.activeElement;
	if (!a || a === document.body) return 'none';
	const name = a.id || a.getAttribute('aria-label') || a.className || a.tagName;
	const r = a.getBoundingClientRect();
	if (r.width < 1 || r.height < 1 || getComputedStyle(a).visibility === 'hidden' || a.closest('[hidden]')) return name + ': hidden';
	if (a.closest('[inert]')) return name + ': inert';
	const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
	if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return name + ': out of the window';
	const e = document.elementFromPoint(x, y);
	if (!e || !(a.contains(e) || e.contains(a))) return name + ': covered by ' + (e ? e.id || e.className || e.tagName : 'nothing');
	return '';
})()`

// TestBrowserKeyboard uses the page with the keyboard alone, in Chromium
// with real key events: from page load the skip link reaches Play in at
// most 3 Tab presses; Tab down to a song and Enter plays it; the skip
// link and Tab reach the Queue button, Enter opens the queue, Tab reaches
// a row's ↑ and Enter moves it up; Escape closes the queue. After every
// key, focus is on an element that is visible, in the window and not
// covered. Then, on a phone, Tab stays inside the open queue (a modal
// dialog) and Escape gives focus back.
func TestBrowserKeyboard(t *testing.T) {
	lib, _ := a11yLibrary(t)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)

	t.Run("desktop", func(t *testing.T) {
		ctx := newBrowser(t)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#view [data-track-id]`)); err != nil {
			t.Fatalf("open the page: %v", err)
		}
		k := keyboard(t, ctx)

		// The skip link is the first stop and Enter on it focuses Play.
		tabs := 0
		for ; tabs < 3 && eval[string](t, ctx, `document.activeElement.id`) != "play"; tabs++ {
			k.press(kb.Tab, 0)
			if tabs == 0 {
				if id := eval[string](t, ctx, `document.activeElement.id`); id != "skip" {
					t.Fatalf("first Tab stop = %q, want the skip link", id)
				}
				k.press(kb.Enter, 0)
			}
		}
		if id := eval[string](t, ctx, `document.activeElement.id`); id != "play" {
			t.Fatalf("after %d Tab presses focus is on %q, not Play", tabs, id)
		}
		t.Logf("Play reached with %d Tab press(es) and Enter on the skip link", tabs)

		// Back to the top (the skip link), then Tab to the first song and Enter.
		k.until(kb.Tab, chromedp.ModifierShift, 30, "the skip link", `document.activeElement.id === 'skip'`)
		k.until(kb.Tab, 0, 20, "the first song", `document.activeElement.matches('#view [data-track-id]')`)
		song := eval[string](t, ctx, `document.activeElement.dataset.trackId`)
		k.press(kb.Enter, 0)
		until(t, ctx, "the song to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/`+song+`/') && !a.paused && a.currentTime > 0.2 })()`)

		// Open the queue from the player: skip link, Play, Tab to Queue, Enter.
		k.until(kb.Tab, chromedp.ModifierShift, 30, "the skip link", `document.activeElement.id === 'skip'`)
		k.press(kb.Enter, 0)
		k.until(kb.Tab, 0, 3, "the Queue button", `document.activeElement.id === 'queue-open'`)
		k.press(kb.Enter, 0)
		until(t, ctx, "the queue to open with focus on its heading", `!document.getElementById('queue').hidden && document.activeElement.id === 'queue-h'`)
		k.check("the queue's heading")

		// Move the second row up.
		k.until(kb.Tab, 0, 15, "the second row's ↑", `document.activeElement.matches('#q-list li[data-i="1"] .q-up')`)
		title := eval[string](t, ctx, `document.querySelector('#q-list li[data-i="1"] .t').textContent`)
		k.press(kb.Enter, 0)
		until(t, ctx, "the row to move up, focus following it", `document.querySelector('#q-list li[data-i="0"] .t').textContent === `+jsString(title)+` && document.activeElement.matches('#q-list li[data-i="0"] .q-down')`)
		k.check("the moved row's ↓")
		t.Logf("moved %q up", title)

		// Escape closes the queue; focus goes back to the Queue button.
		k.press(kb.Escape, 0)
		until(t, ctx, "the queue to close, focus on its button", `document.getElementById('queue').hidden && document.activeElement.id === 'queue-open'`)
		k.check("the Queue button")
	})

	t.Run("phone", func(t *testing.T) {
		ctx := newBrowser(t)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile),
			chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#view [data-track-id]`)); err != nil {
			t.Fatalf("open the page: %v", err)
		}
		k := keyboard(t, ctx)
		k.press(kb.Tab, 0)
		k.press(kb.Enter, 0)
		k.until(kb.Tab, 0, 3, "the Queue button", `document.activeElement.id === 'queue-open'`)
		k.press(kb.Enter, 0)
		until(t, ctx, "the queue to open as a modal dialog", `document.getElementById('queue').getAttribute('aria-modal') === 'true' && document.activeElement.id === 'queue-h'`)
		// Twice round the dialog's stops (the queue is empty: 4 buttons):
		// focus may pass through the browser's own UI (no element of the
		// page), never to an element outside the dialog.
		for i := 0; i < 10; i++ {
			k.send(kb.Tab, 0)
			if out := eval[string](t, ctx, `(() => { const a = document.activeElement; return !a || a === document.body || document.getElementById('queue').contains(a) ? '' : a.outerHTML.slice(0, 80) })()`); out != "" {
				t.Fatalf("Tab %d left the modal queue for %s", i+1, out)
			}
		}
		if !eval[bool](t, ctx, `document.getElementById('queue').contains(document.activeElement)`) {
			k.send(kb.Tab, 0) // out of the browser's UI, back into the dialog
		}
		k.check("a stop of the queue")
		k.press(kb.Escape, 0)
		until(t, ctx, "the queue to close, focus back on its button", `document.getElementById('queue').hidden && document.activeElement.id === 'queue-open'`)
		k.check("the Queue button")
	})
}

// keys sends real key events to a page and checks the focus after each.
type keys struct {
	t   *testing.T
	ctx context.Context
}

func keyboard(t *testing.T, ctx context.Context) keys { return keys{t, ctx} }

// press sends key with modifiers and fails the test unless focus then is
// on a visible element (focusShown).
func (k keys) press(key string, mods chromedp.Modifier) {
	k.t.Helper()
	k.send(key, mods)
	k.check("after key " + key)
}

// send sends key with modifiers.
func (k keys) send(key string, mods chromedp.Modifier) {
	k.t.Helper()
	if err := chromedp.Do(k.ctx, chromedp.KeyEvent(key, chromedp.KeyModifiers(mods))); err != nil {
		k.t.Fatalf("key %q: %v", key, err)
	}
}

// check fails the test unless focus is on a visible element.
func (k keys) check(what string) {
	k.t.Helper()
	if bad := eval[string](k.t, k.ctx, focusShown); bad != "" {
		k.t.Fatalf("%s: focus is not on a visible element: %s", what, bad)
	}
}

// until presses key (with mods) at most n times until the JavaScript
// predicate holds, failing the test with what when it does not.
func (k keys) until(key string, mods chromedp.Modifier, n int, what, expr string) {
	k.t.Helper()
	for i := 0; i < n; i++ {
		k.press(key, mods)
		if eval[bool](k.t, k.ctx, expr) {
			return
		}
	}
	k.t.Fatalf("%d presses of %q did not reach %s (%s); focus on %s", n, key, what, expr, eval[string](k.t, k.ctx, `document.activeElement.outerHTML.slice(0, 120)`))
}
