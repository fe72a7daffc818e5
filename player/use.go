package player

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// ErrFolderMissing is returned by [Library.Scan] when the library folder is
// no longer at its path (src.Dir): deleted, renamed, or its drive
// unmounted. The library is left as it was.
var ErrFolderMissing = errors.New("library folder is missing")

// ErrNotWatched is wrapped by the error [Library.Use] returns when it scanned
// the folder but cannot watch it for changes (the operating system has no
// watcher left, or the folder is unreadable). The library stays usable,
// updated by explicit scans.
var ErrNotWatched = errors.New("not watching the library folder for changes")

// lifecycle is the state of [Library.Use]: the call in progress, which the
// next one cancels and waits for, and whether its folder is missing. The
// zero value is ready.
type lifecycle struct {
	mu     sync.Mutex
	cancel context.CancelFunc // cancels the call in progress; nil for none
	done   chan struct{}      // closed when that call has returned
	// missing is set while the folder of the call in progress is gone.
	missing atomic.Bool
	scans   scanGuard
}

// Use makes src the library's source for as long as ctx lasts: it shows
// what the library's [Index] kept of src at once (when the library does not
// hold src already; a [Restored] event says so when the index kept tracks
// of it, or why it could not be read), then watches src.Dir and
// scans it, and rescans whenever something in it changes (see [watcher]),
// until ctx ends or the next call of Use. That call cancels this one and
// waits for it to return before it starts, so one call at a time owns the
// library's scans and watch. A call whose ctx has already ended returns nil
// at once and leaves the call in progress alone: a caller that cancels its
// last call's ctx before making the next call from a new goroutine gets
// the newest source in use, whatever order the goroutines run in.
//
// Progress is published to [Library.Subscribe]rs: ScanStarted, ScanProgress
// and ScanDone for each scan. When the folder disappears (deleted, renamed,
// a drive unmounted), the library keeps its tracks, [Status].Missing is set
// and a [FolderMissing] event is sent; Use then waits for a folder to be at
// src.Dir again (watching the nearest existing parent folder), opens it
// anew — a handle on the old folder would follow it wherever it was moved
// — sends [FolderFound], rescans and watches again. A source with no
// folder (src.Dir is "") is scanned once, then held until ctx ends.
//
// Use returns nil when ctx ends or the next call replaces it, after its
// scan in progress has returned (cancelled, the library unchanged). It
// returns the first scan's error, other than a missing folder, and an
// error wrapping [ErrNotWatched] when the folder was scanned but cannot be
// watched. Scans made by [Library.Scan] meanwhile either wait for Use's
// scan or make Use's next scan wait: they never run at once.
func (l *Library) Use(ctx context.Context, src Source) error {
	ctx, end, ok := l.life.begin(ctx)
	if !ok {
		return nil
	}
	defer end()
	if l.Name() != src.Name {
		if n, err := l.Restore(src); n > 0 || err != nil {
			l.publish(Event{Kind: Restored, Source: src.Name, Tracks: n, Err: err})
		}
	}
	for {
		err := l.follow(ctx, src)
		if ctx.Err() != nil {
			return nil
		}
		if !errors.Is(err, ErrFolderMissing) {
			return err
		}
		if src, err = l.awaitFolder(ctx, src); err != nil {
			return nil // ctx ended while the folder was missing
		}
	}
}

// begin cancels the call of [Library.Use] in progress, waits for it to end,
// and makes the caller's the one in progress, with a context derived from
// parent that the next call cancels. It reports false, changing nothing,
// when parent has ended. The caller calls end when it returns.
func (lc *lifecycle) begin(parent context.Context) (ctx context.Context, end func(), ok bool) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	lc.mu.Lock()
	if parent.Err() != nil {
		lc.mu.Unlock()
		cancel()
		return nil, nil, false
	}
	prevCancel, prevDone := lc.cancel, lc.done
	lc.cancel, lc.done = cancel, done
	lc.mu.Unlock()
	if prevCancel != nil {
		prevCancel()
		<-prevDone
	}
	return ctx, func() {
		cancel()
		lc.missing.Store(false)
		close(done)
	}, true
}

// follow watches src's folder, scans it once the watches are in place (so
// that no change after the scan is missed), then rescans on changes until
// ctx ends. It returns an error wrapping [ErrFolderMissing] when the folder
// disappears, the first scan's other errors, and errors wrapping
// [ErrNotWatched].
func (l *Library) follow(ctx context.Context, src Source) error {
	var w *watcher
	var watchErr error
	if src.Dir != "" {
		w, watchErr = l.newWatcher(src)
		if w != nil {
			defer w.close()
		}
	}
	if _, err := l.ownScan(ctx, src); err != nil {
		return err
	}
	switch {
	case watchErr != nil:
		if !present(src) {
			return fmt.Errorf("%w: %v", ErrFolderMissing, watchErr)
		}
		return fmt.Errorf("%w: %w", ErrNotWatched, watchErr)
	case w == nil: // not a folder: nothing to watch
		<-ctx.Done()
		return nil
	}
	return w.run(ctx)
}

// ownScan scans src for [Library.Use], first waiting for a scan that
// [Library.Scan] is running to end.
func (l *Library) ownScan(ctx context.Context, src Source) (Report, error) {
	if err := l.life.scans.wait(ctx); err != nil {
		return Report{}, err
	}
	defer l.life.scans.end()
	return l.scan(ctx, src)
}

// awaitFolder marks the library's folder missing and waits until a folder
// that opens is at src.Dir again, then returns the new source (named as
// src), marked found. It returns ctx's error when ctx ends first.
func (l *Library) awaitFolder(ctx context.Context, src Source) (Source, error) {
	l.life.missing.Store(true)
	l.publish(Event{Kind: FolderMissing, Source: src.Name})
	var back Source
	err := waitForPath(ctx, src.Dir, func() bool {
		s, err := OpenFolder(src.Dir)
		back = s
		return err == nil
	})
	if err != nil {
		return src, err
	}
	back.Name = src.Name
	l.mu.Lock()
	if l.src.Name == src.Name {
		l.src = back // serve from the folder at its path from now on
	}
	l.mu.Unlock()
	l.life.missing.Store(false)
	l.publish(Event{Kind: FolderFound, Source: src.Name})
	return back, nil
}

// present reports whether src's folder is still at its path: src.Dir
// exists and, for a source from [OpenFolder], is the folder src's handle
// was opened on (not a new one made there, nor the old one moved away).
// It is true for a source with no folder.
func present(src Source) bool {
	if src.Dir == "" {
		return true
	}
	at, err := os.Stat(src.Dir)
	if err != nil || !at.IsDir() {
		return false
	}
	if src.root == nil {
		return true
	}
	held, err := src.root.Stat(".")
	return err == nil && os.SameFile(at, held)
}

// checkPresent returns an error wrapping [ErrFolderMissing] when src's
// folder is no longer at its path (see [present]).
func checkPresent(src Source) error {
	if present(src) {
		return nil
	}
	return fmt.Errorf("%s: %w", src.Dir, ErrFolderMissing)
}

// nearestFolder returns the nearest folder that exists among dir's parents
// (dir itself excluded), or "" when there is none.
func nearestFolder(dir string) string {
	for p := filepath.Dir(filepath.Clean(dir)); ; p = filepath.Dir(p) {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			return p
		}
		if filepath.Dir(p) == p {
			return ""
		}
	}
}

// scanGuard lets one scan run at a time: [Library.Scan] refuses to start
// beside another ([ErrAlreadyScanning]), the scans of [Library.Use] wait.
// The zero value is ready.
type scanGuard struct {
	mu      sync.Mutex
	running bool
	ended   chan struct{} // closed when the running scan ends
}

// tryStart starts a scan and reports true, or reports false when one runs.
func (g *scanGuard) tryStart() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running {
		return false
	}
	g.running, g.ended = true, make(chan struct{})
	return true
}

// wait starts a scan once the running one, if any, has ended; it returns
// ctx's error when ctx ends first.
func (g *scanGuard) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		if !g.running {
			g.running, g.ended = true, make(chan struct{})
			g.mu.Unlock()
			return nil
		}
		ended := g.ended
		g.mu.Unlock()
		select {
		case <-ended:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// end ends the scan started by tryStart or wait.
func (g *scanGuard) end() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running = false
	close(g.ended)
}

// busy reports whether a scan is running.
func (g *scanGuard) busy() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running
}
