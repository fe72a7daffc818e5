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

// The timing of [Library.Watch]. A rescan starts once the folder has been
// quiet for watchQuiet, but no later than watchMaxDelay after the first
// change it covers, so that copying an album (dozens of files, each written
// in many chunks) costs a scan or two while a steady trickle of changes
// still shows up about once a second.
const (
	watchQuiet    = 300 * time.Millisecond
	watchMaxDelay = time.Second
	// watchRetry is how often Watch checks whether a scan it did not start
	// has ended. Polling is needed because a scan publishes ScanDone just
	// before it lets another scan start.
	watchRetry = 100 * time.Millisecond
)

// errFolderGone is returned by [Library.Watch] when the watched folder
// itself is deleted or renamed: nothing more can be observed there.
var errFolderGone = errors.New("library folder was deleted or renamed")

// Watch keeps the library up to date with src.Dir, the folder on disk, until
// ctx ends. It watches the folder and every subfolder (hidden folders, whose
// names start with ".", and symbolic links to folders are not followed, as
// in [Library.Scan]) and adds new subfolders as they appear. When an audio
// file, a cover image or a folder is created, written, removed, renamed or
// has its permissions changed, it runs [Library.Scan] of src, which reads
// only the files whose size or modification time changed. Changes are
// debounced: a scan starts after 300 ms without changes, and at most 1 s
// after the first one, so a change usually shows in the library 300 ms to
// 1 s after it was made, plus the time the scan takes (more when a scan was
// already running: the next one waits for it). A file still being written may be read half
// written; the writes that follow trigger another scan, which reads it again.
//
// Once the folders are watched, Watch runs one scan straight away, so that
// nothing changed between the caller's last scan and the start of watching
// is missed. Call it after the library holds src ([Library.Scan] or
// [Library.Restore] returned): a scan Watch starts makes a concurrent call of
// [Library.Scan] fail with [ErrAlreadyScanning]. When another scan is
// running, Watch waits for it to end and then scans, so that a file copied
// in during that scan is not missed.
//
// Watch returns nil when ctx ends, after its scan in progress (cancelled by
// ctx) has returned, and nil when the library has been switched to another
// source (its [Library.Name] is neither src.Name nor ""). It returns nil at
// once when src.Dir is "" (a source that is not a folder). It returns an
// error when the folder cannot be watched — the operating system has no
// watcher left (on Linux, fs.inotify.max_user_watches or
// max_user_instances), or the folder is unreadable — and when the folder
// itself is deleted or renamed. Watching is a convenience: the caller logs
// the error and the library stays usable, updated by explicit scans.
//
// A subfolder that cannot be watched (unreadable, or the watch limit
// reached while the library grows) is still scanned; only its later changes
// go unnoticed until another change triggers a scan.
func (l *Library) Watch(ctx context.Context, src Source) error {
	if src.Dir == "" {
		return nil
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", src.Dir, err)
	}
	defer fw.Close()
	root := filepath.Clean(src.Dir)
	// The scan follows a root that is a symbolic link (os.OpenRoot does), so
	// watch the folder it points at; event names then start with that path.
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	w := &watcher{lib: l, src: src, fw: fw, root: root, dirs: map[string]bool{}}
	if err := w.addTree(root); err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			// What inotify_add_watch(2) says when out of watches.
			return fmt.Errorf("watch %s: too many folders to watch (on Linux, raise the sysctl fs.inotify.max_user_watches): %w", src.Dir, err)
		}
		return fmt.Errorf("watch %s: %w", src.Dir, err)
	}
	if err := w.run(ctx); err != nil {
		return fmt.Errorf("watch %s: %w", src.Dir, err)
	}
	return nil
}

// watcher is the state of one [Library.Watch] call. Only its run goroutine
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
	return coverRank(base) > 0, nil
}

// run debounces file system events into scans until ctx ends.
func (w *watcher) run(ctx context.Context) error {
	var (
		dirty    = true // a scan is needed: the first one closes the gap before watching
		due      = true // the debounce delay has passed
		first    time.Time
		scanning bool // a scan started by run is in progress
		done     = make(chan error, 1)
		timer    = time.NewTimer(0)
	)
	timer.Stop()
	defer timer.Stop()
	// A scan in progress when run returns is cancelled, leaving the library
	// as it was, and waited for.
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
	// start begins a scan when one is needed and may start now; it reports
	// false when the library has switched to another source.
	start := func() bool {
		if !dirty {
			due = false // nothing to do: the next change arms the timer
			return true
		}
		if !due || scanning || ctx.Err() != nil {
			return true
		}
		if w.lib.scanning.Load() {
			timer.Reset(watchRetry)
			return true
		}
		if name := w.lib.Name(); name != "" && name != w.src.Name {
			return false
		}
		dirty, due, scanning = false, false, true
		go func() {
			_, err := w.lib.Scan(scanCtx, w.src)
			done <- err
		}()
		return true
	}

	if !start() {
		return nil
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
			if !start() {
				return nil
			}
		case err := <-done:
			scanning = false
			if errors.Is(err, ErrAlreadyScanning) {
				// Another scan began between the check and ours: scan again
				// once it has ended.
				dirty = true
				timer.Reset(watchRetry)
				continue
			}
			// A deleted folder sends no event of its own while the library
			// holds it open (os.Root does), but deleting its files did,
			// and the scan has just emptied the library.
			if _, err := os.Lstat(w.root); errors.Is(err, fs.ErrNotExist) {
				return errFolderGone
			}
			if !start() {
				return nil
			}
		}
	}
}
