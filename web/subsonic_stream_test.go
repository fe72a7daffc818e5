package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/transcode"
)

// TestSubsonicStreamBitRates streams a 12 s FLAC through /rest/stream
// over HTTP with the formats and maxBitRate values apps send, and checks
// each answer's Content-Type, exact Content-Length and, with ffprobe, the
// MP3's bit rate: maxBitRate picks the highest MPEG-1 rate at most it,
// format=raw sends the original whatever maxBitRate says, and a format
// Earshot does not make comes as MP3 with a note saying so.
func TestSubsonicStreamBitRates(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a/song.flac", Kind: playertest.FLAC, Seconds: 12})
	lib := folderLibrary(t, dir)
	s := New(lib, Options{Key: testKey})
	ap, _ := s.CreateAppPassword("test")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	tr := lib.Tracks()[0]
	original, err := os.ReadFile(filepath.Join(dir, "a/song.flac"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query   string
		rate    int // bit/s of the MP3; 0 for the original
		seconds float64
		note    bool
	}{
		{"maxBitRate=64", 64000, 12, false},
		{"format=mp3&maxBitRate=320", 320000, 12, false},
		{"format=mp3&maxBitRate=200&timeOffset=5", 192000, 7, false},
		{"format=mp3", 128000, 12, false},
		{"format=opus&maxBitRate=96", 96000, 12, true},
		{"format=raw&maxBitRate=64", 0, 12, false},
	}
	for _, tc := range tests {
		resp, err := http.Get(srv.URL + "/rest/stream.view?" + tc.query + "&id=" + tr.ID + "&apiKey=" + url.QueryEscape(ap.Password))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ctype, note := resp.Header.Get("Content-Type"), resp.Header.Get("X-Transcode-Note")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) || (note != "") != tc.note {
			t.Errorf("%s: %d, %d bytes of %s, note %q", tc.query, resp.StatusCode, len(body), resp.Header.Get("Content-Length"), note)
			continue
		}
		if tc.rate == 0 {
			if ctype != "audio/flac" || string(body) != string(original) {
				t.Errorf("%s: %s, %d bytes; want the original FLAC", tc.query, ctype, len(body))
			}
			continue
		}
		frames := transcode.MP3LayoutAt(12, tc.rate).Size() / transcode.MP3FrameSize(tc.rate)
		if ctype != "audio/mpeg" || int64(len(body))%transcode.MP3FrameSize(tc.rate) != 0 ||
			int64(len(body)) > frames*transcode.MP3FrameSize(tc.rate) {
			t.Errorf("%s: %s, %d bytes; want audio/mpeg in whole frames of %d bytes", tc.query, ctype, len(body), transcode.MP3FrameSize(tc.rate))
			continue
		}
		file := filepath.Join(t.TempDir(), "out.mp3")
		os.WriteFile(file, body, 0o600)
		out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,bit_rate,sample_rate",
			"-of", "csv=p=0", file).Output()
		if got, want := strings.TrimSpace(string(out)), "mp3,48000,"+strconv.Itoa(tc.rate); err != nil || got != want {
			t.Errorf("%s: ffprobe reads %q, %v; want %q", tc.query, got, err, want)
		}
		if got := playertest.DecodedDuration(t, file); got < tc.seconds-0.5 || got > tc.seconds+0.5 {
			t.Errorf("%s: decoded %.2f s, want about %.0f", tc.query, got, tc.seconds)
		}
	}
}

// TestAppPasswordAppURL checks the server URL the page shows for apps
// (GET /api/app-passwords' serverUrl): none while the server listens on
// loopback only; with LAN access on, the server's own first
// non-loopback address (physical before virtual) when the machine has
// one; none again when LAN access goes off.
func TestAppPasswordAppURL(t *testing.T) {
	s := New(player.New(player.Options{}), Options{Key: testKey})
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	if got := s.AppURL(); got != "" {
		t.Errorf("loopback only: AppURL = %q, want none", got)
	}
	if err := s.SetLAN(true); err != nil {
		t.Fatal(err)
	}
	got, want := s.AppURL(), ""
	for _, a := range s.Addresses() {
		if !a.Loopback && (want == "" || !a.Virtual) {
			want = a.URL
			if !a.Virtual {
				break
			}
		}
	}
	if got != want || strings.Contains(got, "127.0.0.1") {
		t.Errorf("LAN on: AppURL = %q, want %q (of %+v)", got, want, s.Addresses())
	}
	var body struct{ ServerURL string }
	rec := send(s.Handler(), http.MethodGet, "/api/app-passwords", loopPeer, http.Header{"Authorization": {"Bearer " + testKey}})
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.ServerURL != want {
		t.Errorf("GET /api/app-passwords serverUrl = %q, %v; want %q", body.ServerURL, err, want)
	}
	if err := s.SetLAN(false); err != nil {
		t.Fatal(err)
	}
	if got := s.AppURL(); got != "" {
		t.Errorf("LAN off: AppURL = %q, want none", got)
	}
}
