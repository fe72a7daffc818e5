package player_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// watchDeadline is how soon a change on disk must show in the library.
const watchDeadline = 2 * time.Second

// trackState is what the watch tests check of a track: its size in bytes
// and whether it has cover art.
type trackState struct {
	size  int64
	cover bool
}

// wav returns the size of playertest.WAV(n) with no cover.
func wav(n int) trackState { return trackState{size: int64(44 + n)} }

// libraryState returns the library's tracks by slash path.
func libraryState(lib *player.Library) map[string]trackState {
	m := map[string]trackState{}
	for _, tr := range lib.Tracks() {
		m[tr.Path] = trackState{tr.Size, tr.HasCover}
	}
	return m
}

// watched is a library whose folder is in use: watched by [Library.Use].
type watched struct {
	lib    *player.Library
	src    player.Source
	dir    string
	events <-chan player.Event // subscribed before Use started
	errc   chan error          // receives Use's result
	cancel context.CancelFunc
}

// startWatch starts Use of dir in a new library reading tags with tags (nil
// for the default), subscribed to its events, and waits for Use's first
// scan, made once its watches are in place. The test's cleanup stops Use
// and checks that it returned nil.
func startWatch(t *testing.T, dir string, tags probe.TagReader) *watched {
	t.Helper()
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if tags != nil {
		lib = player.New(player.Options{Tags: tags})
	}
	w := launchWatch(t, lib, src)
	waitScanDone(t, w.events, "Use's first scan")
	return w
}

// launchWatch subscribes to lib and starts Use(ctx, src) in a goroutine.
func launchWatch(t *testing.T, lib *player.Library, src player.Source) *watched {
	t.Helper()
	events, unsubscribe := lib.Subscribe()
	t.Cleanup(unsubscribe)
	ctx, cancel := context.WithCancel(context.Background())
	w := &watched{lib: lib, src: src, dir: src.Dir, events: events, errc: make(chan error, 1), cancel: cancel}
	go func() { w.errc <- lib.Use(ctx, src) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-w.errc:
			if err != nil {
				t.Errorf("Use returned %v after its context ended, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Use did not return within 5 s of its context ending")
		}
	})
	return w
}

// waitScanDone waits up to watchDeadline for a ScanDone event.
func waitScanDone(t *testing.T, events <-chan player.Event, what string) {
	t.Helper()
	deadline := time.After(watchDeadline)
	for {
		select {
		case e := <-events:
			if e.Kind == player.ScanDone {
				return
			}
		case <-deadline:
			t.Fatalf("no ScanDone within %v for %s", watchDeadline, what)
		}
	}
}

// waitState waits for ScanDone events until the library holds exactly want,
// failing t when none does within watchDeadline of since. It returns the
// time from since to that event and the number of scans started meanwhile.
func (w *watched) waitState(t *testing.T, since time.Time, want map[string]trackState) (time.Duration, int) {
	t.Helper()
	return w.waitStateWithin(t, since, watchDeadline, want)
}

// write writes data to the file at the slash path name under dir, creating
// its folders.
func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWatchSeesChanges makes changes one after another in a watched folder
// and checks that each shows in the library within watchDeadline.
func TestWatchSeesChanges(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "old.wav", playertest.WAV(500))
	w := startWatch(t, dir, nil)
	at := func(names ...string) string { return filepath.Join(append([]string{dir}, names...)...) }
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name   string
		change func()
		want   map[string]trackState
	}{
		{"add a file", func() { write(t, dir, "a.wav", playertest.WAV(1000)) },
			map[string]trackState{"old.wav": wav(500), "a.wav": wav(1000)}},
		{"rewrite it", func() { write(t, dir, "a.wav", playertest.WAV(3000)) },
			map[string]trackState{"old.wav": wav(500), "a.wav": wav(3000)}},
		{"rename it", func() { must(os.Rename(at("a.wav"), at("b.wav"))) },
			map[string]trackState{"old.wav": wav(500), "b.wav": wav(3000)}},
		{"delete it", func() { must(os.Remove(at("b.wav"))) },
			map[string]trackState{"old.wav": wav(500)}},
		{"new folder with a file", func() { write(t, dir, "Album/c.wav", playertest.WAV(700)) },
			map[string]trackState{"old.wav": wav(500), "Album/c.wav": wav(700)}},
		{"new nested folders", func() { write(t, dir, "x/y/z/d.wav", playertest.WAV(800)) },
			map[string]trackState{"old.wav": wav(500), "Album/c.wav": wav(700), "x/y/z/d.wav": wav(800)}},
		{"file in a new folder's subfolder", func() { write(t, dir, "x/y/e.wav", playertest.WAV(900)) },
			map[string]trackState{"old.wav": wav(500), "Album/c.wav": wav(700), "x/y/z/d.wav": wav(800), "x/y/e.wav": wav(900)}},
		{"cover image", func() { write(t, dir, "Album/cover.jpg", []byte("\xff\xd8\xff\xe0 jpeg")) },
			map[string]trackState{"old.wav": wav(500), "Album/c.wav": {744, true}, "x/y/z/d.wav": wav(800), "x/y/e.wav": wav(900)}},
		{"rename a folder", func() { must(os.Rename(at("Album"), at("Album 2"))) },
			map[string]trackState{"old.wav": wav(500), "Album 2/c.wav": {744, true}, "x/y/z/d.wav": wav(800), "x/y/e.wav": wav(900)}},
		{"file in the renamed folder", func() { write(t, dir, "Album 2/f.wav", playertest.WAV(600)) },
			map[string]trackState{"old.wav": wav(500), "Album 2/c.wav": {744, true}, "Album 2/f.wav": {644, true}, "x/y/z/d.wav": wav(800), "x/y/e.wav": wav(900)}},
		{"move a folder out", func() { must(os.Rename(at("x"), filepath.Join(t.TempDir(), "x"))) },
			map[string]trackState{"old.wav": wav(500), "Album 2/c.wav": {744, true}, "Album 2/f.wav": {644, true}}},
		{"delete a folder", func() { must(os.RemoveAll(at("Album 2"))) },
			map[string]trackState{"old.wav": wav(500)}},
		{"move a folder in", func() {
			outside := filepath.Join(t.TempDir(), "In")
			write(t, outside, "g.wav", playertest.WAV(400))
			must(os.Rename(outside, at("In")))
		}, map[string]trackState{"old.wav": wav(500), "In/g.wav": wav(400)}},
		{"file in the moved-in folder", func() { write(t, dir, "In/h.wav", playertest.WAV(300)) },
			map[string]trackState{"old.wav": wav(500), "In/g.wav": wav(400), "In/h.wav": wav(300)}},
	}
	for _, s := range steps {
		s.change()
		latency, scans := w.waitState(t, time.Now(), s.want)
		t.Logf("%-32s shown after %4d ms (%d scans)", s.name, latency.Milliseconds(), scans)
	}
}

// TestWatchBurst copies 50 files into a new folder at once: all must show,
// after only a few scans thanks to the debounce.
func TestWatchBurst(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, nil)
	start := time.Now()
	want := map[string]trackState{}
	for i := range 50 {
		name := fmt.Sprintf("Burst/%02d.wav", i)
		write(t, dir, name, playertest.WAV(1000+i))
		want[name] = wav(1000 + i)
	}
	copied := time.Since(start)
	latency, scans := w.waitState(t, start, want)
	t.Logf("50 files copied in %d ms, all shown after %d ms, %d scans", copied.Milliseconds(), latency.Milliseconds(), scans)
	if scans > 5 {
		t.Errorf("%d scans ran for one burst of 50 files, want at most 5", scans)
	}
}

// TestWatchTrickle writes a file every 100 ms for 3 s, so the folder is
// never quiet for the 300 ms debounce: the first file must still show
// within 2 s, while the trickle goes on.
func TestWatchTrickle(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, nil)
	stop := make(chan struct{})
	written := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(written)
		tick := time.NewTicker(100 * time.Millisecond) // the pace of the trickle
		defer tick.Stop()
		for i := 0; ; i++ {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("t%02d.wav", i)), playertest.WAV(100+i), 0o644); err != nil {
				t.Error(err)
				return
			}
			select {
			case <-stop:
				return
			case <-tick.C:
				if time.Since(start) > 3*time.Second {
					return
				}
			}
		}
	}()
	defer func() {
		close(stop)
		<-written
	}()
	deadline := time.After(watchDeadline)
	for {
		select {
		case e := <-w.events:
			if e.Kind != player.ScanDone {
				continue
			}
			if _, ok := libraryState(w.lib)["t00.wav"]; ok {
				t.Logf("first file of the trickle shown after %d ms", time.Since(start).Milliseconds())
				return
			}
		case <-deadline:
			t.Fatalf("first file of a steady trickle not shown within %v", watchDeadline)
		}
	}
}

// gateTags reads no tags. Reading a file of exactly size bytes blocks until
// release is closed, after a send on entered: a scan that reaches that
// file then holds the library's scan for as long as the test wants.
type gateTags struct {
	size    int64
	entered chan struct{}
	release chan struct{}
}

func newGateTags(size int64) *gateTags {
	return &gateTags{size: size, entered: make(chan struct{}, 1), release: make(chan struct{})}
}

func (g *gateTags) ReadTags(r io.ReadSeeker) (probe.Tags, error) {
	if n, err := r.Seek(0, io.SeekEnd); err == nil && n == g.size {
		select {
		case g.entered <- struct{}{}:
		default:
		}
		<-g.release
	}
	return probe.Tags{}, probe.ErrNoTags
}

// wait waits up to watchDeadline for a scan to block on the gate.
func (g *gateTags) wait(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(watchDeadline):
		t.Fatalf("no scan reached the slow file within %v", watchDeadline)
	}
}

// TestWatchDuringScan checks that a file added while a scan runs, and
// missed by it, shows once that scan ends: whether the scan is Use's own
// or another caller's that was running when Use started.
func TestWatchDuringScan(t *testing.T) {
	slow := playertest.WAV(4321)
	tests := []struct {
		name string
		// scanning makes a scan block on the gate, then returns.
		scanning func(t *testing.T, dir string, gate *gateTags) *watched
	}{
		{"Use's own scan", func(t *testing.T, dir string, gate *gateTags) *watched {
			w := startWatch(t, dir, gate)
			write(t, dir, "slow.wav", slow)
			gate.wait(t)
			return w
		}},
		{"a scan running when Use starts", func(t *testing.T, dir string, gate *gateTags) *watched {
			write(t, dir, "slow.wav", slow)
			src, err := player.OpenFolder(dir)
			if err != nil {
				t.Fatal(err)
			}
			lib := player.New(player.Options{Tags: gate})
			scanned := make(chan error, 1)
			go func() {
				_, err := lib.Scan(context.Background(), src)
				scanned <- err
			}()
			t.Cleanup(func() {
				if err := <-scanned; err != nil {
					t.Errorf("Scan: %v", err)
				}
			})
			gate.wait(t)
			return launchWatch(t, lib, src)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gate := newGateTags(int64(len(slow)))
			w := tt.scanning(t, dir, gate)
			write(t, dir, "new.wav", playertest.WAV(100))
			close(gate.release)
			latency, _ := w.waitState(t, time.Now(), map[string]trackState{"slow.wav": wav(4321), "new.wav": wav(100)})
			t.Logf("shown %d ms after the scan was released", latency.Milliseconds())
		})
	}
}

// folderSource returns a Source for a new folder holding one file.
func folderSource(t *testing.T) player.Source {
	dir := filepath.Join(t.TempDir(), "lib")
	write(t, dir, "x.wav", playertest.WAV(10))
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}
