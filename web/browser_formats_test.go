package web

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// formatCase is one file of TestBrowserFormats' library: a format the
// library lists (issue 11), made by [playertest.Generate] (kind) or by hand
// (handMade, for what ffmpeg cannot write).
type formatCase struct {
	name     string // the subtest's name
	file     string // its file name in the library folder
	kind     playertest.Kind
	handMade func(seconds float64, title string) []byte
	// caps is the page's name for the codec (web/static/caps.js,
	// transcode.ParseCaps) and mime the media type the page asks
	// canPlayType about for it; both "" when the page has no name for it,
	// and the server then always transcodes it.
	caps, mime string
	// from is the codec's name in the page's "transcoded … → WAV" detail.
	from string
}

// formatCases are the formats every engine must play and seek in, one
// file each, in track order.
var formatCases = []formatCase{
	{name: "mp3", file: "01 MP3.mp3", kind: playertest.MP3CBR, caps: "mp3", mime: "audio/mpeg", from: "MP3"},
	{name: "flac", file: "02 FLAC.flac", kind: playertest.FLAC, caps: "flac", mime: "audio/flac", from: "FLAC"},
	{name: "vorbis", file: "03 Vorbis.ogg", kind: playertest.Vorbis, caps: "vorbis", mime: `audio/ogg; codecs="vorbis"`, from: "Ogg Vorbis"},
	{name: "opus", file: "04 Opus.opus", kind: playertest.Opus, caps: "opus", mime: `audio/ogg; codecs="opus"`, from: "Opus"},
	{name: "aac", file: "05 AAC.m4a", kind: playertest.AAC, caps: "aac", mime: `audio/mp4; codecs="mp4a.40.2"`, from: "AAC"},
	{name: "alac", file: "06 ALAC.m4a", kind: playertest.ALAC, caps: "alac", mime: `audio/mp4; codecs="alac"`, from: "ALAC"},
	{name: "wav", file: "07 WAV.wav", kind: playertest.WAVE, caps: "wav", mime: `audio/wav; codecs="1"`, from: "WAV"},
	{name: "aiff", file: "08 AIFF.aiff", kind: playertest.AIFF, caps: "aiff", mime: "audio/aiff", from: "AIFF"},
	{name: "aifc", file: "09 AIFC.aifc", kind: playertest.AIFC, caps: "aiff", mime: "audio/aiff", from: "AIFF"},
	{name: "wma", file: "10 WMA.wma", kind: playertest.WMA, from: "WMA"},
	{name: "wavpack", file: "11 WavPack.wv", kind: playertest.WavPack, from: "WavPack"},
	{name: "tta", file: "12 TTA.tta", kind: playertest.TTA, from: "TTA"},
	{name: "ac3", file: "13 AC3.ac3", kind: playertest.AC3, from: "AC-3"},
	{name: "eac3", file: "14 EAC3.eac3", kind: playertest.EAC3, from: "E-AC-3"},
	{name: "adts", file: "15 ADTS.aac", kind: playertest.ADTS, caps: "adts", mime: "audio/aac", from: "AAC"},
	{name: "mp2", file: "16 MP2.mp2", kind: playertest.MP2, from: "MP2"},
	{name: "mka", file: "17 MKA.mka", kind: playertest.MKA, from: "Matroska"},
	{name: "webm", file: "18 WebM.webm", kind: playertest.WebMAudio, caps: "webm-opus", mime: `audio/webm; codecs="opus"`, from: "WebM Opus"},
	{name: "dsf", file: "19 DSF.dsf", handMade: playertest.DSF, from: "DSD"},
	{name: "dff", file: "20 DFF.dff", handMade: playertest.DFF, from: "DSD"},
	{name: "ape", file: "21 APE.ape", handMade: playertest.APE, from: "APE"},
	{name: "musepack", file: "22 Musepack.mpc", kind: playertest.Musepack, from: "Musepack"},
}

// formatsMust is what issue 11 requires of an engine whatever its
// canPlayType says, by engine and case name: true for a transcode, false
// for direct play.
var formatsMust = map[string]map[string]bool{
	"chromium": {"alac": true, "wma": true, "mp3": false, "flac": false, "vorbis": false, "opus": false, "aac": false},
}

// formatsSeconds is the length of each fixture: long enough that, in
// Chromium and WebKit, 80 % of a WAV transcode is not yet buffered when
// the seek comes (at 10 s it always was), so the seek is a Range request
// into the transcode. (The DSF and DFF files are then 42 MB each.)
const formatsSeconds = 60

// newFormatsServer generates formatCases in a new folder, scans it (with
// ffmpeg) and serves it over loopback; it returns the server and the
// tracks in formatCases' order.
func newFormatsServer(t *testing.T) (*httptest.Server, []player.Track) {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	path := func(c formatCase) string { return "Formats/All/" + c.file }
	var specs []playertest.Spec
	for i, c := range formatCases {
		title := strings.TrimSuffix(c.file[3:], filepath.Ext(c.file))
		if c.handMade != nil {
			if err := os.MkdirAll(filepath.Join(dir, "Formats", "All"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(path(c))), c.handMade(formatsSeconds, title), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		specs = append(specs, playertest.Spec{Path: path(c), Kind: c.kind, Seconds: formatsSeconds,
			Tags: map[string]string{"title": title, "artist": "Formats", "album": "All",
				"track": strconv.Itoa(i+1) + "/" + strconv.Itoa(len(formatCases))}})
	}
	playertest.Generate(t, dir, specs...)
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != len(formatCases) {
		t.Fatalf("Scan = %+v, %v; want %d tracks (problems: %v)", rep, err, len(formatCases), lib.Problems())
	}
	var tracks []player.Track
	for _, c := range formatCases {
		tr, err := lib.Track(player.TrackID(path(c)))
		if err != nil {
			t.Fatalf("%s: %v", path(c), err)
		}
		tracks = append(tracks, tr)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	return srv, tracks
}

// formatResult is one cell of TestBrowserFormats' table.
type formatResult struct {
	decided        string // "direct", "WAV" or "failed"
	landed, moving int    // ms after the seek (-1: never)
}

// TestBrowserFormats plays one file of every format the library lists
// (formatCases) in each engine, clicking its row as a user does: each
// plays; the server's decision (GET /play with the page's own query)
// is a WAV transcode exactly when the engine's canPlayType answers "" for
// the codec (or the page has no name for it), and issue 11's fixed
// decisions hold (formatsMust); #np-detail says "transcoded X → WAV", or
// nothing for direct play; a seek to 80 % through #seek lands within 1 s
// of the time asked and plays on within 1.5 s, with no reload. It logs a
// table: engine × format, the decision, ms to land, ms to play on.
func TestBrowserFormats(t *testing.T) {
	srv, tracks := newFormatsServer(t)
	table := map[string][]formatResult{}
	var names []string
	for _, e := range engines(t) {
		names = append(names, e.name)
		results := make([]formatResult, len(formatCases))
		for i := range results {
			results[i] = formatResult{"failed", -1, -1}
		}
		table[e.name] = results
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/", desktopSize)
			// The song list renders only the rows near the window (a
			// virtual list): all of them must be in its list, not in the DOM.
			tabUntil(t, tb, 20*time.Second, "the track rows", `document.querySelector('#view ul.vlist [data-track-id]')`)
			if n := tabEval[int](t, tb, `import('/views.js').then(m => m.queueOf(document.querySelector('#view ul.vlist')).length)`); n != len(tracks) {
				t.Fatalf("the song list holds %d tracks, want %d", n, len(tracks))
			}
			tabEval[any](t, tb, jsCountLoads)
			for i, c := range formatCases {
				t.Run(c.name, func(t *testing.T) { results[i] = formatCell(t, e.name, tb, c, tracks[i]) })
			}
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "formats | %-8s", "format")
	for _, n := range names {
		fmt.Fprintf(&b, " | %-22s", n+" (land/move ms)")
	}
	for i, c := range formatCases {
		fmt.Fprintf(&b, "\nformats | %-8s", c.name)
		for _, n := range names {
			r := table[n][i]
			fmt.Fprintf(&b, " | %-6s %5d / %5d    ", r.decided, r.landed, r.moving)
		}
	}
	t.Logf("TestBrowserFormats, %d s fixtures, desktop size:\n%s", formatsSeconds, b.String())
}

// formatCell plays format c (track tr) in engine's tab tb, checks how it
// reached the page and its seek, and returns its table cell.
func formatCell(t *testing.T, engine string, tb tab, c formatCase, tr player.Track) formatResult {
	res := formatResult{"failed", -1, -1}
	can := ""
	if c.mime != "" {
		can = tabEval[string](t, tb, `document.getElementById('audio').canPlayType(`+jsString(c.mime)+`)`)
	}
	transcoded := can == ""
	if must, ok := formatsMust[engine][c.name]; ok && must != transcoded {
		t.Errorf("%s: canPlayType(%q) = %q, but issue 11 wants it transcoded: %v", engine, c.mime, can, must)
	}
	// Its row may be below the rendered ones: scroll to it as the page
	// does for the playing track, then click it.
	if !tabEval[bool](t, tb, `import('/views.js').then(m => { const b = m.scrollToTrack(`+jsString(tr.ID)+`, document.getElementById('view')); b?.click(); return !!b })`) {
		t.Fatalf("no row of %s in the song list", tr.Path)
	}
	tabUntil(t, tb, 20*time.Second, "the track to play", playingTrack(tr.ID))

	// The decision for the page's own stream URL (its ?caps= and ?q=).
	var d struct {
		Src        string
		Transcoded bool
		Reason     string
	}
	if err := tb.Eval(`(async () => { const src = document.getElementById('audio').currentSrc;
	  const a = await (await fetch(src.replace('/stream?', '/play?'), {cache: 'no-store'})).json();
	  return {src, transcoded: a.transcoded, reason: a.reason}; })()`, &d); err != nil {
		t.Fatalf("ask /play: %v", err)
	}
	if u, err := url.Parse(d.Src); err != nil {
		t.Errorf("audio src %q: %v", d.Src, err)
	} else if c.caps != "" && slices.Contains(strings.Split(u.Query().Get("caps"), "."), c.caps) == transcoded {
		t.Errorf("the page's caps %q and canPlayType(%q) = %q disagree about %s", u.Query().Get("caps"), c.mime, can, c.caps)
	}
	want := "direct play"
	if transcoded {
		want = "transcoded " + c.from + " → WAV"
	}
	if d.Transcoded != transcoded || d.Reason != want {
		t.Errorf("the server decided transcoded %v (%q) for %s; canPlayType(%q) = %q wants %q", d.Transcoded, d.Reason, c.name, c.mime, can, want)
	}
	detail := ""
	if d.Transcoded {
		detail = d.Reason
		res.decided = "WAV"
	} else {
		res.decided = "direct"
	}
	tabUntil(t, tb, 10*time.Second, "#np-detail to show "+strconv.Quote(detail), `document.getElementById('np-detail').textContent === `+jsString(detail))

	// Whether the browser already held the time sought (a short file, or a
	// fast transcode, is often all buffered by then): logged, for reading
	// the figures.
	held := tabEval[bool](t, tb, fmt.Sprintf(`(() => { const b = document.getElementById('audio').buffered;
	  for (let i = 0; i < b.length; i++) if (b.start(i) <= %[1]f && b.end(i) > %[1]f) return true; return false; })()`, 0.8*tr.Duration))
	r := seekAndWatch(t, tb, 0.8*tr.Duration, 5*time.Second, true)
	res.landed, res.moving = r.Landed, r.Moving
	t.Logf("formats | %-8s | %-8s | canPlayType %-10q | %-6s | buffered %-5v | landed %5d ms | moving %5d ms | at %.2f of %.2f s",
		engine, c.name, can, res.decided, held, r.Landed, r.Moving, r.At, tr.Duration)
	if r.Landed < 0 || r.Moving < 0 || r.Moving > 1500 {
		t.Errorf("seek to %.2f s: landed after %d ms, playing on after %d ms (want both within 1500 ms); at %.2f s, paused %v", r.Req, r.Landed, r.Moving, r.At, r.Paused)
	}
	if r.Reloads != 0 || r.Swapped {
		t.Errorf("seek to %.2f s: %d reloads of the source (swapped element: %v), want none", r.Req, r.Reloads, r.Swapped)
	}
	if max := tabEval[float64](t, tb, `+document.getElementById('seek').max`); math.Abs(max-tr.Duration) > 0.1 {
		t.Errorf("#seek max %.2f, want the library's %.2f s", max, tr.Duration)
	}
	return res
}
