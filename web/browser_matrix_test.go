package web

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// TestBrowserEngines checks each engine's tab the way every multi-engine
// test uses it, at both sizes: Eval awaits promises and JSON-decodes
// objects, reports a page exception as an error, gives nothing for
// undefined and runs a script of statements; the page is as wide as asked; and a clicked row plays (in
// Firefox and WebKit that needs the PulseAudio sink).
func TestBrowserEngines(t *testing.T) {
	rs := newRealServer(t)
	tr := rs.trackByPath(t, realTracks[0].spec.Path)
	for _, e := range engines(t) {
		for _, vp := range []viewport{desktopSize, phoneSize} {
			t.Run(e.name+"/"+vp.name, func(t *testing.T) {
				tb := e.open(t, rs.URL+"/", vp)
				var v struct {
					A []any
					W int
				}
				if err := tb.Eval(`new Promise(r => setTimeout(() => r({a: [1, 'x', null], w: innerWidth}), 10))`, &v); err != nil {
					t.Fatalf("Eval of a promise: %v", err)
				}
				if len(v.A) != 3 || v.A[0] != 1.0 || v.A[1] != "x" || v.A[2] != nil || v.W != vp.w {
					t.Errorf("Eval = %+v, want {A:[1 x <nil>] W:%d}", v, vp.w)
				}
				if err := tb.Eval(`noSuchName.x`, nil); err == nil {
					t.Error("Eval of a throwing expression gave no error")
				}
				n := 7
				if err := tb.Eval(`undefined`, &n); err != nil || n != 7 {
					t.Errorf("Eval(undefined) = %d, %v; want out untouched, no error", n, err)
				}
				// A script of statements (as axe's is) runs too, and what it
				// sets on window stays.
				if err := tb.Eval("var __a = 1; { const b = 2; window.__b = b; }", nil); err != nil {
					t.Errorf("Eval of statements: %v", err)
				}
				if b := tabEval[int](t, tb, `window.__b`); b != 2 {
					t.Errorf("window.__b = %d after the statements, want 2", b)
				}
				tabUntil(t, tb, 20*time.Second, "the track rows", `document.querySelector('[data-track-id="`+tr.ID+`"]')`)
				tabEval[any](t, tb, `document.querySelector('[data-track-id="`+tr.ID+`"]').click()`)
				tabUntil(t, tb, 20*time.Second, "the clicked track to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+tr.ID+`') && !a.paused && a.currentTime > 1 })()`)
			})
		}
	}
}

// matrixFormat is one format of the browser matrix: its fixture and the
// media type canPlayType is asked about.
type matrixFormat struct {
	kind playertest.Kind
	file string
	mime string
	// transcoded: where canPlayType says "" the page gets a WAV transcode
	// (issue 11) and the cell checks that one, and the "→ WAV" detail.
	transcoded bool
}

// matrixFormats are the formats every engine must play and seek in, in
// track order.
var matrixFormats = []matrixFormat{
	{playertest.MP3CBR, "01 CBR.mp3", "audio/mpeg", false},
	{playertest.MP3VBR, "02 VBR.mp3", "audio/mpeg", false},
	{playertest.MP3VBRNoXing, "03 VBR no Xing.mp3", "audio/mpeg", false},
	{playertest.FLAC, "04 FLAC.flac", "audio/flac", false},
	{playertest.Opus, "05 Opus.opus", `audio/ogg; codecs="opus"`, false},
	{playertest.Vorbis, "06 Vorbis.ogg", `audio/ogg; codecs="vorbis"`, false},
	{playertest.AAC, "07 AAC.m4a", `audio/mp4; codecs="mp4a.40.2"`, false},
	{playertest.ALAC, "08 ALAC.m4a", `audio/mp4; codecs="alac"`, true},
	{playertest.WAVE, "09 WAV.wav", `audio/wav; codecs="1"`, false},
}

// matrixSeconds is each matrix fixture's length.
const matrixSeconds = 60

var (
	matrixOnce sync.Once
	matrixDir  string
)

// matrixLibraryDir encodes the matrix fixtures once per test binary (they
// are removed by TestMain) and returns their library folder.
func matrixLibraryDir(t testing.TB) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	matrixOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "earshot-matrix-")
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(tmp, "Music")
		var specs []playertest.Spec
		for i, f := range matrixFormats {
			specs = append(specs, playertest.Spec{Path: "Matrix/Formats/" + f.file, Kind: f.kind, Seconds: matrixSeconds,
				Tags: map[string]string{"title": strings.TrimSuffix(f.file[3:], filepath.Ext(f.file)), "artist": "Matrix",
					"album": "Formats", "track": strconv.Itoa(i+1) + "/" + strconv.Itoa(len(matrixFormats))}})
		}
		playertest.Generate(t, dir, specs...)
		matrixDir = dir
	})
	if matrixDir == "" {
		t.Fatal("the matrix fixtures could not be encoded (see the first failure)")
	}
	return matrixDir
}

// newMatrixServer serves the matrix library over loopback and returns
// the server and the tracks in matrixFormats' order.
func newMatrixServer(t testing.TB) (*httptest.Server, []player.Track) {
	t.Helper()
	src, err := player.OpenFolder(matrixLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != len(matrixFormats) {
		t.Fatalf("Scan = %+v, %v; want %d tracks", rep, err, len(matrixFormats))
	}
	var tracks []player.Track
	for _, f := range matrixFormats {
		tr, err := lib.Track(player.TrackID("Matrix/Formats/" + f.file))
		if err != nil {
			t.Fatal(err)
		}
		tracks = append(tracks, tr)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	return srv, tracks
}

// jsCountLoads counts each media element's loadstart events in its
// property __loads, so that a test can tell a reload of the source from a
// seek within it.
const jsCountLoads = `(() => { for (const a of document.querySelectorAll('audio')) { a.__loads = a.__loads || 0; a.addEventListener('loadstart', () => a.__loads++); } })()`

// jsSeekAndWatch (a format string: target seconds, watch ms, stop early)
// seeks as a user does, through the page's own seek control: #seek's
// value, then its input and change events. It then watches the element
// that was playing for the watch ms (or, when stop early is true, until it
// is moving) and returns {req: the time asked for (the control's step
// rounds it), landed: ms until currentTime is within 1 s of it and not
// seeking (-1: never), moving: ms until it has moved 0.25 s on from there
// while not paused (-1: never), reloads: its loadstart events meanwhile,
// swapped: another element plays now, at: currentTime at the end, paused}.
// Use it through [seekAndWatch].
const jsSeekAndWatch = `(async () => {
  const a = document.getElementById('audio'), s = document.getElementById('seek');
  const loads = a.__loads, t0 = performance.now();
  s.value = %.3f;
  const req = +s.value;
  s.dispatchEvent(new Event('input', {bubbles: true}));
  s.dispatchEvent(new Event('change', {bubbles: true}));
  let landed = -1, moving = -1, from = 0;
  while (performance.now() - t0 < %d) {
    await new Promise(r => setTimeout(r, 20));
    const ms = Math.round(performance.now() - t0);
    if (landed < 0 && !a.seeking && Math.abs(a.currentTime - req) < 1) { landed = ms; from = a.currentTime; }
    if (landed >= 0 && moving < 0 && !a.paused && a.currentTime > from + 0.25) moving = ms;
    if (%t && moving >= 0) break;
  }
  return {req, landed, moving, reloads: a.__loads - loads, swapped: document.getElementById('audio') !== a, at: a.currentTime, paused: a.paused};
})()`

// seekResult is what jsSeekAndWatch returns.
type seekResult struct {
	Req, At         float64
	Landed, Moving  int
	Reloads         int
	Swapped, Paused bool
}

// seekAndWatch seeks tb's playing track to target seconds through #seek
// and watches it for watch, or only until it plays on when untilMoving
// (see jsSeekAndWatch), failing the test when the page cannot run it.
func seekAndWatch(t *testing.T, tb tab, target float64, watch time.Duration, untilMoving bool) seekResult {
	t.Helper()
	var r seekResult
	if err := tb.Eval(fmt.Sprintf(jsSeekAndWatch, target, watch.Milliseconds(), untilMoving), &r); err != nil {
		t.Fatalf("seek to %.1f s: %v", target, err)
	}
	return r
}

// TestBrowserMatrix plays every format in every engine at both sizes: it
// plays; a seek to 80 % through #seek lands within 1 s of the time asked
// and plays on within 1.5 s, with no reload of the source for 4 s; and the
// page shows the library's duration (#seek max ±0.1 s, #total as the
// page's clock). Each cell logs a table line for the notes. Then the
// queue (#next), the Media Session handlers and resume after a reload.
func TestBrowserMatrix(t *testing.T) {
	srv, tracks := newMatrixServer(t)
	for _, e := range engines(t) {
		for _, vp := range []viewport{desktopSize, phoneSize} {
			t.Run(e.name+"/"+vp.name, func(t *testing.T) {
				tb := e.open(t, srv.URL+"/", vp)
				tabUntil(t, tb, 20*time.Second, "the track rows", `document.querySelectorAll('#view [data-track-id]').length === `+strconv.Itoa(len(tracks)))
				tabEval[any](t, tb, jsCountLoads)
				if !tabEval[bool](t, tb, `!!(window.MediaSession && navigator.mediaSession)`) {
					t.Errorf("%s: no navigator.mediaSession", e.name)
				} else {
					tabEval[any](t, tb, jsRecordMediaSession)
				}
				for i, f := range matrixFormats {
					t.Run(string(f.kind), func(t *testing.T) { matrixCell(t, e.name, vp, tb, f, tracks[i]) })
				}
				t.Run("queue", func(t *testing.T) { matrixQueue(t, tb, tracks) })
				t.Run("mediasession", func(t *testing.T) { matrixMediaSession(t, tb, tracks) })
				t.Run("resume", func(t *testing.T) { matrixResume(t, e.name, vp, tb, tracks[0]) })
			})
		}
	}
}

// matrixCell plays one format in one tab and checks its seek and shown
// duration, logging the cell's table line.
func matrixCell(t *testing.T, engine string, vp viewport, tb tab, f matrixFormat, tr player.Track) {
	can := tabEval[string](t, tb, `document.getElementById('audio').canPlayType(`+jsString(f.mime)+`)`)
	if can == "" && !f.transcoded {
		t.Errorf("%s says it cannot play %s", engine, f.mime)
		return
	}
	tabEval[any](t, tb, `document.querySelector('#view [data-track-id="`+tr.ID+`"]').click()`)
	tabUntil(t, tb, 20*time.Second, "the track to play", playingTrack(tr.ID))
	if can == "" {
		tabUntil(t, tb, 10*time.Second, "the transcode detail", `document.getElementById('np-detail').textContent.endsWith('→ WAV') && document.getElementById('audio').src.includes('caps=')`)
		can = "transcoded"
	}
	r := seekAndWatch(t, tb, 0.8*tr.Duration, 4*time.Second, false)
	var shown struct {
		Max   float64
		Total string
	}
	if err := tb.Eval(`({max: +document.getElementById('seek').max, total: document.getElementById('total').textContent})`, &shown); err != nil {
		t.Fatal(err)
	}
	t.Logf("matrix | %-8s | %-7s | %-15s | canPlayType %-8q | landed %-5v | %4d ms | moving %4d ms | reloads %d | shown %.2f s %s | library %.2f s",
		engine, vp.name, f.kind, can, r.Landed >= 0, r.Landed, r.Moving, r.Reloads, shown.Max, shown.Total, tr.Duration)
	if r.Landed < 0 || r.Moving < 0 || r.Moving > 1500 {
		t.Errorf("seek to %.0f s: landed after %d ms, playing on after %d ms (want both within 1500 ms); at %.2f s, paused %v", r.Req, r.Landed, r.Moving, r.At, r.Paused)
	}
	if r.Reloads != 0 || r.Swapped {
		t.Errorf("seek to %.0f s: %d reloads of the source within 4 s (swapped element: %v), want none", r.Req, r.Reloads, r.Swapped)
	}
	if r.Paused || r.At < r.Req+1 {
		t.Errorf("4 s after the seek to %.0f s: at %.2f s, paused %v; want playing on past it", r.Req, r.At, r.Paused)
	}
	if math.Abs(shown.Max-tr.Duration) > 0.1 || shown.Total != clock(tr.Duration) {
		t.Errorf("shown duration: #seek max %.2f, #total %q; want the library's %.2f s (%s)", shown.Max, shown.Total, tr.Duration, clock(tr.Duration))
	}
}

// clock formats seconds as the page does (format.js): m:ss, floored.
func clock(sec float64) string {
	s := int(sec)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// matrixQueue plays the first row, whose album becomes the queue, and
// checks that #next plays the second track.
func matrixQueue(t *testing.T, tb tab, tracks []player.Track) {
	tabEval[any](t, tb, `document.querySelector('#view [data-track-id="`+tracks[0].ID+`"]').click()`)
	tabUntil(t, tb, 20*time.Second, "the first track to play", playingTrack(tracks[0].ID))
	tabEval[any](t, tb, `document.getElementById('next').click()`)
	tabUntil(t, tb, 20*time.Second, "#next to play the second track", playingTrack(tracks[1].ID))
	if i := tabEval[int](t, tb, jsQueueIndex); i != 1 {
		t.Errorf("queue index after #next = %d, want 1", i)
	}
}

// matrixMediaSession checks that the page registered the lock screen's
// action handlers (recorded by jsRecordMediaSession) and that each works:
// pause, play, seekto, previoustrack (back to 0:00 past 3 s), nexttrack.
func matrixMediaSession(t *testing.T, tb tab, tracks []player.Track) {
	if !tabEval[bool](t, tb, `!!window.ms`) {
		t.Fatal("no navigator.mediaSession to record")
	}
	for _, a := range []string{"play", "pause", "seekto", "previoustrack", "nexttrack"} {
		if got := tabEval[string](t, tb, `typeof ms.fns[`+jsString(a)+`]`); got != "function" {
			t.Errorf("media session action %s: handler is %s, want a function", a, got)
		}
	}
	tabEval[any](t, tb, `document.querySelector('#view [data-track-id="`+tracks[1].ID+`"]').click()`)
	tabUntil(t, tb, 20*time.Second, "the second track to play", playingTrack(tracks[1].ID))
	const audio = `document.getElementById('audio')`
	tabEval[any](t, tb, `ms.fns.pause({action: 'pause'})`)
	tabUntil(t, tb, 10*time.Second, "the pause action to pause", audio+`.paused`)
	tabEval[any](t, tb, `ms.fns.play({action: 'play'})`)
	tabUntil(t, tb, 10*time.Second, "the play action to play", `!`+audio+`.paused`)
	tabEval[any](t, tb, `ms.fns.seekto({action: 'seekto', seekTime: 30})`)
	tabUntil(t, tb, 10*time.Second, "the seekto action to land at 30 s", `!`+audio+`.seeking && Math.abs(`+audio+`.currentTime - 30.5) < 1`)
	tabEval[any](t, tb, `ms.fns.previoustrack({action: 'previoustrack'})`)
	tabUntil(t, tb, 10*time.Second, "the previoustrack action to restart the track", audio+`.currentTime < 3 && `+playingTrack(tracks[1].ID))
	tabEval[any](t, tb, `ms.fns.nexttrack({action: 'nexttrack'})`)
	tabUntil(t, tb, 20*time.Second, "the nexttrack action to play the third track", playingTrack(tracks[2].ID))
}

// matrixResume plays tr, seeks to 30 s through #seek, reloads the page and
// checks that the track comes back at that position and plays on (it was
// playing, and autoplay is allowed in every engine here); then pauses,
// reloads again and checks that it comes back paused at its position,
// with the seek bar and the elapsed time showing that position.
func matrixResume(t *testing.T, engine string, vp viewport, tb tab, tr player.Track) {
	tabEval[any](t, tb, `document.querySelector('#view [data-track-id="`+tr.ID+`"]').click()`)
	tabUntil(t, tb, 20*time.Second, "the track to play", playingTrack(tr.ID))
	if r := seekAndWatch(t, tb, 30, 4*time.Second, false); r.Landed < 0 {
		t.Fatalf("seek to 30 s: %+v", r)
	}
	pos, at := reloadTab(t, tb, tr)
	t.Logf("resume | %-8s | %-7s | playing | at %.2f s before the reload, %.2f s after", engine, vp.name, pos, at)
	if math.Abs(at-pos) > 3 {
		t.Errorf("resumed at %.2f s, was at %.2f s before the reload", at, pos)
	}
	tabUntil(t, tb, 20*time.Second, "playback to go on after the reload", playingTrack(tr.ID)+` && document.getElementById('audio').currentTime > `+ftoa(pos))

	tabEval[any](t, tb, `document.getElementById('play').click()`)
	tabUntil(t, tb, 10*time.Second, "pause", `document.getElementById('audio').paused`)
	pos, at = reloadTab(t, tb, tr)
	var shown struct {
		Paused  bool
		Seek    float64
		Elapsed string
	}
	// The page may still be settling: give it a moment to show the position.
	tabUntil(t, tb, 5*time.Second, "the seek bar to leave 0", `+document.getElementById('seek').value > 0`)
	if err := tb.Eval(`({paused: document.getElementById('audio').paused, seek: +document.getElementById('seek').value, elapsed: document.getElementById('elapsed').textContent})`, &shown); err != nil {
		t.Fatal(err)
	}
	t.Logf("resume | %-8s | %-7s | paused  | at %.2f s before the reload, %.2f s after; shown %s", engine, vp.name, pos, at, shown.Elapsed)
	if !shown.Paused || math.Abs(at-pos) > 1 || math.Abs(shown.Seek-at) > 1 || shown.Elapsed != clock(at) {
		t.Errorf("after a paused reload: %+v at %.2f s; want paused at %.2f s, #seek and #elapsed showing it", shown, at, pos)
	}
}

// reloadTab reloads the page in tb and waits for tr to be loaded again at
// a position; it returns the position before and after.
func reloadTab(t *testing.T, tb tab, tr player.Track) (before, after float64) {
	before = tabEval[float64](t, tb, `(window.__old = true, document.getElementById('audio').currentTime)`)
	tabEval[any](t, tb, `setTimeout(() => location.reload(), 0)`)
	tabUntil(t, tb, 20*time.Second, "the track to load after the reload", `!window.__old && (() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/`+tr.ID+`/') && a.readyState >= 1 && !a.seeking })()`)
	return before, tabEval[float64](t, tb, `document.getElementById('audio').currentTime`)
}

// TestBrowserEngineScreenshots takes the page in Firefox and WebKit at both
// sizes, a track playing, and writes docs/<engine>-<size>.png with
// -update-docs (else to a temporary folder). Each capture must be a PNG of
// the viewport (its width a whole multiple of the viewport's) and not blank.
func TestBrowserEngineScreenshots(t *testing.T) {
	rs := newRealServer(t)
	tr := rs.trackByPath(t, realTracks[1].spec.Path)
	for _, e := range engines(t) {
		if e.name == "chromium" {
			continue // docs/phone*.png come from the Chromium tests
		}
		for _, vp := range []viewport{desktopSize, phoneSize} {
			t.Run(e.name+"/"+vp.name, func(t *testing.T) {
				tb := e.open(t, rs.URL+"/", vp)
				row := `document.querySelector('#view [data-track-id="` + tr.ID + `"]')`
				tabUntil(t, tb, 20*time.Second, "the track rows", row)
				tabEval[any](t, tb, row+`.click()`)
				tabUntil(t, tb, 20*time.Second, "the track to play", playingTrack(tr.ID)+` && document.getElementById('np-cover').complete`)
				shot, err := tb.Screenshot()
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				img, err := png.Decode(bytes.NewReader(shot))
				if err != nil {
					t.Fatalf("screenshot is no PNG: %v", err)
				}
				b := img.Bounds()
				if b.Dx()%vp.w != 0 || b.Dy()*vp.w != b.Dx()*vp.h {
					t.Errorf("screenshot is %dx%d, want a multiple of the %dx%d viewport", b.Dx(), b.Dy(), vp.w, vp.h)
				}
				colours := map[color.RGBA]bool{}
				for y := b.Min.Y; y < b.Max.Y; y += 7 {
					for x := b.Min.X; x < b.Max.X; x += 7 {
						colours[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
					}
				}
				if len(colours) < 20 {
					t.Errorf("screenshot has %d colours: blank?", len(colours))
				}
				out := filepath.Join(t.TempDir(), e.name+"-"+vp.name+".png")
				if *updateDocs {
					out = filepath.Join("..", "docs", e.name+"-"+vp.name+".png")
				}
				if err := os.WriteFile(out, shot, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s (%dx%d, %d bytes)", out, b.Dx(), b.Dy(), len(shot))
			})
		}
	}
}
