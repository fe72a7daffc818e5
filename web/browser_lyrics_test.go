package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// lyricsAlbum is the album of the lyrics library: a track with synced
// lyrics (lyricsLines), one with plain lyrics and one without.
var lyricsPaths = []string{
	"Lyric Artist/Lyric Album/01 Sing.flac",
	"Lyric Artist/Lyric Album/02 Say.flac",
	"Lyric Artist/Lyric Album/03 Hum.flac",
}

// lyricsLines is how many synced lines 01 Sing.lrc has: line i at 1 + 2i
// seconds.
const lyricsLines = 14

// lyricsLibrary generates the lyrics library (30-s FLAC tracks with a
// cover) and writes an .lrc beside the first two: synced lines, then
// plain text. It returns the folder.
func lyricsLibrary(t *testing.T) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := filepath.Join(t.TempDir(), "Music")
	var specs []playertest.Spec
	for i, p := range lyricsPaths {
		specs = append(specs, playertest.Spec{Path: p, Kind: playertest.FLAC, Seconds: 30, Cover: true, Tags: map[string]string{
			"title": []string{"Sing", "Say", "Hum"}[i], "artist": "Lyric Artist", "album": "Lyric Album", "track": fmt.Sprint(i+1) + "/3"}})
	}
	playertest.Generate(t, dir, specs...)
	var lrc strings.Builder
	lrc.WriteString("[ar:Lyric Artist]\n[ti:Sing]\n")
	for i := range lyricsLines {
		fmt.Fprintf(&lrc, "[00:%02d.00]Line %d of the song\n", 1+2*i, i+1)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, "Lyric Artist", "Lyric Album", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("01 Sing.lrc", lrc.String())
	write("02 Say.lrc", "Words without times\nsecond verse\n")
	return dir
}

// jsLyricsState is a page expression: {want: the index of the line whose
// time ≤ audio.currentTime < the next line's, cur: the highlighted line's
// index, t: currentTime, mid: how far the highlighted line's middle is
// from the lyrics box's middle (px)}.
const jsLyricsState = `(() => {
	const a = document.getElementById('audio'), t = a.currentTime, box = document.querySelector('.nowp-lyrics');
	const lis = [...box.querySelectorAll('.ly-lines li')], times = lis.map(li => +li.firstChild.dataset.time);
	let want = -1; times.forEach((x, i) => { if (x <= t && (i + 1 === times.length || t < times[i + 1])) want = i; });
	const cur = lis.findIndex(li => li.classList.contains('cur'));
	let mid = 1e9;
	if (cur >= 0) { const r = lis[cur].getBoundingClientRect(), b = box.getBoundingClientRect(); mid = Math.abs((r.top + r.bottom) / 2 - (b.top + b.bottom) / 2); }
	return {want, cur, t, mid, n: lis.length};
})()`

// lyricsState is what jsLyricsState returns.
type lyricsState struct {
	Want, Cur, N int
	T, Mid       float64
}

// TestBrowserLyrics plays a track with a synced .lrc in Now Playing on a
// phone: the highlighted line is the one sung at audio.currentTime (at two
// moments, the second after a seek) and is scrolled to the middle of the
// lyrics; a tap on a line seeks to its time. The next tracks show plain
// lyrics as text and "No lyrics". With -update-docs it writes
// docs/phone-now-playing.png.
func TestBrowserLyrics(t *testing.T) {
	_, srv := serveUserFolder(t, lyricsLibrary(t))
	ids := make([]string, len(lyricsPaths))
	for i, p := range lyricsPaths {
		ids[i] = player.TrackID(p)
	}
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Lyric Artist", "Lyric Album")),
		chromedp.WaitVisible(`#view [data-track-id="`+ids[0]+`"]`),
		chromedp.Click(`#view [data-track-id="`+ids[0]+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the synced track to play", playingTrack(ids[0]))
	if err := chromedp.Do(ctx, chromedp.Click(`#player .np-title`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "Now Playing with its synced lines", `document.querySelectorAll('#nowplaying .ly-lines li').length === `+fmt.Sprint(lyricsLines))

	// Two moments: while playing past the second line, and after a seek.
	cond := func(minLine int) string {
		return `(() => { const s = ` + jsLyricsState + `; return s.want >= ` + fmt.Sprint(minLine) + ` && s.cur === s.want && s.mid < 30 })()`
	}
	until(t, ctx, "the second line to be highlighted in the middle while it is sung", cond(1))
	s := eval[lyricsState](t, ctx, jsLyricsState)
	t.Logf("at %.2f s line %d is highlighted (want %d), %.0f px from the middle", s.T, s.Cur, s.Want, s.Mid)
	eval[any](t, ctx, `document.getElementById('audio').currentTime = 20.5`)
	until(t, ctx, "the line at 19 s after a seek to 20.5 s", `document.getElementById('audio').currentTime >= 20.5 && `+cond(9))
	s = eval[lyricsState](t, ctx, jsLyricsState)
	t.Logf("after the seek, at %.2f s line %d is highlighted (want %d)", s.T, s.Cur, s.Want)
	auditNowPlaying(t, ctx, "now playing with lyrics")

	if *updateDocs {
		eval[any](t, ctx, `document.getElementById('audio').currentTime = 10.2`)
		until(t, ctx, "line 5 in the middle for the picture", `document.getElementById('audio').currentTime > 10.5 && `+cond(4))
		screenshot(t, ctx, "phone-now-playing.png")
	}

	// A tap on line 4 (at 7 s) seeks there.
	eval[any](t, ctx, `window.seekedAt = null; document.addEventListener('seeked', e => { if (e.target.id === 'audio') seekedAt = e.target.currentTime }, {capture: true, once: true})`)
	if err := chromedp.Do(ctx, chromedp.Click(`#nowplaying .ly-lines li:nth-child(4) button`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the seek of the tap", `seekedAt !== null`)
	if at := eval[float64](t, ctx, `seekedAt`); at < 6.9 || at > 7.3 {
		t.Errorf("a tap on the line at 7 s seeked to %.2f s", at)
	}
	until(t, ctx, "line 4 highlighted after the tap", `(() => { const s = `+jsLyricsState+`; return s.cur === 3 || (s.cur === s.want && s.want === 4) })()`)

	// Plain lyrics, then none.
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-ctl .ctl:last-child').click()`)
	until(t, ctx, "the plain lyrics of the second track", playingTrack(ids[1])+` && document.querySelector('#nowplaying .ly-plain')?.textContent === 'Words without times\nsecond verse' && document.querySelector('#nowplaying .nowp-title').textContent === 'Say'`)
	eval[any](t, ctx, `document.querySelector('#nowplaying .nowp-ctl .ctl:last-child').click()`)
	until(t, ctx, "no lyrics for the third track", playingTrack(ids[2])+` && document.querySelector('#nowplaying .nowp-lyrics').textContent === 'No lyrics'`)
}

// TestBrowserLyricsEngines opens Now Playing with synced lyrics in every
// engine (Chromium, Firefox, WebKit) on a phone-sized page: the
// highlighted line is the one sung at audio.currentTime.
func TestBrowserLyricsEngines(t *testing.T) {
	_, srv := serveFolder(t, lyricsLibrary(t))
	id := player.TrackID(lyricsPaths[0])
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			tb := e.open(t, srv.URL+"/#/albums/"+player.AlbumID("Lyric Artist", "Lyric Album"), phoneSize)
			tabUntil(t, tb, 20*time.Second, "the album's rows", `document.querySelectorAll('#view [data-track-id]').length === 3`)
			if err := tb.Eval(`document.querySelector('#view [data-track-id="`+id+`"]').click()`, nil); err != nil {
				t.Fatal(err)
			}
			tabUntil(t, tb, 20*time.Second, "the track to play", playingTrack(id))
			if err := tb.Eval(`document.querySelector('#player .np').click()`, nil); err != nil {
				t.Fatal(err)
			}
			tabUntil(t, tb, 20*time.Second, "the second line highlighted while it is sung", `(() => { const s = `+jsLyricsState+`; return s.want >= 1 && s.cur === s.want })()`)
			s := tabEval[lyricsState](t, tb, jsLyricsState)
			t.Logf("%s: at %.2f s line %d is highlighted (want %d)", e.name, s.T, s.Cur, s.Want)
		})
	}
}
