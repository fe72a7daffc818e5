package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
)

// TestBrowserViews walks the page's views on a phone-sized screen: the
// album grid, an album's page (tracks in order, one played), Back to the
// grid, the folder tree down to the album's folder and up by its
// breadcrumbs, an artist's page, a reload, and a search.
func TestBrowserViews(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	albumID := player.AlbumID("Test Artist", "Test Album")
	artistID := player.ArtistID("Test Artist")
	var want []string // the album's tracks in track order
	for _, rt := range realTracks {
		want = append(want, rs.trackByPath(t, rt.spec.Path).ID)
	}
	album := `[data-album-id="` + albumID + `"]`
	hashIs := func(h string) string { return `location.hash === ` + jsString(h) }
	rows := `Array.from(document.querySelectorAll('#view [data-track-id]'), b => b.dataset.trackId)`
	click := func(what, sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
			t.Fatalf("click %s (%s): %v", what, sel, err)
		}
	}

	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(rs.URL+"/#/albums"),
		chromedp.WaitVisible(album),
	); err != nil {
		t.Fatalf("open the album grid: %v", err)
	}
	until(t, ctx, "the Albums tab to be current", `document.querySelector('[data-tab="albums"]').getAttribute('aria-current') === 'page'`)
	until(t, ctx, "the album's 300 px thumbnail to load", `(() => { const i = document.querySelector('`+album+` img'); return !!i && i.src.endsWith('/cover?size=300') && i.complete && i.naturalWidth > 0 })()`)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("album grid is %d px wide on a 390 px screen: it scrolls sideways", w)
	}
	if small := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#tabs a, `+album+`'), e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).map(r => r.width + 'x' + r.height)`); len(small) > 0 {
		t.Errorf("touch targets smaller than 44 px: %v", small)
	}
	screenshot(t, ctx, "albums.png")

	// The album's page lists its tracks in track order; tapping one plays it.
	click("the album tile", album)
	until(t, ctx, "the album's page", hashIs("#/albums/"+albumID)+` && `+rows+`.length === 4`)
	if got := eval[[]string](t, ctx, rows); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("album tracks = %v, want %v (track order)", got, want)
	}
	if h := eval[string](t, ctx, `document.querySelector('#view h2').textContent`); h != "Test Album" {
		t.Errorf("album page heading = %q, want Test Album", h)
	}
	click("the first track", `[data-track-id="`+want[0]+`"]`)
	playing := `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('` + want[0] + `') && !a.paused && a.currentTime > 0.5 })()`
	until(t, ctx, "the first track to play", playing)
	until(t, ctx, "its row to be marked", `document.querySelector('[data-track-id="`+want[0]+`"]').getAttribute('aria-current') === 'true'`)

	// Back returns to the grid without stopping the music.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the album grid after Back", hashIs("#/albums")+` && !!document.querySelector('`+album+`')`)
	until(t, ctx, "playback to go on", `(() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 1 })()`)

	// The Songs list uses 96 px thumbnails.
	click("the Songs tab", `[data-tab="songs"]`)
	until(t, ctx, "the songs' 96 px thumbnails", `(() => { const i = document.querySelector('[data-track-id="`+want[0]+`"] img'); return !!i && i.src.endsWith('/cover?size=96') && i.complete && i.naturalWidth > 0 })()`)

	// Folders: down to the album's folder, up by the breadcrumbs, down again.
	click("the Folders tab", `[data-tab="folders"]`)
	until(t, ctx, "the top folder", hashIs("#/folders")+` && !!document.querySelector('#view [data-folder-path="Test Artist"]')`)
	click("the artist's folder", `#view .list [data-folder-path="Test Artist"]`)
	until(t, ctx, "the artist's folder", hashIs("#/folders/Test%20Artist")+` && !!document.querySelector('#view .list [data-folder-path="Test Artist/Test Album"]')`)
	click("the album's folder", `#view .list [data-folder-path="Test Artist/Test Album"]`)
	until(t, ctx, "the album's folder and its tracks", hashIs("#/folders/Test%20Artist/Test%20Album")+` && `+rows+`.length === 4`)
	crumbs := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.crumbs li'), li => li.textContent)`)
	if strings.Join(crumbs, "/") != "Music/Test Artist/Test Album" {
		t.Errorf("breadcrumbs = %q, want Music, Test Artist, Test Album", crumbs)
	}
	click("the Test Artist breadcrumb", `.crumbs [data-folder-path="Test Artist"]`)
	until(t, ctx, "the artist's folder from its breadcrumb", hashIs("#/folders/Test%20Artist")+` && !!document.querySelector('#view .list [data-folder-path="Test Artist/Test Album"]')`)
	click("the Music breadcrumb", `.crumbs [data-folder-path=""]`)
	until(t, ctx, "the top folder from its breadcrumb", hashIs("#/folders")+` && !!document.querySelector('#view .list [data-folder-path="Test Artist"]')`)

	// Artists: the artist's page lists the album; a reload keeps the view.
	click("the Artists tab", `[data-tab="artists"]`)
	click("Test Artist", `[data-artist-id="`+artistID+`"]`)
	until(t, ctx, "the artist's page with the album", hashIs("#/artists/"+artistID)+` && !!document.querySelector('#view `+album+`')`)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the artist's page after a reload", hashIs("#/artists/"+artistID)+` && !!document.querySelector('#view `+album+`')`)

	// Search finds the songs, and Escape goes back to the view searched from.
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#search`, "song")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "search results", `location.hash === '#/search?q=song' && `+rows+`.length === 4`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#search`, "\x1b")); err != nil { // Escape
		t.Fatal(err)
	}
	until(t, ctx, "the artist's page after the search", hashIs("#/artists/"+artistID)+` && document.getElementById('search').value === ''`)

	// Nothing left the server.
	for _, r := range eval[[]string](t, ctx, `performance.getEntriesByType('resource').map(e => e.name)`) {
		if !strings.HasPrefix(r, rs.URL+"/") {
			t.Errorf("page requested %s, outside the server", r)
		}
	}
}

// TestBrowserLiveUpdate removes a track from the library while its album's
// page is open and a track plays: the page must show the change without a
// reload (from /api/events, or by polling /api/status on an older
// server), keeping its scroll position and the music going.
func TestBrowserLiveUpdate(t *testing.T) {
	dir := t.TempDir()
	for _, rt := range realTracks {
		from := filepath.Join(realLibraryDir(t), rt.spec.Path)
		to := filepath.Join(dir, rt.spec.Path)
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	albumID := player.AlbumID("Test Artist", "Test Album")
	first := player.TrackID(realTracks[0].spec.Path)

	ctx := newBrowser(t)
	rows := `document.querySelectorAll('#view [data-track-id]').length`
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 300, chromedp.EmulateMobile, chromedp.EmulateTouch), // short: the page scrolls
		chromedp.Navigate(srv.URL+"/#/albums/"+albumID),
		chromedp.WaitVisible(`[data-track-id="`+first+`"]`),
	); err != nil {
		t.Fatalf("open the album's page: %v", err)
	}
	until(t, ctx, "the album's tracks", rows+` === 4`)
	eval[any](t, ctx, `document.querySelector('[data-track-id="`+first+`"]').click(); window.notReloaded = true`)
	until(t, ctx, "the first track to play", `document.getElementById('audio').currentTime > 0.5`)
	y := eval[float64](t, ctx, `scrollTo(0, 60), scrollY`)
	if y == 0 {
		t.Fatal("the page does not scroll; make the viewport shorter")
	}

	if err := os.Remove(filepath.Join(dir, realTracks[3].spec.Path)); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the album's page to lose the removed track", rows+` === 3`)
	if !eval[bool](t, ctx, `window.notReloaded === true`) {
		t.Error("the page reloaded")
	}
	if got := eval[float64](t, ctx, `scrollY`); got != y {
		t.Errorf("scrollY = %v after the update, want %v", got, y)
	}
	until(t, ctx, "playback to go on", `(() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 1 && a.currentSrc.includes('`+first+`') })()`)
	until(t, ctx, "the status line to count 3 tracks", `document.getElementById('status').textContent.endsWith('3 tracks')`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
