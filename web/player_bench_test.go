package web

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
)

// benchAlbumPage opens the real-audio album's page in Chromium (desktop
// size) on a loopback server and returns the browser and the album's
// track IDs in track order.
func benchAlbumPage(b *testing.B) (*realServer, []string, func(expr string) float64) {
	b.Helper()
	rs := newRealServer(b)
	ctx := newBrowser(b)
	var ids []string
	for _, rt := range realTracks {
		ids = append(ids, rs.trackByPath(b, rt.spec.Path).ID)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(rs.URL+"/#/albums/"+player.AlbumID("Test Artist", "Test Album")),
		chromedp.WaitVisible(`#view [data-track-id="`+ids[3]+`"]`),
	); err != nil {
		b.Fatal(err)
	}
	await := func(expr string) float64 {
		b.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	return rs, ids, await
}

// BenchmarkTapToPlaying clicks a track's row and times, in the page, the
// click to the `playing` event of the element that plays it; it reports
// the mean in ms/tap. Taps alternate between the album's MP3 and FLAC
// tracks so that each loads a new stream. Target: < 300 ms on loopback.
func BenchmarkTapToPlaying(b *testing.B) {
	_, ids, await := benchAlbumPage(b)
	var total float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%2]
		total += await(tapToPlayingJS(id))
	}
	b.ReportMetric(total/float64(b.N), "ms/tap")
}

// BenchmarkSeekToPlaying seeks the playing MP3 to a new position and times,
// in the page, setting currentTime to the element playing again past that
// position (after 'seeked', currentTime advancing beyond the target); it
// reports the mean in ms/seek. Target: < 200 ms on loopback.
func BenchmarkSeekToPlaying(b *testing.B) {
	_, ids, await := benchAlbumPage(b)
	await(`new Promise((resolve) => {
		document.addEventListener('playing', resolve, {capture: true, once: true});
		document.querySelector('#view [data-track-id="` + ids[0] + `"]').click();
	}).then(() => 0)`)
	var total float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		target := 10 + float64((i*37)%120) // spread over the 150-s track
		total += await(seekToPlayingJS(target))
	}
	b.ReportMetric(total/float64(b.N), "ms/seek")
}

// tapToPlayingJS is a script clicking track id's row and resolving to the
// ms from the click to the 'playing' event of the audio element playing it.
func tapToPlayingJS(id string) string {
	return `new Promise((resolve) => {
		const t0 = performance.now();
		document.addEventListener('playing', function f(e) {
			if (e.target.id !== 'audio' || !e.target.currentSrc.includes('/` + id + `/')) return;
			document.removeEventListener('playing', f, true);
			resolve(performance.now() - t0);
		}, true);
		document.querySelector('[data-track-id="` + id + `"]').click();
	})`
}

// seekToPlayingJS is a script seeking the audio element to second to and
// resolving to the ms until it is playing past it.
func seekToPlayingJS(to float64) string {
	return `new Promise((resolve) => {
		const a = document.getElementById('audio'), to = ` + strconv.FormatFloat(to, 'f', 3, 64) + `;
		const t0 = performance.now();
		a.addEventListener('seeked', () => {
			const poll = () => (!a.paused && a.currentTime > to + 0.001 ? resolve(performance.now() - t0) : setTimeout(poll, 1));
			poll();
		}, {once: true});
		a.currentTime = to;
	})`
}
