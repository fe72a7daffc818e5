package web

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"earshot/player"
)

// playerInitScript runs src in every document the tab opens from now on,
// before the page's own scripts (Page.addScriptToEvaluateOnNewDocument).
func playerInitScript(src string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// phoneAlbumPage opens the real-audio album's page on a phone-sized screen
// and returns the album's track IDs in track order.
func phoneAlbumPage(t *testing.T, ctx context.Context, rs *realServer, before ...chromedp.Action[chromedp.Void]) []string {
	t.Helper()
	var ids []string
	for _, rt := range realTracks {
		ids = append(ids, rs.trackByPath(t, rt.spec.Path).ID)
	}
	steps := append(before,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(rs.URL+"/#/albums/"+player.AlbumID("Test Artist", "Test Album")),
		chromedp.WaitVisible(`#view [data-track-id="`+ids[0]+`"]`),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("open the album's page: %v", err)
	}
	return ids
}

// Page expressions the player tests read.
const (
	jsQueueIDs   = `JSON.parse(localStorage.getItem('earshot.queue')).ids`
	jsQueueIndex = `JSON.parse(localStorage.getItem('earshot.playstate')).index`
	jsPanelIDs   = `Array.from(document.querySelectorAll('#q-list li[data-i]'), li => li.querySelector('.t').textContent)`
)

// playingTrack is a page predicate: #audio plays track id past 0.3 s.
func playingTrack(id string) string {
	return `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/` + id + `/') && !a.paused && a.currentTime > 0.3 })()`
}

// TestBrowserQueue drives the queue on a phone: tapping a row queues the
// album; the panel lists it; move buttons, a touch drag, remove, the rows'
// "more" menu (Play next, Add to queue), shuffle, repeat all and one,
// clear; and the keyboard shortcuts n, p, space, ←, →, m, q and /, which
// leave a text field alone.
func TestBrowserQueue(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	ids := phoneAlbumPage(t, ctx, rs)
	titles := map[string]string{}
	for i, id := range ids {
		titles[id] = realTracks[i].title
	}
	click := func(what, sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
			t.Fatalf("click %s (%s): %v", what, sel, err)
		}
	}
	queueIs := func(what string, want ...string) {
		t.Helper()
		b, _ := json.Marshal(append([]string{}, want...))
		until(t, ctx, what, `JSON.stringify(`+jsQueueIDs+`) === `+jsString(string(b)))
	}
	panelIs := func(what string, want ...string) {
		t.Helper()
		var names []string
		for _, id := range want {
			names = append(names, titles[id])
		}
		until(t, ctx, what+" in the panel", `JSON.stringify(`+jsPanelIDs+`) === `+jsString(`["`+strings.Join(names, `","`)+`"]`))
	}

	// Tapping a row plays it, with the album as the queue.
	click("the second track", `#view [data-track-id="`+ids[1]+`"]`)
	until(t, ctx, "the second track to play", playingTrack(ids[1]))
	queueIs("the album as the queue", ids...)
	if i := eval[int](t, ctx, jsQueueIndex); i != 1 {
		t.Errorf("queue index = %d, want 1", i)
	}

	// The panel opens from a labelled button and fits the phone.
	if l := eval[string](t, ctx, `document.getElementById('queue-open').getAttribute('aria-label')`); l != "Queue" {
		t.Errorf("queue button label = %q", l)
	}
	click("the queue button", `#queue-open`)
	until(t, ctx, "the panel to open", `!document.getElementById('queue').hidden && document.getElementById('queue-open').getAttribute('aria-expanded') === 'true'`)
	panelIs("the album", ids...)
	if cur := eval[string](t, ctx, `document.querySelector('#q-list li[aria-current] .t').textContent`); cur != titles[ids[1]] {
		t.Errorf("current row in the panel = %q, want %q", cur, titles[ids[1]])
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %d px wide with the queue open", w)
	}
	if small := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#queue button'), b => b.getBoundingClientRect()).filter(r => r.width && (r.height < 44 || r.width < 44)).map(r => r.width + 'x' + r.height)`); len(small) > 0 {
		t.Errorf("queue panel buttons smaller than 44 px: %v", small)
	}
	if unlabelled := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#queue button, #player button'), b => b.getAttribute('aria-label') || b.textContent.trim() ? '' : b.outerHTML).filter(Boolean)`); len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}

	// Move buttons (keyboard-accessible): the first row down, then back up.
	click("move the first row down", `#q-list li[data-i="0"] .q-down`)
	queueIs("the first two swapped", ids[1], ids[0], ids[2], ids[3])
	panelIs("the first two swapped", ids[1], ids[0], ids[2], ids[3])
	if f := eval[string](t, ctx, `document.activeElement.closest('li') ? document.activeElement.closest('li').dataset.i + ' ' + document.activeElement.className : ''`); f != "1 ctl q-down" {
		t.Errorf("focus after moving down = %q, want the moved row's move-down button", f)
	}
	if i := eval[int](t, ctx, jsQueueIndex); i != 0 {
		t.Errorf("queue index after the move = %d, want 0 (the playing track moved up)", i)
	}
	click("move it back up", `#q-list li[data-i="1"] .q-up`)
	queueIs("the album order again", ids...)

	// A touch drag of the last row's grip to the top.
	touchDrag(t, ctx, `#q-list li[data-i="3"] .grip`, `#q-list li[data-i="0"]`)
	queueIs("the last row dragged to the top", ids[3], ids[0], ids[1], ids[2])
	panelIs("the dragged order", ids[3], ids[0], ids[1], ids[2])
	until(t, ctx, "the same track to play on", playingTrack(ids[1]))

	// Remove the first row (not the one playing).
	click("remove the first row", `#q-list li[data-i="0"] .q-rm`)
	queueIs("the first row removed", ids[0], ids[1], ids[2])

	// The rows' menu: inject the button the views add to each row.
	eval[any](t, ctx, `(() => { for (const b of document.querySelectorAll('#view [data-track-id]')) {
		const m = document.createElement('button'); m.type = 'button'; m.className = 'more';
		m.dataset.moreId = b.dataset.trackId; m.setAttribute('aria-label', 'More actions for ' + b.textContent);
		m.textContent = '⋯'; b.closest('li').append(m); } })()`)
	click("the queue's close button", `#q-close`)
	until(t, ctx, "the panel to close and focus its button", `document.getElementById('queue').hidden && document.activeElement.id === 'queue-open'`)
	click("the fourth row's more button", `#view [data-more-id="`+ids[3]+`"]`)
	until(t, ctx, "the menu", `!document.getElementById('more-menu').hidden && document.activeElement.dataset.act === 'next'`)
	click("Play next", `#more-menu [data-act="next"]`)
	queueIs("the fourth track after the current one", ids[0], ids[1], ids[3], ids[2])
	click("the first row's more button", `#view [data-more-id="`+ids[0]+`"]`)
	click("Add to queue", `#more-menu [data-act="add"]`)
	queueIs("the first track added at the end", ids[0], ids[1], ids[3], ids[2], ids[0])
	until(t, ctx, "the more button not to have played its row", playingTrack(ids[1]))

	// Shuffle keeps the current track first and the same tracks; off restores the order.
	click("the queue button", `#queue-open`)
	click("shuffle", `#q-shuffle`)
	until(t, ctx, "shuffle to be pressed", `document.getElementById('q-shuffle').getAttribute('aria-pressed') === 'true'`)
	shuffled := eval[[]string](t, ctx, jsQueueIDs)
	if len(shuffled) != 5 || shuffled[0] != ids[1] || eval[int](t, ctx, jsQueueIndex) != 0 {
		t.Errorf("shuffled queue = %v (index %d), want %s first and current", shuffled, eval[int](t, ctx, jsQueueIndex), ids[1])
	}
	sorted := slices.Clone(shuffled)
	slices.Sort(sorted)
	want := []string{ids[0], ids[1], ids[3], ids[2], ids[0]}
	slices.Sort(want)
	if !slices.Equal(sorted, want) {
		t.Errorf("shuffled queue holds %v, want %v", sorted, want)
	}
	click("shuffle off", `#q-shuffle`)
	queueIs("the order before shuffle", ids[0], ids[1], ids[3], ids[2], ids[0])
	until(t, ctx, "the index to follow the current track", jsQueueIndex+` === 1`)
	if *updateDocs {
		until(t, ctx, "a few seconds of playback for the picture", `document.getElementById('audio').currentTime > 12`)
		screenshot(t, ctx, "phone-queue.png")
	}

	// Clear leaves only the playing track.
	click("clear", `#q-clear`)
	queueIs("only the current track", ids[1])
	panelIs("only the current track", ids[1])

	// Repeat one: the track starts again at its end.
	click("repeat (all)", `#q-repeat`)
	click("repeat (one)", `#q-repeat`)
	until(t, ctx, "repeat one", `document.getElementById('q-repeat').getAttribute('aria-label') === 'Repeat: one' && document.getElementById('q-repeat').getAttribute('aria-pressed') === 'true'`)
	eval[any](t, ctx, `(() => { const a = document.getElementById('audio'); window.loops = 0; a.addEventListener('seeked', () => { if (a.currentTime < 1) window.loops++; }); a.currentTime = a.duration - 1.5; })()`)
	until(t, ctx, "the track to start again", `window.loops > 0 && `+playingTrack(ids[1]))

	// Repeat all: after the last track, the first.
	click("repeat (off)", `#q-repeat`)
	click("repeat (all)", `#q-repeat`)
	click("the queue's close button", `#q-close`)
	click("the fourth row's more button", `#view [data-more-id="`+ids[3]+`"]`)
	click("Add to queue", `#more-menu [data-act="add"]`)
	queueIs("two tracks", ids[1], ids[3])
	click("the queue button", `#queue-open`)
	eval[any](t, ctx, `document.querySelector('#q-list li[data-i="1"] .q-play').click()`)
	until(t, ctx, "the last track to play", playingTrack(ids[3]))
	eval[any](t, ctx, `(() => { const a = document.getElementById('audio'); a.currentTime = a.duration - 1.5; })()`)
	until(t, ctx, "the first track after the last", playingTrack(ids[1]))

	// Keyboard: n, p, space, q (with focus on the page, not in a text field).
	eval[any](t, ctx, `document.activeElement.blur()`)
	key := func(k string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	key("n")
	until(t, ctx, "n to play the next track", playingTrack(ids[3]))
	key("p")
	until(t, ctx, "p to play the previous track", playingTrack(ids[1]))
	key(" ")
	until(t, ctx, "space to pause", `document.getElementById('audio').paused && document.getElementById('play').getAttribute('aria-label') === 'Play'`)
	key(" ")
	until(t, ctx, "space to play again", `!document.getElementById('audio').paused`)
	until(t, ctx, "playback past 1 s", `document.getElementById('audio').currentTime > 1`)
	before := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
	key(kb.ArrowRight)
	until(t, ctx, "→ to seek 5 s on", `(() => { const a = document.getElementById('audio'); return a.currentTime > `+ftoa(before+4.5)+` && a.currentTime < `+ftoa(before+7)+` })()`)
	before = eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
	key(kb.ArrowLeft)
	until(t, ctx, "← to seek 5 s back", `(() => { const a = document.getElementById('audio'); return a.currentTime < `+ftoa(before-3)+` && a.currentTime > `+ftoa(before-6)+` })()`)
	key("m")
	until(t, ctx, "m to mute", `document.getElementById('audio').muted`)
	key("m")
	until(t, ctx, "m to unmute", `!document.getElementById('audio').muted`)
	key("q")
	until(t, ctx, "q to close the queue", `document.getElementById('queue').hidden`)
	// It was opened by its button, so focus went back there; leave it.
	if f := eval[string](t, ctx, `document.activeElement.id`); f != "queue-open" {
		t.Errorf("focus after closing the queue = %q, want queue-open, which opened it", f)
	}
	eval[any](t, ctx, `document.activeElement.blur()`)
	key("q")
	until(t, ctx, "q to open the queue", `!document.getElementById('queue').hidden`)
	key("q")
	until(t, ctx, "q to close the queue again", `document.getElementById('queue').hidden`)
	// q opened the queue from the page and closing gave focus back to the
	// page. On a button a character key is not a shortcut (WCAG 2.1.4), so
	// typing m there does not mute, nor / search.
	if f := eval[string](t, ctx, `document.activeElement === document.body ? 'body' : document.activeElement.id`); f != "body" {
		t.Errorf("focus after closing the queue by q = %q, want the page (body), where it was", f)
	}
	eval[any](t, ctx, `document.getElementById('queue-open').focus()`)
	key("m")
	key("/")
	if eval[bool](t, ctx, `document.getElementById('audio').muted || document.activeElement.id === 'search'`) {
		t.Error("m or / acted as a shortcut while a button had focus")
	}
	eval[any](t, ctx, `document.activeElement.blur()`)
	key("/")
	until(t, ctx, "/ to focus the search field", `document.activeElement.id === 'search'`)
	// (CDP sends the "/" character as its own event, which the keydown's
	// preventDefault cannot stop, unlike a real key press: clear it.)
	eval[any](t, ctx, `document.getElementById('search').value = ''`)
	key("n")
	if v := eval[string](t, ctx, `document.getElementById('search').value`); v != "n" {
		t.Errorf("typing n in the search field gave %q: a shortcut took the key", v)
	}
	if src := eval[string](t, ctx, `document.getElementById('audio').currentSrc`); !strings.Contains(src, "/"+ids[1]+"/") {
		t.Errorf("typing n in the search field changed the track to %s", src)
	}

	// Removing the track playing plays the one after it; removing the last stops.
	click("the queue button", `#queue-open`)
	queueIs("two tracks", ids[1], ids[3])
	click("remove the track playing", `#q-list li[aria-current] .q-rm`)
	queueIs("one track", ids[3])
	until(t, ctx, "the next track to play", playingTrack(ids[3]))
	click("remove the last track", `#q-list li[aria-current] .q-rm`)
	queueIs("an empty queue")
	until(t, ctx, "the player to stop", `document.getElementById('audio').paused && document.getElementById('np-title').textContent === 'Nothing playing' && !!document.querySelector('#q-list .q-empty')`)
}

// touchDrag drags from the middle of the element from to the top quarter
// of the element to, with touch events in steps, as a finger would.
func touchDrag(t *testing.T, ctx context.Context, from, to string) {
	t.Helper()
	pt := func(sel, frac string) [2]float64 {
		v := eval[[]float64](t, ctx, `(() => { const r = document.querySelector('`+sel+`').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height * `+frac+`] })()`)
		return [2]float64{v[0], v[1]}
	}
	a, b := pt(from, "0.5"), pt(to, "0.25")
	touch := func(typ input.DispatchTouchEventType, p [2]float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			pts := []*input.TouchPoint{{X: p[0], Y: p[1]}}
			if typ == input.DispatchTouchEventTypeTouchEnd {
				pts = []*input.TouchPoint{}
			}
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, a)}
	for i := 1; i <= 10; i++ {
		f := float64(i) / 10
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, [2]float64{a[0], a[1] + (b[1]-a[1])*f}))
	}
	steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd, b))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("touch drag %s → %s: %v", from, to, err)
	}
}
