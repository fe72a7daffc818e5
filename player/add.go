package player

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"earshot/player/probe"
)

// IncomingFolder is the name of the folder, inside the library folder,
// where files being added wait: hidden (the scan and the watch skip names
// starting with "."), and on the library's file system, so that moving a
// finished file into place is an atomic rename.
const IncomingFolder = ".earshot-incoming"

// ErrNotFolder is returned by [Library.IncomingDir], [Library.Add] and
// [Library.Import] when the library is not a folder on disk (the demo
// library, or none chosen yet): there is nowhere to add files.
var ErrNotFolder = errors.New("no library folder to add files to")

// ErrNotMedia is wrapped by [Library.Add]'s error for a file refused by
// its content: not audio or video Earshot can read, empty, or cut short.
var ErrNotMedia = errors.New("not an audio or video file Earshot can play")

// maxNumbered bounds the numbered names [Library.Add] tries for one file.
const maxNumbered = 999

// Added is where [Library.Add] put a file.
type Added struct {
	// Path is the file's slash path in the library folder, e.g.
	// "Artist/Album/03 Title.flac".
	Path string
	// Duplicate reports that a file of the same content was already at
	// Path: nothing was added.
	Duplicate bool
}

// IncomingDir returns the path of the library's [IncomingFolder], creating
// it (mode 0700) when missing. Its error wraps [ErrNotFolder] when the
// library is not a folder, or is the one from creating the folder.
func (l *Library) IncomingDir() (string, error) {
	dir := l.folder()
	if dir == "" {
		return "", ErrNotFolder
	}
	in := filepath.Join(dir, IncomingFolder)
	if err := os.Mkdir(in, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("make %s: %w", in, err)
	}
	return in, nil
}

// folder returns the library folder's path, "" when it is not a folder.
func (l *Library) folder() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.src.Dir
}

// Add moves the file at src, which must be in [Library.IncomingDir], into
// the library folder as name (the name it came with, which may be a slash
// path from a folder upload; its extension says its format).
//
// The file is checked by its content with the scan's own reader: it must
// be audio or video with a duration above 0 and, where the format says its
// length ([probe.CheckComplete]), not cut short. It is flushed to disk,
// then renamed into place: by its tags ("Artist/Album/03 Title.flac", see
// [placeByTags]), or with name kept under [UploadsFolder] when keepName. An
// existing file is never replaced: one with the same content (SHA-256)
// makes the result a [Added.Duplicate], another gets a numbered name
// ("03 Title (2).flac"). The scan sees only the finished file.
//
// src is gone when Add returns, whatever the outcome. Errors wrap
// [ErrNotMedia] for a file refused by its content and [ErrNotFolder]
// without a library folder; others are I/O errors (a full disk, a missing
// permission, a library folder gone).
func (l *Library) Add(src, name string, keepName bool) (added Added, err error) {
	defer func() {
		if err != nil {
			os.Remove(src)
		}
	}()
	in, err := l.IncomingDir()
	if err != nil {
		return Added{}, err
	}
	if abs, err := filepath.Abs(src); err != nil || filepath.Dir(abs) != in {
		return Added{}, fmt.Errorf("add %s: not in %s", src, in)
	}
	f, err := os.OpenFile(src, os.O_RDWR, 0)
	if err != nil {
		return Added{}, fmt.Errorf("add %s: %w", name, err)
	}
	defer f.Close()
	t, err := l.check(f, in, name)
	if err != nil {
		return Added{}, err
	}
	if err := f.Sync(); err != nil {
		return Added{}, fmt.Errorf("add %s: %w", name, err)
	}
	f.Close()
	rel := placeByTags(t, name)
	if keepName {
		rel = placeKeepingName(name)
	}
	return l.place(src, rel, t.Size)
}

// check reads the file f, open in the folder in and named name by its
// sender, as the scan would, and returns its track (with the slash path
// name). Its error wraps [ErrNotMedia] when f is refused.
func (l *Library) check(f *os.File, in, name string) (Track, error) {
	format, ok := probe.FormatOf(name)
	if !ok {
		return Track{}, fmt.Errorf("%s: %w (%q is not a type Earshot plays)", path.Base(name), ErrNotMedia, path.Ext(name))
	}
	info, err := f.Stat()
	if err != nil {
		return Track{}, fmt.Errorf("add %s: %w", name, err)
	}
	if info.Size() == 0 {
		return Track{}, fmt.Errorf("%s: %w (the file is empty)", path.Base(name), ErrNotMedia)
	}
	open := func(string) (File, error) { return os.Open(f.Name()) }
	r := &scanReader{ctx: context.Background(), open: open, dir: in, tags: l.tags, tools: l.tools, slots: l.toolSlots}
	m, err := r.media(filepath.Base(f.Name()), f, info.Size(), format)
	if errors.Is(err, probe.ErrNoFFmpeg) {
		return Track{}, fmt.Errorf("%s: %w here without ffmpeg (install ffmpeg to add %s files)", path.Base(name), ErrNotMedia, format)
	}
	if err != nil {
		return Track{}, fmt.Errorf("%s: %w (%v)", path.Base(name), ErrNotMedia, err)
	}
	if !(m.Duration > 0) {
		return Track{}, fmt.Errorf("%s: %w (no playing time)", path.Base(name), ErrNotMedia)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Track{}, fmt.Errorf("add %s: %w", name, err)
	}
	if err := probe.CheckComplete(f, info.Size(), m.Format); err != nil {
		return Track{}, fmt.Errorf("%s: %w (%v)", path.Base(name), ErrNotMedia, err)
	}
	return trackOf(name, m, info), nil
}

// fileHash returns the SHA-256 of the file at p.
func fileHash(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// place renames src, a file of size bytes in the [IncomingFolder], to rel,
// a slash path in the library folder, or to the first free numbered name
// after it; a file of the same content already there (same size, then
// same SHA-256, which is computed only then) makes it a duplicate, and src
// is removed. It holds the library's add lock, so two adds of the same
// file at once make one copy.
func (l *Library) place(src, rel string, size int64) (Added, error) {
	root, err := os.OpenRoot(l.folder())
	if err != nil {
		return Added{}, fmt.Errorf("%w: %v", ErrNotFolder, err)
	}
	defer root.Close()
	from := IncomingFolder + "/" + filepath.Base(src)
	var sum []byte // src's SHA-256, once needed
	hash := func() ([]byte, error) {
		if sum == nil {
			var err error
			if sum, err = fileHash(src); err != nil {
				return nil, fmt.Errorf("read %s: %w", rel, err)
			}
		}
		return sum, nil
	}
	l.addMu.Lock()
	defer l.addMu.Unlock()
	if err := root.MkdirAll(path.Dir(rel), 0o755); err != nil {
		return Added{}, fmt.Errorf("make folder for %s: %w", rel, err)
	}
	for n := 1; n <= maxNumbered; n++ {
		to := rel
		if n > 1 {
			to = path.Join(path.Dir(rel), numbered(path.Base(rel), n))
		}
		same, err := sameContent(root, to, size, hash)
		if errors.Is(err, fs.ErrNotExist) {
			if err := root.Rename(from, to); err != nil {
				return Added{}, fmt.Errorf("move into %s: %w", to, err)
			}
			syncDir(root, path.Dir(to))
			return Added{Path: to}, nil
		}
		if err != nil {
			return Added{}, err
		}
		if same {
			root.Remove(from)
			return Added{Path: to, Duplicate: true}, nil
		}
	}
	return Added{}, fmt.Errorf("%s: %d files of that name already", rel, maxNumbered)
}

// sameContent reports whether the file at the slash path p under root
// holds size bytes whose SHA-256 is what hash returns. Its error wraps
// [fs.ErrNotExist] when there is no such file, or is hash's.
func sameContent(root *os.Root, p string, size int64, hash func() ([]byte, error)) (bool, error) {
	info, err := root.Lstat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
		return false, nil // something unreadable is there: not ours to replace
	}
	if !info.Mode().IsRegular() || info.Size() != size {
		return false, nil
	}
	sum, err := hash()
	if err != nil {
		return false, err
	}
	f, err := root.Open(p)
	if err != nil {
		return false, nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, nil
	}
	return bytes.Equal(h.Sum(nil), sum), nil
}

// syncDir flushes the folder dir under root, so that a rename into it
// survives a power cut. Systems that cannot sync a folder (Windows) skip it.
func syncDir(root *os.Root, dir string) {
	if d, err := root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Import copies the file at path (anywhere: a file dropped on the window)
// into the [IncomingFolder] and adds it with [Library.Add] under its own
// base name. Its errors are Add's, or the copy's.
func (l *Library) Import(p string, keepName bool) (Added, error) {
	in, err := l.IncomingDir()
	if err != nil {
		return Added{}, err
	}
	src, err := os.Open(p)
	if err != nil {
		return Added{}, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(in, "import-*")
	if err != nil {
		return Added{}, err
	}
	_, err = io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return Added{}, fmt.Errorf("copy %s: %w", filepath.Base(p), err)
	}
	return l.Add(tmp.Name(), filepath.Base(p), keepName)
}
