package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// cueStarts are the INDEX 01 times of the cue sheet over live.flac (40 s),
// in seconds: each a whole number of CD frames (1/75 s).
var cueStarts = []float64{0, 8, 16.4, 24, 31.2}

// cueLength is live.flac's length in seconds.
const cueLength = 40

// cueLibrary generates one 40-s FLAC with ffmpeg and a .cue beside it that
// splits it into five tracks at cueStarts. It returns the folder.
func cueLibrary(t *testing.T) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := filepath.Join(t.TempDir(), "Music")
	playertest.Generate(t, dir, playertest.Spec{Path: "Live/live.flac", Kind: playertest.FLAC, Seconds: cueLength})
	sheet := "PERFORMER \"The Band\"\nTITLE \"Live at Home\"\nFILE \"live.flac\" WAVE\n"
	for i, s := range cueStarts {
		frames := int(math.Round(s * 75))
		sheet += fmt.Sprintf("  TRACK %02d AUDIO\n    TITLE \"Part %d\"\n    INDEX 01 %02d:%02d:%02d\n", i+1, i+1, frames/75/60, frames/75%60, frames%75)
	}
	if err := os.WriteFile(filepath.Join(dir, "Live", "live.cue"), []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// jsBarAtPlay records in window.atPlay what the player bar shows when the
// first track starts playing: [elapsed, total, the seek bar's max].
const jsBarAtPlay = `document.addEventListener('playing', () => { const $ = (id) => document.getElementById(id);
	window.atPlay ||= [$('elapsed').textContent, $('total').textContent, (+$('seek').max).toFixed(2)] }, true);`

// cueEnd returns where track i (from 0) of the cue sheet ends.
func cueEnd(i int) float64 {
	if i+1 < len(cueStarts) {
		return cueStarts[i+1]
	}
	return cueLength
}

// TestBrowserCue plays the tracks of a cue sheet over one FLAC on a phone.
// The API lists its five tracks (not the whole file) with their durations
// (±0.1 s) and the album page the same; playing track 3 starts the file at
// its cue time (the element's currentTime ±0.3 s) while the seek bar and
// times show the track alone (0:00 and its duration, the position relative
// to its start), as does the Media Session's position state; at its end the same element plays on as track 4.
func TestBrowserCue(t *testing.T) {
	_, srv := serveFolder(t, cueLibrary(t))
	ids := make([]string, len(cueStarts))
	for i := range cueStarts {
		ids[i] = player.CueTrackID("Live/live.flac", i+1)
	}

	resp, err := http.Get(srv.URL + "/api/tracks")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Tracks []player.Track `json:"tracks"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(body.Tracks) != len(cueStarts) {
		t.Errorf("/api/tracks lists %d tracks, want the cue sheet's %d (and not the whole file)", len(body.Tracks), len(cueStarts))
	}
	byID := map[string]player.Track{}
	for _, tr := range body.Tracks {
		byID[tr.ID] = tr
	}
	for i, id := range ids {
		tr, ok := byID[id]
		want := cueEnd(i) - cueStarts[i]
		if !ok || math.Abs(tr.Duration-want) > 0.1 || math.Abs(tr.Start-cueStarts[i]) > 0.01 {
			t.Errorf("track %d: %+v (listed %v), want start %.2f s and duration %.2f s", i+1, tr, ok, cueStarts[i], want)
		}
	}

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		playerInitScript(jsRecordPlaying+jsRecordMediaSession+jsBarAtPlay),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("The Band", "Live at Home")),
		chromedp.WaitVisible(`#view [data-track-id="`+ids[4]+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#view [data-track-id]'), b => b.dataset.trackId + ' ' + b.querySelector('.d').textContent)`)
	for i, id := range ids {
		if want := id + " " + clockText(cueEnd(i)-cueStarts[i]); i >= len(rows) || rows[i] != want {
			t.Errorf("album page rows %q: row %d is not %q", rows, i+1, want)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Click(`#view [data-track-id="`+ids[2]+`"]`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "track 3 to play", `plays.length > 0 && !document.getElementById('audio').paused`)
	if at := eval[float64](t, ctx, `plays[0].t`); math.Abs(at-cueStarts[2]) > 0.3 {
		t.Errorf("track 3 started playing at %.2f s of the file, want its cue time %.2f s", at, cueStarts[2])
	}
	d3 := cueEnd(2) - cueStarts[2]
	if got := eval[[]string](t, ctx, `atPlay`); got[0] != "0:00" || got[1] != clockText(d3) || got[2] != fmt.Sprintf("%.2f", d3) {
		t.Errorf("as track 3 started playing the bar showed %v, want [0:00 %s %.2f]", got, clockText(d3), d3)
	}
	// The position shown is the track's: currentTime − its start.
	until(t, ctx, "the times relative to track 3", `(() => { const a = document.getElementById('audio'), p = a.currentTime - `+ftoa(cueStarts[2])+`;
		return p > 2 && p < 5 && Math.abs(+document.getElementById('seek').value - p) < 0.6 && document.getElementById('elapsed').textContent === '0:0' + Math.floor(+document.getElementById('seek').value) })()`)

	if pos := eval[[]float64](t, ctx, `[ms.pos.position, ms.pos.duration]`); pos[0] > 5 || math.Abs(pos[1]-d3) > 0.01 {
		t.Errorf("Media Session position state = %v, want relative to track 3 (under 5 s of %.2f s)", pos, d3)
	}

	// At its end the same element plays on into track 4.
	until(t, ctx, "track 4 after track 3's end", `JSON.parse(localStorage.getItem('earshot.playstate')).index === 3 && document.getElementById('np-title').textContent === 'Part 4'`)
	got := eval[map[string]any](t, ctx, `(() => { const a = document.getElementById('audio'); return {t: a.currentTime, src: a.currentSrc, paused: a.paused, seek: +document.getElementById('seek').value, max: +document.getElementById('seek').max, plays: plays.length} })()`)
	t.Logf("track 4 took over at %.3f s of the file: %v", got["t"], got)
	if ft := got["t"].(float64); ft < cueStarts[3]-0.05 || ft > cueStarts[3]+0.5 || got["paused"] == true {
		t.Errorf("after track 3: the file at %.3f s (paused %v), want playing from %.2f s", ft, got["paused"], cueStarts[3])
	}
	if got["plays"].(float64) != 1 {
		t.Errorf("%v 'playing' events, want 1: track 4 must go on in the same element without a stop", got["plays"])
	}
	if m := got["max"].(float64); math.Abs(m-(cueEnd(3)-cueStarts[3])) > 0.1 {
		t.Errorf("seek bar max for track 4 = %v, want %.2f", m, cueEnd(3)-cueStarts[3])
	}
}

// clockText formats seconds as the page does (m:ss).
func clockText(s float64) string { return fmt.Sprintf("%d:%02d", int(s)/60, int(s)%60) }

// TestBrowserCueEngines plays track 3 of the cue sheet of [TestBrowserCue]
// in every engine (Chromium, Firefox, WebKit), on a phone-sized page: it
// starts at its cue time (±0.3 s) with the bar showing the track's own
// times, and at its end the page moves on to track 4, still playing.
func TestBrowserCueEngines(t *testing.T) {
	_, srv := serveFolder(t, cueLibrary(t))
	id3 := player.CueTrackID("Live/live.flac", 3)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/#/albums/"+player.AlbumID("The Band", "Live at Home"), phoneSize)
			tabUntil(t, tb, 20*time.Second, "the album's rows", `document.querySelectorAll('#view [data-track-id]').length === 5`)
			if err := tb.Eval(`window.firstPlay = null; document.addEventListener('playing', (e) => { firstPlay ??= [e.target.currentTime, document.getElementById('elapsed').textContent, document.getElementById('total').textContent] }, true);
				document.querySelector('#view [data-track-id="`+id3+`"]').click()`, nil); err != nil {
				t.Fatal(err)
			}
			tabUntil(t, tb, 20*time.Second, "track 3 to play", `firstPlay !== null && !document.getElementById('audio').paused`)
			first := tabEval[[]any](t, tb, `firstPlay`)
			t.Logf("%s: track 3 started at %v s of the file, the bar showing %v / %v", e.name, first[0], first[1], first[2])
			if at, _ := first[0].(float64); at < cueStarts[2]-0.3 || at > cueStarts[2]+0.3 || first[1] != "0:00" || first[2] != "0:07" {
				t.Errorf("%s: track 3 started at %v with the bar at %v / %v, want %.2f s and 0:00 / 0:07", e.name, first[0], first[1], first[2], cueStarts[2])
			}
			tabUntil(t, tb, 30*time.Second, "track 4 after track 3", `document.getElementById('np-title').textContent === 'Part 4' && !document.getElementById('audio').paused && document.getElementById('audio').currentTime > `+ftoa(cueStarts[3]))
			if ct := tabEval[float64](t, tb, `document.getElementById('audio').currentTime`); ct > cueEnd(3) {
				t.Errorf("%s: currentTime %.2f s past track 4's end", e.name, ct)
			}
		})
	}
}
