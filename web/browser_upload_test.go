package web

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// TestBrowserUploadDesktop adds two tagged FLAC files through the page's
// #upload-input in Chromium at desktop size: each row reaches done and
// says where its file went ("Added to Artist / Album / NN Title.flac"),
// the tracks appear in the page's song list through the watch and
// /api/events, and the files in the library are byte-identical to the
// picked ones. Then: the same file again is "Already in your library", a
// folder (#upload-folder) sends its FLAC and not its cover, "Keep my file
// names" puts a file in Uploads/ and stays on after a reload, and an
// upload left unfinished is listed after the reload and cancelled.
func TestBrowserUploadDesktop(t *testing.T) {
	ul := newUploadLibrary(t)
	src := t.TempDir()
	playertest.Generate(t, src,
		playertest.Spec{Path: "first.flac", Kind: playertest.FLAC, Seconds: 4, Tags: map[string]string{"title": "Upload One", "artist": "Cleo Vane", "album": "Sent Over", "track": "1"}},
		playertest.Spec{Path: "second.flac", Kind: playertest.FLAC, Seconds: 4, Tags: map[string]string{"title": "Upload Two", "artist": "Cleo Vane", "album": "Sent Over", "track": "2"}},
	)
	srv := httptest.NewServer(New(ul.lib, Options{Logger: quietLogger()}).Handler())
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	pick(t, ctx, "#upload-input", filepath.Join(src, "first.flac"), filepath.Join(src, "second.flac"))
	want := map[string]string{"first.flac": "Cleo Vane/Sent Over/01 Upload One.flac", "second.flac": "Cleo Vane/Sent Over/02 Upload Two.flac"}
	for name, path := range want {
		waitUntil(t, ctx, 30*time.Second, name+" done", jsRowState(name, "done"))
		if got, w := eval[string](t, ctx, jsRowMsg(name)), "Added to "+strings.ReplaceAll(path, "/", " / "); got != w {
			t.Errorf("%s: row says %q, want %q", name, got, w)
		}
		if got, w := sha256File(t, filepath.Join(ul.dir, filepath.FromSlash(path))), sha256File(t, filepath.Join(src, name)); got != w {
			t.Errorf("%s: library copy sha256 %s, want %s", name, got, w)
		}
		id := player.TrackID(path)
		until(t, ctx, name+" in the song list", `!!document.querySelector('#view [data-track-id="`+id+`"]')`)
	}
	if got := eval[string](t, ctx, `document.getElementById('up-total').textContent`); got != "2 added" {
		t.Errorf("total line %q, want %q", got, "2 added")
	}
	if got := eval[string](t, ctx, `localStorage.getItem('earshot.uploads')`); got != "{}" {
		t.Errorf("localStorage keeps %q after both finished, want {}", got)
	}
	auditUploads(t, ctx, "uploads done", desktopSize, true)

	uploadMore(t, ctx, ul, src)
	cancelLeftUpload(t, ctx)
}

// uploadMore goes on from TestBrowserUploadDesktop: a duplicate, a
// folder and a kept name.
func uploadMore(t *testing.T, ctx context.Context, ul *uploadLibrary, src string) {
	t.Helper()
	// The same file again: the server has it already.
	pick(t, ctx, "#upload-input", filepath.Join(src, "first.flac"))
	waitUntil(t, ctx, 30*time.Second, "the duplicate's row", `Array.from(document.querySelectorAll('#up-list .up-msg')).some(m => m.textContent === 'Already in your library: Cleo Vane / Sent Over / 01 Upload One.flac')`)

	// Garbage named .mp3 is refused by the server: the row says why, and
	// there is nothing to retry.
	garbage := filepath.Join(src, "not music.mp3")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("<html>no sound here</html>\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	pick(t, ctx, "#upload-input", garbage)
	waitUntil(t, ctx, 30*time.Second, "the garbage refused", jsRowState("not music.mp3", "error"))
	if msg := eval[string](t, ctx, jsRowMsg("not music.mp3")); !strings.Contains(msg, "not an audio or video file") {
		t.Errorf("refused row says %q", msg)
	}
	if eval[bool](t, ctx, `!document.querySelector('#up-list .up-row[data-state="error"] [aria-label="Retry not music.mp3"]').hidden`) {
		t.Error("a refused file offers Retry")
	}

	// A folder: its FLAC goes (named by the folder's path), its cover does not.
	folder := filepath.Join(src, "Live Set")
	playertest.Generate(t, folder, playertest.Spec{Path: "03 Encore.flac", Kind: playertest.FLAC, Seconds: 3, Tags: map[string]string{"title": "Encore", "artist": "Cleo Vane", "album": "Live Set", "track": "3"}})
	if err := os.WriteFile(filepath.Join(folder, "cover.jpg"), []byte("not music"), 0o644); err != nil {
		t.Fatal(err)
	}
	pick(t, ctx, "#upload-folder", folder)
	waitUntil(t, ctx, 30*time.Second, "the folder's file done", jsRowState("Live Set/03 Encore.flac", "done"))
	if n := eval[int](t, ctx, `document.querySelectorAll('#up-list .up-row').length`); n != 5 {
		t.Errorf("%d rows after the folder, want 5 (its cover.jpg not sent): %s", n, eval[string](t, ctx, `JSON.stringify(`+jsUploadRows+`)`))
	}
	if _, err := os.Stat(filepath.Join(ul.dir, "Cleo Vane", "Live Set", "03 Encore.flac")); err != nil {
		t.Errorf("the folder's file is not in the library: %v", err)
	}

	// "Keep my file names": the file goes to Uploads/ as it is named; the
	// setting stays after a reload.
	if err := chromedp.Do(ctx, chromedp.Click(`#up-keep`, chromedp.NodeVisible)); err != nil {
		t.Fatalf("click Keep my file names: %v", err)
	}
	pick(t, ctx, "#upload-input", filepath.Join(src, "second.flac"))
	waitUntil(t, ctx, 30*time.Second, "the kept name's row", `Array.from(document.querySelectorAll('#up-list .up-msg')).some(m => m.textContent === 'Added to Uploads / second.flac')`)
	if got, w := sha256File(t, filepath.Join(ul.dir, "Uploads", "second.flac")), sha256File(t, filepath.Join(src, "second.flac")); got != w {
		t.Errorf("Uploads/second.flac sha256 %s, want %s", got, w)
	}
}

// cancelLeftUpload goes on from TestBrowserUploadDesktop, with "Keep my
// file names" on.
func cancelLeftUpload(t *testing.T, ctx context.Context) {
	t.Helper()
	// An upload an earlier page left is listed after a reload; Cancel
	// ends it on the server (DELETE: then HEAD is 404) and forgets it.
	tb := chromiumTab{ctx}
	url := tabEval[string](t, tb, `fetch('/api/uploads', {method: 'POST', headers: {'Tus-Resumable': '1.0.0', 'Upload-Length': '1000',
		'Upload-Metadata': 'filename ' + btoa('left.flac')}}).then(r => new URL(r.headers.get('Location'), location.href).pathname)`)
	tabEval[bool](t, tb, `(localStorage.setItem('earshot.uploads', JSON.stringify({[JSON.stringify(['left.flac', 1000, 1, ''])]:
		{url: `+strconv.Quote(url)+`, name: 'left.flac', size: 1000}})), true)`)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, ctx, 10*time.Second, "the unfinished upload listed", jsRowState("left.flac", "pending"))
	if !eval[bool](t, ctx, `document.getElementById('up-keep').checked`) {
		t.Error("Keep my file names is off after a reload")
	}
	if got := eval[string](t, ctx, jsRowMsg("left.flac")); got != "Pick the file again to resume (0 % sent)" {
		t.Errorf("the unfinished upload's row says %q", got)
	}
	head := `fetch(` + strconv.Quote(url) + `, {method: 'HEAD', headers: {'Tus-Resumable': '1.0.0'}}).then(r => r.status)`
	if st := tabEval[int](t, tb, head); st != http.StatusOK {
		t.Fatalf("HEAD of the unfinished upload before Cancel: %d, want 200", st)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#up-list .up-row[data-state="pending"] [aria-label="Cancel left.flac"]`, chromedp.NodeVisible)); err != nil {
		t.Fatalf("click Cancel: %v", err)
	}
	tabUntil(t, tb, 10*time.Second, "the cancelled upload gone on the server", head+`.then(s => s === 404)`)
	if n, kept := eval[int](t, ctx, `document.querySelectorAll('#up-list .up-row').length`), eval[string](t, ctx, `localStorage.getItem('earshot.uploads')`); n != 0 || kept != "{}" {
		t.Errorf("after Cancel: %d rows, localStorage %q; want none", n, kept)
	}
}

// TestBrowserUploadPhoneResume is the Must show: Chromium in phone
// emulation in the LAN test's "phone" network namespace uploads a 200 MB
// FLAC (and a small one) through #upload-input. When the server has half
// of it, the phone's link goes down; the page shows the upload stalled and
// retrying; the link comes back and the upload resumes from the server's
// offset, not from 0. The library's copy is byte-identical and plays in
// the page. Before, with uploads from other devices off, the page says so.
func TestBrowserUploadPhoneResume(t *testing.T) {
	p := newPhoneNet(t)
	ul := newUploadLibrary(t)
	src := t.TempDir()
	big := noiseFLAC(t, src, "big noise.flac", "Long Noise", 200e6)
	playertest.Generate(t, src, playertest.Spec{Path: "small.flac", Kind: playertest.FLAC, Seconds: 4,
		Tags: map[string]string{"title": "Small One", "artist": "Field Tapes", "album": "Noise", "track": "2"}})
	bigSize := fileSize(t, big)
	server := New(ul.lib, Options{Logger: quietLogger()})
	server.lis.lan.Store(true) // as Listen on all interfaces would; the test serves it on the phone's link itself
	rec := newUploadRecorder(server.Handler(), bigSize/2)
	base := serveOn(t, hostIP, rec)
	t.Cleanup(rec.open) // before the server closes: a held read would keep it open

	ctx := newBrowserIn(t, p.ns, 4*time.Minute)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(base+"/pair?key="+server.Key()),
		chromedp.WaitVisible(`[data-track-id]`),
	); err != nil {
		t.Fatalf("pair and open the page from the phone: %v", err)
	}

	// Uploads from other devices are off by default.
	until(t, ctx, "the Add music button to look off", `document.getElementById('upload-open').classList.contains('off')`)
	eval[bool](t, ctx, `(document.getElementById('upload-input').click(), true)`)
	until(t, ctx, "the uploads-off message", `!document.getElementById('uploads').hidden && document.getElementById('up-off').textContent === "Uploads from other devices are off. Turn them on in Earshot's window on the computer."`)
	auditUploads(t, ctx, "uploads off", phoneSize, false)

	server.SetUploadsFromLAN(true)
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the Add music button to look on", `!document.getElementById('upload-open').classList.contains('off')`)
	pick(t, ctx, "#upload-input", filepath.Join(src, "small.flac"), big)
	rec.waitGate(t, 60*time.Second)
	waitUntil(t, ctx, 30*time.Second, "the small file done", jsRowState("small.flac", "done"))
	waitUntil(t, ctx, 5*time.Second, "the time left", `document.getElementById('up-total').textContent.endsWith(' left')`)
	screenshot(t, ctx, "upload-phone.png")

	// Cut the phone's link while the server holds half of the big file.
	patchesBefore, _ := rec.seen()
	ipLink(t, p.hostIf, "down")
	rec.open()
	waitUntil(t, ctx, 60*time.Second, "the page to show the upload retrying", jsRowState("big noise.flac", "retrying"))
	t.Logf("while cut: %s", eval[string](t, ctx, jsRowMsg("big noise.flac")))
	auditUploads(t, ctx, "upload retrying", phoneSize, false)
	ipLink(t, p.hostIf, "up")
	waitUntil(t, ctx, 120*time.Second, "the big file done", jsRowState("big noise.flac", "done"))

	patches, received := rec.seen()
	var bigPath string
	for path, n := range received {
		if n > bigSize/2 {
			bigPath = path
		}
	}
	var after []patchSeen
	for _, ps := range patches[len(patchesBefore):] {
		if ps.path == bigPath {
			after = append(after, ps)
		}
	}
	if len(after) == 0 {
		t.Fatalf("no PATCH of the big upload after the cut; all: %v", patches)
	}
	for _, ps := range after {
		if ps.offset == 0 {
			t.Errorf("a PATCH after the cut started from 0: %v", after)
		}
	}
	if first := after[0].offset; first < bigSize/2-8<<20 {
		t.Errorf("resumed from %d, want near the cut at %d", first, bigSize/2)
	}
	if got := received[bigPath]; got >= bigSize*3/2 {
		t.Errorf("server received %d bytes for a %d-byte file: the upload started again", got, bigSize)
	}
	t.Logf("big file: %d bytes, received %d; PATCHes after the cut from offsets %v", bigSize, received[bigPath], after)

	const want = "Field Tapes/Noise/01 Long Noise.flac"
	if got, w := eval[string](t, ctx, jsRowMsg("big noise.flac")), "Added to Field Tapes / Noise / 01 Long Noise.flac"; got != w {
		t.Errorf("row says %q, want %q", got, w)
	}
	if got, w := sha256File(t, filepath.Join(ul.dir, filepath.FromSlash(want))), sha256File(t, big); got != w {
		t.Fatalf("library copy sha256 %s, want %s", got, w)
	}
	id := player.TrackID(want)
	// Closed, the panel no longer pushes the (virtual) list's rows out of view.
	eval[bool](t, ctx, `(document.getElementById('up-close').click(), true)`)
	until(t, ctx, "the uploaded track in the list", `!!document.querySelector('#view [data-track-id="`+id+`"]')`)
	if err := chromedp.Do(ctx, chromedp.Click(`#view [data-track-id="`+id+`"]`, chromedp.NodeVisible)); err != nil {
		t.Fatalf("tap the uploaded track: %v", err)
	}
	until(t, ctx, "the uploaded track to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+id+`') && !a.paused && a.currentTime > 1 })()`)
}

// TestBrowserUploadReload starts an upload, reloads the page when the
// server has half of it, picks the file again and checks that it resumes
// from the server's offset (not 0) and completes. Before the reload the
// page (with a small file done beside it) is the desktop screenshot.
func TestBrowserUploadReload(t *testing.T) {
	ul := newUploadLibrary(t)
	src := t.TempDir()
	big := noiseFLAC(t, src, "long take.flac", "Long Take", 40e6)
	playertest.Generate(t, src, playertest.Spec{Path: "short take.flac", Kind: playertest.FLAC, Seconds: 4,
		Tags: map[string]string{"title": "Short Take", "artist": "Field Tapes", "album": "Noise", "track": "2"}})
	bigSize := fileSize(t, big)
	rec := newUploadRecorder(New(ul.lib, Options{Logger: quietLogger()}).Handler(), bigSize/2)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	t.Cleanup(rec.open)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	pick(t, ctx, "#upload-input", filepath.Join(src, "short take.flac"), big)
	rec.waitGate(t, 30*time.Second)
	waitUntil(t, ctx, 20*time.Second, "the short file done", jsRowState("short take.flac", "done"))
	waitUntil(t, ctx, 5*time.Second, "the time left", `document.getElementById('up-total').textContent.endsWith(' left')`)
	screenshot(t, ctx, "upload-desktop.png")

	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	rec.open()
	waitUntil(t, ctx, 20*time.Second, "the unfinished upload listed after the reload", jsRowState("long take.flac", "pending"))
	if msg := eval[string](t, ctx, jsRowMsg("long take.flac")); !strings.HasPrefix(msg, "Pick the file again to resume") {
		t.Errorf("pending row says %q", msg)
	}
	auditUploads(t, ctx, "upload to resume", desktopSize, false)
	before, _ := rec.seen()
	pick(t, ctx, "#upload-input", big)
	waitUntil(t, ctx, 60*time.Second, "the resumed upload done", jsRowState("long take.flac", "done"))
	patches, _ := rec.seen()
	after := patches[len(before):]
	if len(after) == 0 || after[0].offset == 0 {
		t.Fatalf("after picking the file again the PATCHes started from %v, want an offset > 0", after)
	}
	t.Logf("resumed from %d of %d bytes", after[0].offset, bigSize)
	if got, w := sha256File(t, filepath.Join(ul.dir, "Field Tapes", "Noise", "01 Long Take.flac")), sha256File(t, big); got != w {
		t.Errorf("library copy sha256 %s, want %s", got, w)
	}
	if got := eval[string](t, ctx, `localStorage.getItem('earshot.uploads')`); got != "{}" {
		t.Errorf("localStorage keeps %q after the upload finished, want {}", got)
	}
}

// serveOn serves h on a new port of ip until the test ends and returns
// its base URL.
func serveOn(t *testing.T, ip string, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	t.Cleanup(func() { hs.Close() })
	return "http://" + l.Addr().String()
}

// ipLink sets a network interface up or down.
func ipLink(t *testing.T, ifc, state string) {
	t.Helper()
	if out, err := exec.Command("ip", "link", "set", ifc, state).CombinedOutput(); err != nil {
		t.Fatalf("ip link set %s %s: %v: %s", ifc, state, err, out)
	}
}

// fileSize returns the size of the file at p in bytes.
func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestBrowserUploadStall holds a PATCH's body on the server (no byte read,
// the connection open) until the page gives up on it: after 10 s without
// progress it aborts the request, the row says the connection was lost and
// retries; once the server reads again the upload goes on from the
// server's offset, not from 0, and completes.
func TestBrowserUploadStall(t *testing.T) {
	ul := newUploadLibrary(t)
	src := t.TempDir()
	file := noiseFLAC(t, src, "slow take.flac", "Slow Take", 30e6)
	size := fileSize(t, file)
	rec := newUploadRecorder(New(ul.lib, Options{Logger: quietLogger()}).Handler(), size/2)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	t.Cleanup(rec.open)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	pick(t, ctx, "#upload-input", file)
	rec.waitGate(t, 30*time.Second)
	held := time.Now()
	waitUntil(t, ctx, 30*time.Second, "the page to give up on the held PATCH", jsRowState("slow take.flac", "retrying"))
	if d := time.Since(held); d < 8*time.Second {
		t.Errorf("the page gave up %v after the server stopped reading, want about 10 s", d)
	}
	msg := eval[string](t, ctx, jsRowMsg("slow take.flac"))
	if !strings.HasPrefix(msg, "Connection lost at ") {
		t.Errorf("retrying row says %q", msg)
	}
	before, _ := rec.seen()
	rec.open()
	waitUntil(t, ctx, 60*time.Second, "the upload done", jsRowState("slow take.flac", "done"))
	patches, received := rec.seen()
	after := patches[len(before):]
	if len(after) == 0 || after[0].offset == 0 {
		t.Fatalf("after the stall the PATCHes started from %v, want an offset > 0", after)
	}
	for _, n := range received {
		if n >= size*3/2 {
			t.Errorf("server received %d bytes for a %d-byte file", n, size)
		}
	}
	t.Logf("gave up after the stall with %q; resumed from %d of %d bytes", msg, after[0].offset, size)
	if got, w := sha256File(t, filepath.Join(ul.dir, "Field Tapes", "Noise", "01 Slow Take.flac")), sha256File(t, file); got != w {
		t.Errorf("library copy sha256 %s, want %s", got, w)
	}
}

// TestBrowserUploadLostAnswer loses the answer of the PATCH that completes
// an upload (the connection closes instead of the 200): the page learns
// from the 404 of the finished upload and GET /api/uploads/{id} that the
// file is in the library, and says where, without sending it again (no
// second upload, no byte read twice).
func TestBrowserUploadLostAnswer(t *testing.T) {
	ul := newUploadLibrary(t)
	src := t.TempDir()
	playertest.Generate(t, src, playertest.Spec{Path: "last word.flac", Kind: playertest.FLAC, Seconds: 4,
		Tags: map[string]string{"title": "Last Word", "artist": "Cleo Vane", "album": "Sent Over", "track": "9"}})
	rec := newUploadRecorder(New(ul.lib, Options{Logger: quietLogger()}).Handler(), 0)
	rec.loseDone = true
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	file := filepath.Join(src, "last word.flac")
	pick(t, ctx, "#upload-input", file)
	waitUntil(t, ctx, 30*time.Second, "the upload done", jsRowState("last word.flac", "done"))
	if got, w := eval[string](t, ctx, jsRowMsg("last word.flac")), "Added to Cleo Vane / Sent Over / 09 Last Word.flac"; got != w {
		t.Errorf("row says %q, want %q", got, w)
	}
	patches, received := rec.seen()
	rec.mu.Lock()
	lost := rec.lost
	rec.mu.Unlock()
	// Chromium itself sends a PATCH whose connection closed unanswered once
	// more (a 404 now: the upload is finished); the page then asks GET.
	size := fileSize(t, file)
	if lost != 1 || len(received) != 1 {
		t.Errorf("%d answers lost, PATCHes %v to %d uploads; want 1 lost and one upload", lost, patches, len(received))
	}
	for path, n := range received {
		if n != size {
			t.Errorf("the server read %d bytes of %s for a %d-byte file: sent again", n, path, size)
		}
	}
	t.Logf("PATCHes: %v", patches)
	if got, w := sha256File(t, filepath.Join(ul.dir, "Cleo Vane", "Sent Over", "09 Last Word.flac")), sha256File(t, file); got != w {
		t.Errorf("library copy sha256 %s, want %s", got, w)
	}
}
