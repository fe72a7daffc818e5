package player

import (
	"context"
	"earshot/player/probe"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The timing of the watch of [Library.Use]. A rescan starts once the folder
// has been quiet for watchQuiet, but no later than watchMaxDelay after the
// first change it covers, so that copying an album (dozens of files, each
// written in many chunks) costs a scan or two while a steady trickle of
// changes still shows up about once a second.
const (
	watchQuiet    = 300 * time.Millisecond
	watchMaxDelay = time.Second
)

// The backoff of [waitForPath] when no parent folder of the missing library
// can be watched (no watcher left, or a file system without change
// notification): it checks the path again after missingRetryMin, doubling
// up to missingRetryMax. This is the only timer-based check; it runs only
// in that fallback.
const (
	missingRetryMin = 250 * time.Millisecond
	missingRetryMax = 2 * time.Second
)

// errFolderGone is returned by [watcher.run] when the watched folder
// itself is deleted or renamed: nothing more can be observed there.
var errFolderGone = fmt.Errorf("library folder was deleted or renamed: %w", ErrFolderMissing)

// newWatcher watches src.Dir and every folder under it for [Library.Use]
// (hidden folders, whose names start with ".", and symbolic links to
// folders are not followed, as in [Library.Scan]). When an audio file, a
// cover image or a folder is then created, written, removed, renamed or has
// its permissions changed, [watcher.run] rescans src, which reads only the
// files whose size or modification time changed. A file still being
// written may be read half written; the writes that follow trigger another
// scan, which reads it again.
//
// It returns an error when the folder cannot be watched: the operating
// system has no watcher left (on Linux, fs.inotify.max_user_watches or
// max_user_instances), or the folder is unreadable or gone. A subfolder
// that cannot be watched is still scanned; only its later changes go
// unnoticed until another change triggers a scan.
func (l *Library) newWatcher(src Source) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", src.Dir, err)
	}
	root := filepath.Clean(src.Dir)
	// The scan follows a root that is a symbolic link (os.OpenRoot does), so
	// watch the folder it points at; event names then start with that path.
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	w := &watcher{lib: l, src: src, fw: fw, root: root, dirs: map[string]bool{}}
	// The parent folder tells when root is removed or renamed: root itself
	// does not while the library holds it open. Root's own events and the
	// scans' check cover a parent that cannot be watched.
	fw.Add(filepath.Dir(root))
	if err := w.addTree(root); err != nil {
		fw.Close()
		if errors.Is(err, syscall.ENOSPC) {
			// What inotify_add_watch(2) says when out of watches.
			return nil, fmt.Errorf("watch %s: too many folders to watch (on Linux, raise the sysctl fs.inotify.max_user_watches): %w", src.Dir, err)
		}
		return nil, fmt.Errorf("watch %s: %w", src.Dir, err)
	}
	return w, nil
}

// close stops watching.
func (w *watcher) close() {
	w.fw.Close()
}

// watcher is the watch of one [Library.Use] call. Only its run goroutine
// touches it.
type watcher struct {
	lib  *Library
	src  Source
	fw   *fsnotify.Watcher
	root string          // the watched folder, cleaned, symbolic links resolved
	dirs map[string]bool // the folders being watched, by path under root
}

// addTree watches dir and every folder under it, skipping hidden folders and
// not following symbolic links ([filepath.WalkDir] does not). A subfolder
// that vanished or cannot be read is skipped; any other failure to watch
// (the system's watch limit) and any failure on dir itself is returned.
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // unreadable: WalkDir does not descend into it
		}
		if !d.IsDir() {
			return nil
		}
		if p != w.root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err := w.fw.Add(p); err != nil {
			if p != dir && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)) {
				return filepath.SkipDir
			}
			return err
		}
		w.dirs[p] = true
		return nil
	})
}

// forget stops watching dir and the folders under it, after it was removed
// or renamed. Removing the watches matters for a rename: the operating
// system keeps watching the folder under its new name, and adding that
// name must make a new watch, not find the old one (fsnotify would report
// its events under the old name, then drop it).
func (w *watcher) forget(dir string) {
	prefix := dir + string(filepath.Separator)
	for p := range w.dirs {
		if p == dir || strings.HasPrefix(p, prefix) {
			w.fw.Remove(p) // fails when the system dropped it already
			delete(w.dirs, p)
		}
	}
}

// relevant reports whether ev may change the library, and starts watching a
// folder that ev shows was created. It returns [errFolderGone] when ev
// removes or renames the watched folder itself.
func (w *watcher) relevant(ev fsnotify.Event) (bool, error) {
	name := filepath.Clean(ev.Name)
	if name == w.root {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			return false, errFolderGone
		}
		return false, nil
	}
	rel, err := filepath.Rel(w.root, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false, nil
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") {
			return false, nil // hidden, like the scan
		}
	}
	if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Chmod) {
		// A new folder, or one that became readable: watch it and what is
		// in it already (files written before the watch was added are found
		// by the scan this change triggers). Lstat, so links are not followed.
		if info, err := os.Lstat(name); err == nil && info.IsDir() {
			if ev.Has(fsnotify.Create) || !w.dirs[name] {
				w.forget(name)
				w.addTree(name) // on failure, the scan still reads the folder
			}
			return true, nil
		}
	}
	if w.dirs[name] {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			w.forget(name)
		}
		return true, nil
	}
	base := filepath.Base(name)
	if _, ok := probe.FormatOf(base); ok {
		return true, nil
	}
	return coverRank(base) > 0 || isSideFile(base), nil
}

// run debounces file system events into scans until ctx ends, and returns
// nil then, after its scan in progress (cancelled by ctx) has returned. A
// change usually shows in the library 300 ms to 1 s after it was made, plus
// the time the scan takes; a scan of [Library.Scan] running meanwhile makes
// the next one wait for it, so that a file copied in during that scan is
// not missed. It returns [errFolderGone] when the folder itself is deleted
// or renamed, or a scan finds it gone ([ErrFolderMissing]).
func (w *watcher) run(ctx context.Context) error {
	var (
		dirty    bool // a change is waiting for a scan
		due      bool // the debounce delay has passed
		first    time.Time
		scanning bool // a scan started by run is in progress
		done     = make(chan error, 1)
		timer    = time.NewTimer(0)
	)
	timer.Stop() // (an unreferenced timer is collected, stopped or not)
	// A scan in progress when run returns is cancelled, and waited for.
	scanCtx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		if scanning {
			<-done
		}
	}()

	// mark records a change and (re)arms the debounce timer.
	mark := func() {
		now := time.Now()
		if !dirty {
			dirty, first = true, now
		}
		if due {
			return // already waiting for a scan to end
		}
		timer.Reset(max(0, min(watchQuiet, first.Add(watchMaxDelay).Sub(now))))
	}
	// start begins a scan when one is needed and none of run's is running.
	start := func() {
		if !dirty {
			due = false // nothing to do: the next change arms the timer
			return
		}
		if !due || scanning {
			return
		}
		dirty, due, scanning = false, false, true
		go w.scanInto(scanCtx, done)
	}

	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			changed, err := w.relevant(ev)
			if err != nil {
				return err
			}
			if changed {
				mark()
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost, new folders among them perhaps.
				w.addTree(w.root)
				mark()
			}
		case <-timer.C:
			due = true
			start()
		case err := <-done:
			scanning = false
			if errors.Is(err, ErrFolderMissing) {
				return errFolderGone
			}
			start()
		}
	}
}

// scanInto scans the watched source, waiting for a scan of
// [Library.Scan] to end first, and sends the scan's error to done.
func (w *watcher) scanInto(ctx context.Context, done chan<- error) {
	_, err := w.lib.ownScan(ctx, w.src)
	done <- err
}

// waitForPath returns nil once ready reports true, which it calls at first
// and then once the folders around dir have been quiet for watchQuiet after
// a change (a drive's folder is made, then mounted on: checking at once
// would find it empty), and ctx's error when ctx ends first. It watches the
// nearest existing parent folder of dir, moving its watch down as the
// missing folders reappear (or up, when the parent goes too). Only when no
// parent can be watched does it call ready after a delay instead, backing
// off from missingRetryMin to missingRetryMax.
func waitForPath(ctx context.Context, dir string, ready func() bool) error {
	var events <-chan fsnotify.Event // nil, never ready, without a watcher
	var errs <-chan error
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		fw = nil // fall back on checking after a delay
	} else {
		defer fw.Close()
		events, errs = fw.Events, fw.Errors
	}
	watched, retry := "", missingRetryMin
	quiet := time.NewTimer(0)
	quiet.Stop()
	for {
		if ready() {
			return nil
		}
		if parent := nearestFolder(dir); fw != nil && parent != watched {
			if watched != "" {
				fw.Remove(watched) // fails when the folder went, taking its watch
			}
			watched = ""
			if parent != "" && fw.Add(parent) == nil {
				watched = parent
				continue // check again: dir may have come before the watch
			}
		}
		if watched == "" {
			quiet.Reset(retry)
			retry = min(2*retry, missingRetryMax)
		}
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case ev := <-events:
				if filepath.Clean(ev.Name) == watched && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
					watched, waiting = "", false // its watch is gone with it: watch again
					quiet.Stop()
				} else {
					quiet.Reset(watchQuiet)
				}
			case <-errs: // events lost
				quiet.Reset(watchQuiet)
			case <-quiet.C:
				waiting = false
			}
		}
	}
}
