package web

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// chirpPath is the one track of the chirp library: a 90-s VBR MP3 with
// no Xing, Info or VBRI header (LAME -V4, -write_xing 0).
const chirpPath = "Chirp/Chirp/01 Chirp.mp3"

// chirpSeconds is the chirp's length as encoded.
const chirpSeconds = 90

// chirpWait bounds each wait on the chirp's page.
const chirpWait = 20 * time.Second

// chirpFilter is the chirp's signal, an ffmpeg aevalsrc expression: a sine
// whose frequency is 200 + 40·t Hz at t seconds (phase 2π(200t + 20t²)), so
// that the pitch heard tells the position in the track. From 45 s on, white
// noise is mixed in: the first half encodes at about 32 kbit/s and the
// second at several times that, so a player that turns a time into a byte
// offset by the bit rate of the frames it has seen lands far off (ffprobe
// estimates 148 s for the 90-s file).
const chirpFilter = "aevalsrc=0.5*sin(2*PI*(200*t+20*t*t))+0.25*(2*random(0)-1)*gt(t\\,45):s=44100:d=90"

var (
	chirpOnce sync.Once
	chirpDir  string
)

// chirpLibraryDir encodes the chirp once per test binary and returns its
// library folder.
func chirpLibraryDir(t testing.TB) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	chirpOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "earshot-chirp-")
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(tmp, "Music", filepath.FromSlash(chirpPath))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", chirpFilter,
			"-ac", "2", "-c:a", "libmp3lame", "-q:a", "4", "-write_xing", "0",
			"-metadata", "title=Chirp", "-metadata", "artist=Test Artist", "-metadata", "album=Chirp", out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("encode the chirp: %v\n%s", err, stderr.Bytes())
		}
		chirpDir = filepath.Join(tmp, "Music") // removed by TestMain
	})
	if chirpDir == "" {
		t.Fatal("the chirp could not be encoded (see the first failure)")
	}
	return chirpDir
}

// newChirpServer serves the chirp library over loopback and returns the
// server and the chirp's track.
func newChirpServer(t testing.TB) (*httptest.Server, player.Track) {
	t.Helper()
	h, tr := chirpHandler(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, tr
}

// chirpHandler returns the server's handler over the chirp library and the
// chirp's track.
func chirpHandler(t testing.TB) (http.Handler, player.Track) {
	t.Helper()
	src, err := player.OpenFolder(chirpLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != 1 {
		t.Fatalf("Scan = %+v, %v; want 1 track", rep, err)
	}
	tr, err := lib.Track(player.TrackID(chirpPath))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(tr.Duration-chirpSeconds) > 0.1 {
		t.Fatalf("the library says the chirp lasts %.3f s, want %d s", tr.Duration, chirpSeconds)
	}
	return New(lib, Options{}).Handler(), tr
}

// jsRecordPosition wraps navigator.mediaSession.setPositionState to keep
// the last state given in window.lastPos (null until then).
const jsRecordPosition = `(() => { window.lastPos = null; const ms = navigator.mediaSession;
  if (!ms || !ms.setPositionState) return false;
  const sps = ms.setPositionState.bind(ms);
  ms.setPositionState = (s) => { window.lastPos = s; return sps(s); };
  return true })()`

// TestBrowserLibraryDuration plays the VBR MP3 without a Xing header in
// each engine and checks that the page shows the library's duration, not
// the browser's estimate, on the seek bar (#seek max), in #total, in the
// seek bar's aria-valuetext and in the Media Session's position state.
func TestBrowserLibraryDuration(t *testing.T) {
	srv, tr := newChirpServer(t)
	want := tr.Duration
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/", desktopSize)
			row := `document.querySelector('#view [data-track-id="` + tr.ID + `"]')`
			tabUntil(t, tb, chirpWait, "the chirp's row", row)
			session := tabEval[bool](t, tb, jsRecordPosition)
			tabEval[any](t, tb, row+`.click()`)
			tabUntil(t, tb, chirpWait, "the chirp to play", playingTrack(tr.ID)+` && document.getElementById('audio').readyState >= 1`)
			// The estimate the page must not show, for the log.
			est := tabEval[float64](t, tb, `document.getElementById('audio').duration`)
			t.Logf("%s: audio.duration %.2f s, library %.3f s", e.name, est, want)

			max := tabEval[float64](t, tb, `+document.getElementById('seek').max`)
			if math.Abs(max-want) > 0.1 {
				t.Errorf("#seek max = %.3f, want the library's %.3f", max, want)
			}
			if got := tabEval[string](t, tb, `document.getElementById('total').textContent`); got != "1:30" {
				t.Errorf("#total = %q, want \"1:30\"", got)
			}
			tabUntil(t, tb, chirpWait, "aria-valuetext naming the library's duration", `/ of 1:30$/.test(document.getElementById('seek').getAttribute('aria-valuetext'))`)
			if session {
				tabUntil(t, tb, chirpWait, "a position state", `window.lastPos`)
				if d := tabEval[float64](t, tb, `window.lastPos.duration`); math.Abs(d-want) > 0.1 {
					t.Errorf("setPositionState duration = %.3f, want the library's %.3f", d, want)
				}
			} else {
				t.Logf("%s: no navigator.mediaSession.setPositionState", e.name)
			}
		})
	}
}
