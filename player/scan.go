package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Report is what a finished scan found: the number of tracks indexed, the
// files skipped because they could not be read (one error each, naming the
// file), and the files indexed without tags because their tags were broken.
type Report struct {
	Tracks int
	// Videos is the number of video files indexed, not counted in Tracks.
	Videos    int
	Skipped   []error
	TagErrors []error
	// IndexErr is why the result could not be saved to the library's
	// [Index]; the library itself is up to date even then.
	IndexErr error
}

// Scan indexes every supported audio file under src.FS, reading tags,
// durations and cover art with a bounded pool of workers, and then replaces
// the library's contents with the result. Progress goes to subscribers as
// [Event] values. A file that cannot be read is skipped and listed in the
// [Report]; the scan goes on. Hidden files and folders (names starting with
// ".") and symbolic links to folders are not followed.
//
// Scan returns [ErrAlreadyScanning] when another scan is running, and the
// context's error, leaving the library as it was, when ctx ends first.
func (l *Library) Scan(ctx context.Context, src Source) (Report, error) {
	if src.FS == nil {
		return Report{}, errNoSource
	}
	if !l.scanning.CompareAndSwap(false, true) {
		return Report{}, ErrAlreadyScanning
	}
	defer l.scanning.Store(false)
	l.scanned.Store(0)
	l.total.Store(0)
	l.publish(Event{Kind: ScanStarted, Source: src.Name})

	// Files are read while the walk goes on: on a cold scan the walk's
	// system calls and the readers' share the CPUs instead of taking turns.
	// Progress is published once the walk has counted the files.
	old, prev := l.previous(src.Name)
	opener := newScanOpener(src)
	defer opener.close()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2 * runtime.GOMAXPROCS(0))
	var known atomic.Int64 // the number of files, 0 until the walk ends
	progress := func() {
		n := l.scanned.Add(1)
		if t := known.Load(); t > 0 && (n%max(1, t/200) == 0 || n == t) { // at most ~200 events per scan
			l.publish(Event{Kind: ScanProgress, Source: src.Name, Scanned: int(n), Total: int(t)})
		}
	}
	results := make([]fileResult, 0, len(old)+len(old)/8) // a rescan's files, without regrowing
	found, err := findAudio(ctx, src.FS, func(f foundFile) {
		if i, ok := prev[TrackID(f.path)]; ok && old[i].Path == f.path && old[i].Size == f.size && old[i].ModTime.Equal(f.modTime) {
			results = append(results, fileResult{prev: int32(i)}) // unchanged since the last scan: not opened again
			return
		}
		res := &readResult{path: f.path}
		results = append(results, fileResult{read: res})
		g.Go(func() error {
			if gctx.Err() != nil {
				return gctx.Err()
			}
			res.track, res.tagErr, res.err = readTrack(opener.open, f.path, l.tags)
			progress()
			return nil
		})
	})
	if werr := g.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		l.publish(Event{Kind: ScanDone, Source: src.Name, Tracks: l.Len()})
		return Report{}, err
	}
	n := len(results)
	l.total.Store(int64(n))
	known.Store(int64(n))
	l.publish(Event{Kind: ScanProgress, Source: src.Name, Scanned: int(l.scanned.Load()), Total: n})

	// Decide whether anything changed before building a new track list:
	// an unchanged rescan of a large library then allocates nothing
	// of the size of the library.
	var rep Report
	changed := prev == nil
	for i := range results {
		res := &results[i]
		cover := found.covers[path.Dir(res.path(old))]
		if res.read == nil {
			changed = changed || old[res.prev].coverFile != cover // a folder cover came, went or changed
			rep.Videos += boolInt(old[res.prev].Video)
			progress()
			continue
		}
		if res.read.err != nil {
			rep.Skipped = append(rep.Skipped, res.read.err)
			continue
		}
		changed = true
		if res.read.tagErr != nil {
			rep.TagErrors = append(rep.TagErrors, res.read.tagErr)
		}
		rep.Videos += boolInt(res.read.track.Video)
	}
	count := n - len(rep.Skipped) // the tracks the library will hold
	rep.Skipped = append(rep.Skipped, found.errs...)
	rep.Tracks = count - rep.Videos
	problems := make([]string, len(rep.Skipped))
	for i, err := range rep.Skipped {
		problems[i] = err.Error()
	}
	changed = changed || count != len(prev) || !slices.Equal(problems, l.Problems())
	if !changed {
		// Nothing on disk changed: keep the index, its views and the saved
		// copy as they are (a 50,000-track rebuild and save cost ~0.5 s).
		l.publish(Event{Kind: ScanDone, Source: src.Name, Scanned: n, Total: n, Tracks: rep.Tracks, Skipped: len(rep.Skipped)})
		return rep, nil
	}
	kept := make([]Track, 0, count)
	for _, res := range results {
		var t Track
		switch {
		case res.read == nil:
			t = old[res.prev]
		case res.read.err != nil:
			continue
		default:
			t = res.read.track
		}
		t.coverFile = found.covers[path.Dir(res.path(old))]
		t.HasCover = t.coverEmbedded || t.coverFile != ""
		kept = append(kept, t)
	}
	// Saving and building the in-memory views both only read the sorted
	// tracks: do them at once, on two CPUs.
	sortTracks(kept)
	l.mu.RLock()
	ix := l.index
	l.mu.RUnlock()
	saved := make(chan error, 1)
	if ix != nil {
		go func() { saved <- ix.Save(src.Name, kept, problems) }()
	} else {
		saved <- nil
	}
	l.replaceSorted(src, kept, problems)
	rep.IndexErr = <-saved
	l.publish(Event{Kind: ScanDone, Source: src.Name, Scanned: n, Total: n, Tracks: rep.Tracks, Skipped: len(rep.Skipped)})
	return rep, nil
}

// fileResult is what a scan learnt of one file: the position of its
// track in the last scan's tracks when it is unchanged since, or else
// what reading it gave. It is 16 bytes, as a rescan of a large library
// keeps one per file.
type fileResult struct {
	read *readResult // nil for a file unchanged since the last scan
	prev int32       // when read is nil
}

// path returns the file's slash path; old are the last scan's tracks.
func (r fileResult) path(old []Track) string {
	if r.read == nil {
		return old[r.prev].Path
	}
	return r.read.path
}

// readResult is a file read by a scan: its path, and its track or why it
// was skipped.
type readResult struct {
	path   string
	track  Track
	tagErr error
	err    error
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// walkResult is what the directory walk found besides the audio files it
// hands to its caller: the best cover image per folder (slash paths), and
// what could not be read.
type walkResult struct {
	covers map[string]string
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
	// Folders are read ahead on GOMAXPROCS goroutines, except hidden ones,
	// which are skipped.
	notHidden := func(_ string, d fs.DirEntry) bool { return !strings.HasPrefix(d.Name(), ".") }
	err := walkDir(ctx, fsys, runtime.GOMAXPROCS(0), notHidden, func(p string, d fs.DirEntry, err error) error {
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
		if _, ok := FormatOf(name); ok {
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

// readTrack opens the audio file at the slash path p with open and reads it
// into a Track; the caller fills in the folder's cover. It returns tagErr
// when the file's tags could not be read (the track is still usable) and err
// when the file itself is unreadable or corrupt (the track must be skipped).
func readTrack(open func(p string) (File, error), p string, tags TagReader) (t Track, tagErr, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %w: %v", p, errCorrupt, r)
		}
	}()
	format, _ := FormatOf(p)
	f, err := open(p)
	if err != nil {
		return Track{}, nil, fmt.Errorf("%s: %w", p, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Track{}, nil, fmt.Errorf("%s: %w", p, err)
	}
	if info.Size() == 0 {
		return Track{}, nil, fmt.Errorf("%s: %w: empty file", p, errCorrupt)
	}
	// One buffered window serves both the tag reader and the duration
	// reader: the file's head is read once, in one system call.
	w := newWindow(f, info.Size())
	w.rpos = 0 // a file just opened reads from its start: no seek needed
	defer w.release()
	if format.Video() {
		vt, vTagErr, audio, err := readVideo(w, info, p, format, tags)
		if !audio {
			return vt, vTagErr, err
		}
		format = M4A // an MPEG-4 file without a picture track is audio
	}
	tg, err := tags.ReadTags(w)
	switch {
	case errors.Is(err, ErrNoTags):
	case err != nil:
		tagErr = fmt.Errorf("%s: %w", p, err)
	}
	if _, err := w.Seek(0, io.SeekStart); err != nil {
		return Track{}, nil, fmt.Errorf("%s: %w", p, err)
	}
	dur, err := readDuration(w, info.Size(), format)
	if err != nil {
		return Track{}, nil, fmt.Errorf("%s: %w", p, err)
	}
	t = Track{
		ID:          TrackID(p),
		Title:       tg.Title,
		Artist:      tg.Artist,
		Album:       tg.Album,
		AlbumArtist: tg.AlbumArtist,
		TrackNumber: tg.Track,
		TrackTotal:  tg.TrackTotal,
		DiscNumber:  tg.Disc,
		DiscTotal:   tg.DiscTotal,
		Year:        tg.Year,
		Genre:       tg.Genre,
		Duration:    dur,
		Format:      format,
		MIMEType:    format.MIMEType(),
		Size:        info.Size(),
		Path:        p,
		ModTime:     info.ModTime(),
	}
	t.coverEmbedded = tg.Picture != nil
	t.HasCover = t.coverEmbedded
	if t.Title == "" {
		base := path.Base(p)
		t.Title = strings.TrimSuffix(base, path.Ext(base))
	}
	if t.Artist == "" {
		t.Artist = UnknownArtist
	}
	if t.Album == "" {
		t.Album = UnknownAlbum
	}
	return t, tagErr, nil
}

// The names given to tracks whose tags lack an artist or album.
const (
	UnknownArtist = "Unknown Artist"
	UnknownAlbum  = "Unknown Album"
)

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
		if _, ok := FormatOf(d.Name()); ok && !d.IsDir() {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// counters used by Status; kept here to sit beside the code that moves them.
type scanCounters struct {
	scanned atomic.Int64
	total   atomic.Int64
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
