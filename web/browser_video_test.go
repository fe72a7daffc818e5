package web

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/transcode"
)

// TestBrowserVideo opens the Videos tab in Chromium on a phone-sized
// screen, taps each video's card, checks that it plays in the page's
// <video> element (and pauses the music), seeks it to 50 % and checks that
// playback goes on from there with the library's duration; then it takes
// the phone screenshot docs/phone-video.png (with -update-docs). Debian's
// Chromium plays both VP9/Opus WebM and H.264/AAC MP4, so both are tested,
// and a Matroska and an AVI video, which the server makes into MPEG-4.
func TestBrowserVideo(t *testing.T) {
	lib, _ := newVideoLibrary(t, convertedVideos...)
	cache, err := transcode.OpenDiskCache(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(lib, Options{TranscodeCache: cache}).Handler())
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/#/videos"),
		chromedp.WaitVisible(`[data-video-id]`),
	); err != nil {
		t.Fatalf("open the Videos tab: %v", err)
	}
	until(t, ctx, "the Videos tab to be current", `document.querySelector('[data-tab="videos"]').getAttribute('aria-current') === 'page'`)
	// The status line counts the videos (this library has no songs).
	until(t, ctx, "the status line to count the videos", `/ · 4 videos$/.test(document.getElementById('status').textContent) && !/track/.test(document.getElementById('status').textContent)`)
	until(t, ctx, "the posters to load", `Array.from(document.querySelectorAll('[data-video-id] img')).every(i => i.complete && i.naturalWidth > 0) && document.querySelectorAll('[data-video-id] img').length === 4`)
	t.Logf("canPlayType: webm %q, mp4 %q",
		eval[string](t, ctx, `document.createElement('video').canPlayType('video/webm; codecs="vp9, opus"')`),
		eval[string](t, ctx, `document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E, mp4a.40.2"')`))

	const v = `document.querySelector('video.vplayer')`
	for _, spec := range append(slices.Clone(browserVideos), convertedVideos...) {
		t.Run(string(spec.Kind), func(t *testing.T) {
			tr, err := lib.Track(player.TrackID(spec.Path))
			if err != nil {
				t.Fatal(err)
			}
			if eval[bool](t, ctx, `!!`+v) {
				// Back to the list from the previous video's page.
				if err := chromedp.Do(ctx, chromedp.Click(`.vinfo a[href="#/videos"]`, chromedp.NodeVisible)); err != nil {
					t.Fatalf("tap All videos: %v", err)
				}
			}
			until(t, ctx, "the list of videos", `location.hash === '#/videos' && !!document.querySelector('[data-video-id="`+tr.ID+`"]')`)
			if eval[bool](t, ctx, `!!window.shownVideo && !window.shownVideo.paused`) {
				t.Error("the previous video plays on after leaving its page")
			}
			// Music is playing when the video starts: the video must stop it.
			eval[any](t, ctx, `(() => { const a = document.getElementById('audio'); a.src = '/api/tracks/`+tr.ID+`/stream'; a.play(); })()`)
			until(t, ctx, "the music to play", `!document.getElementById('audio').paused && document.getElementById('audio').currentTime > 0`)
			// Timings for the log: tap to the first "playing", seek to "seeked".
			eval[any](t, ctx, `(() => {
				const vt = window.vt = {};
				document.addEventListener('click', () => { vt.tap = performance.now(); }, { capture: true, once: true });
				document.addEventListener('playing', (e) => { if (e.target.matches('video') && !vt.playing) vt.playing = performance.now(); }, true);
				document.addEventListener('seeked', (e) => { if (e.target.matches('video') && !vt.seeked) vt.seeked = performance.now(); }, true);
			})()`)
			if err := chromedp.Do(ctx, chromedp.Click(`[data-video-id="`+tr.ID+`"]`, chromedp.NodeVisible)); err != nil {
				t.Fatalf("tap the card: %v", err)
			}
			until(t, ctx, "the video to play", `(() => { const v = `+v+`; return !!v && v.currentSrc.includes('`+tr.ID+`') && !v.paused && v.currentTime > 0.5 })()`)
			if !eval[bool](t, ctx, `document.getElementById('audio').paused`) {
				t.Error("the music plays on under the video")
			}
			if !eval[bool](t, ctx, `isFinite(`+v+`.duration)`) {
				t.Fatal("video.duration is not finite")
			}
			if d := eval[float64](t, ctx, v+`.duration`); d < tr.Duration-0.5 || d > tr.Duration+0.5 {
				t.Errorf("video.duration = %.2f s, library says %.2f s", d, tr.Duration)
			}
			target := eval[float64](t, ctx, `(() => { const v = `+v+`; window.vt.seek = performance.now(); v.currentTime = v.duration * 0.5; return v.duration * 0.5 })()`)
			until(t, ctx, "playback at 50 %", v+`.currentTime >= `+ftoa(target)+` && !`+v+`.seeking && !`+v+`.paused`)
			t.Logf("tap to playing %.0f ms, seek to seeked %.0f ms", eval[float64](t, ctx, `window.vt.playing - window.vt.tap`), eval[float64](t, ctx, `window.vt.seeked - window.vt.seek`))
			after := eval[float64](t, ctx, v+`.currentTime`)
			until(t, ctx, "playback to advance after the seek", v+`.currentTime > `+ftoa(after+0.5))
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("video page is %d px wide on a 390 px screen", w)
			}
			// A re-render of the page (as after a library change) keeps the
			// same element playing.
			eval[any](t, ctx, `(() => { window.shownVideo = `+v+`; dispatchEvent(new HashChangeEvent('hashchange')); })()`)
			mark := eval[float64](t, ctx, v+`.currentTime`)
			until(t, ctx, "the video to play on after a re-render", v+` === window.shownVideo && !`+v+`.paused && `+v+`.currentTime > `+ftoa(mark+0.5))
			// On the video's page the space bar pauses and plays the video, not the music.
			eval[any](t, ctx, `document.activeElement.blur()`)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
				t.Fatal(err)
			}
			until(t, ctx, "space to pause the video", v+`.paused && document.getElementById('audio').paused`)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
				t.Fatal(err)
			}
			until(t, ctx, "space to play the video again", `!`+v+`.paused && document.getElementById('audio').paused`)
		})
	}

	// The phone screenshot: the last video's page, reloaded (the music the
	// test played is gone), paused on a frame past the middle.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	until(t, ctx, "the video page after a reload", `!!`+v+` && `+v+`.readyState >= 1`)
	// A paused element with preload=metadata may stop loading once it has
	// the metadata, before the frame at the new position arrives: ask for
	// the data, as a person pressing play would.
	// The seek is asked again until it holds: under load one made while the
	// page is still settling after the reload was lost (two routes at once
	// used to make two <video> elements; video.js now shares one).
	until(t, ctx, "the frame at 55 %", `(() => {
		const v = `+v+`;
		v.pause();
		v.preload = 'auto';
		if (!v.seeking && v.readyState >= 1 && v.currentTime < v.duration * 0.5) v.currentTime = v.duration * 0.55;
		return !v.seeking && v.readyState >= 2 && v.currentTime > v.duration * 0.5;
	})()`)
	if small := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#tabs a, .vinfo button, .vinfo a'), e => e.getBoundingClientRect()).filter(r => r.height < 44).map(r => r.width + 'x' + r.height)`); len(small) > 0 {
		t.Errorf("touch targets lower than 44 px: %v", small)
	}
	screenshot(t, ctx, "phone-video.png")
}
