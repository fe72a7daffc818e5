package web

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAddAlbumToPlaylist adds a whole album to playlists from its
// page on a phone: the "Add to playlist…" button beside the heart makes a
// new playlist of the album's five tracks in album order, a second press
// appends them to it, and the artist's page has the button too.
func TestBrowserAddAlbumToPlaylist(t *testing.T) {
	lib := userLib(t, playlistsFS())
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	albums := lib.Albums()
	if len(albums) != 1 {
		t.Fatalf("albums = %+v, want the one folder's", albums)
	}
	al, err := lib.Album(albums[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tr := range al.Tracks {
		want = append(want, tr.ID)
	}
	entries := func() []string {
		t.Helper()
		pls, err := lib.Playlists()
		if err != nil || len(pls) != 1 {
			t.Fatalf("playlists = %+v, %v; want one", pls, err)
		}
		d, err := lib.Playlist(pls[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range d.Entries {
			ids = append(ids, e.Track.ID)
		}
		return ids
	}

	ctx := newBrowser(t)
	add := `.hero .acts button.add-to`
	click := func(what, sel string) { t.Helper(); clickVisible(t, ctx, what, sel) }
	toastSays := func(what, text string) { t.Helper(); awaitToast(t, ctx, what, text) }
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/albums/"+al.ID),
		chromedp.WaitVisible(add),
	); err != nil {
		t.Fatalf("open the album's page: %v", err)
	}
	if got, wantLabel := eval[string](t, ctx, `document.querySelector('`+add+`').getAttribute('aria-label')`), "Add album "+al.Title+" to a playlist…"; got != wantLabel {
		t.Errorf("the button's name = %q, want %q", got, wantLabel)
	}

	click("Add to playlist… on the album", add)
	click("New playlist…", `.pl-dialog .pl-choice`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`.pl-dialog input`, "Whole album\r")); err != nil {
		t.Fatal(err)
	}
	toastSays("the new playlist made", "Added to Whole album")
	if got := entries(); !slices.Equal(got, want) {
		t.Errorf("the new playlist holds %q, want the album's tracks in order %q", got, want)
	}

	click("Add to playlist… on the album again", add)
	click("the playlist Whole album", `.pl-dialog li:nth-child(2) .pl-choice`)
	toastSays("the album appended", "Added to Whole album")
	if got := entries(); !slices.Equal(got, append(slices.Clone(want), want...)) {
		t.Errorf("after adding the album again the playlist holds %d entries %q, want the album twice", len(got), got)
	}

	// The artist's page has the button too, named for the artist.
	eval[any](t, ctx, `location.hash = `+jsString("#/artists/"+al.ArtistID))
	until(t, ctx, "the artist's Add to playlist button", `document.querySelector('#view .hero .kind')?.textContent === 'Artist' && document.querySelector('`+add+`')?.getAttribute('aria-label').startsWith('Add artist ')`)
}
