package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/store"
)

// jsNowPlayingOpen is a page predicate: the Now Playing dialog is shown,
// modal, and the page behind it inert.
const jsNowPlayingOpen = `(() => { const v = document.getElementById('nowplaying'); return !!v && !v.hidden && v.getAttribute('aria-modal') === 'true' && document.getElementById('main').inert && v.getBoundingClientRect().top === 0 })()`

// jsNowPlayingClosed is a page predicate: Now Playing is hidden and the
// page is no longer inert.
const jsNowPlayingClosed = `document.getElementById('nowplaying').hidden && !document.getElementById('main').inert && !document.body.classList.contains('nowp-open')`

// swipe drags one finger from (x, y0) to (x, y1) in ten touch moves.
func swipe(t *testing.T, ctx context.Context, x, y0, y1 float64) {
	t.Helper()
	touch := func(typ input.DispatchTouchEventType, y float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			pts := []*input.TouchPoint{{X: x, Y: y}}
			if typ == input.DispatchTouchEventTypeTouchEnd {
				pts = []*input.TouchPoint{}
			}
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, y0)}
	for i := 1; i <= 10; i++ {
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, y0+(y1-y0)*float64(i)/10))
	}
	steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd, y1))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("swipe %v → %v: %v", y0, y1, err)
	}
}

// serveUserFolder scans the folder dir into a library that keeps user
// data (playlists, positions) in an index in a temporary folder, and
// serves it on an httptest server that ends with the test.
func serveUserFolder(t *testing.T, dir string) (*player.Library, *httptest.Server) {
	t.Helper()
	ix, err := store.OpenIndex(filepath.Join(t.TempDir(), "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{Index: ix, UserData: ix})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	return lib, srv
}

// auditNowPlaying runs the accessibility audit of TestBrowserA11y (axe,
// 44-px targets, 12-px text) over the page with Now Playing open.
func auditNowPlaying(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (run npm ci --prefix web/e2e): %v", err)
	}
	if got := eval[string](t, ctx, "(() => {\n"+string(axe)+"\n;return typeof axe.run })()"); got != "function" {
		t.Fatalf("axe did not load: typeof axe.run = %q", got)
	}
	auditState(t, chromiumTab{ctx}, name, phoneSize)
}

// TestBrowserNowPlaying drives Now Playing on a phone: a tap on the player
// bar's track opens it, showing the track, its times and next up, and
// passing the accessibility audit; its heart stars the song and follows
// a star taken off elsewhere; "Add to playlist…" opens its chooser
// above it and makes a playlist; its own seek bar and next up work; a
// short drag leaves it open and a swipe down of over 80 px closes it; the
// close button, Escape and Back close it too, and its album link closes it
// and opens the album.
func TestBrowserNowPlaying(t *testing.T) {
	lib, srv := serveUserFolder(t, realLibraryDir(t))
	ctx := newBrowser(t)
	ids := phoneAlbumPage(t, ctx, &realServer{Server: srv, lib: lib})
	if err := chromedp.Do(ctx, chromedp.Click(`#view [data-track-id="`+ids[0]+`"]`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the first track to play", playingTrack(ids[0]))
	open := func(how string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(`#player .np-artist`, chromedp.NodeVisible)); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, "Now Playing to open ("+how+")", jsNowPlayingOpen)
	}
	open("a tap on the player bar")
	until(t, ctx, "the track, its times and next up in Now Playing", `(() => { const v = document.getElementById('nowplaying'), a = document.getElementById('audio');
		return v.querySelector('.nowp-title').textContent === 'Song One' && v.querySelector('.nowp-who').textContent === 'Test Artist — Test Album'
			&& v.querySelector('.nowp-up-t')?.textContent === 'Song Two · Test Artist' && Math.abs(+v.querySelector('#nowp-seek').value - a.currentTime) < 1.5
			&& v.querySelectorAll('.time')[1].textContent === '2:30' && v.querySelector('.nowp-play').getAttribute('aria-label') === 'Pause'
			&& document.activeElement === document.getElementById('nowp-h') })()`)
	auditNowPlaying(t, ctx, "now playing")
	until(t, ctx, "the album and artist links resolved", `document.querySelector('#nowplaying .nowp-who a:last-child').getAttribute('href') === '#/albums/`+player.AlbumID("Test Artist", "Test Album")+`' && document.querySelector('#nowplaying .nowp-who a').getAttribute('href') === '#/artists/`+player.ArtistID("Test Artist")+`'`)

	// The heart (stars.js) puts a star on the song, and follows one taken
	// off elsewhere (the library, as a Subsonic app would).
	until(t, ctx, "the heart in Now Playing", `document.querySelector('#nowplaying .nowp-acts .heart')?.getAttribute('aria-pressed') === 'false'`)
	// The button shows pressed before its POST lands: the star is read once
	// the library has said the hearts changed, and taken off only then.
	events, unsubscribe := lib.Subscribe()
	defer unsubscribe()
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-acts .heart').click()`)
	until(t, ctx, "the heart pressed", `document.querySelector('#nowplaying .nowp-acts .heart').getAttribute('aria-pressed') === 'true'`)
	for awaitEvent(t, events, player.UserDataChanged).What != "stars" {
	}
	if st, err := lib.Starred(player.StarSong); err != nil || !st[ids[0]] {
		t.Errorf("starred songs after the heart in Now Playing: %v, %v; want %s", st, err, ids[0])
	}
	if err := lib.SetStar(player.StarSong, ids[0], false); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the heart taken off elsewhere to show", `document.querySelector('#nowplaying .nowp-acts .heart').getAttribute('aria-pressed') === 'false'`)

	// "Add to playlist…" (playlists.js) opens its chooser over Now Playing.
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-add').click()`)
	until(t, ctx, "the playlist chooser on top of Now Playing", `(() => { const d = document.querySelector('.pl-dialog'); if (!d) return false;
		const r = d.getBoundingClientRect(); return d.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)) && document.getElementById('nowplaying').inert })()`)
	eval[any](t, ctx, `[...document.querySelectorAll('.pl-dialog button')].find(b => b.textContent.startsWith('New playlist')).click()`)
	until(t, ctx, "the name of the new playlist asked", `!!document.querySelector('.pl-dialog input')`)
	eval[any](t, ctx, `(() => { const i = document.querySelector('.pl-dialog input'); i.value = 'From Now Playing'; i.dispatchEvent(new Event('input', {bubbles: true})); document.querySelector('.pl-dialog .pri').click() })()`)
	until(t, ctx, "Now Playing again after the chooser", `!document.querySelector('.pl-dialog') && `+jsNowPlayingOpen+` && !document.getElementById('nowplaying').inert && document.getElementById('toast').textContent === 'Added to From Now Playing'`)
	if pls, err := lib.Playlists(); err != nil || len(pls) != 1 || pls[0].Name != "From Now Playing" || pls[0].Tracks != 1 {
		t.Errorf("playlists after Add to playlist in Now Playing: %+v, %v; want From Now Playing with its one track", pls, err)
	}

	// Its own seek bar and next button.
	eval[any](t, ctx, `(() => { const s = document.getElementById('nowp-seek'); s.value = 100; s.dispatchEvent(new Event('input', {bubbles: true})) })()`)
	until(t, ctx, "the seek from Now Playing's bar", `document.getElementById('audio').currentTime > 100 && document.getElementById('audio').currentTime < 103`)
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-up').click()`)
	until(t, ctx, "next up to play and show", playingTrack(ids[1])+` && document.querySelector('#nowplaying .nowp-title').textContent === 'Song Two' && document.querySelector('#nowplaying .nowp-up-t').textContent === 'Song Three · Test Artist'`)

	// A drag of 40 px is not a swipe (the view follows the finger, then
	// springs back; closing would have gone Back); one of 200 px closes it.
	eval[any](t, ctx, `window.backs = 0; { const b = history.back.bind(history); history.back = () => { backs++; b() } }`)
	swipe(t, ctx, 195, 300, 340)
	if n := eval[int](t, ctx, `backs`); n != 0 {
		t.Fatal("a 40-px drag closed Now Playing")
	}
	until(t, ctx, "Now Playing back in place after the short drag", jsNowPlayingOpen)
	swipe(t, ctx, 195, 300, 500)
	until(t, ctx, "the swipe down to close Now Playing", jsNowPlayingClosed+` && backs === 1`)
	until(t, ctx, "its history entry to be gone", `history.state === null || !history.state.nowPlaying`)

	open("again, for the close button")
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-close').click()`)
	until(t, ctx, "the close button to close it", jsNowPlayingClosed)
	open("again, for Escape")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b")); err != nil { // Escape
		t.Fatal(err)
	}
	until(t, ctx, "Escape to close it", jsNowPlayingClosed)
	open("again, for Back")
	eval[any](t, ctx, `history.back()`)
	until(t, ctx, "Back to close it", jsNowPlayingClosed)
	open("again, for the album link")
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-who a:last-child').click()`)
	until(t, ctx, "the album link to close it and open the album", jsNowPlayingClosed+` && location.hash === '#/albums/`+player.AlbumID("Test Artist", "Test Album")+`' && !history.state?.nowPlaying`)
	if !eval[bool](t, ctx, playingTrack(ids[1])) {
		t.Error("closing Now Playing stopped the music")
	}
}

// TestBrowserResumeAt plays a track of over 20 minutes whose position was
// kept (at 1000 s): the page and Now Playing offer "Resume at 16:40" and
// a tap on Now Playing's resumes there; while it plays the page saves the
// position on the server (every 15 s), and a pause then keeps the new
// position.
func TestBrowserResumeAt(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	const path = "Reader/Long Book/01 Chapter.opus"
	playertest.Generate(t, dir, playertest.Spec{Path: path, Kind: playertest.Opus, Seconds: 21*60 + 30,
		Tags: map[string]string{"title": "Chapter", "artist": "Reader", "album": "Long Book"}})
	lib, srv := serveUserFolder(t, dir)
	id := player.TrackID(path)
	if err := lib.SetPosition(id, 1000); err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Reader", "Long Book")),
		chromedp.Click(`#view [data-track-id="`+id+`"]`, chromedp.NodeVisible),
	); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the long track to play", playingTrack(id))
	until(t, ctx, `the "Resume at" offer`, `(() => { const b = document.querySelector('.resume-offer'); return !!b && !b.hidden && b.textContent === 'Resume at 16:40' })()`)
	// Now Playing offers it too, and its button resumes as the page's does.
	clickVisible(t, ctx, "the player bar", `#player .np-artist`)
	until(t, ctx, "Now Playing open", jsNowPlayingOpen)
	until(t, ctx, `Now Playing's "Resume at"`, `(() => { const b = document.querySelector('#nowplaying .nowp-resume'); return !!b && !b.hidden && b.textContent === 'Resume at 16:40' })()`)
	clickVisible(t, ctx, `Now Playing's "Resume at"`, `#nowplaying .nowp-resume`)
	until(t, ctx, "playback from 1000 s", `(() => { const a = document.getElementById('audio'); return !a.paused && !a.seeking && a.currentTime > 1000.2 && a.currentTime < 1003 })()`)
	if !eval[bool](t, ctx, `document.querySelector('.resume-offer').hidden && document.querySelector('.nowp-resume').hidden`) {
		t.Error("an offer is still shown after resuming")
	}
	// While it plays, the position is saved every 15 s of the track: the
	// server's moves on from 1000 s with no pause or track change.
	until(t, ctx, "a position saved while playing", fmt.Sprintf(`(() => { fetch('/api/tracks/%s', {cache: 'no-store'}).then(r => r.json()).then(j => { window.saved = j.resumeAt });
		return !document.getElementById('audio').paused && window.saved > 1001 })()`, id))
	at := eval[float64](t, ctx, `(() => { const a = document.getElementById('audio'); a.pause(); return a.currentTime })()`)
	until(t, ctx, "the position kept on pause", fmt.Sprintf(`(() => { fetch('/api/tracks/%s', {cache: 'no-store'}).then(r => r.json()).then(j => { window.kept = j.resumeAt }); return Math.abs((window.kept || 0) - %f) < 0.2 })()`, id, at))
}
