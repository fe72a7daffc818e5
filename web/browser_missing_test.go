package web

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// TestBrowserMissingFolder renames the library folder away while the page
// shows it: a notice saying so must appear, as text in a live region, with
// the track list still shown; a track clicked meanwhile waits for the
// folder rather than being reported broken. When the folder is renamed
// back, the notice must go, the list stay, and the track play.
func TestBrowserMissingFolder(t *testing.T) {
	const tracks = 3
	dir := filepath.Join(t.TempDir(), "Music")
	album := filepath.Join(dir, "Artist", "Album")
	if err := os.MkdirAll(album, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range tracks {
		// 4 s of sound at 16 kHz: long enough to be seen playing.
		if err := os.WriteFile(filepath.Join(album, fmt.Sprintf("%02d.wav", i+1)), playertest.WAV(4*16000), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib := watchedLibrary(t, dir)
	srv := httptest.NewServer(New(lib, Options{Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(srv.Close)

	b := newBrowser(t)
	const (
		rows    = `document.querySelectorAll('#view [data-track-id]').length`
		notice  = `document.getElementById('missing')`
		shown   = `(` + notice + `.offsetHeight > 0 && ` + notice + `.textContent === 'Library folder is missing — showing what was there')`
		cleared = `(` + notice + `.offsetHeight === 0 && ` + notice + `.textContent === '')`
	)
	first := player.TrackID("Artist/Album/01.wav")
	if err := chromedp.Do(b,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`[data-track-id="`+first+`"]`),
	); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	until(t, b, "the list of tracks", rows+` === `+fmt.Sprint(tracks))
	if !eval[bool](t, b, cleared) {
		t.Errorf("notice shown while the folder is there: %q", eval[string](t, b, notice+`.textContent`))
	}
	if role := eval[string](t, b, notice+`.getAttribute('role')`); role != "status" {
		t.Errorf("notice role = %q, want status", role)
	}

	if err := os.Rename(dir, dir+"-away"); err != nil {
		t.Fatal(err)
	}
	until(t, b, "the missing-folder notice", shown+` && `+rows+` === `+fmt.Sprint(tracks))
	screenshot(t, b, "missing.png")
	eval[any](t, b, `document.querySelector('[data-track-id="`+first+`"]').click()`)
	until(t, b, "the player to wait for the folder", `document.getElementById('np-status').textContent === 'Reconnecting…'`)

	if err := os.Rename(dir+"-away", dir); err != nil {
		t.Fatal(err)
	}
	until(t, b, "the notice to go with the list still shown", cleared+` && `+rows+` === `+fmt.Sprint(tracks))
	until(t, b, "the clicked track to play once the folder is back", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+first+`') && !a.paused && a.currentTime > 0.3 })()`)
	if toast := eval[string](t, b, `document.getElementById('toast').hidden ? '' : document.getElementById('toast').textContent`); toast != "" {
		t.Errorf("toast %q: the track was reported broken while the folder was missing", toast)
	}
}

// awaitEvent waits for an event of the given kind on events, failing t
// after folderDeadline.
func awaitEvent(t testing.TB, events <-chan player.Event, kind player.EventKind) player.Event {
	t.Helper()
	deadline := time.After(folderDeadline)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("events ended while waiting for kind %d", kind)
			}
			if ev.Kind == kind {
				return ev
			}
		case <-deadline:
			t.Fatalf("no event of kind %d within %v", kind, folderDeadline)
		}
	}
}
