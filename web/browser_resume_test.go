package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
)

// jsRecordPlaying records every media element's `playing` event in the
// page as window.plays: [{t: currentTime (s), id: the element's id, at:
// performance.now() (ms)}]. A capture listener on document hears it first.
const jsRecordPlaying = `window.plays = []; document.addEventListener('playing', (e) => plays.push({t: e.target.currentTime, id: e.target.id, at: performance.now()}), true);`

// jsRecordMediaSession wraps navigator.mediaSession's setActionHandler and
// setPositionState to record, in window.ms, every handler registered
// ({a: action, f: 'function' or 'null', at: ms}), the handlers themselves
// (fns) and the last position state.
const jsRecordMediaSession = `window.ms = {calls: [], fns: {}, pos: null};
{ const P = MediaSession.prototype, set = P.setActionHandler, sps = P.setPositionState;
  P.setActionHandler = function (a, f) { ms.calls.push({a, f: f === null ? 'null' : typeof f, at: performance.now()}); ms.fns[a] = f; return set.call(this, a, f); };
  P.setPositionState = function (s) { ms.pos = s; return sps.call(this, s); }; }`

// jsRecordProbes wraps fetch to record the page's HEAD requests in
// window.probes: "HEAD {url} {status}" or "HEAD {url} failed".
const jsRecordProbes = `window.probes = []; { const f = window.fetch; window.fetch = function (u, o) {
  const p = f.apply(this, arguments);
  if (o && o.method === 'HEAD') p.then(r => probes.push('HEAD ' + u + ' ' + r.status), () => probes.push('HEAD ' + u + ' failed'));
  return p; }; }`

// TestBrowserMediaSession plays a track on a phone and reads back what the
// lock screen gets: the metadata and artwork (both thumbnail sizes load),
// the action handlers (previous/next/seekto functions, seekbackward and
// seekforward null, all registered again on each 'playing'), the position
// state after a seek, and that the recorded handlers work.
func TestBrowserMediaSession(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	ids := phoneAlbumPage(t, ctx, rs, playerInitScript(jsRecordPlaying+jsRecordMediaSession))
	if err := chromedp.Do(ctx, chromedp.Click(`#view [data-track-id="`+ids[1]+`"]`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the second track to play", playingTrack(ids[1]))

	meta := eval[map[string]any](t, ctx, `(() => { const m = navigator.mediaSession.metadata; return {title: m.title, artist: m.artist, album: m.album, artwork: m.artwork.map(a => a.src + ' ' + a.sizes)} })()`)
	want := map[string]string{"title": "Song Two", "artist": "Test Artist", "album": "Test Album"}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("metadata %s = %v, want %q", k, meta[k], v)
		}
	}
	art, _ := meta["artwork"].([]any)
	wantArt := []string{rs.URL + "/api/tracks/" + ids[1] + "/cover?size=96 96x96", rs.URL + "/api/tracks/" + ids[1] + "/cover?size=300 300x300"}
	if len(art) != 2 || art[0] != wantArt[0] || art[1] != wantArt[1] {
		t.Errorf("artwork = %v, want %v", art, wantArt)
	}
	for _, a := range wantArt {
		u := strings.Fields(a)[0]
		ct, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsString(u)+`).then(r => r.status + ' ' + r.headers.get('content-type'))`, chromedp.EvalAwaitPromise))
		if err != nil || ct != "200 image/jpeg" {
			t.Errorf("GET %s: %s, %v; want 200 image/jpeg", u, ct, err)
		}
	}

	// The handlers: the last registration of each, and those after the last 'playing'.
	checkHandlers := func(when string) {
		t.Helper()
		got := eval[map[string]string](t, ctx, `(() => { const last = {}; for (const c of ms.calls) last[c.a] = c.f; return last })()`)
		after := eval[[]string](t, ctx, `(() => { const p = plays[plays.length - 1].at; return [...new Set(ms.calls.filter(c => c.at >= p).map(c => c.a + '=' + c.f))].sort() })()`)
		wantAfter := []string{"nexttrack=function", "pause=function", "play=function", "previoustrack=function", "seekbackward=null", "seekforward=null", "seekto=function"}
		for _, w := range wantAfter {
			a, f, _ := strings.Cut(w, "=")
			if got[a] != f {
				t.Errorf("%s: handler %s is %q, want %s", when, a, got[a], f)
			}
		}
		if strings.Join(after, " ") != strings.Join(wantAfter, " ") {
			t.Errorf("%s: registered after the last 'playing': %v, want %v", when, after, wantAfter)
		}
	}
	checkHandlers("first play")
	eval[any](t, ctx, `document.getElementById('play').click()`)
	until(t, ctx, "pause", `document.getElementById('audio').paused && navigator.mediaSession.playbackState === 'paused'`)
	n := eval[int](t, ctx, `plays.length`)
	eval[any](t, ctx, `ms.fns.play()`)
	until(t, ctx, "the play handler to resume", `plays.length > `+strconv.Itoa(n)+` && !document.getElementById('audio').paused && navigator.mediaSession.playbackState === 'playing'`)
	checkHandlers("second play")

	// Position state follows a seek; seekto, nexttrack and previoustrack work.
	eval[any](t, ctx, `ms.fns.seekto({action: 'seekto', seekTime: 100})`)
	until(t, ctx, "the position state after seekto", `ms.pos && Math.abs(ms.pos.position - 100) < 1.5 && Math.abs(ms.pos.duration - 150) < 1 && ms.pos.playbackRate === 1`)
	until(t, ctx, "playback past 100 s", `document.getElementById('audio').currentTime > 100.3 && !document.getElementById('audio').paused`)
	eval[any](t, ctx, `ms.fns.nexttrack()`)
	until(t, ctx, "nexttrack to play the third track", playingTrack(ids[2]))
	until(t, ctx, "the metadata of the third track", `navigator.mediaSession.metadata.title === 'Song Three'`)
	until(t, ctx, "the position state of the third track", `ms.pos && ms.pos.position < 5`)
	eval[any](t, ctx, `ms.fns.previoustrack()`)
	until(t, ctx, "previoustrack to play the second track", playingTrack(ids[1]))

	if *updateDocs {
		until(t, ctx, "a few seconds of playback for the picture", `document.getElementById('audio').currentTime > 12`)
		screenshot(t, ctx, "phone-album-playing.png")
		// Not a real lock screen: a rendering, injected by this test, of
		// the metadata read back from navigator.mediaSession.
		lock := `(async () => {
			const m = navigator.mediaSession.metadata, art = m.artwork[m.artwork.length - 1].src;
			const d = document.createElement('div');
			d.style.cssText = 'position:fixed;inset:0;z-index:99;display:flex;flex-direction:column;align-items:center;padding:90px 28px;gap:10px;color:#fff;background:linear-gradient(#2a3140,#0d0f14);font:15px system-ui';
			const clock = document.createElement('div'); clock.textContent = '9:41'; clock.style.cssText = 'font-size:76px;font-weight:200;margin-bottom:60px';
			const card = document.createElement('div'); card.style.cssText = 'width:100%;box-sizing:border-box;padding:16px;border-radius:22px;background:rgb(255 255 255/.14);display:grid;grid-template-columns:64px 1fr;gap:4px 14px;align-items:center';
			const img = new Image(); img.src = art; img.style.cssText = 'grid-row:span 3;width:64px;height:64px;border-radius:10px';
			const line = (text, css) => { const e = document.createElement('div'); e.textContent = text; e.style.cssText = css; return e; };
			card.append(img, line(m.title, 'font-weight:600;font-size:17px'), line(m.artist, 'opacity:.8'), line(m.album, 'opacity:.6;font-size:13px'));
			const acts = ['previoustrack', 'pause', 'nexttrack'].filter(a => typeof ms.fns[a] === 'function');
			const ctl = line('Handlers: ' + acts.join(' · ') + ' (seekbackward/seekforward: ' + ms.fns.seekbackward + '/' + ms.fns.seekforward + ')', 'grid-column:1/-1;text-align:center;font-size:13px;margin-top:12px;opacity:.8');
			card.append(ctl);
			const note = line('Rendering of navigator.mediaSession.metadata read back by the test', 'margin-top:auto;opacity:.5;font-size:12px;text-align:center');
			d.append(clock, card, note);
			document.body.append(d);
			await img.decode();
		})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](lock, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatalf("render the mock lock screen: %v", err)
		}
		screenshot(t, ctx, "phone-lockscreen.png")
	}
}

// TestBrowserResumeAfterReload reloads the page twice: while playing (it
// resumes playing within 2 s of where it was, with the same queue, index
// and repeat mode) and while paused (it comes back paused at the position,
// showing the track).
func TestBrowserResumeAfterReload(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	ids := phoneAlbumPage(t, ctx, rs, playerInitScript(jsRecordPlaying))
	for _, sel := range []string{`#view [data-track-id="` + ids[1] + `"]`, `#queue-open`, `#q-list li[data-i="0"] .q-down`, `#q-repeat`} {
		if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	order := []string{ids[1], ids[0], ids[2], ids[3]}
	until(t, ctx, "the reordered queue", `JSON.stringify(`+jsQueueIDs+`) === `+jsString(`["`+strings.Join(order, `","`)+`"]`))
	until(t, ctx, "the second track to play", playingTrack(ids[1]))
	eval[any](t, ctx, `document.getElementById('audio').currentTime = 60`)
	until(t, ctx, "playback past 61 s", `document.getElementById('audio').currentTime > 61`)

	reload := func() float64 {
		t.Helper()
		pos := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		return pos
	}
	pos := reload()
	until(t, ctx, "playback to resume after the reload", `plays.length > 0 && `+playingTrack(ids[1]))
	if first := eval[float64](t, ctx, `plays[0].t`); math.Abs(first-pos) > 2 {
		t.Errorf("resumed at %.2f s, was at %.2f s before the reload", first, pos)
	}
	if got := eval[[]string](t, ctx, jsQueueIDs); strings.Join(got, " ") != strings.Join(order, " ") {
		t.Errorf("queue after reload = %v, want %v", got, order)
	}
	if i := eval[int](t, ctx, jsQueueIndex); i != 0 {
		t.Errorf("index after reload = %d, want 0", i)
	}
	if r := eval[string](t, ctx, `document.getElementById('q-repeat').getAttribute('aria-label')`); r != "Repeat: all" {
		t.Errorf("repeat after reload: %q", r)
	}

	// Paused: it comes back paused, loaded at the position.
	eval[any](t, ctx, `document.getElementById('play').click()`)
	until(t, ctx, "pause", `document.getElementById('audio').paused`)
	pos = reload()
	until(t, ctx, "the track to load paused", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/`+ids[1]+`/') && a.readyState >= 1 && !a.seeking })()`)
	if got := eval[map[string]any](t, ctx, `(() => { const a = document.getElementById('audio'); return {t: a.currentTime, paused: a.paused, title: document.getElementById('np-title').textContent} })()`); got["paused"] != true || math.Abs(got["t"].(float64)-pos) > 2 || got["title"] != "Song Two" {
		t.Errorf("after a paused reload: %v, want paused at %.2f s showing Song Two", got, pos)
	}
}

// restartableServer serves the real-audio library on one loopback address
// that a test can stop (closing every connection, as a crash would) and
// start again. Stream bodies are paced at 1.5 times real time after a
// 64 KB burst, so that stopping it interrupts a track being played: over
// loopback Chrome would otherwise fetch a whole track at once.
type restartableServer struct {
	URL  string
	addr string
	h    http.Handler

	mu  sync.Mutex
	srv *http.Server
}

func newRestartableServer(t *testing.T) *restartableServer {
	t.Helper()
	rs := newRealServer(t)
	api := New(rs.lib, Options{}).Handler()
	s := &restartableServer{}
	s.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(r.URL.Path, "/") // /api/tracks/{id}/stream
		if len(parts) == 5 && parts[4] == "stream" && r.Method == http.MethodGet {
			if tr, err := rs.lib.Track(parts[3]); err == nil && tr.Duration > 0 {
				w = &pacedWriter{ResponseWriter: w, rate: 1.5 * float64(tr.Size) / tr.Duration, burst: 256 << 10, start: time.Now()}
			}
		}
		api.ServeHTTP(w, r)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	s.URL = "http://" + s.addr
	s.serve(l)
	t.Cleanup(s.stop)
	return s
}

func (s *restartableServer) serve(l net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv = &http.Server{Handler: s.h}
	go s.srv.Serve(l)
}

// stop closes the listener and every open connection.
func (s *restartableServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv.Close()
}

// start listens again on the same address.
func (s *restartableServer) start(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

// pacedWriter writes a response body no faster than rate bytes per second
// after the first burst bytes.
type pacedWriter struct {
	http.ResponseWriter
	rate  float64
	burst int
	start time.Time
	sent  int
}

func (p *pacedWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		c := min(len(b), 8<<10)
		k, err := p.ResponseWriter.Write(b[:c])
		n += k
		p.sent += k
		if err != nil {
			return n, err
		}
		b = b[c:]
		if ahead := time.Duration(float64(p.sent-p.burst)/p.rate*float64(time.Second)) - time.Since(p.start); ahead > 0 {
			time.Sleep(ahead) // pacing the body, not waiting for a condition
		}
	}
	return n, nil
}

// TestBrowserAutoResume stops the server mid-track and starts it again on
// the same address: the page must show "Reconnecting…" and then, with no
// click, play on within 2 s of where it stopped. Then it stops the server
// and presses Next: the next track must start by itself once the server is
// back.
func TestBrowserAutoResume(t *testing.T) {
	s := newRestartableServer(t)
	ctx := newBrowser(t)
	id := player.TrackID(realTracks[1].spec.Path) // the 150-s FLAC
	if err := chromedp.Do(ctx,
		playerInitScript(jsRecordPlaying),
		playerInitScript(jsRecordProbes),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(`#view [data-track-id="`+id+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `document.querySelector('#view [data-track-id="`+id+`"]').click()`)
	until(t, ctx, "the track to play 3 s", `document.getElementById('audio').currentTime > 3`)
	buffered := eval[float64](t, ctx, `(() => { const a = document.getElementById('audio'); return a.buffered.end(a.buffered.length - 1) })()`)
	if d := eval[float64](t, ctx, `document.getElementById('audio').duration`); buffered > d-10 {
		t.Fatalf("buffered to %.1f s of %.1f s: stopping the server would not interrupt playback", buffered, d)
	}
	s.stop()
	until(t, ctx, "the player to say it is reconnecting", `document.getElementById('np-status').textContent === 'Reconnecting…'`)
	// Down long enough for the page's own retry to have failed once.
	until(t, ctx, "a failed reconnection attempt", `probes.some(p => p.endsWith('failed'))`)
	stopped := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
	n := eval[int](t, ctx, `plays.length`)
	t.Logf("stopped the server with %.1f s buffered; playback stopped at %.2f s", buffered, stopped)
	if stopped < 3 {
		t.Errorf("stopped at %.2f s, before the server stopped", stopped)
	}

	s.start(t)
	until(t, ctx, "playback to resume by itself", `plays.length > `+strconv.Itoa(n)+` && document.getElementById('np-status').textContent === '' && `+playingTrack(id))
	resumed := eval[float64](t, ctx, `plays[`+strconv.Itoa(n)+`].t`)
	t.Logf("resumed at %.2f s; attempts: %v; now playing %s", resumed, eval[[]string](t, ctx, `probes`), eval[string](t, ctx, `document.getElementById('audio').currentSrc`))
	if math.Abs(resumed-stopped) > 2 {
		t.Errorf("resumed at %.2f s, stopped at %.2f s: more than 2 s apart", resumed, stopped)
	}
	until(t, ctx, "playback to advance after resuming", `document.getElementById('audio').currentTime > `+ftoa(resumed+1))
	if eval[string](t, ctx, `document.getElementById('np-status').getAttribute('role')`) != "status" {
		t.Error("the reconnecting line is not role=status")
	}

	// Chrome's own range retries usually win the race above. A track that
	// cannot even start (the server is down when Next is pressed) errors
	// at once: the page's probes (HEAD) must then reload it by themselves.
	s.stop()
	eval[any](t, ctx, `probes.length = 0; document.getElementById('next').click()`)
	next := player.TrackID(realTracks[2].spec.Path)
	until(t, ctx, "the player to say it is reconnecting for the next track", `document.getElementById('np-status').textContent === 'Reconnecting…' && probes.some(p => p.includes('/`+next+`/') && p.endsWith('failed'))`)
	s.start(t)
	until(t, ctx, "the next track to start by itself", `document.getElementById('np-status').textContent === '' && `+playingTrack(next))
	if src := eval[string](t, ctx, `document.getElementById('audio').currentSrc`); !strings.Contains(src, "#t=") {
		t.Errorf("the next track plays from %s, not from the page's reload (#t=…)", src)
	}
	t.Logf("next track: attempts %v", eval[[]string](t, ctx, `probes`))
}

// TestBrowserResumeLongQueue opens the page with a stored 50,000-entry
// queue (IDs only, as the page keeps it), as a reload would find it: the
// page must restore it at its index and position, and the queue panel must
// show a window of it, not 50,000 rows.
func TestBrowserResumeLongQueue(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	var ids []string
	for _, rt := range realTracks {
		ids = append(ids, rs.trackByPath(t, rt.spec.Path).ID)
	}
	// Stored once, before the page's scripts run on its first load.
	seed := playerInitScript(`if (!sessionStorage.getItem('seeded')) {
		sessionStorage.setItem('seeded', '1');
		const ids = ` + jsString(strings.Join(ids, " ")) + `.split(' '), q = [];
		for (let i = 0; i < 50000; i++) q.push(ids[i % 4]);
		localStorage.setItem('earshot.queue', JSON.stringify({ids: q}));
		localStorage.setItem('earshot.playstate', JSON.stringify({index: 25001, pos: 30, playing: false, shuffle: false, repeat: 'off'}));
	}`)
	phoneAlbumPage(t, ctx, rs, seed)
	// Entry 25001 is ids[1] (25001 % 4 == 1).
	until(t, ctx, "the stored track to load at its position", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/`+ids[1]+`/') && a.readyState >= 1 && Math.abs(a.currentTime - 30) < 2 && a.paused })()`)
	if err := chromedp.Do(ctx, chromedp.Click(`#queue-open`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel's window of rows", `document.querySelectorAll('#q-list li[data-i]').length === 220 && document.querySelector('#q-list li[aria-current]').dataset.i === '25001' && document.getElementById('q-more').textContent === 'and 24799 more'`)
	until(t, ctx, "the rows' titles", `!Array.from(document.querySelectorAll('#q-list .t'), e => e.textContent).includes('…')`)
	// 220 rows of 4 distinct tracks: one GET /api/tracks/{id} per track.
	if n := eval[int](t, ctx, `performance.getEntriesByType('resource').filter(e => /\/api\/tracks\/[^/]+$/.test(e.name)).length`); n > 4 {
		t.Errorf("the panel fetched track details %d times for 4 distinct tracks", n)
	}
	eval[any](t, ctx, `document.querySelector('#q-list li[data-i="25002"] .q-play').click()`)
	until(t, ctx, "the next entry to play", playingTrack(ids[2])+` && `+jsQueueIndex+` === 25002`)
	if n := eval[int](t, ctx, `JSON.parse(localStorage.getItem('earshot.queue')).ids.length`); n != 50000 {
		t.Errorf("stored queue has %d entries, want 50000", n)
	}
}
