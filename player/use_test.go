package player_test

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// comeBackDeadline is how soon after its folder is back at its path a
// library must show a file added to it: "within a few seconds".
const comeBackDeadline = 5 * time.Second

// waitEvent waits up to d for an event of kind, failing t otherwise.
func waitEvent(t *testing.T, events <-chan player.Event, kind player.EventKind, d time.Duration, what string) player.Event {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case e := <-events:
			if e.Kind == kind {
				return e
			}
		case <-deadline:
			t.Fatalf("no event of kind %d within %v: %s", kind, d, what)
		}
	}
}

// TestUseFolderComesBack takes a library's folder away and puts it back:
// the library must keep its tracks and say the folder is missing meanwhile,
// then rescan and watch the folder at its path again by itself, so that a
// file copied in afterwards shows. Before Use, the watch ended for good.
func TestUseFolderComesBack(t *testing.T) {
	tests := []struct {
		name string
		away func(t *testing.T, dir string)
		back func(t *testing.T, dir string)
	}{
		{"renamed and renamed back", func(t *testing.T, dir string) {
			mustDo(t, os.Rename(dir, dir+"-x"))
		}, func(t *testing.T, dir string) {
			mustDo(t, os.Rename(dir+"-x", dir))
		}},
		{"deleted and made again", func(t *testing.T, dir string) {
			mustDo(t, os.RemoveAll(dir))
		}, func(t *testing.T, dir string) {
			write(t, dir, "x.wav", playertest.WAV(10))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := filepath.Join(t.TempDir(), "music")
			dir := filepath.Join(parent, "lib")
			write(t, dir, "x.wav", playertest.WAV(10))
			w := startWatch(t, dir, nil)
			before := map[string]trackState{"x.wav": wav(10)}
			if got := libraryState(w.lib); !maps.Equal(got, before) {
				t.Fatalf("library %v, want %v", got, before)
			}

			tt.away(t, dir)
			waitEvent(t, w.events, player.FolderMissing, watchDeadline, "folder taken away")
			if st := w.lib.Status(); !st.Missing {
				t.Errorf("Status().Missing = false while the folder is gone")
			}
			if got := libraryState(w.lib); !maps.Equal(got, before) {
				t.Errorf("library %v while its folder is gone, want the cached %v", got, before)
			}
			if _, _, err := w.lib.Open(player.TrackID("x.wav")); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, player.ErrFolderMissing) {
				t.Errorf("Open while the folder is gone: %v, want fs.ErrNotExist and ErrFolderMissing", err)
			}

			tt.back(t, dir)
			start := time.Now()
			waitEvent(t, w.events, player.FolderFound, comeBackDeadline, "folder back")
			write(t, dir, "A/new.wav", playertest.WAV(20))
			latency, _ := w.waitStateWithin(t, start, comeBackDeadline, map[string]trackState{"x.wav": wav(10), "A/new.wav": wav(20)})
			t.Logf("new file shown %d ms after the folder came back", latency.Milliseconds())
			if st := w.lib.Status(); st.Missing {
				t.Errorf("Status().Missing = true after the folder came back")
			}
			f, _, err := w.lib.Open(player.TrackID("A/new.wav"))
			if err != nil {
				t.Fatalf("Open after the folder came back: %v", err)
			}
			f.Close()
		})
	}
}

// TestUseRenameRoundTrip is the report as a shell would do it, with
// nothing waiting between the steps: mv lib lib-x; mv lib-x lib; cp new
// lib/A/. The new file must show.
func TestUseRenameRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib")
	write(t, dir, "x.wav", playertest.WAV(10))
	w := startWatch(t, dir, nil)
	mustDo(t, os.Rename(dir, dir+"-x"))
	mustDo(t, os.Rename(dir+"-x", dir))
	start := time.Now()
	write(t, dir, "A/new.wav", playertest.WAV(20))
	w.waitStateWithin(t, start, comeBackDeadline, map[string]trackState{"x.wav": wav(10), "A/new.wav": wav(20)})
}

// waitStateWithin is [watched.waitState] with deadline d instead of
// watchDeadline.
func (w *watched) waitStateWithin(t *testing.T, since time.Time, d time.Duration, want map[string]trackState) (time.Duration, int) {
	t.Helper()
	deadline := time.NewTimer(time.Until(since.Add(d)))
	defer deadline.Stop()
	scans := 0
	for {
		select {
		case e := <-w.events:
			switch e.Kind {
			case player.ScanStarted:
				scans++
			case player.ScanDone:
				if maps.Equal(libraryState(w.lib), want) {
					return time.Since(since), scans
				}
			}
		case <-deadline.C:
			t.Fatalf("after %v the library holds %v, want %v", d, libraryState(w.lib), want)
		}
	}
}

// TestUseMissingAtStart uses a source whose folder is not at its path:
// Use says so, keeps waiting, and returns nil when its context ends.
func TestUseMissingAtStart(t *testing.T) {
	src := player.Source{Name: "gone", FS: fstest.MapFS{"a.wav": {Data: playertest.WAV(10)}}, Dir: filepath.Join(t.TempDir(), "missing")}
	lib := player.New(player.Options{})
	events, unsubscribe := lib.Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- lib.Use(ctx, src) }()
	waitEvent(t, events, player.FolderMissing, watchDeadline, "Use of a missing folder")
	if lib.Len() != 0 {
		t.Errorf("a scan of a missing folder filled the library with %d tracks", lib.Len())
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Use returned %v, want nil", err)
		}
	case <-time.After(watchDeadline):
		t.Fatalf("Use did not return within %v of its context ending", watchDeadline)
	}
}

// TestUseStops checks when Use returns, and with what: nil when its context
// ends or the next Use replaces it, for a folder and for a source that is
// not one, and the first scan's error.
func TestUseStops(t *testing.T) {
	tests := []struct {
		name    string
		src     func(t *testing.T) player.Source
		stop    func(t *testing.T, lib *player.Library, cancel context.CancelFunc)
		wantErr error
	}{
		{"not a folder, context ends", func(t *testing.T) player.Source {
			return player.Source{Name: "Demo library", FS: fstest.MapFS{"a.wav": {Data: playertest.WAV(10)}}}
		}, func(t *testing.T, lib *player.Library, cancel context.CancelFunc) { cancel() }, nil},
		{"folder, context ends", folderSource,
			func(t *testing.T, lib *player.Library, cancel context.CancelFunc) { cancel() }, nil},
		{"folder, replaced by another Use", folderSource, func(t *testing.T, lib *player.Library, cancel context.CancelFunc) {
			other := player.Source{Name: "other", FS: fstest.MapFS{"b.wav": {Data: playertest.WAV(20)}}}
			ctx, cancel2 := context.WithCancel(context.Background())
			t.Cleanup(cancel2)
			go lib.Use(ctx, other)
		}, nil},
		{"no files to scan", func(t *testing.T) player.Source {
			return player.Source{Name: "nothing"}
		}, nil, errors.New("no library source")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src(t)
			lib := player.New(player.Options{})
			events, unsubscribe := lib.Subscribe()
			defer unsubscribe()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errc := make(chan error, 1)
			go func() { errc <- lib.Use(ctx, src) }()
			if tt.stop != nil {
				waitScanDone(t, events, "Use's first scan")
				tt.stop(t, lib, cancel)
			}
			select {
			case err := <-errc:
				if (err == nil) != (tt.wantErr == nil) || (err != nil && err.Error() != tt.wantErr.Error()) {
					t.Errorf("Use returned %v, want %v", err, tt.wantErr)
				}
			case <-time.After(watchDeadline):
				t.Fatalf("Use did not return within %v", watchDeadline)
			}
		})
	}
}

// TestUseReplaces makes a second Use while the first one's scan is held:
// the first is cancelled and returns nil, its scan and the second's never
// overlap, and the library ends up holding the second source only.
func TestUseReplaces(t *testing.T) {
	slow := playertest.WAV(4321)
	gate := newGateTags(int64(len(slow)))
	lib := player.New(player.Options{Tags: gate})
	first := player.Source{Name: "first", FS: fstest.MapFS{"slow.wav": {Data: slow}}}
	second := player.Source{Name: "second", FS: fstest.MapFS{"b.wav": {Data: playertest.WAV(20)}}}
	events, unsubscribe := lib.Subscribe()
	defer unsubscribe()
	firstDone := make(chan error, 1)
	go func() { firstDone <- lib.Use(context.Background(), first) }()
	gate.wait(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go lib.Use(ctx, second)
	close(gate.release)
	select {
	case err := <-firstDone:
		if err != nil {
			t.Errorf("replaced Use returned %v, want nil", err)
		}
	case <-time.After(watchDeadline):
		t.Fatalf("the first Use did not return within %v of being replaced", watchDeadline)
	}
	running := 0
	for done := false; !done; {
		select {
		case e := <-events:
			switch e.Kind {
			case player.ScanStarted:
				if running++; running > 1 {
					t.Fatalf("a scan of %q started while another ran", e.Source)
				}
			case player.ScanDone:
				running--
				done = e.Source == "second"
			}
		case <-time.After(watchDeadline):
			t.Fatalf("no ScanDone of the second source within %v", watchDeadline)
		}
	}
	if got, want := libraryState(lib), map[string]trackState{"b.wav": wav(20)}; lib.Name() != "second" || !maps.Equal(got, want) {
		t.Errorf("library %q holds %v, want %q with %v", lib.Name(), got, "second", want)
	}
}

// mustDo fails t at once on err.
func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestUseEmptyFolderRemoved removes a library folder that holds nothing:
// no file event comes before it, yet Use must notice.
func TestUseEmptyFolderRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib")
	mustDo(t, os.Mkdir(dir, 0o755))
	w := startWatch(t, dir, nil)
	mustDo(t, os.Remove(dir))
	waitEvent(t, w.events, player.FolderMissing, watchDeadline, "empty folder removed")
	write(t, dir, "a.wav", playertest.WAV(10))
	w.waitStateWithin(t, time.Now(), comeBackDeadline, map[string]trackState{"a.wav": wav(10)})
}
