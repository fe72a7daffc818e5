package player

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"time"

	"earshot/player/probe"
)

// walkResult is what the directory walk found besides the audio files it
// hands to its caller: the best cover image per folder (slash paths), the
// cue sheets, lyrics and playlist files, and what could not be read.
type walkResult struct {
	covers map[string]string
	side   sideFiles
	errs   []error
}

// foundFile is an audio file seen by the walk, with the size (bytes) and
// modification time that decide whether a rescan must read it again.
type foundFile struct {
	path    string
	size    int64
	modTime time.Time
}

// findAudio walks fsys for supported audio files, calling onFile with each
// as it is found, and for folder cover images. Unreadable folders are recorded and skipped; only ctx ending, or the root
// itself being unreadable, stops the walk with an error.
func findAudio(ctx context.Context, fsys fs.FS, onFile func(foundFile)) (walkResult, error) {
	res := walkResult{covers: map[string]string{}}
	_, rawNames := fsys.(rootFiles)
	// Folders are read ahead on GOMAXPROCS goroutines, except those the
	// walk skips (hidden ones, and names not UTF-8 where unopenable).
	readAhead := func(p string, d fs.DirEntry) bool {
		return !strings.HasPrefix(d.Name(), ".") && (rawNames || fs.ValidPath(p))
	}
	err := walkDir(ctx, fsys, runtime.GOMAXPROCS(0), readAhead, func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if p == "." {
				return fmt.Errorf("read library folder: %w", err)
			}
			res.errs = append(res.errs, fmt.Errorf("%s: %w", p, err))
			return nil // skip what cannot be read; WalkDir does not descend
		}
		name := d.Name()
		if !fs.ValidPath(p) && !rawNames {
			// Only a folder's rootFiles opens names that are not UTF-8.
			res.errs = append(res.errs, fmt.Errorf("%s: %w", p, ErrNameNotUTF8))
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if _, ok := probe.FormatOf(name); ok {
			info, err := d.Info()
			if err == nil && d.Type()&fs.ModeSymlink != 0 {
				// Follow links to files (the FS refuses ones leaving the root), never to folders.
				info, err = fs.Stat(fsys, p)
			}
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					res.errs = append(res.errs, fmt.Errorf("%s: %w", p, err))
				}
				return nil
			}
			if info.Mode().IsRegular() {
				onFile(foundFile{p, info.Size(), info.ModTime()})
			}
		} else if isSideFile(name) && isRegularFile(fsys, p, d) {
			res.side.add(p)
		} else if rank := coverRank(name); rank > 0 && isRegularFile(fsys, p, d) {
			dir := path.Dir(p)
			if cur, ok := res.covers[dir]; !ok || rank < coverRank(path.Base(cur)) {
				res.covers[dir] = p
			}
		}
		return nil
	})
	return res, err
}

// coverRank ranks a file name as folder cover art: 1 is best, 0 means not a
// cover. cover.* beats folder.* beats front.*; JPEG beats PNG beats others.
func coverRank(name string) int {
	lower := strings.ToLower(name)
	ext := path.Ext(lower)
	extRank, ok := map[string]int{".jpg": 1, ".jpeg": 1, ".png": 2, ".webp": 3, ".gif": 4}[ext]
	if !ok {
		return 0
	}
	base, ok := map[string]int{"cover": 0, "folder": 1, "front": 2}[strings.TrimSuffix(lower, ext)]
	if !ok {
		return 0
	}
	return base*4 + extRank
}

// ContainsAudio reports whether fsys holds at least one supported audio (or
// video) file,
// stopping at the first one found. Unreadable folders are passed over.
func ContainsAudio(fsys fs.FS) bool {
	found := false
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") && d.IsDir() {
			return fs.SkipDir
		}
		if _, ok := probe.FormatOf(d.Name()); ok && !d.IsDir() {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// isRegularFile reports whether the entry d at p is a regular file, or a
// link to one that stays inside fsys (a rooted FS refuses to follow others).
func isRegularFile(fsys fs.FS, p string, d fs.DirEntry) bool {
	if d.Type().IsRegular() {
		return true
	}
	info, err := fs.Stat(fsys, p)
	return err == nil && info.Mode().IsRegular()
}
