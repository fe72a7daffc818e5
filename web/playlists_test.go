package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/store"
)

// userLib returns a library over fsys that keeps user data in an index in
// a temporary folder, scanned once as the source "test".
func userLib(t testing.TB, fsys fstest.MapFS) *player.Library {
	t.Helper()
	ix, err := store.OpenIndex(filepath.Join(t.TempDir(), "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	lib := player.New(player.Options{Index: ix, UserData: ix})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	return lib
}

// sendJSON sends method target with the JSON body from this computer, as the
// page does (same Origin), and returns the response.
func sendJSON(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:50000"
	req.Host = "127.0.0.1:8780"
	req.Header.Set("Origin", "http://127.0.0.1:8780")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// timesRE matches the RFC 3339 times in answers, which change per run.
var timesRE = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+Z"`)

// checkUserGolden compares body (JSON is indented first, times replaced by
// "<time>") with testdata/name.golden, rewriting it under -update.
func checkUserGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	out := body
	if json.Valid(body) {
		var pretty bytes.Buffer
		json.Indent(&pretty, body, "", "  ")
		out = timesRE.ReplaceAll(pretty.Bytes(), []byte(`"<time>"`))
	}
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		os.WriteFile(golden, out, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("%s =\n%s\nwant (%s)\n%s", name, out, golden, want)
	}
}

// TestUserDataAPI makes, changes and reads playlists, hearts and plays
// through the API, holding each answer to its golden file.
func TestUserDataAPI(t *testing.T) {
	lib := userLib(t, apiFS())
	h := New(lib, Options{Version: "1.2.3"}).Handler()
	ids := []string{}
	for _, tr := range lib.Tracks() {
		ids = append(ids, tr.ID)
	}
	album, artist := lib.Albums()[0].ID, lib.Artists()[0].ID
	steps := []struct {
		golden, method, target, body string
		code                         int
	}{
		{"playlist-create", "POST", "/api/playlists", fmt.Sprintf(`{"name":"Mix","trackIds":[%q,%q]}`, ids[2], ids[0]), 201},
		{"playlist-append", "POST", "/api/playlists/1/tracks", fmt.Sprintf(`{"trackIds":[%q]}`, ids[1]), 200},
		{"playlist-update", "PUT", "/api/playlists/1", fmt.Sprintf(`{"name":"Road <trip>","trackIds":[%q,%q,%q]}`, ids[1], ids[2], ids[0]), 200},
		{"", "POST", "/api/playlists", `{"name":"Empty"}`, 201},
		{"", "DELETE", "/api/playlists/2", ``, 204},
		{"playlists", "GET", "/api/playlists", ``, 200},
		{"playlist", "GET", "/api/playlists/1", ``, 200},
		{"", "POST", "/api/stars", fmt.Sprintf(`{"kind":"song","id":%q}`, ids[2]), 204},
		{"", "POST", "/api/stars", fmt.Sprintf(`{"kind":"album","id":%q}`, album), 204},
		{"", "POST", "/api/stars", fmt.Sprintf(`{"kind":"artist","id":%q}`, artist), 204},
		{"", "POST", "/api/stars", fmt.Sprintf(`{"kind":"song","id":%q}`, ids[1]), 204},
		{"", "DELETE", "/api/stars", fmt.Sprintf(`{"kind":"song","id":%q}`, ids[1]), 204},
		{"favourites", "GET", "/api/favourites", ``, 200},
		{"play", "POST", "/api/plays", fmt.Sprintf(`{"trackId":%q,"played":1.5,"listenId":"L1"}`, ids[0]), 200},
		{"play-again", "POST", "/api/plays", fmt.Sprintf(`{"trackId":%q,"played":1.5,"listenId":"L1"}`, ids[0]), 200},
		{"play-short", "POST", "/api/plays", fmt.Sprintf(`{"trackId":%q,"played":0.1,"listenId":"L2"}`, ids[1]), 200},
		{"history-recent", "GET", "/api/history?view=recent", ``, 200},
		{"history-added", "GET", "/api/history?view=added&limit=2", ``, 200},
	}
	for _, st := range steps {
		rec := sendJSON(h, st.method, st.target, st.body)
		if rec.Code != st.code {
			t.Fatalf("%s %s %s: status %d, want %d: %s", st.method, st.target, st.body, rec.Code, st.code, rec.Body)
		}
		if st.golden != "" {
			checkUserGolden(t, st.golden, rec.Body.Bytes())
		}
	}
	rec := sendJSON(h, "GET", "/api/playlists/1.m3u8", "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "audio/x-mpegurl; charset=utf-8" ||
		rec.Header().Get("Content-Disposition") != `attachment; filename="Road _trip_.m3u8"` {
		t.Errorf("export: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
	}
	checkUserGolden(t, "playlist-export.m3u8", rec.Body.Bytes())
}

// TestUserDataBadInput sends what must be refused with a clear 4xx, and
// checks that the playlist it aimed at is unchanged.
func TestUserDataBadInput(t *testing.T) {
	lib := userLib(t, apiFS())
	h := New(lib, Options{}).Handler()
	id := lib.Tracks()[0].ID
	if rec := sendJSON(h, "POST", "/api/playlists", fmt.Sprintf(`{"name":"Keep","trackIds":[%q]}`, id)); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	before := sendJSON(h, "GET", "/api/playlists/1", "").Body.String()
	many := `"` + strings.Repeat(id+`","`, 9999) + id + `"`
	for _, tc := range []struct {
		name, method, target, body string
		code                       int
		says                       string
	}{
		{"unknown ids", "PUT", "/api/playlists/1", fmt.Sprintf(`{"trackIds":[%q,"nope","gone"]}`, id), 400, "unknown track ids: nope, gone"},
		{"10,000 entries", "PUT", "/api/playlists/1", `{"trackIds":[` + many + `]}`, 413, "at most 5000"},
		{"10,000 entries appended", "POST", "/api/playlists/1/tracks", `{"trackIds":[` + many + `]}`, 413, "at most 5000"},
		{"10,000-character name", "PUT", "/api/playlists/1", `{"name":"` + strings.Repeat("n", 10000) + `"}`, 400, "longer than 200"},
		{"invalid UTF-8", "PUT", "/api/playlists/1", "{\"name\":\"\xff\xfe\"}", 400, "not valid UTF-8"},
		{"not JSON", "PUT", "/api/playlists/1", `{"name":`, 400, "not the JSON expected"},
		{"unknown field", "PUT", "/api/playlists/1", `{"title":"x"}`, 400, "not the JSON expected"},
		{"empty name", "POST", "/api/playlists", `{"name":"  "}`, 400, "empty"},
		{"no name", "POST", "/api/playlists", `{}`, 400, "needs a name"},
		{"unknown playlist", "PUT", "/api/playlists/9", `{"name":"x"}`, 404, "playlist not found"},
		{"bad playlist id", "GET", "/api/playlists/x1", ``, 404, "playlist not found"},
		{"unknown song heart", "POST", "/api/stars", `{"kind":"song","id":"nope"}`, 400, "unknown track ids: nope"},
		{"unknown album heart", "POST", "/api/stars", `{"kind":"album","id":"nope"}`, 400, "unknown album id"},
		{"bad kind", "POST", "/api/stars", `{"kind":"genre","id":"x"}`, 400, "kind must be"},
		{"play of unknown track", "POST", "/api/plays", `{"trackId":"nope","played":300,"listenId":"a"}`, 400, "unknown track ids"},
		{"play without listen", "POST", "/api/plays", fmt.Sprintf(`{"trackId":%q,"played":300}`, id), 400, "listenId"},
		{"play without played", "POST", "/api/plays", fmt.Sprintf(`{"trackId":%q,"listenId":"a"}`, id), 400, "played"},
		{"position of a short track", "PUT", "/api/tracks/" + id + "/position", `{"seconds":3}`, 400, "over 20 minutes"},
		{"bad history view", "GET", "/api/history?view=best", ``, 400, "view must be"},
		{"body over 1 MiB", "POST", "/api/playlists", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "over"},
	} {
		rec := sendJSON(h, tc.method, tc.target, tc.body)
		if rec.Code != tc.code || !strings.Contains(jsonError(t, rec), tc.says) {
			t.Errorf("%s: %d %s, want %d saying %q", tc.name, rec.Code, rec.Body, tc.code, tc.says)
		}
	}
	if after := sendJSON(h, "GET", "/api/playlists/1", "").Body.String(); after != before {
		t.Errorf("playlist changed by refused requests:\n%s\nwas\n%s", after, before)
	}
	if rec := sendJSON(h, "GET", "/api/playlists", ""); !strings.Contains(rec.Body.String(), `"trackCount":1`) || strings.Count(rec.Body.String(), `"id"`) != 1 {
		t.Errorf("playlists after refused requests: %s", rec.Body)
	}
}

// TestUserDataChangesNeedSameOrigin checks that every change route is
// refused to a cross-site page, as every change is.
func TestUserDataChangesNeedSameOrigin(t *testing.T) {
	lib := userLib(t, apiFS())
	h := New(lib, Options{}).Handler()
	for _, c := range []struct{ method, target string }{
		{"POST", "/api/playlists"}, {"PUT", "/api/playlists/1"}, {"DELETE", "/api/playlists/1"},
		{"POST", "/api/playlists/1/tracks"}, {"POST", "/api/stars"}, {"DELETE", "/api/stars"},
		{"POST", "/api/plays"}, {"PUT", "/api/tracks/x/position"},
	} {
		req := httptest.NewRequest(c.method, c.target, strings.NewReader(`{}`))
		req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8780"
		req.Header.Set("Origin", "http://evil.example")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s %s from another origin: %d, want 403", c.method, c.target, rec.Code)
		}
	}
}

// TestUserDataEvent checks that a change reaches open event streams as a
// "userdata" event.
func TestUserDataEvent(t *testing.T) {
	lib := userLib(t, apiFS())
	ts := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(ts.Close)
	s := openEvents(t, ts.Client(), ts.URL+"/api/events")
	s.until(t, "the status event", isEvent("status"))
	if _, err := lib.CreatePlaylist("New", nil); err != nil {
		t.Fatal(err)
	}
	m := s.until(t, "the userdata event", isEvent("userdata"))
	if got := m[len(m)-1].Data; got != `{"what":"playlists"}` {
		t.Errorf("userdata event data %s", got)
	}
}

// TestResumeAt checks that a long track's position shows as "resumeAt" in
// its Track object, in /api/tracks/{id} and /api/tracks.
func TestResumeAt(t *testing.T) {
	long := longWAV(1500)
	lib := userLib(t, fstest.MapFS{"book.wav": {Data: long}, "song.wav": {Data: apiFS()["Loose/Untitled.wav"].Data}})
	h := New(lib, Options{}).Handler()
	var book string
	for _, tr := range lib.Tracks() {
		if tr.Path == "book.wav" {
			book = tr.ID
		}
	}
	if rec := sendJSON(h, "PUT", "/api/tracks/"+book+"/position", `{"seconds":2472.5}`); rec.Code != 400 {
		t.Errorf("position past the end: %d", rec.Code)
	}
	if rec := sendJSON(h, "PUT", "/api/tracks/"+book+"/position", `{"seconds":741.25}`); rec.Code != 204 {
		t.Fatalf("position: %d %s", rec.Code, rec.Body)
	}
	one := sendJSON(h, "GET", "/api/tracks/"+book, "").Body.String()
	all := sendJSON(h, "GET", "/api/tracks", "").Body.String()
	if !strings.Contains(one, `"resumeAt":741.25`) || strings.Count(all, `"resumeAt":741.25`) != 1 || strings.Count(all, "resumeAt") != 1 {
		t.Errorf("resumeAt not in the track alone:\n%s\n%s", one, all)
	}
}

// longWAV returns a WAV file that lasts seconds, in 2*seconds bytes (a
// sample rate of 1 Hz).
func longWAV(seconds int) []byte {
	b := playertest.WAV(2 * seconds)
	b[24], b[25], b[26], b[27] = 1, 0, 0, 0
	return b
}

// TestFilePlaylistsInPlaylists checks that the playlist files of the
// library are listed by GET /api/playlists and read by GET
// /api/playlists/{id} in the shape of the playlists people make, with the
// missing entry kept, and that they cannot be changed.
func TestFilePlaylistsInPlaylists(t *testing.T) {
	lib := userLib(t, sideFS())
	h := New(lib, Options{}).Handler()
	var mixID string
	for _, p := range lib.FilePlaylists() {
		if p.Path == "Lists/mix.m3u8" {
			mixID = p.ID
		}
	}
	rec := sendJSON(h, "GET", "/api/playlists", "")
	if rec.Code != 200 {
		t.Fatalf("GET /api/playlists: %d", rec.Code)
	}
	checkUserGolden(t, "playlists-with-files", rec.Body.Bytes())
	rec = sendJSON(h, "GET", "/api/playlists/"+mixID, "")
	if rec.Code != 200 {
		t.Fatalf("GET /api/playlists/%s: %d", mixID, rec.Code)
	}
	checkUserGolden(t, "playlist-from-file", rec.Body.Bytes())
	for _, c := range []struct{ method, target, body string }{
		{"PUT", "/api/playlists/" + mixID, `{"name":"x"}`},
		{"DELETE", "/api/playlists/" + mixID, ``},
		{"POST", "/api/playlists/" + mixID + "/tracks", `{"trackIds":[]}`},
	} {
		if rec := sendJSON(h, c.method, c.target, c.body); rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: %d, Allow %q; want 405, GET, HEAD", c.method, c.target, rec.Code, rec.Header().Get("Allow"))
		}
	}
	if rec := sendJSON(h, "GET", "/api/playlists/file-nope", ""); rec.Code != 404 {
		t.Errorf("unknown playlist file: %d, want 404", rec.Code)
	}
}
