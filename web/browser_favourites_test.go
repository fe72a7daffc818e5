package web

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/store"
)

// favesSpecs is the library of the favourites and history browser tests:
// three albums of different years (none in library order) and tracks of
// different lengths (the longest, Long, is not first in library order).
var favesSpecs = []playertest.Spec{
	{Path: "Alpha/First/01 One.mp3", Kind: playertest.MP3CBR, Seconds: 6, Cover: true,
		Tags: map[string]string{"title": "One", "artist": "Alpha", "album": "First", "track": "1", "date": "1999"}},
	{Path: "Alpha/First/02 Two.mp3", Kind: playertest.MP3CBR, Seconds: 5,
		Tags: map[string]string{"title": "Two", "artist": "Alpha", "album": "First", "track": "2", "date": "1999"}},
	{Path: "Alpha/First/03 Three.mp3", Kind: playertest.MP3CBR, Seconds: 4,
		Tags: map[string]string{"title": "Three", "artist": "Alpha", "album": "First", "track": "3", "date": "1999"}},
	{Path: "Beta/Second/01 Long.mp3", Kind: playertest.MP3CBR, Seconds: 9,
		Tags: map[string]string{"title": "Long", "artist": "Beta", "album": "Second", "track": "1", "date": "1985"}},
	{Path: "Gamma/Third/01 Short.mp3", Kind: playertest.MP3CBR, Seconds: 2,
		Tags: map[string]string{"title": "Short", "artist": "Gamma", "album": "Third", "track": "1", "date": "2010"}},
}

// favesServer serves a generated library whose user data is kept in an
// index file, on one loopback address that a restart keeps.
type favesServer struct {
	URL     string
	dir, db string
	addr    string
	ix      *store.SQLiteIndex
	lib     *player.Library
	s       *Server
	srv     *http.Server
}

// newFavesServer generates [favesSpecs] and starts a server on them.
func newFavesServer(t *testing.T) *favesServer {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	f := &favesServer{dir: t.TempDir(), db: filepath.Join(t.TempDir(), "library.db"), addr: "127.0.0.1:0"}
	playertest.Generate(t, f.dir, favesSpecs...)
	f.start(t)
	t.Cleanup(f.stop)
	return f
}

// start opens the index, scans the folder and serves a new [Server] (with
// the test key and app passwords from the index) on f's address.
func (f *favesServer) start(t *testing.T) {
	t.Helper()
	ix, err := store.OpenIndex(f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.ix = ix
	f.lib = player.New(player.Options{Index: ix, UserData: ix})
	src, err := player.OpenFolder(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	f.s = New(f.lib, Options{Key: testKey, AppPasswords: ix})
	l, err := net.Listen("tcp", f.addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", f.addr, err)
	}
	f.addr = l.Addr().String()
	f.URL = "http://" + f.addr
	f.srv = &http.Server{Handler: f.s.Handler()}
	go f.srv.Serve(l)
}

// stop closes the server, its connections and the index.
func (f *favesServer) stop() {
	if f.srv == nil {
		return
	}
	f.srv.Close()
	f.ix.Close()
	f.srv = nil
}

// getJSON fetches path from the server (loopback: no key needed) into v.
func (f *favesServer) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	r, err := http.Get(f.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, r.Status)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// favouriteIDs returns the IDs of GET /api/favourites: songs, albums, artists.
func (f *favesServer) favouriteIDs(t *testing.T) (songs, albums, artists []string) {
	t.Helper()
	var body struct{ Songs, Albums, Artists []struct{ ID string } }
	f.getJSON(t, "/api/favourites", &body)
	ids := func(xs []struct{ ID string }) (out []string) {
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	return ids(body.Songs), ids(body.Albums), ids(body.Artists)
}

// favesID returns the track ID of favesSpecs[i].
func favesID(i int) string { return player.TrackID(favesSpecs[i].Path) }

// jsStreamOpen marks window.esOpen once the page's /api/events stream has
// sent its first message (a "status"), so a test knows changes reach it.
const jsStreamOpen = `window.esOpen = false; { const ES = window.EventSource; window.EventSource = class extends ES {
  constructor(u, o) { super(u, o); this.addEventListener('status', () => { window.esOpen = true; }); } }; }`

// openPhone opens path of the server on a phone-sized screen (390×844)
// and waits for sel to be visible.
func openPhone(t *testing.T, ctx context.Context, base, path, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		playerInitScript(jsStreamOpen),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(sel),
	); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
}

// TestBrowserFavouritesRestart hearts an album on its page, restarts the
// server (a new Server on the same index and key) and reloads: the heart
// is still pressed and GET /api/favourites still lists the album.
func TestBrowserFavouritesRestart(t *testing.T) {
	f := newFavesServer(t)
	ctx := newBrowser(t)
	album := player.AlbumID("Alpha", "First")
	heart := `document.querySelector('.hero button.heart')`
	openPhone(t, ctx, f.URL, "/#/albums/"+album, `.hero button.heart`)
	if got := eval[string](t, ctx, heart+`.getAttribute('aria-pressed')`); got != "false" {
		t.Fatalf("the album's heart is pressed (%s) before it was tapped", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.hero button.heart`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the heart to be pressed and the server to have it", heart+`.getAttribute('aria-pressed') === 'true' &&
		fetch('/api/favourites').then(r => r.json()).then(b => b.albums.some(a => a.id === `+jsString(album)+`))`)

	f.stop()
	f.start(t)
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`.hero button.heart`)); err != nil {
		t.Fatalf("reload: %v", err)
	}
	until(t, ctx, "the heart to be pressed after the restart", heart+`.getAttribute('aria-pressed') === 'true'`)
	if _, albums, _ := f.favouriteIDs(t); !slices.Equal(albums, []string{album}) {
		t.Errorf("after the restart GET /api/favourites lists albums %v, want [%s]", albums, album)
	}
	if other := eval[string](t, ctx, `(() => { location.hash = '#/albums/`+player.AlbumID("Beta", "Second")+`'; return 'ok' })()`); other != "ok" {
		t.Fatal(other)
	}
	until(t, ctx, "another album's heart, not pressed", `(() => { const h = document.querySelector('.hero button.heart'); return h && h.dataset.heartId === `+
		jsString(player.AlbumID("Beta", "Second"))+` && h.getAttribute('aria-pressed') === 'false' })()`)
}

// subsonicGet calls /rest/method with the app password and returns the
// JSON "subsonic-response" object.
func subsonicGet(t *testing.T, f *favesServer, password, method string, q url.Values) map[string]any {
	t.Helper()
	q.Set("u", "earshot")
	q.Set("p", password)
	q.Set("v", "1.16.1")
	q.Set("c", "test")
	q.Set("f", "json")
	var body map[string]map[string]any
	f.getJSON(t, "/rest/"+method+"?"+q.Encode(), &body)
	r := body["subsonic-response"]
	if r["status"] != "ok" {
		t.Fatalf("/rest/%s: %v", method, r)
	}
	return r
}

// TestBrowserFavouritesSubsonic stars a song through the Subsonic API
// while its album's page is open: its row shows the heart within 1 s
// (issue 15). A song hearted on the page through its ⋯ menu is then in
// getStarred2, and taking it off there takes it off the page too.
func TestBrowserFavouritesSubsonic(t *testing.T) {
	f := newFavesServer(t)
	ap, err := f.s.CreateAppPassword("test")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	one, two := favesID(0), favesID(1)
	row := func(id string) string { return `document.querySelector('#view .row[data-track-id="` + id + `"]')` }
	openPhone(t, ctx, f.URL, "/#/albums/"+player.AlbumID("Alpha", "First"), `#view [data-track-id="`+two+`"]`)
	until(t, ctx, "the event stream", `window.esOpen`)
	if eval[bool](t, ctx, row(two)+`.classList.contains('starred')`) {
		t.Fatal("the song shows a heart before it was starred")
	}

	subsonicGet(t, f, ap.Password, "star", url.Values{"id": {two}})
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](row(two)+`.classList.contains('starred')`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(time.Second))); err != nil {
		t.Fatalf("the song starred through /rest/star shows no heart within 1 s: %v", err)
	}

	// Heart One through its ⋯ menu.
	if err := chromedp.Do(ctx, chromedp.Click(`#view [data-more-id="`+one+`"]`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	item := `#more-menu [data-act="star"]`
	if got := eval[string](t, ctx, `document.querySelector('`+item+`').textContent`); got != "Add to Favourites" {
		t.Errorf("menu item %q, want Add to Favourites", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(item, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "One's row to show a heart and the menu to close", row(one)+`.classList.contains('starred') && document.getElementById('more-menu').hidden`)
	starred := func() (ids []string) {
		r := subsonicGet(t, f, ap.Password, "getStarred2", url.Values{})
		s2, _ := r["starred2"].(map[string]any)
		songs, _ := s2["song"].([]any)
		for _, s := range songs {
			ids = append(ids, s.(map[string]any)["id"].(string))
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{one, two}
	slices.Sort(want)
	until(t, ctx, "the page's heart to reach the server", `fetch('/api/favourites').then(r => r.json()).then(b => b.songs.length === 2)`)
	if got := starred(); !slices.Equal(got, want) {
		t.Errorf("getStarred2 songs %v, want %v", got, want)
	}

	subsonicGet(t, f, ap.Password, "unstar", url.Values{"id": {two}})
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!`+row(two)+`.classList.contains('starred')`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(time.Second))); err != nil {
		t.Fatalf("the song unstarred through /rest/unstar still shows a heart after 1 s: %v", err)
	}
	if !eval[bool](t, ctx, row(one)+`.classList.contains('starred')`) {
		t.Error("One lost its heart")
	}
}

// TestBrowserFavouritesView hearts a song, an album and an artist and
// opens the Favourites view on a phone: it lists each, Shuffle plays its
// songs in shuffle mode; with -update-docs the screen goes to
// docs/phone-favourites.png.
func TestBrowserFavouritesView(t *testing.T) {
	f := newFavesServer(t)
	for _, s := range [][2]string{{"song", favesID(3)}, {"song", favesID(0)}, {"album", player.AlbumID("Alpha", "First")},
		{"album", player.AlbumID("Gamma", "Third")}, {"artist", player.ArtistID("Beta")}} {
		if err := f.lib.SetStar(s[0], s[1], true); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	openPhone(t, ctx, f.URL, "/#/favourites", `#view [data-track-id="`+favesID(3)+`"]`)
	got := eval[map[string]any](t, ctx, `({
		songs: [...document.querySelectorAll('#view [data-track-id]')].map(b => b.dataset.trackId),
		albums: [...document.querySelectorAll('#view [data-album-id]')].map(a => a.dataset.albumId),
		artists: [...document.querySelectorAll('#view [data-artist-id]')].map(a => a.dataset.artistId),
		tab: document.querySelector('#tabs [aria-current]').dataset.tab,
		wide: document.documentElement.scrollWidth })`)
	want := map[string]any{
		"songs":   []any{favesID(0), favesID(3)}, // newest heart first
		"albums":  []any{player.AlbumID("Gamma", "Third"), player.AlbumID("Alpha", "First")},
		"artists": []any{player.ArtistID("Beta")},
		"tab":     "favourites",
		"wide":    float64(390),
	}
	for k, v := range want {
		if g, _ := json.Marshal(got[k]); string(g) != mustJSON(v) {
			t.Errorf("Favourites view %s = %s, want %s", k, g, mustJSON(v))
		}
	}
	until(t, ctx, "the covers", `[...document.querySelectorAll('#view img')].every(i => i.complete)`)
	screenshot(t, ctx, "phone-favourites.png")
	audit(t, ctx, "favourites")
	eval[any](t, ctx, `location.hash = '#/history/added'`)
	until(t, ctx, "Recently added", `document.querySelectorAll('#view ul[aria-label="Recently added"] [data-track-id]').length === 5`)
	audit(t, ctx, "recently added")
	eval[any](t, ctx, `location.hash = '#/favourites'`)
	until(t, ctx, "Favourites again", `!!document.querySelector('#view section .shuffle-all')`)

	if err := chromedp.Do(ctx, chromedp.Click(`#view section .shuffle-all`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a favourite song to play, in shuffle mode", `(() => { const a = document.getElementById('audio');
		return !a.paused && a.currentTime > 0.3 && ['`+favesID(0)+`', '`+favesID(3)+`'].some(id => a.currentSrc.includes('/' + id + '/')) &&
		JSON.parse(localStorage.getItem('earshot.playstate')).shuffle === true })()`)
}

// audit runs axe-core (as [TestBrowserA11y] does) and the 44 px target
// check over the view on screen, failing t for any violation.
func audit(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (run npm ci --prefix web/e2e): %v", err)
	}
	eval[string](t, ctx, "(() => {\n"+string(src)+"\n;return typeof axe.run })()")
	if v := awaitEval[[]map[string]any](t, ctx, axeRun); len(v) > 0 {
		t.Errorf("%s: axe violations %v", name, v)
	}
	if small := eval[[]any](t, ctx, smallTargets); len(small) > 0 {
		t.Errorf("%s: targets under 44 px: %v", name, small)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
