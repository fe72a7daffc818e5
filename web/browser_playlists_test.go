package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"earshot/player"
	"earshot/player/playertest"
)

// playlistsFS is the library of the playlist browser test: five short
// WAV files (untagged: their titles are their file names), an extended
// M3U file in UTF-8 with relative paths and a missing entry, and a PLS
// file in Latin-1 with Windows paths.
func playlistsFS() fstest.MapFS {
	wav := &fstest.MapFile{Data: playertest.WAV(3 * 16000)}
	return fstest.MapFS{
		"Band/Album/01 Alpha.wav": wav,
		"Band/Album/02 Beta.wav":  wav,
		"Band/Album/03 Gamma.wav": wav,
		"Band/Album/04 Café.wav":  wav,
		"Band/Album/05 Delta.wav": wav,
		"Lists/road.m3u8": {Data: []byte("#EXTM3U\n#EXTINF:3,Band - Gamma\n../Band/Album/03 Gamma.wav\n" +
			"#EXTINF:99,Ghost\n../Band/Album/99 Ghost.wav\n#EXTINF:3,Band - Alpha\n../Band/Album/01 Alpha.wav\n")},
		"Lists/win.pls": {Data: []byte("[playlist]\r\nFile1=..\\Band\\Album\\04 Caf\xe9.wav\r\nTitle1=Caf\xe9\r\n" +
			"File2=..\\Band\\Album\\02 Beta.wav\r\nNumberOfEntries=2\r\nVersion=2\r\n")},
	}
}

// clickVisible clicks the first element matching sel once it is visible;
// what names it in the failure.
func clickVisible(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
		t.Fatalf("click %s (%s): %v", what, sel, err)
	}
}

// awaitToast waits for the page's toast to say text (what names the wait
// in the failure), then hides it so the next toast can be told apart.
func awaitToast(t *testing.T, ctx context.Context, what, text string) {
	t.Helper()
	until(t, ctx, what, `(() => { const t = document.getElementById('toast'); return !t.hidden && t.textContent === `+jsString(text)+` })()`)
	eval[any](t, ctx, `document.getElementById('toast').hidden = true`)
}

// playlistTitles is a page expression: the titles of the rows of the
// playlist's track list, in order.
const playlistTitles = `Array.from(document.querySelectorAll('#view ul[data-playlist] > li'), li => li.querySelector('.t').textContent)`

// TestBrowserPlaylists drives playlists on a phone: three songs go into a
// new playlist through "Add to playlist…" in their ⋯ menus; a touch drag
// on a row's handle reorders it, and the order holds after a reload, on
// screen and in GET /api/playlists/{id}; Alt+↓ moves a row too. The
// library's .m3u8 and Latin-1 .pls files show up as playlists with their
// tracks in order and the missing entry shown as missing. "Save queue as
// playlist" saves the queue's tracks in order, search finds playlists,
// Remove, Rename and Delete change the playlist, a playlist made
// elsewhere appears in the open view, and a refused change is a toast. The page is captured as docs/phone-playlist.png.
func TestBrowserPlaylists(t *testing.T) {
	lib := userLib(t, playlistsFS())
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	id := func(p string) string { return player.TrackID(p) }
	alpha, beta, gamma := id("Band/Album/01 Alpha.wav"), id("Band/Album/02 Beta.wav"), id("Band/Album/03 Gamma.wav")
	getJSON := func(path string, v any) {
		t.Helper()
		rec := sendJSON(srv.Config.Handler, "GET", path, "")
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatal(err)
		}
	}
	type listed struct {
		Playlists []struct {
			ID, Name string
		}
		Files []struct{ ID, Name, Path string }
	}
	type detail struct {
		Tracks []struct{ ID string }
	}
	trackIDs := func(pid string) []string {
		t.Helper()
		var d detail
		getJSON("/api/playlists/"+pid, &d)
		var ids []string
		for _, tr := range d.Tracks {
			ids = append(ids, tr.ID)
		}
		return ids
	}

	ctx := newBrowser(t)
	click := func(what, sel string) { t.Helper(); clickVisible(t, ctx, what, sel) }
	toastSays := func(what, text string) { t.Helper(); awaitToast(t, ctx, what, text) }
	// stale marks the view on screen; refreshed waits for the view made
	// anew from the "userdata" event of a change made after stale.
	stale := func() { eval[any](t, ctx, `document.querySelector('#view > *').dataset.stale = '1'`) }
	refreshed := func(what string) {
		t.Helper()
		until(t, ctx, what+": the view made anew from the userdata event", `!!document.querySelector('#view > *') && !document.querySelector('#view [data-stale]')`)
	}
	titlesAre := func(what string, want ...string) {
		t.Helper()
		b, _ := json.Marshal(want)
		until(t, ctx, what, `JSON.stringify(`+playlistTitles+`) === `+jsString(string(b)))
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#view [data-track-id="`+alpha+`"]`),
	); err != nil {
		t.Fatalf("open the page: %v", err)
	}

	// 1. Three songs into a new playlist, by "Add to playlist…" on their rows.
	for i, tid := range []string{alpha, beta, gamma} {
		click("the row's ⋯ button", `#view [data-more-id="`+tid+`"]`)
		click("Add to playlist…", `#more-menu [data-act="playlist"]`)
		if i == 0 {
			click("New playlist…", `.pl-dialog .pl-choice`)
			if err := chromedp.Do(ctx, chromedp.SendKeys(`.pl-dialog input`, "Road trip\r")); err != nil {
				t.Fatal(err)
			}
		} else {
			click("the playlist Road trip", `.pl-dialog li:nth-child(2) .pl-choice`)
		}
		toastSays("the song added", "Added to Road trip")
	}
	var ls listed
	getJSON("/api/playlists", &ls)
	if len(ls.Playlists) != 1 || ls.Playlists[0].Name != "Road trip" {
		t.Fatalf("playlists = %+v, want one, Road trip", ls.Playlists)
	}
	road := ls.Playlists[0].ID
	if got := trackIDs(road); !slices.Equal(got, []string{alpha, beta, gamma}) {
		t.Fatalf("Road trip = %v, want %v", got, []string{alpha, beta, gamma})
	}

	// Its page, from the Playlists tab; the handles are 44 px touch targets.
	click("the Playlists tab", `#tabs [data-tab="playlists"]`)
	until(t, ctx, "Road trip listed with its length", `(() => { const s = document.querySelector('#view [data-playlist-id="`+road+`"] .sub'); return !!s && s.textContent === '3 tracks · 0:09' })()`)
	click("Road trip", `#view [data-playlist-id="`+road+`"]`)
	titlesAre("Road trip's songs", "01 Alpha", "02 Beta", "03 Gamma")
	if small := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#view .pl-grip, #view .pl-btn, #view .more, #view .play-all, #view .shuffle-all'), e => e.getBoundingClientRect()).filter(r => r.height < 44 || r.width < 44).map(r => r.width + 'x' + r.height)`); len(small) > 0 {
		t.Errorf("controls smaller than 44 px: %v", small)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the playlist page is %d px wide on a 390 px screen", w)
	}
	if wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#tabs a'), a => a.querySelector('span').getBoundingClientRect().width > a.getBoundingClientRect().width ? a.textContent : '').filter(Boolean)`); len(wide) > 0 {
		t.Errorf("tab labels wider than their tabs: %q", wide)
	}

	// A touch drag of Gamma's handle to the top, then a reload.
	touchDrag(t, ctx, `#view li[aria-posinset="3"] .pl-grip`, `#view li[aria-posinset="1"] .pl-grip`)
	titlesAre("Gamma dragged to the top", "03 Gamma", "01 Alpha", "02 Beta")
	until(t, ctx, "the new order to be saved", `!document.querySelector('#view ul[aria-busy]')`)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	titlesAre("the dragged order after a reload", "03 Gamma", "01 Alpha", "02 Beta")
	if got, want := trackIDs(road), []string{gamma, alpha, beta}; !slices.Equal(got, want) {
		t.Errorf("GET /api/playlists/%s after the drag = %v, want %v", road, got, want)
	}

	// The keyboard: Alt+↓ on Gamma's row moves it down one; focus follows it.
	eval[any](t, ctx, `document.querySelector('#view li[aria-posinset="1"] .row').focus()`)
	stale()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierAlt))); err != nil {
		t.Fatal(err)
	}
	titlesAre("Gamma moved down by Alt+↓", "01 Alpha", "03 Gamma", "02 Beta")
	if f := eval[string](t, ctx, `document.activeElement.closest('li')?.getAttribute('aria-posinset') || ''`); f != "2" {
		t.Errorf("focus after Alt+↓ is on row %q, want 2", f)
	}
	until(t, ctx, "the keyboard's order to be saved", `!document.querySelector('#view ul[aria-busy]')`)
	refreshed("Alt+↓")
	if got, want := trackIDs(road), []string{alpha, gamma, beta}; !slices.Equal(got, want) {
		t.Errorf("after Alt+↓ = %v, want %v", got, want)
	}
	screenshot(t, ctx, "phone-playlist.png")

	// 2. The playlist files: listed as files, their tracks in order, the
	// missing entry shown (and not played), the Latin-1 Windows paths read.
	getJSON("/api/playlists", &ls)
	files := map[string]string{}
	for _, f := range ls.Files {
		files[f.Path] = f.ID
	}
	if len(files) != 2 {
		t.Fatalf("playlist files = %+v, want road.m3u8 and win.pls", ls.Files)
	}
	click("the Playlists tab", `#tabs [data-tab="playlists"]`)
	until(t, ctx, "the files listed as files", `(() => { const a = document.querySelector('#view [data-playlist-id="`+files["Lists/road.m3u8"]+`"] .sub'); return !!a && a.textContent.startsWith('File · Lists/road.m3u8') && a.textContent.includes('1 missing') })()`)
	click("road.m3u8", `#view [data-playlist-id="`+files["Lists/road.m3u8"]+`"]`)
	titlesAre("road.m3u8's entries", "03 Gamma", "Ghost", "01 Alpha")
	missing := eval[[]string](t, ctx, `(() => { const li = document.querySelector('#view ul[data-playlist] > li[aria-posinset="2"]'); return [li.className, li.querySelector('.sub').textContent, String(!!li.querySelector('[data-track-id]')), String(!!li.querySelector('.more'))] })()`)
	if want := []string{"missing", "Missing: ../Band/Album/99 Ghost.wav", "false", "false"}; !slices.Equal(missing, want) {
		t.Errorf("the missing entry's row = %q, want %q (class, text, playable, ⋯)", missing, want)
	}

	// 3. Tap Gamma: the file's playable tracks are the queue; save it.
	click("Gamma in road.m3u8", `#view [data-track-id="`+gamma+`"]`)
	until(t, ctx, "Gamma to play", playingTrack(gamma))
	queue := eval[[]string](t, ctx, jsQueueIDs)
	if want := []string{gamma, alpha}; !slices.Equal(queue, want) {
		t.Errorf("queue from road.m3u8 = %v, want %v (the missing entry left out)", queue, want)
	}
	click("the queue button", `#queue-open`)
	click("Save queue as playlist", `#q-save`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`.pl-dialog input`, "From the queue\r")); err != nil {
		t.Fatal(err)
	}
	toastSays("the queue saved", "Saved the queue as From the queue")
	getJSON("/api/playlists", &ls)
	var saved string
	for _, p := range ls.Playlists {
		if p.Name == "From the queue" {
			saved = p.ID
		}
	}
	if got := trackIDs(saved); saved == "" || !slices.Equal(got, queue) {
		t.Errorf("saved queue %q = %v, want %v", saved, got, queue)
	}
	click("close the queue", `#q-close`)

	// The .pls in Latin-1 with \ paths.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/#/playlists/"+files["Lists/win.pls"])); err != nil {
		t.Fatal(err)
	}
	titlesAre("win.pls's entries", "04 Café", "02 Beta")
	if got := strings.Join(trackIDs(files["Lists/win.pls"]), " "); got != id("Band/Album/04 Café.wav")+" "+beta {
		t.Errorf("win.pls tracks = %s", got)
	}
	if kind := eval[string](t, ctx, `document.querySelector('#view .hero .kind').textContent`); kind != "Playlist file" {
		t.Errorf("hero kind = %q, want Playlist file", kind)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#view .pl-grip, #view .pl-actions').length`); n != 0 {
		t.Errorf("a playlist file shows %d handles or actions; it is read-only", n)
	}
	click("Shuffle", `#view .hero .shuffle-all`)
	until(t, ctx, "win.pls shuffled", `(() => { const q = `+jsQueueIDs+`.slice().sort().join(); return JSON.parse(localStorage.getItem('earshot.playstate')).shuffle === true && q === `+jsString(strings.Join(slices.Sorted(slices.Values([]string{id("Band/Album/04 Café.wav"), beta})), ","))+` })()`)

	// Search finds playlists by name, made here and files, and opens them.
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#search`, "road")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "both road playlists in the results", `!!document.querySelector('#view [data-playlist-id="`+road+`"]') && !!document.querySelector('#view [data-playlist-id="`+files["Lists/road.m3u8"]+`"]')`)
	click("Road trip in the results", `#view [data-playlist-id="`+road+`"]`)
	titlesAre("Road trip from the search", "01 Alpha", "03 Gamma", "02 Beta")

	// Remove (⋯ menu), Rename and Delete (after a confirmation).
	stale()
	click("Beta's ⋯ button", `#view li[aria-posinset="3"] .more`)
	click("Remove from playlist", `#more-menu [data-act="pl-remove"]`)
	toastSays("Beta removed", "Removed 02 Beta from the playlist")
	titlesAre("Beta removed", "01 Alpha", "03 Gamma")
	until(t, ctx, "the removal to be saved", `!document.querySelector('#view ul[aria-busy]')`)
	refreshed("Remove")
	if got, want := trackIDs(road), []string{alpha, gamma}; !slices.Equal(got, want) {
		t.Errorf("after Remove = %v, want %v", got, want)
	}
	stale()
	click("Rename", `#view .pl-actions button:nth-child(1)`)
	if v := eval[string](t, ctx, `document.querySelector('.pl-dialog input').value`); v != "Road trip" {
		t.Errorf("the rename field holds %q, want the name", v)
	}
	eval[any](t, ctx, `document.querySelector('.pl-dialog input').value = ''`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`.pl-dialog input`, "Drive home\r")); err != nil {
		t.Fatal(err)
	}
	toastSays("the rename", "Renamed to Drive home")
	until(t, ctx, "the new name on the page", `document.querySelector('#view .hero h2').textContent === 'Drive home'`)
	refreshed("Rename")
	click("Delete", `#view .pl-actions button:nth-child(2)`)
	click("Delete in the confirmation", `.pl-dialog .pri`)
	toastSays("the deletion", "Deleted Drive home")
	until(t, ctx, "the Playlists view without it", `location.hash === '#/playlists' && !!document.querySelector('#view [data-playlist-id="`+saved+`"]') && !document.querySelector('#view [data-playlist-id="`+road+`"]')`)
	if rec := sendJSON(srv.Config.Handler, "GET", "/api/playlists/"+road, ""); rec.Code != 404 {
		t.Errorf("GET the deleted playlist: %d, want 404", rec.Code)
	}

	// A playlist made elsewhere (another page, a Subsonic app) shows up
	// by itself, from the "userdata" event.
	if rec := sendJSON(srv.Config.Handler, "POST", "/api/playlists", `{"name":"Made elsewhere","trackIds":["`+beta+`"]}`); rec.Code != 201 {
		t.Fatalf("POST /api/playlists: %d %s", rec.Code, rec.Body)
	}
	until(t, ctx, "the new playlist in the open view", `Array.from(document.querySelectorAll('#view [data-playlist-id] .t'), e => e.textContent).includes('Made elsewhere')`)

	// A refusal is a toast and changes nothing: the playlist chosen is
	// deleted elsewhere while the chooser is open.
	var made struct{ ID string }
	if err := json.Unmarshal(sendJSON(srv.Config.Handler, "GET", "/api/playlists", "").Body.Bytes(), &ls); err != nil {
		t.Fatal(err)
	}
	for _, p := range ls.Playlists {
		if p.Name == "Made elsewhere" {
			made.ID = p.ID
		}
	}
	click("the Songs tab", `#tabs [data-tab="songs"]`)
	click("Alpha's ⋯ button", `#view [data-more-id="`+alpha+`"]`)
	click("Add to playlist…", `#more-menu [data-act="playlist"]`)
	until(t, ctx, "the chooser", `Array.from(document.querySelectorAll('.pl-dialog .pl-choice .t'), e => e.textContent).includes('Made elsewhere')`)
	if rec := sendJSON(srv.Config.Handler, "DELETE", "/api/playlists/"+made.ID, ""); rec.Code != 204 {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	click("Made elsewhere, now deleted", `.pl-dialog li:nth-child(3) .pl-choice`)
	toastSays("the server's refusal", "Couldn't add to the playlist: playlist not found")
	if got := trackIDs(saved); !slices.Equal(got, queue) {
		t.Errorf("the other playlist changed: %v, want %v", got, queue)
	}
}

// bigPlaylist returns a library of n tiny untagged WAV files, keeping
// user data, and the ID of a playlist of all of them in path order,
// with those track IDs.
func bigPlaylist(t testing.TB, n int) (*player.Library, string, []string) {
	t.Helper()
	wav := &fstest.MapFile{Data: playertest.WAV(160)}
	fsys := make(fstest.MapFS, n)
	ids := make([]string, n)
	for i := range n {
		p := fmt.Sprintf("Artist %02d/%05d Song.wav", i/500, i)
		fsys[p] = wav
		ids[i] = player.TrackID(p)
	}
	lib := userLib(t, fsys)
	info, err := lib.CreatePlaylist("Everything", ids)
	if err != nil {
		t.Fatal(err)
	}
	return lib, info.ID, ids
}

// TestBrowserPlaylistBig opens a playlist of 5,000 tracks on a phone: it
// renders as a virtual list (a few dozen rows in the DOM while it
// scrolls to the end, where the last track is on screen), and a touch
// drag of the last row's handle moves it up one place, saved in that
// order. Its speed is [BenchmarkPlaylistPage]'s.
func TestBrowserPlaylistBig(t *testing.T) {
	const n = player.MaxPlaylistEntries
	lib, id, ids := bigPlaylist(t, n)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/playlists/"+id),
	); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the playlist's rows", `document.querySelector('#view ul[data-playlist]')?.dataset.loaded === '`+fmt.Sprint(n)+`' && !!document.querySelector('#view [data-track-id]')`)
	var end struct {
		Most, Posinset int
		LastID         string
		LastVisible    bool
	}
	b, _ := json.Marshal(awaitEval[map[string]any](t, ctx, listScroll))
	json.Unmarshal(b, &end)
	if end.Most > 200 || end.LastID != ids[n-1] || end.Posinset != n || !end.LastVisible {
		t.Fatalf("scrolled to the end: %s; want at most 200 rows in the DOM and the last track (%s, row %d) on screen", b, ids[n-1], n)
	}
	last := fmt.Sprintf(`#view li[aria-posinset="%d"] .pl-grip`, n)
	touchDrag(t, ctx, last, fmt.Sprintf(`#view li[aria-posinset="%d"] .pl-grip`, n-1))
	until(t, ctx, "the last row moved up one", fmt.Sprintf(`document.querySelector('#view li[aria-posinset="%d"] [data-track-id]')?.dataset.trackId === %s`, n-1, jsString(ids[n-1])))
	until(t, ctx, "the order to be saved", `!document.querySelector('#view ul[aria-busy]')`)
	p, err := lib.Playlist(id)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{p.Entries[n-2].Track.ID, p.Entries[n-1].Track.ID}; got[0] != ids[n-1] || got[1] != ids[n-2] {
		t.Errorf("the playlist ends %v, want %v", got, []string{ids[n-1], ids[n-2]})
	}
}

// BenchmarkPlaylistPage measures opening the page of a playlist of 5,000
// tracks on a phone-sized screen: first-render-ms is the time from
// navigation start to the first frame with its rows. Run it with
//
//	go test ./web -run '^$' -bench PlaylistPage -benchtime 5x
func BenchmarkPlaylistPage(b *testing.B) {
	lib, id, _ := bigPlaylist(b, player.MaxPlaylistEntries)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	b.Cleanup(srv.Close)
	ctx := newBrowser(b)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		playerInitScript(listProbe)); err != nil {
		b.Fatal(err)
	}
	var sum, longest float64
	for i := 0; i < b.N; i++ {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+fmt.Sprintf("/?run=%d#/playlists/%s", i, id))); err != nil {
			b.Fatal(err)
		}
		until(b, ctx, "the first rows", `window.__probe.first > 0`)
		sum += eval[float64](b, ctx, `__probe.first`)
		for _, tk := range eval[[][2]float64](b, ctx, `__probe.tasks`) {
			longest = max(longest, tk[1])
		}
	}
	b.ReportMetric(sum/float64(b.N), "first-render-ms")
	b.ReportMetric(longest, "longest-task-ms")
}
