package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// axePath is axe-core's browser build, installed by `npm ci --prefix
// web/e2e` (its licence, MPL-2.0, is in the package beside it).
const axePath = "e2e/node_modules/axe-core/axe.min.js"

// axeTags are the axe-core rule tags the audit runs: WCAG 2.0, 2.1 and 2.2
// levels A and AA, and Deque's best practices.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']`

// a11yLibrary is a small library with every kind of view: two artists,
// two albums, two genres, folders, songs with and without covers, a
// video, and a file that can't be read (for the Problems view). It returns the library and the first album's ID.
func a11yLibrary(t *testing.T) (*player.Library, string) {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	var specs []playertest.Spec
	for i, s := range []struct{ artist, album, genre, title string }{
		{"Ada Lyon", "Porch Light", "Jazz", "Morning Song"},
		{"Ada Lyon", "Porch Light", "Jazz", "Second Song"},
		{"Ada Lyon", "Porch Light", "Jazz", "Last Song of the Night"},
		{"Bea Moss", "Kitchen Radio", "Folk", "Radio Song"},
		{"Bea Moss", "Kitchen Radio", "Folk", "Across the Hall"},
	} {
		specs = append(specs, playertest.Spec{
			Path: s.artist + "/" + s.album + "/" + string(rune('1'+i)) + " " + s.title + ".mp3", Kind: playertest.MP3CBR,
			Seconds: 30, Cover: i != 1,
			Tags: map[string]string{"title": s.title, "artist": s.artist, "album": s.album, "genre": s.genre,
				"track": string(rune('1' + i%3)), "date": "2004"},
		})
	}
	specs = append(specs, playertest.Spec{Path: "Videos/Garden Walk.mp4", Kind: playertest.H264})
	playertest.Generate(t, dir, specs...)
	// A file that can't be read, for the Problems view.
	if err := os.WriteFile(filepath.Join(dir, "Bea Moss", "damaged.flac"), []byte("no FLAC in here"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != 5 || rep.Videos != 1 {
		t.Fatalf("Scan = %+v, %v; want 5 tracks and 1 video", rep, err)
	}
	return lib, player.AlbumID("Ada Lyon", "Porch Light")
}

// a11yState is one state of the page the audit checks: how to reach it
// from the previous one (JavaScript), and when it is ready.
type a11yState struct {
	name, do, ready string
}

// a11yStates are the page's views and states in the order the audit walks
// them: the six tabs and the Problems view, an album, search results, a track playing (its row
// marked), the queue open, a row's ⋯ menu open and the shortcut help.
func a11yStates(albumID string) []a11yState {
	rows := `document.querySelectorAll('#view [data-track-id]').length`
	return []a11yState{
		{"songs", `location.hash = '#/'`, rows + ` === 5`},
		{"albums", `location.hash = '#/albums'`, `document.querySelectorAll('#view [data-album-id]').length === 2`},
		{"artists", `location.hash = '#/artists'`, `document.querySelectorAll('#view [data-artist-id]').length === 2`},
		{"genres", `location.hash = '#/genres'`, `document.querySelectorAll('#view [data-genre-id]').length === 2`},
		{"folders", `location.hash = '#/folders'`, `document.querySelectorAll('#view .list [data-folder-path]').length >= 2`},
		{"problems", `location.hash = '#/problems'`, `document.querySelectorAll('#view .problem').length === 1`},
		{"videos", `location.hash = '#/videos'`, `document.querySelectorAll('#view [data-video-id]').length === 1`},
		{"album", `location.hash = '#/albums/` + albumID + `'`, `!!document.querySelector('#view .hero') && ` + rows + ` === 3`},
		// The live region says how many results there are.
		{"search", `location.hash = '#/search?q=song'`, rows + ` === 4 && document.getElementById('announce').textContent === '4 songs for “song”'`},
		{"playing", `(location.hash = '#/', new Promise(r => setTimeout(r, 0)))`, rows + ` === 5 && (document.querySelector('#view [data-track-id]').click(), true)`},
		{"queue", `document.getElementById('queue-open').click()`, `!document.getElementById('queue').hidden && document.querySelectorAll('#q-list .q-row').length === 5`},
		{"menu", `(document.getElementById('q-close').click(), document.querySelector('#view .more').click())`, `!document.getElementById('more-menu').hidden && document.activeElement.getAttribute('role') === 'menuitem'`},
		{"help", `(document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})), document.activeElement.blur(),
			document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '?', bubbles: true})))`, `!document.getElementById('keys-help').hidden && document.activeElement.id === 'keys-h'`},
	}
}

// playingNow is true once the first song plays and its row and the live
// region say so.
const playingNow = `(() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 0.2 &&
	!!document.querySelector('#view [data-track-id][aria-current="true"]') &&
	document.getElementById('announce').textContent === 'Now playing: Morning Song by Ada Lyon' })()`

// axeRun runs axe-core over the page and returns its violations, each as
// "rule (impact): nodes", those of serious or critical impact first in
// serious.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}, resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact, help: v.help,
	nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)),
})))`

// smallTargets lists the controls a pointer or finger can reach that are
// under 44×44 CSS px (WCAG 2.5.5's size; the audit asked for it): visible,
// not inert, in the window. Links inside a sentence are exempt, as in
// 2.5.5 and 2.5.8.
const smallTargets = `Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [role=menuitem], [tabindex="0"]'))
	.filter(e => !e.closest('[inert], [hidden]') && !e.matches('p a') && getComputedStyle(e).visibility !== 'hidden')
	.map(e => [e, e.getBoundingClientRect()])
	.filter(([e, r]) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth)
	.filter(([e, r]) => r.width < 43.5 || r.height < 43.5)
	.map(([e, r]) => (e.id || e.getAttribute('aria-label') || e.className || e.tagName) + ' ' + Math.round(r.width) + '×' + Math.round(r.height))`

// smallText lists visible text set under 12 CSS px.
const smallText = `(() => {
	const out = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = w.nextNode(); n; n = w.nextNode()) {
		const e = n.parentElement;
		if (!n.textContent.trim() || !e || e.closest('[inert], [hidden], script, style') || !e.getClientRects().length) continue;
		const s = getComputedStyle(e);
		if (s.visibility === 'hidden' || parseFloat(s.fontSize) >= 12) continue;
		out.push(JSON.stringify(n.textContent.trim().slice(0, 30)) + ' ' + s.fontSize);
	}
	return out;
})()`

// hiddenStops lists the focusable elements outside the open queue panel
// that it covers (on a desktop, where it is not modal).
const hiddenStops = `(() => {
	const q = document.getElementById('queue').getBoundingClientRect();
	return Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]'))
		.filter(e => !document.getElementById('queue').contains(e) && !e.closest('[inert], [hidden]'))
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width > 0 && r.height > 0 && r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top)
		.map(([e]) => e.id || e.getAttribute('aria-label') || e.className);
})()`

// darkTheme switches the page in tb to its dark theme: Chromium emulates
// prefers-color-scheme: dark (CDP); Firefox's WebDriver BiDi has no media
// emulation, so there the page's own prefers-color-scheme: dark rules are
// switched on through the CSSOM (which the CSP does not govern) and the
// root's color-scheme set to dark, as the media query would.
func darkTheme(t *testing.T, tb tab) {
	t.Helper()
	if c, ok := tb.(chromiumTab); ok {
		dark := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		})
		if err := chromedp.Do(c.ctx, dark); err != nil {
			t.Fatalf("emulate the dark theme: %v", err)
		}
	} else {
		n := tabEval[int](t, tb, `(() => { let n = 0;
			for (const s of document.styleSheets) for (const r of s.cssRules)
				if (r.media && /prefers-color-scheme:\s*dark/.test(r.media.mediaText)) { r.media.mediaText = 'all'; n++; }
			document.documentElement.style.colorScheme = 'dark';
			return n; })()`)
		if n == 0 {
			t.Fatal("no prefers-color-scheme: dark rule in the page's style sheets")
		}
	}
	tabUntil(t, tb, 5*time.Second, "the dark theme", `getComputedStyle(document.body).backgroundColor === 'rgb(18, 18, 20)'`)
}

// TestBrowserA11y audits every view and state of the page (a11yStates)
// with axe-core, in Chromium and Firefox, at desktop and phone size, in the light
// and the dark theme: no violation of serious or critical impact, no
// control under 44×44 px, no text under 12 px, and with the queue open no
// control hidden behind it on a desktop, the rest of the page inert on a
// phone. axe is injected through the automation protocol (tab.Eval), so
// the page's CSP stays as it is.
func TestBrowserA11y(t *testing.T) {
	es := engines(t)
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (run npm ci --prefix web/e2e): %v", err)
	}
	if lic, err := os.ReadFile(filepath.Join(filepath.Dir(axePath), "LICENSE")); err != nil || !strings.Contains(string(lic), "Mozilla Public License") {
		t.Fatalf("axe-core's licence (MPL-2.0) is not beside it: %v", err)
	}
	lib, albumID := a11yLibrary(t)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	inject := "(() => {\n" + string(axe) + "\n;return typeof axe.run })()"

	for _, e := range es {
		if e.name == "webkit" {
			// The issue asks for axe in Chromium and Firefox. In WebKit the
			// light runs passed, but the dark ones twice missed the
			// "playing" state's condition within 20 s (the song played,
			// reloaded at #t=); not yet looked into.
			continue
		}
		for _, vp := range []viewport{desktopSize, phoneSize} {
			for _, theme := range []string{"light", "dark"} {
				t.Run(e.name+"/"+vp.name+"/"+theme, func(t *testing.T) {
					tb := e.open(t, srv.URL+"/", vp)
					tabUntil(t, tb, 20*time.Second, "the Songs list", `document.querySelectorAll('#view [data-track-id]').length === 5`)
					if theme == "dark" {
						darkTheme(t, tb)
					}
					if got := tabEval[string](t, tb, inject); got != "function" {
						t.Fatalf("axe did not load: typeof axe.run = %q", got)
					}
					for _, st := range a11yStates(albumID) {
						if err := tb.Eval(st.do, nil); err != nil {
							t.Fatalf("%s: %v", st.name, err)
						}
						tabUntil(t, tb, 20*time.Second, st.name, st.ready)
						auditState(t, tb, st.name, vp)
					}
				})
			}
		}
	}
}

// auditState checks the page in tb in state name at size vp (see
// [TestBrowserA11y]).
func auditState(t *testing.T, tb tab, name string, vp viewport) {
	t.Helper()
	switch name {
	case "playing":
		tabUntil(t, tb, 20*time.Second, "the first song to play, marked and announced", playingNow)
	case "queue":
		modal := tabEval[string](t, tb, `document.getElementById('queue').getAttribute('aria-modal') + ' ' + ['top', 'main', 'player', 'skip'].filter(id => document.getElementById(id).inert).join(',')`)
		if vp.w < 1000 && modal != "true top,main,player,skip" {
			t.Errorf("queue: aria-modal and inert = %q, want true and top, main, player, skip inert", modal)
		} else if vp.w >= 1000 {
			if modal != "false " {
				t.Errorf("queue: aria-modal and inert = %q, want a non-modal panel (false, nothing inert)", modal)
			}
			if hidden := tabEval[[]string](t, tb, hiddenStops); len(hidden) > 0 {
				t.Errorf("queue: controls behind the panel: %v", hidden)
			}
		}
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []string
	}
	var vs []violation
	if err := tb.Eval(axeRun, &vs); err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	minor := 0
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: axe %s (%s): %s\n\t%s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		} else {
			minor++
			t.Logf("%s: axe %s (%s): %s (%d nodes)", name, v.ID, v.Impact, v.Help, len(v.Nodes))
		}
	}
	if small := tabEval[[]string](t, tb, smallTargets); len(small) > 0 {
		t.Errorf("%s: targets under 44×44 px: %v", name, small)
	}
	if small := tabEval[[]string](t, tb, smallText); len(small) > 0 {
		t.Errorf("%s: text under 12 px: %v", name, small)
	}
	t.Logf("%s: %d axe violations, %d of moderate or minor impact", name, len(vs), minor)
}
