package subsonic

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/store"
)

// fakeMedia records what the handler asked it to serve.
type fakeMedia struct {
	mu    sync.Mutex
	calls []string
}

func (m *fakeMedia) record(w http.ResponseWriter, s string) {
	m.mu.Lock()
	m.calls = append(m.calls, s)
	m.mu.Unlock()
	w.Write([]byte(s))
}

func (m *fakeMedia) Stream(w http.ResponseWriter, r *http.Request, id string, attachment bool) {
	if attachment {
		m.record(w, "download "+id)
		return
	}
	m.record(w, "stream "+id)
}

func (m *fakeMedia) StreamMP3(w http.ResponseWriter, r *http.Request, id string, offset float64, bitRate int) {
	m.record(w, "mp3 "+id+" "+strconvF(offset)+" "+strconv.Itoa(bitRate/1000))
}

func (m *fakeMedia) Cover(w http.ResponseWriter, r *http.Request, id string, size int) {
	m.record(w, "cover "+id+" "+strconvF(float64(size)))
}

// fakeGuard is a limiter that blocks an address after 10 failures.
type fakeGuard struct {
	mu     sync.Mutex
	fails  int
	passed int
}

func (g *fakeGuard) Blocked(*http.Request) (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return 30 * time.Second, g.fails >= 10
}

func (g *fakeGuard) Fail(*http.Request) { g.mu.Lock(); g.fails++; g.mu.Unlock() }

func (g *fakeGuard) Passed(*http.Request) { g.mu.Lock(); g.passed++; g.mu.Unlock() }

// fixture is a handler over a generated library with user data.
type fixture struct {
	h     *Handler
	lib   *player.Library
	media *fakeMedia
	guard *fakeGuard
	pw    player.AppPassword
	ix    *store.SQLiteIndex
	// ixPath is ix's file.
	ixPath string
}

// newFixture generates a small library (two album artists, three
// albums, a genre, covers) with ffmpeg, scans it with a SQLite index for
// user data, and makes an app password.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	tags := func(title, artist, album string, n, year int, genre string) map[string]string {
		return map[string]string{"title": title, "artist": artist, "album": album, "album_artist": artist,
			"track": strconvF(float64(n)), "date": strconvF(float64(year)), "genre": genre}
	}
	playertest.Generate(t, dir,
		playertest.Spec{Path: "Abba/Gold/01 Dancing.mp3", Kind: playertest.MP3CBR, Seconds: 2, Cover: true, Tags: tags("Dancing Queen", "Abba", "Gold", 1, 1992, "Pop")},
		playertest.Spec{Path: "Abba/Gold/02 Waterloo.mp3", Kind: playertest.MP3CBR, Seconds: 2, Cover: true, Tags: tags("Waterloo", "Abba", "Gold", 2, 1992, "Pop")},
		playertest.Spec{Path: "Beck/Odelay/01 Devils.flac", Kind: playertest.FLAC, Seconds: 2, Tags: tags("Devils Haircut", "Beck", "Odelay", 1, 1996, "Rock")},
		playertest.Spec{Path: "Beck/Sea Change/01 Golden.flac", Kind: playertest.FLAC, Seconds: 2, Tags: tags("The Golden Age", "Beck", "Sea Change", 1, 2002, "Rock")},
		playertest.Spec{Path: "loose.mp3", Kind: playertest.MP3CBR, Seconds: 2, Tags: tags("Loose", "Zed", "Loose", 1, 2000, "Pop")},
	)
	lrc := "[00:00.50]My my, at Waterloo\n[00:01.20]Napoleon did surrender\n"
	if err := os.WriteFile(filepath.Join(dir, "Abba/Gold/02 Waterloo.lrc"), []byte(lrc), 0o644); err != nil {
		t.Fatal(err)
	}
	ixPath := filepath.Join(t.TempDir(), "library.db")
	ix, err := store.OpenIndex(ixPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	lib := player.New(player.Options{Index: ix, UserData: ix})
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	f := &fixture{lib: lib, media: &fakeMedia{}, guard: &fakeGuard{}, ix: ix, ixPath: ixPath}
	f.h = New(Options{Library: lib, Passwords: ix, Data: ix, Media: f.media, Guard: f.guard, ServerVersion: "test"})
	if f.pw, err = f.h.CreateAppPassword("Symfonium on Pixel"); err != nil {
		t.Fatal(err)
	}
	return f
}

// auth returns the u+p credentials of f's app password.
func (f *fixture) auth() url.Values {
	return url.Values{"u": {Username}, "p": {f.pw.Password}, "v": {"1.16.1"}, "c": {"test"}}
}

// call sends GET /rest/<method>.view with params (and f=format when not
// "") and returns the recorded answer.
func (f *fixture) call(method string, params url.Values, format string) *httptest.ResponseRecorder {
	q := url.Values{}
	for k, v := range params {
		q[k] = v
	}
	if format != "" {
		q.Set("f", format)
	}
	req := httptest.NewRequest(http.MethodGet, "/rest/"+method+".view?"+q.Encode(), nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// with returns f.auth() plus the key-value pairs kv.
func (f *fixture) with(kv ...string) url.Values {
	q := f.auth()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	return q
}

func strconvF(f float64) string {
	s := strings.TrimRight(strings.TrimRight(strconvFormat(f), "0"), ".")
	if s == "" {
		return "0"
	}
	return s
}

func strconvFormat(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
