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
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// chirpPath is the first track of the chirp library: a 90-s VBR MP3 with
// no Xing, Info or VBRI header (LAME -V4, -write_xing 0).
const chirpPath = "Chirp/Chirp/01 Chirp.mp3"

// chirpXingPath is the second track of the chirp library: the same chirp
// as a VBR MP3 with a Xing header and LAME tag (LAME -V4, ffmpeg's
// default; 576 samples of encoder delay, 1368 of padding).
const chirpXingPath = "Chirp/Chirp/02 Chirp Xing.mp3"

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

// chirpLibraryDir encodes the chirp once per test binary, without and
// with a Xing header ([chirpPath], [chirpXingPath]), and returns its
// library folder.
func chirpLibraryDir(t testing.TB) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	chirpOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "earshot-chirp-")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ path, title, xing string }{{chirpPath, "Chirp", "0"}, {chirpXingPath, "Chirp Xing", "1"}} {
			out := filepath.Join(tmp, "Music", filepath.FromSlash(c.path))
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", chirpFilter,
				"-ac", "2", "-c:a", "libmp3lame", "-q:a", "4", "-write_xing", c.xing,
				"-metadata", "title="+c.title, "-metadata", "artist=Test Artist", "-metadata", "album=Chirp", out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("encode the chirp: %v\n%s", err, stderr.Bytes())
			}
		}
		chirpDir = filepath.Join(tmp, "Music") // removed by TestMain
	})
	if chirpDir == "" {
		t.Fatal("the chirp could not be encoded (see the first failure)")
	}
	return chirpDir
}

// newChirpServer serves the chirp library over loopback and returns the
// server and the track at path in it.
func newChirpServer(t testing.TB, path string) (*httptest.Server, player.Track) {
	t.Helper()
	h, tr := chirpHandlerFor(t, path)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, tr
}

// chirpHandler returns the server's handler over the chirp library and the
// track without a Xing header.
func chirpHandler(t testing.TB) (http.Handler, player.Track) {
	t.Helper()
	return chirpHandlerFor(t, chirpPath)
}

// chirpHandlerFor returns the server's handler over the chirp library and
// its track at path.
func chirpHandlerFor(t testing.TB, path string) (http.Handler, player.Track) {
	t.Helper()
	src, err := player.OpenFolder(chirpLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != 2 {
		t.Fatalf("Scan = %+v, %v; want 2 tracks", rep, err)
	}
	tr, err := lib.Track(player.TrackID(path))
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
	srv, tr := newChirpServer(t, chirpPath)
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

// jsChirpProbe routes both media elements through a Web Audio analyser and
// defines chirpAt(): the position in the chirp, in seconds, that the sound
// playing now belongs to, from the pitch of its strongest component
// between 150 and 4000 Hz (200 + 40·t Hz; see chirpFilter), refined by a
// parabola through the peak's bins. A window of 8192 samples (0.19 s)
// blurs the pitch by about 8 Hz, 0.2 s of chirp.
const jsChirpProbe = `(async () => {
  const ctx = new AudioContext(), an = ctx.createAnalyser();
  an.fftSize = 8192; an.smoothingTimeConstant = 0;
  for (const id of ['audio', 'audio-next']) ctx.createMediaElementSource(document.getElementById(id)).connect(an);
  an.connect(ctx.destination);
  await ctx.resume();
  const buf = new Float32Array(an.frequencyBinCount), hz = ctx.sampleRate / an.fftSize;
  window.chirpAt = () => {
    an.getFloatFrequencyData(buf);
    let k = Math.ceil(150 / hz);
    for (let i = k; i < 4000 / hz; i++) if (buf[i] > buf[k]) k = i;
    const [a, b, c] = [buf[k - 1], buf[k], buf[k + 1]], d = a - 2 * b + c;
    const f = (k + (d ? (a - c) / (2 * d) : 0)) * hz;
    return (f - 200) / 40;
  };
  return ctx.state })()`

// jsChirpOffsets samples, every 150 ms for 1.5 s, how far the sound heard
// is from the element's currentTime (chirpAt() − currentTime, seconds),
// and returns the samples sorted.
const jsChirpOffsets = `new Promise((resolve) => {
  const a = document.getElementById('audio'), out = [];
  const tick = setInterval(() => {
    out.push(chirpAt() - a.currentTime);
    if (out.length === 10) { clearInterval(tick); resolve(out.sort((x, y) => x - y)); }
  }, 150);
})`

// chirpOffset measures the median distance between what tb plays and its
// currentTime, failing t when the page has no sound to measure.
func chirpOffset(t *testing.T, tb tab, when string) float64 {
	t.Helper()
	offs := tabEval[[]float64](t, tb, jsChirpOffsets)
	if len(offs) != 10 {
		t.Fatalf("%s: %d samples of the chirp", when, len(offs))
	}
	t.Logf("%s: sound − currentTime = %.2f s (samples %.2f … %.2f)", when, offs[5], offs[0], offs[9])
	return offs[5]
}

// TestBrowserSeekNoXing seeks, in each engine, in the 90-s VBR MP3 without
// a Xing header, by the page's seek bar, to 80 % of the library's duration,
// and checks by ear (the chirp's pitch, chirpAt) that what plays is within
// 1 s of the position asked for, against the ear's own delay measured at
// the start of the track.
func TestBrowserSeekNoXing(t *testing.T) {
	srv, tr := newChirpServer(t, chirpPath)
	seekByEar(t, srv, tr, tr.Duration)
}

// TestBrowserSeekXing does what [TestBrowserSeekNoXing] does for the chirp
// with a Xing header and LAME tag, which Firefox's MP3 demuxer seeks 8 s
// off. Each engine must also honour the served MPEG-4's edit list, which
// gapless playback of MP3s needs: Chromium and WebKit give the length the
// LAME tag states, 90.000 s (frames × 1152 samples − 576 of encoder delay
// − 1368 of padding), not the frames' 90.044 s; Firefox, which honours the
// edit's start but not its end, 90.019 s once playing (90.000 s before),
// where it gives 90.000 s for the MP3 itself.
func TestBrowserSeekXing(t *testing.T) {
	srv, tr := newChirpServer(t, chirpXingPath)
	seekByEar(t, srv, tr, chirpSeconds)
}

// seekByEar plays track tr of the chirp library served by srv in each
// engine, checks that the element's duration, once playing, is dur
// seconds (from 5 ms less to 20 ms more: see [TestBrowserSeekXing]),
// seeks by the page's seek bar to 80 % of the library's duration, and
// checks by ear (the chirp's pitch, chirpAt) that what plays is within 1 s
// of the position asked for, against the ear's own delay measured at the
// start of the track.
func seekByEar(t *testing.T, srv *httptest.Server, tr player.Track, dur float64) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/", desktopSize)
			row := `document.querySelector('#view [data-track-id="` + tr.ID + `"]')`
			tabUntil(t, tb, chirpWait, "the chirp's row", row)
			if st := tabEval[string](t, tb, jsChirpProbe); st != "running" {
				t.Fatalf("AudioContext state %q, want running", st)
			}
			tabEval[any](t, tb, row+`.click()`)
			tabUntil(t, tb, chirpWait, "the chirp to play 2 s", playingTrack(tr.ID)+` && document.getElementById('audio').currentTime > 2`)
			// The ear's own delay: Chromium and Firefox hear about 0.1 s
			// behind currentTime, WebKit (its Web Audio path through
			// GStreamer) about 1.1 s. The seek is judged against it.
			if d := tabEval[float64](t, tb, `document.getElementById('audio').duration`); d < dur-0.005 || d > dur+0.02 {
				t.Errorf("the element says the track lasts %.4f s, want %.4f s", d, dur)
			}
			base := chirpOffset(t, tb, e.name+" at the start")
			if math.Abs(base) > 2 {
				t.Fatalf("the sound is %.2f s from currentTime before any seek: the ear is off", base)
			}

			target := 0.8 * tr.Duration
			tabEval[bool](t, tb, jsSeekBar(target))
			// 2 s on, past the ear's delay, so that it hears no sound from before the seek.
			tabUntil(t, tb, chirpWait, "playback after the seek", `(() => { const a = document.getElementById('audio'); return !a.seeking && !a.paused && a.currentTime > `+ftoa(target+2)+` })()`)
			now := tabEval[float64](t, tb, `document.getElementById('audio').currentTime`)
			off := chirpOffset(t, tb, e.name+" after the seek")
			if math.Abs(now-target) > 4 {
				t.Errorf("currentTime %.2f s just after a seek to %.2f s", now, target)
			}
			if math.Abs(off-base) > 1 {
				t.Errorf("after a seek to %.2f s the sound is %.2f s from currentTime, %.2f s before it: the seek is %.2f s off", target, off, base, off-base)
			}
		})
	}
}

// TestFFmpegReadsRemuxedMP3 has ffprobe and ffmpeg, real HTTP clients,
// read the chirp's stream (served as MPEG-4, see mp3seek.go): ffprobe must
// give the library's duration (on the MP3 file it only estimates 148 s),
// a whole decode must give the same audio as the file's (MD5 of the PCM),
// and a decode from 72 s (-ss before -i, which seeks with a Range request)
// must give the rest of the track, 18.04 s, to within a frame.
func TestFFmpegReadsRemuxedMP3(t *testing.T) {
	h, tr := chirpHandler(t)
	var mu sync.Mutex
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/api/tracks/" + tr.ID + "/stream"
	file := filepath.Join(chirpLibraryDir(t), filepath.FromSlash(chirpPath))

	if d := probeURL(t, url); math.Abs(d-tr.Duration) > 0.01 {
		t.Errorf("ffprobe over HTTP: %.3f s, want the library's %.3f s (on disk: %.3f s)", d, tr.Duration, playertest.Probe(t, file))
	}
	md5 := func(in string) string {
		out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", in, "-map", "0:a", "-f", "md5", "-").Output()
		if err != nil {
			t.Fatalf("ffmpeg md5 of %s: %v", in, err)
		}
		return strings.TrimSpace(string(out))
	}
	if a, b := md5(file), md5(url); a != b {
		t.Errorf("decoded over HTTP: %s; the file: %s", b, a)
	}
	mu.Lock()
	ranges = nil
	mu.Unlock()
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-ss", "72", "-i", url, "-f", "s16le", "-ac", "1", "-ar", "44100", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg -ss 72 -i %s: %v", url, err)
	}
	if got, want := float64(len(out))/2/44100, tr.Duration-72; math.Abs(got-want) > 0.03 {
		t.Errorf("ffmpeg -ss 72 decoded %.3f s, want %.3f s", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	seeked := false
	for _, r := range ranges {
		seeked = seeked || strings.HasPrefix(r, "bytes=") && !strings.HasPrefix(r, "bytes=0-")
	}
	if !seeked {
		t.Errorf("ffmpeg sent no Range request past byte 0: %q", ranges)
	}
}
