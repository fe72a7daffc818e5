package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"earshot/player"
	"earshot/player/playertest"
)

// bigListTracks is the size of the library the list tests scroll through.
const bigListTracks = 50000

var (
	bigListOnce sync.Once
	bigListLib  *player.Library
)

// bigListLibrary returns a library of n tiny WAV files (10 ms each, no
// tags: titles come from the file names), built once per test binary from
// an in-memory fstest.MapFS, so no audio is encoded or written to disk.
func bigListLibrary(t testing.TB, n int) *player.Library {
	t.Helper()
	bigListOnce.Do(func() {
		wav := playertest.WAV(160)
		mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		fsys := make(fstest.MapFS, n)
		for i := range n {
			// Few folders: MapFS lists a folder by scanning every name.
			p := fmt.Sprintf("Artist %02d/%05d Song %d.wav", i/1000, i, i)
			fsys[p] = &fstest.MapFile{Data: wav, ModTime: mod}
		}
		lib := player.New(player.Options{})
		start := time.Now()
		rep, err := lib.Scan(context.Background(), player.Source{Name: "big", FS: fsys})
		if err != nil || rep.Tracks != n {
			t.Fatalf("Scan = %+v, %v; want %d tracks", rep, err, n)
		}
		t.Logf("scanned %d in-memory tracks in %v", n, time.Since(start).Round(time.Millisecond))
		bigListLib = lib
	})
	if bigListLib == nil {
		t.Fatal("the big library could not be built (see the first failure)")
	}
	return bigListLib
}

// listProbe runs in the page before its own scripts: it records long
// tasks (buffered, so none is missed) and the time from navigation start
// to the first frame with a track row in the view.
const listProbe = `
window.__probe = { first: 0, tasks: [] };
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) __probe.tasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
} catch (e) { __probe.noLongTasks = String(e); }
new MutationObserver((_, obs) => {
  if (!document.querySelector('#view [data-track-id]')) return;
  obs.disconnect();
  __probe.loadedAtFirst = +(document.querySelector('#view ul.vlist')?.dataset.loaded || 0);
  requestAnimationFrame(() => { __probe.first = performance.now(); });
}).observe(document, { childList: true, subtree: true });
`

// listScroll scrolls the window to the end of the page in 40 steps, two
// frames apart, counting the rows in the DOM after each; it returns the
// most rows seen and the state at the end.
const listScroll = `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const rows = () => document.querySelectorAll('#view li').length;
  const t0 = performance.now();
  let most = rows();
  const steps = 40, span = document.documentElement.scrollHeight - innerHeight;
  for (let i = 0; i < steps; i++) {
    scrollBy(0, Math.ceil(span / steps) + 1);
    await frame(); await frame();
    most = Math.max(most, rows());
  }
  await frame();
  const li = [...document.querySelectorAll('#view li[aria-posinset]')].pop();
  const r = li ? li.getBoundingClientRect() : null;
  return { most, end: rows(), scrollY, span, t0, t1: performance.now(),
    lastID: li ? li.querySelector('[data-track-id]').dataset.trackId : '',
    posinset: li ? +li.getAttribute('aria-posinset') : 0, setsize: li ? +li.getAttribute('aria-setsize') : 0,
    lastVisible: !!r && r.bottom > 0 && r.top < innerHeight };
})()`

// awaitEval evaluates a JavaScript expression whose value is a promise
// and decodes what it resolves to into out.
func awaitEval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.60s…: %v", expr, err)
	}
	return v
}

// TestBrowserListBig opens the Songs view of a 50,000-track library in
// Chromium, on a desktop and on a phone screen, and scrolls it to the end:
// the last track must be rendered there and the DOM must never hold more
// than a few hundred rows. It logs the time to first render, the long
// tasks and the rows in the DOM (the timing targets are in
// [BenchmarkSongsList]); on the desktop it also walks rows with the
// arrow keys past the rendered window (the focus ring showing), checks
// that every control is named and the landmarks are there, that a row's ⋯
// button does not play it, and reveals a far track by script.
func TestBrowserListBig(t *testing.T) {
	lib := bigListLibrary(t, bigListTracks)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	tracks := lib.Tracks()
	last := tracks[len(tracks)-1]

	for _, vp := range []struct {
		name    string
		emulate chromedp.Action[chromedp.Void]
	}{
		{"desktop", chromedp.EmulateViewport(1280, 800)},
		{"phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch)},
	} {
		t.Run(vp.name, func(t *testing.T) {
			ctx := newBrowser(t)
			if err := chromedp.Do(ctx, vp.emulate,
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: listProbe})
					return err
				}),
				chromedp.Navigate(srv.URL+"/"),
			); err != nil {
				t.Fatalf("open the page: %v", err)
			}
			until(t, ctx, "the first rows", `window.__probe.first > 0`)
			if msg := eval[string](t, ctx, `window.__probe.noLongTasks || ''`); msg != "" {
				t.Fatalf("no longtask observer: %s", msg)
			}
			first := eval[float64](t, ctx, `__probe.first`)
			rows := eval[int](t, ctx, `document.querySelectorAll('#view li').length`)
			if want := eval[int](t, ctx, `+document.querySelector('#view li').getAttribute('aria-setsize')`); want != bigListTracks {
				t.Errorf("aria-setsize = %d, want %d", want, bigListTracks)
			}

			// The Songs view loads the rest of the library in pages after the first.
			until(t, ctx, "every page of the library", `document.querySelector('#view ul.vlist')?.dataset.loaded === '`+fmt.Sprint(bigListTracks)+`'`)
			sc := awaitEval[struct {
				Most, End, Posinset, Setsize int
				ScrollY, Span, T0, T1        float64
				LastID                       string
				LastVisible                  bool
			}](t, ctx, listScroll)
			if sc.LastID != last.ID || sc.Posinset != bigListTracks || sc.Setsize != bigListTracks || !sc.LastVisible {
				t.Errorf("at the end (scrollY %.0f of %.0f): last row %q (%d of %d, visible %v), want %q (%d of %d, visible)",
					sc.ScrollY, sc.Span, sc.LastID, sc.Posinset, sc.Setsize, sc.LastVisible, last.ID, bigListTracks, bigListTracks)
			}
			if sc.Most >= 300 || rows >= 300 {
				t.Errorf("the DOM held up to %d rows (%d at first), want fewer than 300", sc.Most, rows)
			}

			tasks := eval[[][2]float64](t, ctx, `__probe.tasks`)
			longest, longestAfter := 0.0, 0.0
			for _, tk := range tasks {
				longest = max(longest, tk[1])
				if tk[0] >= first {
					longestAfter = max(longestAfter, tk[1])
				}
			}
			t.Logf("long tasks [start ms, duration ms]: %v; the scroll ran from %.0f to %.0f ms", tasks, sc.T0, sc.T1)
			t.Logf("%s: first rows %.0f ms after navigation start; %d rows in the DOM then, at most %d while scrolling, %d at the end; "+
				"%d long tasks, longest %.0f ms before first render, %.0f ms after",
				vp.name, first, rows, sc.Most, sc.End, len(tasks), longest, longestAfter)

			if vp.name == "desktop" {
				// A reload deep in the list (the page restores the scroll
				// position) fills the rows in view before the rest.
				if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
					t.Fatalf("reload: %v", err)
				}
				until(t, ctx, "the rows in view after the reload", `window.__probe.first > 0`)
				at := eval[[]int](t, ctx, `[__probe.loadedAtFirst, +document.querySelector('#view li[aria-posinset]').getAttribute('aria-posinset')]`)
				t.Logf("after a reload at the end: rows in view %.0f ms after navigation start, %d tracks loaded then", eval[float64](t, ctx, `__probe.first`), at[0])
				if at[0] >= bigListTracks || at[1] < bigListTracks-100 {
					t.Errorf("after a reload at the end, the first rows shown were from row %d with %d tracks loaded; want rows near %d before all %d were loaded", at[1], at[0], bigListTracks, bigListTracks)
				}
				until(t, ctx, "every page after the reload", `document.querySelector('#view ul.vlist')?.dataset.loaded === '`+fmt.Sprint(bigListTracks)+`'`)
				// The arrow keys walk rows beyond the rendered window.
				eval[any](t, ctx, `scrollTo(0, 0)`)
				until(t, ctx, "the top rows", `document.querySelector('#view li').getAttribute('aria-posinset') === '1'`)
				eval[any](t, ctx, `document.querySelector('#view [data-track-id]').focus()`)
				for range 60 {
					if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
						t.Fatal(err)
					}
				}
				if got := eval[int](t, ctx, `+(document.activeElement.closest('li')?.getAttribute('aria-posinset') || 0)`); got != 61 {
					t.Errorf("after 60 × ArrowDown from row 1, focus is on row %d, want 61", got)
				}
				// The focus is visible, and every control has a name.
				if o := eval[string](t, ctx, `(() => { const s = getComputedStyle(document.activeElement); return document.activeElement.matches(':focus-visible') ? s.outlineStyle + ' ' + s.outlineWidth : 'not focus-visible' })()`); o != "solid 2px" {
					t.Errorf("the focused row's outline = %q, want solid 2px", o)
				}
				if unnamed := eval[[]string](t, ctx, `[...document.querySelectorAll('button, a[href], input')].filter((e) => !(e.getAttribute('aria-label') || e.textContent).trim() && !(e.labels && e.labels.length && e.labels[0].textContent.trim())).map((e) => e.outerHTML.slice(0, 80))`); len(unnamed) > 0 {
					t.Errorf("controls without a name: %q", unnamed)
				}
				if got := eval[string](t, ctx, `['header', 'nav', 'main', 'footer', 'h1', '#view h2'].filter((s) => !document.querySelector(s)).join(' ')`); got != "" {
					t.Errorf("missing landmarks or headings: %s", got)
				}
				// Each row has its ⋯ button, labelled, and tapping it does not play the row.
				if bad := eval[int](t, ctx, `[...document.querySelectorAll('#view li')].filter((li) => { const m = li.querySelector('button.more');
					return !m || m.dataset.moreId !== li.querySelector('[data-track-id]').dataset.trackId || !m.getAttribute('aria-label').startsWith('More actions for ') }).length`); bad != 0 {
					t.Errorf("%d rows without a labelled ⋯ button for their track", bad)
				}
				if err := chromedp.Do(ctx, chromedp.Click(`#view li:nth-child(3) .more`, chromedp.NodeVisible)); err != nil {
					t.Fatalf("click a ⋯ button: %v", err)
				}
				if src := eval[string](t, ctx, `document.getElementById('audio').getAttribute('src') || ''`); src != "" {
					t.Errorf("clicking ⋯ played %s", src)
				}
				// A far track is revealed by scrollToTrack, as markCurrent does.
				mid := tracks[bigListTracks/2]
				shown := awaitEval[bool](t, ctx, `import('/views.js').then((m) => { const b = m.scrollToTrack(`+jsString(mid.ID)+`, document.getElementById('view'));
					const r = b && b.getBoundingClientRect(); return !!r && r.top >= 0 && r.bottom <= innerHeight; })`)
				if !shown {
					t.Errorf("scrollToTrack(%s) did not bring row %d into view", mid.ID, bigListTracks/2+1)
				}
				if n := eval[int](t, ctx, `document.querySelectorAll('#view li').length`); n >= 300 {
					t.Errorf("after scrollToTrack the DOM holds %d rows", n)
				}
			}

		})
	}
}

// TestBrowserOffline loads the page from http://127.0.0.1 (a secure
// context, so the service worker may run), waits until the worker
// controls it and holds the shell, stops the server and reloads: the page
// must still open, from the worker's cache, and say the server cannot be
// reached. The cache must hold no API, cover or audio URL.
func TestBrowserOffline(t *testing.T) {
	lib, _, tr, _ := wavLibrary(t)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`[data-track-id="`+tr.ID+`"]`),
	); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	until(t, ctx, "the service worker to control the page", `!!navigator.serviceWorker.controller`)
	cached := `(async () => { const out = []; for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname); window.__cached = out; return out; })()`
	shell := []string{"/", "/app.js", "/views.js", "/player.js", "/api.js", "/dom.js", "/format.js", "/upload.js", "/playlink.js", "/style.css", "/manifest.webmanifest"}
	cond := `(() => { ` + cached + `; const c = window.__cached || []; return ` + jsArray(shell) + `.every((p) => c.includes(p)); })()`
	until(t, ctx, "the shell in the cache", cond)

	srv.CloseClientConnections() // the event stream would hold Close
	srv.Close()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload with the server stopped: %v", err)
	}
	until(t, ctx, "the offline message", `document.getElementById('empty-text')?.textContent.includes("Can't reach Earshot") && !document.getElementById('empty').hidden`)
	until(t, ctx, "the offline status line", `document.getElementById('status').classList.contains('err') && document.getElementById('status').textContent.includes("Can't reach Earshot")`)
	if !eval[bool](t, ctx, `!document.getElementById('retry').hidden && !!navigator.serviceWorker.controller`) {
		t.Error("offline page: no Try again button, or not served by the worker")
	}
	urls := awaitEval[[]string](t, ctx, cached)
	for _, u := range urls {
		if strings.HasPrefix(u, "/api/") || strings.Contains(u, "/stream") || strings.Contains(u, "/cover") {
			t.Errorf("the service worker cached %s", u)
		}
	}
	t.Logf("cached while online: %v", urls)
}

// jsArray quotes ss as a JavaScript array literal.
func jsArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// TestBrowserPhoneAlbums opens the album grid of the real-audio library on
// a phone (390×844 at 3×), checks that the page links a manifest and a
// touch icon the server serves, and captures the screen; with
// -update-docs it writes docs/phone-albums.png.
func TestBrowserPhoneAlbums(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	album := `[data-album-id="` + player.AlbumID("Test Artist", "Test Album") + `"]`
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(rs.URL+"/#/albums"),
		chromedp.WaitVisible(album),
	); err != nil {
		t.Fatalf("open the album grid: %v", err)
	}
	until(t, ctx, "the album's cover", `(() => { const i = document.querySelector('`+album+` img'); return !!i && i.complete && i.naturalWidth > 0 })()`)
	installable := awaitEval[string](t, ctx, `(async () => {
		const m = await (await fetch(document.querySelector('link[rel="manifest"]').href)).json();
		const icon = await fetch(document.querySelector('link[rel="apple-touch-icon"]').href);
		return m.name + ' ' + m.display + ' ' + icon.status + ' ' + icon.headers.get('content-type');
	})()`)
	if installable != "Earshot standalone 200 image/png" {
		t.Errorf("manifest and touch icon: %q, want %q", installable, "Earshot standalone 200 image/png")
	}
	screenshot(t, ctx, "phone-albums.png")
}

// BenchmarkSongsList opens the Songs view of a 50,000-track library in
// Chromium (desktop, 1280×800) on a loopback server, waits until every
// page of the list has arrived and scrolls to the end in 40 steps. It
// reports the time from navigation start to the first rows on screen
// ("first-render-ms", mean), the longest long task (PerformanceObserver
// "longtask") of all runs ("longest-task-ms") and the longest one after the
// first render ("longest-task-after-ms"). Targets: no long task over
// 200 ms. Run it with
//
//	go test ./web -run '^$' -bench SongsList -benchtime 5x
func BenchmarkSongsList(b *testing.B) {
	lib := bigListLibrary(b, bigListTracks)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	b.Cleanup(srv.Close)
	ctx := newBrowser(b)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: listProbe})
			return err
		}),
	); err != nil {
		b.Fatal(err)
	}
	var firstSum, longest, longestAfter float64
	for i := 0; i < b.N; i++ {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+fmt.Sprintf("/?run=%d#/", i))); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__probe.first > 0`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			st := eval[string](b, ctx, `JSON.stringify({href: location.href, rows: document.querySelectorAll('#view li').length, probe: window.__probe, status: document.getElementById('status')?.textContent, empty: document.getElementById('empty-text')?.textContent, ready: document.readyState})`)
			b.Fatalf("run %d: no first rows: %v; page: %s", i, err, st)
		}
		until(b, ctx, "every page of the library", `document.querySelector('#view ul.vlist')?.dataset.loaded === '`+fmt.Sprint(bigListTracks)+`'`)
		awaitEval[map[string]any](b, ctx, listScroll)
		first := eval[float64](b, ctx, `__probe.first`)
		firstSum += first
		for _, tk := range eval[[][2]float64](b, ctx, `__probe.tasks`) {
			longest = max(longest, tk[1])
			if tk[0] >= first {
				longestAfter = max(longestAfter, tk[1])
			}
		}
		// Back to the top before the next run: the page restores a view's
		// scroll position, and a fresh open starts at the top.
		eval[any](b, ctx, `scrollTo(0, 0)`)
	}
	b.ReportMetric(firstSum/float64(b.N), "first-render-ms")
	b.ReportMetric(longest, "longest-task-ms")
	b.ReportMetric(longestAfter, "longest-task-after-ms")
}
