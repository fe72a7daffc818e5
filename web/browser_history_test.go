package web

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
)

// audioOn returns a predicate: the playing element plays track id and its
// currentTime is past at seconds.
func audioOn(id string, at float64) string {
	return `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/` + id + `/') && !a.paused && a.currentTime > ` + ftoa(at) + ` })()`
}

// TestBrowserHistoryPlays plays on a phone: Three seeked to 75 % and played
// to its end (past half by position, a quarter heard), Two skipped after
// half a second, then One from its start past half (3 s of 6). Only One
// counts: the server has it once (play count 1), first in GET
// /api/history?view=recent and in the Recently played view; Most played
// shows "1 play".
func TestBrowserHistoryPlays(t *testing.T) {
	f := newFavesServer(t)
	ctx := newBrowser(t)
	one, two, three := favesID(0), favesID(1), favesID(2)
	openPhone(t, ctx, f.URL, "/#/albums/"+player.AlbumID("Alpha", "First"), `#view [data-track-id="`+three+`"]`)
	tap := func(id string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(`#view [data-track-id="`+id+`"]`, chromedp.NodeVisible)); err != nil {
			t.Fatal(err)
		}
	}

	tap(three)
	until(t, ctx, "Three to play", audioOn(three, 0.3))
	eval[any](t, ctx, `document.getElementById('audio').currentTime = 3`)
	until(t, ctx, "Three to play to its end", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/`+three+`/') && a.ended })()`)

	tap(two)
	until(t, ctx, "Two to play", audioOn(two, 0.5))
	tap(one)
	until(t, ctx, "One to play past half", audioOn(one, 3.2))
	until(t, ctx, "the server to count One", `fetch('/api/history?view=recent').then(r => r.json()).then(b => b.tracks.length > 0 && b.tracks[0].id === '`+one+`')`)
	at := eval[float64](t, ctx, `(() => { const a = document.getElementById('audio'); a.pause(); return a.currentTime })()`)
	if at < 3 {
		t.Errorf("One counted at currentTime %.2f s, before half of its 6 s", at)
	}

	var recent struct {
		Tracks []struct {
			ID        string
			PlayCount int
		}
	}
	f.getJSON(t, "/api/history?view=recent", &recent)
	if len(recent.Tracks) != 1 || recent.Tracks[0].ID != one || recent.Tracks[0].PlayCount != 1 {
		t.Errorf("GET /api/history?view=recent = %+v, want only One (%s) with play count 1", recent.Tracks, one)
	}
	counts, err := f.lib.PlayCounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].TrackID != one || counts[0].Count != 1 {
		t.Errorf("play counts %+v, want One once (Two skipped early, Three seeked over)", counts)
	}

	eval[any](t, ctx, `location.hash = '#/history/recent'`)
	until(t, ctx, "Recently played to list One first", `(() => { const b = document.querySelector('#view ul[aria-label="Recently played"] [data-track-id]');
		return !!b && b.dataset.trackId === '`+one+`' && document.querySelectorAll('#view ul[aria-label="Recently played"] [data-track-id]').length === 1 })()`)
	eval[any](t, ctx, `location.hash = '#/history/most'`)
	until(t, ctx, "Most played to show One's count", `(() => { const b = document.querySelector('#view ul[aria-label="Most played"] [data-track-id]');
		return !!b && b.dataset.trackId === '`+one+`' && b.querySelector('.d').textContent === '1 play' })()`)
}

// TestBrowserSorting orders Songs by duration, descending, and Albums by
// year on a phone, through their sort controls: the longest song comes
// first, the albums go 1985, 1999, 2010, and the choice survives a reload.
func TestBrowserSorting(t *testing.T) {
	f := newFavesServer(t)
	ctx := newBrowser(t)
	openPhone(t, ctx, f.URL, "/#/", `#view .sort-key`)
	first := `document.querySelector('#view [data-track-id]').dataset.trackId`
	if got := eval[string](t, ctx, first); got == favesID(3) {
		t.Fatal("the longest song is first in library order: the test shows nothing")
	}
	choose := func(sel, value string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SetValue(sel, value)); err != nil {
			t.Fatal(err)
		}
		eval[bool](t, ctx, `document.querySelector('`+sel+`').dispatchEvent(new Event('change'))`)
	}
	choose(`#view .sort-key`, "duration")
	until(t, ctx, "the songs in duration order, descending", `document.querySelector('#view .sort-order').value === 'desc' && `+first+` === '`+favesID(3)+`'`)
	choose(`#view .sort-order`, "asc")
	until(t, ctx, "the songs in duration order, ascending", first+` === '`+favesID(4)+`'`)
	choose(`#view .sort-order`, "desc")
	until(t, ctx, "the songs in duration order, descending", first+` === '`+favesID(3)+`'`)
	durations := eval[[]string](t, ctx, `[...document.querySelectorAll('#view [data-track-id] .d')].map(d => d.textContent)`)
	for i := 1; i < len(durations); i++ {
		if durations[i] > durations[i-1] {
			t.Errorf("durations %v are not in descending order", durations)
			break
		}
	}
	if h := eval[float64](t, ctx, `document.querySelector('#view .sort-key').getBoundingClientRect().height`); h < 44 {
		t.Errorf("the sort control is %v px tall, under 44", h)
	}

	eval[any](t, ctx, `location.hash = '#/albums'`)
	until(t, ctx, "the album grid", `!!document.querySelector('#view .sort-key') && document.querySelectorAll('#view [data-album-id]').length === 3`)
	choose(`#view .sort-key`, "year")
	want := jsArray([]string{player.AlbumID("Beta", "Second"), player.AlbumID("Alpha", "First"), player.AlbumID("Gamma", "Third")})
	albums := `JSON.stringify([...document.querySelectorAll('#view [data-album-id]')].map(a => a.dataset.albumId))`
	until(t, ctx, "the albums in year order", albums+` === JSON.stringify(`+want+`)`)

	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`#view [data-album-id]`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the albums still in year order after a reload", albums+` === JSON.stringify(`+want+`) && document.querySelector('#view .sort-key').value === 'year'`)
	years := eval[[]string](t, ctx, `[...document.querySelectorAll('#view [data-album-id] .sub')].map(s => s.textContent)`)
	for i, y := range []int{1985, 1999, 2010} {
		if i >= len(years) || !containsYear(years[i], y) {
			t.Errorf("album tiles say %v, want years 1985, 1999, 2010 in order", years)
			break
		}
	}
}

func containsYear(s string, y int) bool {
	ys := strconv.Itoa(y)
	return len(s) >= 4 && s[len(s)-4:] == ys
}
