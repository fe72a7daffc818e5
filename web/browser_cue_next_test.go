package web

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// jsRecordCueRun records, from the page's start, every title the player
// bar shows (window.titles) and the furthest point of its file that
// track id's element reached (window.furthest, seconds).
func jsRecordCueRun(id string) string {
	return `window.titles = []; window.furthest = 0;
	addEventListener('DOMContentLoaded', () => { const n = document.getElementById('np-title');
		new MutationObserver(() => titles.push(n.textContent)).observe(n, {childList: true, characterData: true, subtree: true}) });
	document.addEventListener('timeupdate', (e) => { if (e.target.dataset.id === ` + jsString(id) + `) furthest = Math.max(furthest, e.target.currentTime) }, true);`
}

// TestBrowserCueIntoOtherFile plays a cue track followed, in a playlist,
// by a song of another file, on a phone: at the end of the cue track's
// window the page moves on to that song from its start, still playing,
// without playing on into the rest of the cue sheet's file (its Part 3 is
// never shown, and the file stops within 0.3 s of Part 2's end).
func TestBrowserCueIntoOtherFile(t *testing.T) {
	dir := cueLibrary(t)
	playertest.Generate(t, dir, playertest.Spec{Path: "Other/Album/song.flac", Kind: playertest.FLAC, Seconds: 6,
		Tags: map[string]string{"title": "Elsewhere", "artist": "Other", "album": "Album"}})
	lib, srv := serveUserFolder(t, dir)
	part2, other := player.CueTrackID("Live/live.flac", 2), player.TrackID("Other/Album/song.flac")
	pl, err := lib.CreatePlaylist("Mixed", []string{part2, other})
	if err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		playerInitScript(jsRecordCueRun(part2)),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/playlists/"+pl.ID),
		chromedp.WaitVisible(`#view [data-track-id="`+other+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	clickVisible(t, ctx, "Part 2's row", `#view [data-track-id="`+part2+`"]`)
	until(t, ctx, "Part 2 to play", `(() => { const a = document.getElementById('audio'); return !a.paused && a.dataset.id === `+jsString(part2)+` && a.currentTime >= `+ftoa(cueStarts[1])+` })()`)
	// Close to its end: 1.5 s before the window closes, in the file's time.
	eval[any](t, ctx, `document.getElementById('audio').currentTime = `+ftoa(cueEnd(1)-1.5))
	until(t, ctx, "the other file's song after Part 2", `(() => { const a = document.getElementById('audio');
		return a.dataset.id === `+jsString(other)+` && a.currentSrc.includes('/`+other+`/') && !a.paused && a.currentTime > 0 && a.currentTime < 3
			&& document.getElementById('np-title').textContent === 'Elsewhere' })()`)

	if titles := eval[[]string](t, ctx, `titles`); slices.Contains(titles, "Part 3") || !slices.Contains(titles, "Part 2") {
		t.Errorf("the player bar showed %q, want Part 2 then Elsewhere, never Part 3", titles)
	}
	f := eval[float64](t, ctx, `furthest`)
	t.Logf("Part 2's element reached %.3f s of its file; its window ends at %.2f s", f, cueEnd(1))
	if f > cueEnd(1)+0.3 {
		t.Errorf("Part 2's file played on to %.2f s, past its window's end at %.2f s", f, cueEnd(1))
	}
	if f < cueEnd(1)-1.5 {
		t.Errorf("Part 2's element was last seen at %.2f s of its file, before the seek to %.2f s: it was not followed", f, cueEnd(1)-1.5)
	}
	if got := eval[float64](t, ctx, `JSON.parse(localStorage.getItem('earshot.playstate')).index`); got != 1 {
		t.Errorf("the saved queue position is %v, want 1 (the second entry of the playlist)", got)
	}
}
