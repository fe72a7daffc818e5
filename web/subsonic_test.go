package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"earshot/player/playertest"
	"earshot/web/subsonic"
)

// subsonicCode returns a /rest/ JSON answer's error code, -1 when ok.
func subsonicCode(t *testing.T, rec *httptest.ResponseRecorder) int {
	t.Helper()
	var v struct {
		R struct {
			Status string
			Error  *struct{ Code int }
		} `json:"subsonic-response"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %d %s", err, rec.Code, rec.Body)
	}
	if v.R.Error == nil {
		return -1
	}
	return v.R.Error.Code
}

// TestSubsonicAccess checks /rest/'s access rule: an app password opens
// it from the LAN and from this computer alike, the page's key and
// cookie do not, wrong passwords share the page's failure limiter, and
// with LAN access off only this computer is served.
func TestSubsonicAccess(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	s.lis.lan.Store(true)
	ap, err := s.CreateAppPassword("Symfonium on Pixel")
	if err != nil {
		t.Fatal(err)
	}
	right := "/rest/ping.view?f=json&u=earshot&p=" + url.QueryEscape(ap.Password)
	tests := []struct {
		name, peer, target string
		header             http.Header
		code               int
	}{
		{"LAN with app password", lanPeer, right, nil, -1},
		{"this computer with app password", loopPeer, right, nil, -1},
		{"apiKey", lanPeer, "/rest/ping?f=json&apiKey=" + url.QueryEscape(ap.Password), nil, -1},
		{"this computer without", loopPeer, "/rest/ping.view?f=json", nil, subsonic.CodeMissingParam},
		{"page key as bearer", lanPeer, "/rest/ping.view?f=json", http.Header{"Authorization": {"Bearer " + testKey}}, subsonic.CodeMissingParam},
		{"page key as apiKey", lanPeer, "/rest/ping.view?f=json&apiKey=" + testKey, nil, subsonic.CodeBadAPIKey},
		{"unknown method", lanPeer, "/rest/getPodcasts.view?f=json&u=earshot&p=" + url.QueryEscape(ap.Password), nil, 0},
	}
	for _, tc := range tests {
		rec := send(s.Handler(), http.MethodGet, tc.target, tc.peer, tc.header)
		if rec.Code != http.StatusOK || subsonicCode(t, rec) != tc.code {
			t.Errorf("%s: HTTP %d code %d, want 200 and %d", tc.name, rec.Code, subsonicCode(t, rec), tc.code)
		}
	}
	for i := range 10 {
		rec := send(s.Handler(), http.MethodGet, "/rest/ping.view?f=json&u=earshot&p=wrong", lanPeer2, nil)
		if code := subsonicCode(t, rec); rec.Code != http.StatusOK || code != subsonic.CodeWrongCreds {
			t.Fatalf("wrong password %d: HTTP %d code %d", i, rec.Code, code)
		}
	}
	if rec := send(s.Handler(), http.MethodGet, "/rest/ping.view?f=json&u=earshot&p=wrong", lanPeer2, nil); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("11th wrong password: HTTP %d, Retry-After %q; want 429", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := send(s.Handler(), http.MethodGet, "/pair?key=wrong", lanPeer2, nil); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the page's /pair after 10 wrong app passwords: %d, want 429", rec.Code)
	}
	if err := s.RevokeAppPassword(ap.ID); err != nil {
		t.Fatal(err)
	}
	if rec := send(s.Handler(), http.MethodGet, right, lanPeer, nil); subsonicCode(t, rec) != subsonic.CodeWrongCreds {
		t.Errorf("revoked password: code %d, want 40", subsonicCode(t, rec))
	}
	ap, _ = s.CreateAppPassword("DSub")
	right = "/rest/ping.view?f=json&u=earshot&p=" + url.QueryEscape(ap.Password)
	s.lis.lan.Store(false)
	if rec := send(s.Handler(), http.MethodGet, right, lanPeer, nil); rec.Code != http.StatusForbidden {
		t.Errorf("LAN off, LAN peer: %d, want 403", rec.Code)
	}
	if rec := send(s.Handler(), http.MethodGet, right, loopPeer, nil); rec.Code != http.StatusOK || subsonicCode(t, rec) != -1 {
		t.Errorf("LAN off, this computer: %d %s", rec.Code, rec.Body)
	}
}

// TestSubsonicStream checks stream and download through /rest/: a Range
// request gets 206 and the exact bytes, with the page's stream ETag and
// Last-Modified, HEAD the length, download an attachment.
func TestSubsonicStream(t *testing.T) {
	lib, data, tr, _ := wavLibrary(t)
	s := New(lib, Options{Key: testKey})
	ap, _ := s.CreateAppPassword("test")
	auth := "u=earshot&p=" + url.QueryEscape(ap.Password) + "&c=test&v=1.16.1"
	page := send(s.Handler(), http.MethodGet, "/api/tracks/"+tr.ID+"/stream", loopPeer, nil)
	rec := send(s.Handler(), http.MethodGet, "/rest/stream.view?id="+tr.ID+"&"+auth, lanPeer, http.Header{"Range": {"bytes=100-199"}})
	if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), data[100:200]) {
		t.Errorf("stream Range: %d, %d bytes; want 206 and bytes 100-199", rec.Code, rec.Body.Len())
	}
	for _, h := range []string{"ETag", "Last-Modified"} {
		if got, want := rec.Header().Get(h), page.Header().Get(h); got == "" || got != want {
			t.Errorf("stream %s = %q, page's %q", h, got, want)
		}
	}
	head := send(s.Handler(), http.MethodHead, "/rest/stream?id="+tr.ID+"&format=raw&"+auth, lanPeer, nil)
	if head.Code != http.StatusOK || head.Header().Get("Content-Length") != strconv.Itoa(len(data)) || head.Body.Len() != 0 {
		t.Errorf("HEAD stream: %d, length %q, body %d", head.Code, head.Header().Get("Content-Length"), head.Body.Len())
	}
	dl := send(s.Handler(), http.MethodGet, "/rest/download?id="+tr.ID+"&"+auth, lanPeer, nil)
	if dl.Code != http.StatusOK || !bytes.Equal(dl.Body.Bytes(), data) || !strings.Contains(dl.Header().Get("Content-Disposition"), `filename=song.wav`) {
		t.Errorf("download: %d, %d bytes, %q", dl.Code, dl.Body.Len(), dl.Header().Get("Content-Disposition"))
	}
}

// TestSubsonicTimeOffset streams a 40 s FLAC as MP3 from timeOffset=30
// over HTTP, as an app seeking in a transcode would, and checks with
// ffprobe that about 10 s of audio arrive.
func TestSubsonicTimeOffset(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a/b/long.flac", Kind: playertest.FLAC, Seconds: 40})
	lib := folderLibrary(t, dir)
	s := New(lib, Options{Key: testKey})
	ap, _ := s.CreateAppPassword("test")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	id := lib.Tracks()[0].ID
	resp, err := http.Get(srv.URL + "/rest/stream.view?format=mp3&timeOffset=30&id=" + id + "&apiKey=" + url.QueryEscape(ap.Password))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "audio/mpeg" || strconv.Itoa(len(body)) != resp.Header.Get("Content-Length") {
		t.Fatalf("stream timeOffset=30: %d %s, %d bytes of %s", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), resp.Header.Get("Content-Length"))
	}
	file := filepath.Join(t.TempDir(), "part.mp3")
	os.WriteFile(file, body, 0o600)
	if got := playertest.DecodedDuration(t, file); got < 9.5 || got > 10.5 {
		t.Errorf("decoded %.2f s from timeOffset=30 of 40 s, want about 10", got)
	}
}

// TestSubsonicCueTrack streams the middle track of a cue sheet (10 s to
// 20 s of a 30 s FLAC) as an app would: it arrives as MP3 of its part of
// the file alone, about 10 s, and about 5 s from timeOffset=5.
func TestSubsonicCueTrack(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "live/album.flac", Kind: playertest.FLAC, Seconds: 30})
	cue := "PERFORMER \"Band\"\nTITLE \"Live\"\nFILE \"album.flac\" WAVE\n" +
		"  TRACK 01 AUDIO\n    TITLE \"One\"\n    INDEX 01 00:00:00\n" +
		"  TRACK 02 AUDIO\n    TITLE \"Two\"\n    INDEX 01 00:10:00\n" +
		"  TRACK 03 AUDIO\n    TITLE \"Three\"\n    INDEX 01 00:20:00\n"
	if err := os.WriteFile(filepath.Join(dir, "live/album.cue"), []byte(cue), 0o644); err != nil {
		t.Fatal(err)
	}
	lib := folderLibrary(t, dir)
	found := lib.Search("Two")
	if len(found) != 1 || found[0].End == 0 {
		t.Fatalf("cue track Two: %+v", found)
	}
	s := New(lib, Options{Key: testKey})
	ap, _ := s.CreateAppPassword("test")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		query string
		want  float64
	}{{"", 10}, {"&timeOffset=5", 5}} {
		resp, err := http.Get(srv.URL + "/rest/stream.view?id=" + found[0].ID + tc.query + "&apiKey=" + url.QueryEscape(ap.Password))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "audio/mpeg" {
			t.Fatalf("stream%s: %d %s", tc.query, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		file := filepath.Join(t.TempDir(), "part.mp3")
		os.WriteFile(file, body, 0o600)
		if got := playertest.DecodedDuration(t, file); got < tc.want-0.5 || got > tc.want+0.5 {
			t.Errorf("stream%s decodes to %.2f s, want about %.0f", tc.query, got, tc.want)
		}
	}
}

// TestAppPasswordsAPI drives /api/app-passwords as a paired page would:
// create (the password once), list (never the password), use on /rest/,
// revoke (then error 40), and the refusals.
func TestAppPasswordsAPI(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	s.lis.lan.Store(true)
	bearer := http.Header{"Authorization": {"Bearer " + testKey}}
	post := func(body string, h http.Header) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/app-passwords", strings.NewReader(body))
		req.RemoteAddr, req.Host = lanPeer, "localhost:8780"
		for k, v := range h {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	rec := post(`{"name":"Feishin on desktop"}`, bearer)
	var made struct{ ID, Name, User, Password string }
	if err := json.Unmarshal(rec.Body.Bytes(), &made); rec.Code != http.StatusCreated || err != nil || made.User != "earshot" || len(made.Password) < 16 {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	list := send(s.Handler(), http.MethodGet, "/api/app-passwords", lanPeer, bearer)
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), "Feishin on desktop") || strings.Contains(list.Body.String(), made.Password) {
		t.Errorf("GET: %d %s", list.Code, list.Body)
	}
	ping := "/rest/ping.view?f=json&u=earshot&p=" + url.QueryEscape(made.Password)
	if rec := send(s.Handler(), http.MethodGet, ping, lanPeer, nil); subsonicCode(t, rec) != -1 {
		t.Errorf("the new password on /rest/: %s", rec.Body)
	}
	if rec := send(s.Handler(), http.MethodDelete, "/api/app-passwords/"+made.ID, lanPeer, bearer); rec.Code != http.StatusNoContent {
		t.Errorf("DELETE: %d", rec.Code)
	}
	if rec := send(s.Handler(), http.MethodGet, ping, lanPeer, nil); subsonicCode(t, rec) != subsonic.CodeWrongCreds {
		t.Errorf("the revoked password on /rest/: %s", rec.Body)
	}
	for _, tc := range []struct {
		name string
		rec  *httptest.ResponseRecorder
		want int
	}{
		{"DELETE again", send(s.Handler(), http.MethodDelete, "/api/app-passwords/"+made.ID, lanPeer, bearer), http.StatusNotFound},
		{"blank name", post(`{"name":"  "}`, bearer), http.StatusBadRequest},
		{"not JSON", post(`name=x`, bearer), http.StatusBadRequest},
		{"unpaired", post(`{"name":"x"}`, nil), http.StatusUnauthorized},
		{"unpaired list", send(s.Handler(), http.MethodGet, "/api/app-passwords", lanPeer2, nil), http.StatusUnauthorized},
	} {
		if tc.rec.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, tc.rec.Code, tc.want)
		}
	}
}
