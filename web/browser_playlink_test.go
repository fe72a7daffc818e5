package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// playLinkLibrary is a library of two albums, scanned from tagged MP3s:
// Ada Lyon's "Porch Light" (three tracks) and Bea Moss's "Kitchen Radio"
// (two). It returns the library and the albums' track IDs in track order.
func playLinkLibrary(t *testing.T) (lib *player.Library, porch, kitchen []string) {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	var specs []playertest.Spec
	for i, s := range []struct{ artist, album, title, track string }{
		{"Ada Lyon", "Porch Light", "Morning Song", "1"},
		{"Ada Lyon", "Porch Light", "Second Song", "2"},
		{"Ada Lyon", "Porch Light", "Last Song", "3"},
		{"Bea Moss", "Kitchen Radio", "Radio Song", "1"},
		{"Bea Moss", "Kitchen Radio", "Across the Hall", "2"},
	} {
		specs = append(specs, playertest.Spec{
			Path: s.artist + "/" + s.album + "/" + s.track + " " + s.title + ".mp3", Kind: playertest.MP3CBR, Seconds: 20,
			Tags: map[string]string{"title": s.title, "artist": s.artist, "album": s.album, "track": s.track},
		})
		if i < 3 {
			porch = append(porch, player.TrackID(specs[i].Path))
		} else {
			kitchen = append(kitchen, player.TrackID(specs[i].Path))
		}
	}
	playertest.Generate(t, dir, specs...)
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib = player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != 5 {
		t.Fatalf("Scan = %+v, %v; want 5 tracks", rep, err)
	}
	return lib, porch, kitchen
}

// TestBrowserPlayLink opens /#/play/<id>, the address the desktop window
// opens on a double-click (app/play.go), in Chromium: in a new tab, the
// track plays (its currentTime advances) with its album as the queue, and
// the album's page replaces the route; in a tab already open, a new
// #/play/ route plays the other track; a link opened in a second tab
// plays there and pauses the first; an ID the library does not have says
// so. Where the browser blocks sound until the page is clicked, the
// track loads paused and the page says "Tap play to start". Through the
// pairing link, as the window opens it when this
// computer needs the key too, the redirect keeps the route and the track
// plays.
func TestBrowserPlayLink(t *testing.T) {
	lib, porch, kitchen := playLinkLibrary(t)
	s := New(lib, Options{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	// plays waits for track id to play and its currentTime to advance,
	// with queue as the queue, and for the album's page to be shown.
	plays := func(t *testing.T, ctx context.Context, id string, queue []string, album string) {
		t.Helper()
		until(t, ctx, "the linked track to play", playingTrack(id))
		at := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
		until(t, ctx, "its currentTime to advance", `document.getElementById('audio').currentTime > `+ftoa(at+0.5))
		var got []string
		if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(`+jsQueueIDs+`)`)), &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, queue) {
			t.Errorf("queue = %q, want the album's tracks %q", got, queue)
		}
		until(t, ctx, "the album's page", `location.hash === '#/albums/`+album+`' && !!document.querySelector('#view [data-track-id="`+id+`"][aria-current]')`)
	}
	porchID, kitchenID := player.AlbumID("Ada Lyon", "Porch Light"), player.AlbumID("Bea Moss", "Kitchen Radio")

	t.Run("new and open tab", func(t *testing.T) {
		ctx := newBrowserNoAudioFocus(t)
		if err := chromedp.Do(ctx, playerInitScript(toastLog), chromedp.EmulateViewport(1280, 800),
			chromedp.Navigate(srv.URL+"/#/play/"+porch[1])); err != nil {
			t.Fatalf("open the play link: %v", err)
		}
		plays(t, ctx, porch[1], porch, porchID)

		eval[string](t, ctx, `location.hash = '#/play/`+kitchen[1]+`'`)
		plays(t, ctx, kitchen[1], kitchen, kitchenID)

		// A second double-click opens a second tab: it plays, the first pauses.
		second, cancel := chromedp.NewContext(ctx)
		defer cancel()
		if err := chromedp.Do(second, chromedp.Navigate(srv.URL+"/#/play/"+porch[0])); err != nil {
			t.Fatalf("open the play link in a second tab: %v", err)
		}
		plays(t, second, porch[0], porch, porchID)
		until(t, ctx, "the first tab to pause its track, not at its end", `(() => { const a = document.getElementById('audio');
			return a.paused && !a.ended && a.currentTime > 0 && a.currentSrc.includes('/`+kitchen[1]+`/') })()`)

		eval[string](t, ctx, `location.hash = '#/play/nosuchtrack0'`)
		until(t, ctx, "a toast saying the track is gone", `window.toasts.includes('That track is not in the library (any more).') && location.hash === '#/'`)
		if src := eval[string](t, ctx, `document.getElementById('audio').currentSrc`); !strings.Contains(src, "/"+kitchen[1]+"/") {
			t.Errorf("after a link to a missing track the player holds %q, want %s still", src, kitchen[1])
		}
	})

	t.Run("autoplay blocked", func(t *testing.T) {
		// As a browser that refuses sound until the page is clicked does
		// (Chromium under test allows it whatever its autoplay policy).
		ctx := newBrowser(t)
		if err := chromedp.Do(ctx, playerInitScript(toastLog), playerInitScript(refuseAutoplay), chromedp.EmulateViewport(1280, 800),
			chromedp.Navigate(srv.URL+"/#/play/"+kitchen[0])); err != nil {
			t.Fatalf("open the play link: %v", err)
		}
		until(t, ctx, "the track loaded, paused, and the toast", `(() => { const a = document.getElementById('audio');
			return a.currentSrc.includes('/`+kitchen[0]+`/') && a.paused && window.toasts.includes('Tap play to start') })()`)
		until(t, ctx, "the album's page", `location.hash === '#/albums/`+kitchenID+`'`)
	})

	t.Run("through the pairing link", func(t *testing.T) {
		s.RequireKeyOnLoopback(true)
		t.Cleanup(func() { s.RequireKeyOnLoopback(false) })
		ctx := newBrowser(t)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
			chromedp.Navigate(s.PairingURL(srv.URL)+"#/play/"+porch[2])); err != nil {
			t.Fatalf("open the pairing link with the play route: %v", err)
		}
		plays(t, ctx, porch[2], porch, porchID)
	})
}

// refuseAutoplay makes every media element refuse to play as a browser
// blocking autoplay does, with a NotAllowedError.
const refuseAutoplay = `HTMLMediaElement.prototype.play = function () {
	return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
};`

// newBrowserNoAudioFocus is newBrowser without Chromium's own audio focus,
// which pauses a tab's audio when another tab starts playing: Firefox and
// others do not, so the page must pause its other tabs itself (with the
// audio focus on, the test could not tell whether it did).
func newBrowserNoAudioFocus(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: not run with -short")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.NoFirstRun, chromedp.DisableGPU,
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-features", "AudioFocusEnforcement,MediaSessionService,GlobalMediaControls"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	return ctx
}
