package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// skipLibrary writes, under a new folder, the tracks of the failure tests,
// scans it without ffmpeg (so that the WMA is listed as needing it), and
// then deletes the files that are to be missing: it returns the library
// and the folder.
//
//	Band/Broken First/01 Gone.flac, 02 Second.flac   an album, its first file deleted (404)
//	Codec/01 Garbled.wav, 02 Fine.wav                a WAV of a codec no browser plays (MS ADPCM)
//	Windows/01 Old.wma, 02 After.wav                 a WMA that needs ffmpeg
//	Dead/01.wav, 02.wav                              both deleted
//	Busy/01 Busy.wav, 02 Free.wav                    the first one's stream a 503 in TestBrowserSkipsBrokenTracks
//	junk.mp3                                         no MP3 at all: not listed, a problem
func skipLibrary(t *testing.T) (*player.Library, string) {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	album := func(n, title string) playertest.Spec {
		return playertest.Spec{Path: "Band/Broken First/0" + n + " " + title + ".flac", Kind: playertest.FLAC, Seconds: 6,
			Tags: map[string]string{"title": title, "artist": "Band", "album": "Broken First", "track": n + "/2"}}
	}
	playertest.Generate(t, dir, album("1", "Gone"), album("2", "Second"))
	wav := playertest.WAV(6 * 16000)
	adpcm := append([]byte(nil), wav...)
	adpcm[20] = 2 // the format tag: WAVE_FORMAT_ADPCM, which no browser decodes
	files := map[string][]byte{
		"Codec/01 Garbled.wav": adpcm, "Codec/02 Fine.wav": wav,
		"Windows/01 Old.wma": []byte("WMA bytes ffmpeg would read"), "Windows/02 After.wav": wav,
		"Dead/01.wav": wav, "Dead/02.wav": wav,
		"Busy/01 Busy.wav": wav, "Busy/02 Free.wav": wav,
		"junk.mp3": []byte("not an MP3 at all, only words and more words to fill a frame"),
	}
	for p, data := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{Tools: &probe.Tools{}})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != 10 || len(rep.Skipped) != 1 {
		t.Fatalf("Scan = %+v, %v; want 10 tracks and 1 file skipped", rep, err)
	}
	for _, p := range []string{"Band/Broken First/01 Gone.flac", "Dead/01.wav", "Dead/02.wav"} {
		if err := os.Remove(filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	return lib, dir
}

// toastLog records every text the page's toast shows in window.toasts,
// from before the page's own scripts run.
const toastLog = `window.toasts = [];
new MutationObserver((rs) => {
	const t = document.getElementById('toast');
	if (t && !t.hidden && rs.some((r) => t.contains(r.target))) window.toasts.push(t.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden']});`

// TestBrowserSkipsBrokenTracks plays, in Chromium, lists whose first track
// fails, each for another reason: the file was deleted after the scan
// (404), its codec is one no browser plays, it needs ffmpeg. Each time the
// toast must name the first track and say why in one line, and the second
// track must play by itself (the WMA's stream not even asked for). A 503
// other than "library folder is missing" is skipped with the server's
// words. A folder
// of deleted files must stop after trying each once, saying so. The rows of
// the WMA say "needs ffmpeg", and the Problems view, reached from Folders,
// lists the unreadable file with its reason and the WMA.
func TestBrowserSkipsBrokenTracks(t *testing.T) {
	lib, _ := skipLibrary(t)
	var streams atomic.Int64
	h := New(lib, Options{Logger: slog.New(slog.DiscardHandler)}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/stream") {
			streams.Add(1)
		}
		if r.URL.Path == "/api/tracks/"+player.TrackID("Busy/01 Busy.wav")+"/stream" {
			writeError(w, http.StatusServiceUnavailable, "too many transcodes at once")
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, playerInitScript(toastLog), chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Band", "Broken First")),
		chromedp.WaitVisible(`#view .play-all`)); err != nil {
		t.Fatalf("open the album: %v", err)
	}
	id := func(p string) string { return player.TrackID(p) }
	toasted := func(want string) string {
		return `window.toasts.includes(` + jsString(want) + `)`
	}

	t.Run("album/404", func(t *testing.T) {
		eval[bool](t, ctx, `(document.querySelector('#view .play-all').click(), true)`)
		until(t, ctx, "the album's second track to play by itself", playingTrack(id("Band/Broken First/02 Second.flac")))
		until(t, ctx, "the toast to name the first track and why", toasted("Skipped “Gone”: file not found"))
		if got := eval[string](t, ctx, `document.getElementById('np-title').textContent`); got != "Second" {
			t.Errorf("now playing %q, want Second", got)
		}
		if got := eval[int](t, ctx, jsQueueIndex); got != 1 {
			t.Errorf("queue index %d, want 1", got)
		}
	})

	playFolder := func(t *testing.T, folder string) {
		t.Helper()
		eval[bool](t, ctx, `(window.toasts.length = 0, location.hash = '#/folders/`+folder+`', true)`)
		until(t, ctx, "the folder's view", `document.querySelector('#view .crumbs .here')?.textContent === '`+folder+`' && document.querySelector('#view .play-all') !== null`)
		eval[bool](t, ctx, `(document.querySelector('#view .play-all').click(), true)`)
	}
	t.Run("codec", func(t *testing.T) {
		playFolder(t, "Codec")
		until(t, ctx, "the folder's second track to play by itself", playingTrack(id("Codec/02 Fine.wav")))
		msg := eval[[]string](t, ctx, `window.toasts`)
		if len(msg) == 0 || !strings.HasPrefix(msg[0], "Skipped “01 Garbled”: ") || !strings.Contains(msg[0], "WAV file") {
			t.Errorf("toasts %q, want “Skipped “01 Garbled”: …WAV file…”", msg)
		}
	})

	t.Run("503", func(t *testing.T) {
		playFolder(t, "Busy")
		until(t, ctx, "the folder's second track to play by itself", playingTrack(id("Busy/02 Free.wav")))
		until(t, ctx, "the toast to give the server's reason", toasted("Skipped “01 Busy”: too many transcodes at once"))
	})

	t.Run("needs ffmpeg", func(t *testing.T) {
		playFolder(t, "Windows")
		wma := id("Windows/01 Old.wma")
		if got := eval[string](t, ctx, `document.querySelector('#view [data-track-id="`+wma+`"] .nf').textContent`); got != "needs ffmpeg" {
			t.Errorf("the WMA's row says %q, want “needs ffmpeg”", got)
		}
		until(t, ctx, "the folder's second track to play by itself", playingTrack(id("Windows/02 After.wav")))
		until(t, ctx, "the toast to say why", toasted("Skipped “01 Old”: needs ffmpeg"))
		// The queue panel says so too.
		eval[bool](t, ctx, `(document.getElementById('queue-open').click(), true)`)
		until(t, ctx, "the WMA's row in the queue panel to say it needs ffmpeg", `document.querySelector('#q-list li[data-i="0"] .sub')?.textContent === 'Unknown Artist · needs ffmpeg'`)
		eval[bool](t, ctx, `(document.getElementById('q-close').click(), true)`)
		if n := eval[int](t, ctx, `performance.getEntriesByType('resource').filter(e => e.name.includes('/`+wma+`/stream')).length`); n != 0 {
			t.Errorf("the page asked for the WMA's stream %d times; a track that needs ffmpeg is skipped untried", n)
		}
	})

	// A queue restored on a track that needs ffmpeg shows it, paused, without
	// asking for its stream or a word; Play then skips it, saying why.
	t.Run("restored needs ffmpeg", func(t *testing.T) {
		wma, after := id("Windows/01 Old.wma"), id("Windows/02 After.wav")
		n := streams.Load()
		// Stored after the page's own pagehide handler has saved its state.
		eval[bool](t, ctx, `(addEventListener('pagehide', () => {
			localStorage.setItem('earshot.queue', JSON.stringify({ids: ['`+wma+`', '`+after+`']}));
			localStorage.setItem('earshot.playstate', JSON.stringify({index: 0, pos: 0, playing: true}));
		}), true)`)
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatalf("reload: %v", err)
		}
		until(t, ctx, "the restored track", `document.getElementById('np-title').textContent === '01 Old' && document.readyState === 'complete'`)
		if got := eval[[]string](t, ctx, `window.toasts`); len(got) != 0 {
			t.Errorf("toasts %q on restoring; want none until Play", got)
		}
		eval[bool](t, ctx, `(document.getElementById('play').click(), true)`)
		until(t, ctx, "Play to skip to the next track", playingTrack(after))
		until(t, ctx, "the toast to say why", toasted("Skipped “01 Old”: needs ffmpeg"))
		if m := eval[int](t, ctx, `performance.getEntriesByType('resource').filter(e => e.name.includes('/`+wma+`/stream')).length`); m != 0 {
			t.Errorf("the restored page asked for the WMA's stream %d times", m)
		}
		if streams.Load() == n {
			t.Error("no stream request at all: the next track did not load")
		}
	})

	t.Run("all broken", func(t *testing.T) {
		playFolder(t, "Dead")
		until(t, ctx, "the page to give up on the folder", toasted("Skipped “02”: file not found (no track in the queue could be played)")+
			` && document.getElementById('audio').paused && document.getElementById('play').getAttribute('aria-label') === 'Play'`)
		// Nothing more may happen: no new attempt at any stream.
		n := streams.Load()
		time.Sleep(1500 * time.Millisecond) // watching for requests that must not come
		if m := streams.Load(); m != n {
			t.Errorf("%d stream requests after the page gave up", m-n)
		}
		if got := eval[[]string](t, ctx, `window.toasts`); len(got) != 2 || got[0] != "Skipped “01”: file not found" {
			t.Errorf("toasts %q, want one per track", got)
		}
	})

	t.Run("problems view", func(t *testing.T) {
		eval[bool](t, ctx, `(location.hash = '#/folders', true)`)
		until(t, ctx, "the Folders view's problems row", `document.querySelector('#view a[href="#/problems"]')?.textContent === "Files that can't be played1 file could not be read · 1 needs ffmpeg"`)
		eval[bool](t, ctx, `(document.querySelector('#view a[href="#/problems"]').click(), true)`)
		until(t, ctx, "the Problems view", `document.querySelectorAll('#view .problem').length === 2`)
		got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#view .problem'), li => li.querySelector('.t').textContent + ' — ' + li.querySelector('.sub').textContent)`)
		want := []string{"junk.mp3 — mp3 duration: malformed or truncated audio: no MPEG audio frame found", "Windows/01 Old.wma — needs ffmpeg"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("Problems view lists %q, want %q", got, want)
		}
		if cur := eval[string](t, ctx, `document.querySelector('#tabs [aria-current]').dataset.tab`); cur != "folders" {
			t.Errorf("tab marked %q on the Problems view, want folders", cur)
		}
	})
}

// TestBrowserEnginesSkipBrokenFirst plays, in Firefox and WebKit, the
// album whose first file was deleted after the scan, then the folder whose
// first track needs ffmpeg: each time the second track must play by itself
// and the toast must name the first and say why. (Chromium does the same
// and more in [TestBrowserSkipsBrokenTracks].)
func TestBrowserEnginesSkipBrokenFirst(t *testing.T) {
	lib, _ := skipLibrary(t)
	srv := httptest.NewServer(New(lib, Options{Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(srv.Close)
	for _, e := range engines(t) {
		if e.name == "chromium" {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/#/albums/"+player.AlbumID("Band", "Broken First"), desktopSize)
			for _, c := range []struct{ name, ready, second, toast string }{
				{"album/404", `document.querySelector('#view .hero .play-all')`, "Band/Broken First/02 Second.flac", "Skipped “Gone”: file not found"},
				{"needs ffmpeg", `(location.hash === '#/folders/Windows' || (location.hash = '#/folders/Windows'), document.querySelector('#view .crumbs .here')?.textContent === 'Windows')`,
					"Windows/02 After.wav", "Skipped “01 Old”: needs ffmpeg"},
			} {
				t.Run(c.name, func(t *testing.T) {
					tabUntil(t, tb, 20*time.Second, "the list's Play button", c.ready)
					// The toasts are logged from here on (the protocols differ in
					// how a script is added before the page's own).
					tabEval[any](t, tb, `(window.toasts = [], new MutationObserver((rs) => {
						const t = document.getElementById('toast');
						if (!t.hidden && rs.some((r) => t.contains(r.target))) window.toasts.push(t.textContent);
					}).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden']}),
					document.querySelector('#view .play-all').click())`)
					tabUntil(t, tb, 20*time.Second, "the second track to play by itself", playingTrack(player.TrackID(c.second)))
					tabUntil(t, tb, 5*time.Second, "the toast to name the first track and why", `window.toasts.includes(`+jsString(c.toast)+`)`)
				})
			}
		})
	}
}
