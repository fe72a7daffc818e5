package player

import (
	"cmp"
	"earshot/player/artwork"
	"earshot/player/probe"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Source is a library folder: the files Earshot scans and serves, and the
// name shown to people (the folder's path, or "Demo library").
type Source struct {
	Name string
	FS   fs.FS
	// Dir is the folder's path on disk, which [Library.Use] watches; ""
	// for a source that is not a folder (the embedded demo library).
	Dir string

	// root is the handle FS was made from; nil for other sources. A scan
	// opens files through handles on their folders below it (see
	// [scanOpener]).
	root *os.Root
	// dir is the folder itself, open for [openBeneath]; nil for other
	// sources, on systems without openat2, or when it could not be opened
	// (then every file is opened through root).
	dir *os.File
}

// OpenFolder returns a Source for the folder at dir. Its FS is rooted with
// [os.OpenRoot], so no path — including a symbolic link — can reach a file
// outside dir. It returns an error when dir is not a readable folder.
func OpenFolder(dir string) (Source, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Source{}, fmt.Errorf("open library folder: %w", err)
	}
	return Source{Name: dir, FS: root.FS(), Dir: dir, root: root, dir: beneathDir(root)}, nil
}

// files returns the file system the library reads src's files through:
// for a folder, its [os.Root] as a [rootFiles], which can open every name
// the folder holds; otherwise src.FS.
func (src Source) files() fs.FS {
	if src.root != nil {
		return rootFiles{src.root}
	}
	return src.FS
}

// rootFiles is the [fs.FS] of a folder opened with [os.Root], like
// [os.Root.FS] except that it opens names that are not valid UTF-8. Linux
// file names may hold any bytes but "/" and NUL, and music copied from old
// systems carries Latin-1 names; [fs.ValidPath], which os.Root.FS checks,
// refuses them, so a scan listed such files it could not then serve. The
// root still refuses every path leading out of the folder, including
// through symbolic links, and rootFiles refuses absolute paths and "."
// or ".." elements other than the root "." itself.
type rootFiles struct{ root *os.Root }

// Open implements [fs.FS].
func (r rootFiles) Open(name string) (fs.File, error) {
	if !validRawPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return r.root.Open(filepath.FromSlash(name))
}

// Stat implements [fs.StatFS], so that [fs.Stat] looks a file up without
// opening it (opening a named pipe would block).
func (r rootFiles) Stat(name string) (fs.FileInfo, error) {
	if !validRawPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return r.root.Stat(filepath.FromSlash(name))
}

// validRawPath is [fs.ValidPath] without its UTF-8 check: name is "." or
// unrooted, slash-separated, with no empty, "." or ".." element, no NUL,
// and on Windows no backslash (a separator there).
func validRawPath(name string) bool {
	if name == "." {
		return true
	}
	if strings.Contains(name, "\x00") || (runtime.GOOS == "windows" && strings.Contains(name, `\`)) {
		return false
	}
	for elem := range strings.SplitSeq(name, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
	}
	return true
}

// Library is the in-memory index of one [Source]'s tracks. It is safe for
// concurrent use: readers see the previous index until a scan completes.
type Library struct {
	tags probe.TagReader
	// art makes thumbnails and poster frames; index is where the library
	// is kept between runs, nil for none. Both are set by [New] only.
	art   Art
	index Index
	// user keeps playlists, hearts and history; nil for none.
	user UserStore
	// tools are ffprobe and ffmpeg, for the formats only they read;
	// toolSlots bounds their processes to the number of CPUs.
	tools     probe.Tools
	toolSlots chan struct{}

	mu     sync.RWMutex
	src    Source
	tracks []Track        // sorted by album artist, album, disc, track, title
	byID   map[string]int // index into tracks
	// problems is what the last scan could not read, one line per file.
	problems []string
	// views are the albums, artists, genres, folders and search indexes
	// derived from tracks; nil before the first scan.
	views *views
	// filePlaylists are the playlist files the last scan found.
	filePlaylists []filePlaylist

	// life is the state of [Library.Use], and the guard that lets one
	// scan run at a time.
	life lifecycle
	scanCounters

	subMu sync.Mutex
	subs  map[chan Event]struct{}

	// addMu makes [Library.Add]'s check for a free name and its rename
	// one step, so that two adds of the same file make one copy.
	addMu sync.Mutex
}

// Options configure a [Library] built by [New]. The zero value is usable:
// no index, thumbnails in memory, [probe.DefaultTagReader].
type Options struct {
	// Index keeps the library between runs (see [Library.Restore]); nil
	// keeps nothing.
	Index Index
	// Art makes thumbnails and poster frames; nil makes them with an
	// in-memory [artwork.Cache] running the ffmpeg found in PATH, if any.
	Art Art
	// Tags reads the files' tags; nil reads them with
	// [probe.DefaultTagReader].
	Tags probe.TagReader
	// Tools are the ffprobe and ffmpeg that read the formats Earshot's
	// own readers do not (see [probe.Format.NeedsFFprobe]); nil finds them
	// with [probe.FindTools]. Without them, files of those formats are
	// listed as needing ffmpeg ([Track.NeedsFFmpeg]).
	Tools *probe.Tools
	// UserData keeps playlists, hearts, play counts and positions (see
	// [UserStore]); nil keeps none, and the methods that use them return
	// [ErrNoUserData].
	UserData UserStore
}

// Art makes the pictures a library derives from its files: thumbnails of
// cover art and poster frames of videos. [artwork.Cache] implements it.
// Implementations are safe for concurrent use.
type Art interface {
	// Thumbnail returns cover, the bytes of an image file, as a JPEG
	// whose longer side is at most size pixels. Its errors wrap
	// [artwork.ErrBadImage] for a cover that cannot be decoded.
	Thumbnail(cover []byte, size int) ([]byte, error)
	// Poster returns a frame of the video v as a JPEG.
	Poster(v artwork.Video) ([]byte, error)
	// Posters reports whether Poster can make frames at all: a scan then
	// gives videos a cover.
	Posters() bool
}

// New returns an empty library configured by o, complete: nothing is set
// on it afterwards.
func New(o Options) *Library {
	if o.Tags == nil {
		o.Tags = probe.DefaultTagReader{}
	}
	if o.Art == nil {
		o.Art = artwork.New(artwork.Options{FFmpeg: artwork.FindFFmpeg()})
	}
	tools := probe.FindTools()
	if o.Tools != nil {
		tools = *o.Tools
	}
	return &Library{tags: o.Tags, art: o.Art, index: o.Index, user: o.UserData, tools: tools, toolSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		byID: map[string]int{}, subs: map[chan Event]struct{}{}}
}

// Name returns the name of the source last scanned, "" before any scan.
func (l *Library) Name() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.src.Name
}

// Tracks returns a copy of every music track, ordered by album artist,
// album, disc number, track number, then title. Videos are not in it: see
// [Library.Videos].
func (l *Library) Tracks() []Track {
	return slices.Clone(l.listed().tracks)
}

// TracksPage returns a copy of at most limit music tracks from position
// offset (0-based) of the [Library.Tracks] order, and the number of music
// tracks in all. An offset at or past the end gives an empty page; offset
// and limit must not be negative.
func (l *Library) TracksPage(offset, limit int) (page []Track, total int) {
	ts := l.listed().tracks
	offset = min(offset, len(ts))
	end := offset + min(limit, len(ts)-offset)
	return slices.Clone(ts[offset:end]), len(ts)
}

// TracksSeq is [Library.TracksPage] without the copy of the page: it
// yields the same tracks one at a time, each a copy, from the library as
// it was when TracksSeq was called (a scan completing meanwhile does not
// change what the sequence yields, which can be ranged over again). Use
// it to write out a large part of the library — the whole of it is about
// 300 bytes a track, 30 MB for 100,000 — without holding a second copy.
func (l *Library) TracksSeq(offset, limit int) (tracks iter.Seq[Track], total int) {
	ts := l.listed().tracks
	offset = min(offset, len(ts))
	page := ts[offset : offset+min(limit, len(ts)-offset)]
	return func(yield func(Track) bool) {
		for i := range page {
			if !yield(page[i]) {
				return
			}
		}
	}, len(ts)
}

// Len returns the number of music tracks in the library (videos excluded).
func (l *Library) Len() int {
	return len(l.listed().tracks)
}

// Track returns the track with the given ID, or [ErrNotFound].
func (l *Library) Track(id string) (Track, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, ok := l.byID[id]
	if !ok {
		return Track{}, ErrNotFound
	}
	return l.tracks[i], nil
}

// Open opens the file of the track with the given ID for reading and
// seeking, returning it with the track. It returns [ErrNotFound] for an
// unknown ID, an error wrapping [fs.ErrNotExist] when the file is gone since
// the scan or the library's folder is missing (see [Library.Use]), an
// error wrapping both [fs.ErrNotExist] and [ErrNotRegular] when it is no
// longer a regular file (a named pipe, opened without blocking, or a
// device), and [ErrNoSeek] when the source's files cannot seek. Only
// indexed files can be opened. The caller closes the file. For a folder
// from [OpenFolder], the file's Stat answers without a system call with
// what was read at opening (the check that it is a regular file), so a
// server's Stat for the size and modification time costs nothing more.
func (l *Library) Open(id string) (File, Track, error) {
	l.mu.RLock()
	i, ok := l.byID[id]
	var t Track
	src := l.src
	if ok {
		t = l.tracks[i]
	}
	l.mu.RUnlock()
	if !ok {
		return nil, Track{}, ErrNotFound
	}
	if l.life.missing.Load() {
		return nil, Track{}, fmt.Errorf("open %s: %w (%w)", t.Path, fs.ErrNotExist, ErrFolderMissing)
	}
	f, err := src.openFile(t.Path)
	if err != nil {
		return nil, Track{}, err
	}
	return f, t, nil
}

// File is an open library file: readable, seekable and stat-able.
type File interface {
	fs.File
	io.Seeker
}

// openSeeker opens name in fsys and checks that it is a regular file that
// can seek. It checks the type first too, as fsys may block opening a
// named pipe; [Source.openFile] does better for a folder, opening without
// blocking, where a pipe swapped in between the two checks cannot block.
func openSeeker(fsys fs.FS, name string) (File, error) {
	if info, err := fs.Stat(fsys, name); err == nil {
		if err := checkRegular(name, info); err != nil {
			return nil, err
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, openError(err)
	}
	rs, ok := f.(File)
	if !ok {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", name, ErrNoSeek)
	}
	info, err := rs.Stat()
	if err == nil {
		err = checkRegular(name, info)
	}
	if err != nil {
		rs.Close()
		return nil, err
	}
	return rs, nil
}

// openError maps a failure to open an indexed file: one that is gone, or
// that has become a link leading out of the library (os.Root refuses it
// with an unexported error), is reported as wrapping [fs.ErrNotExist] — for
// the library the file is no longer there; permission errors pass through.
func openError(err error) error {
	var pe *fs.PathError
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%w: %s: %v", fs.ErrNotExist, pe.Path, pe.Err)
}

// Status is a snapshot of the library for display: its name, track count
// (music only), video count and scan progress (files examined so far, of
// Total audio and video files found). Missing is set while the folder that
// [Library.Use] serves is gone from its path; the library then shows what
// it held, and is rescanned when the folder comes back.
type Status struct {
	Library  string
	Tracks   int
	Videos   int
	Scanning bool
	Scanned  int
	Total    int
	Missing  bool
}

// Status returns the library's current [Status].
func (l *Library) Status() Status {
	l.mu.RLock()
	s := Status{Library: l.src.Name}
	l.mu.RUnlock()
	v := l.listed()
	s.Tracks, s.Videos = len(v.tracks), len(v.videos)
	s.Scanning = l.life.scans.busy()
	s.Missing = l.life.missing.Load()
	s.Scanned, s.Total = int(l.scanned.Load()), int(l.total.Load())
	return s
}

// previous returns the current tracks, and their positions in it by
// [TrackID], when they come from the source called name, for a rescan to
// reuse; nil otherwise. Both are the library's own, never changed once
// replaced: read them only. (A map by path would cost 4 MB and 30 ms more
// at 100,000 tracks.)
func (l *Library) previous(name string) ([]Track, map[string]int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.src.Name != name || len(l.tracks) == 0 {
		return nil, nil
	}
	return l.tracks, l.byID
}

// Index keeps a library between runs, so that a launch can serve the
// tracks of the last scan at once and a rescan only reads what changed.
// Implementations are safe for concurrent use.
type Index interface {
	// Load returns the tracks and problems saved for the source called
	// name; no tracks and no error when nothing was saved for it.
	Load(name string) (tracks []Track, problems []string, err error)
	// Save replaces what is kept for the source called name.
	Save(name string, tracks []Track, problems []string) error
}

// Restore fills the library from its index with what was saved for src,
// without touching the files, and returns the number of tracks. A later
// [Library.Scan] of the same source then opens only files that changed.
// It returns the index's error, or nil and 0 when there is no index.
func (l *Library) Restore(src Source) (int, error) {
	if l.index == nil {
		return 0, nil
	}
	tracks, problems, err := l.index.Load(src.Name)
	if err != nil {
		return 0, fmt.Errorf("restore library: %w", err)
	}
	l.replace(src, tracks, problems)
	return len(tracks), nil
}

// Problems returns what the last scan could not read: one line per file,
// naming it and saying why.
func (l *Library) Problems() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.problems)
}

// NeedsFFmpeg returns the slash paths of the files (songs and videos)
// listed as needing ffmpeg ([Track.NeedsFFmpeg]), in library order: those
// of the formats only ffmpeg reads, scanned while it was not installed.
func (l *Library) NeedsFFmpeg() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []string
	for i := range l.tracks {
		if l.tracks[i].NeedsFFmpeg {
			out = append(out, l.tracks[i].Path)
		}
	}
	return out
}

// replace swaps in a new index built by a scan.
func (l *Library) replace(src Source, tracks []Track, problems []string) {
	sortTracks(tracks)
	l.replaceSorted(src, tracks, problems)
}

// replaceSorted is [Library.replace] for tracks already in [sortTracks]
// order.
func (l *Library) replaceSorted(src Source, tracks []Track, problems []string) {
	byID := make(map[string]int, len(tracks))
	for i, t := range tracks {
		byID[t.ID] = i
	}
	views := buildViewsLater(tracks)
	l.mu.Lock()
	l.src, l.tracks, l.byID, l.problems, l.views = src, tracks, byID, problems, views
	l.mu.Unlock()
}

// compareTracks orders tracks as an album shelf would.
func compareTracks(a, b Track) int {
	return cmp.Or(
		compareFold(sortArtist(a), sortArtist(b)),
		compareFold(a.Album, b.Album),
		cmp.Compare(a.DiscNumber, b.DiscNumber),
		cmp.Compare(a.TrackNumber, b.TrackNumber),
		compareFold(a.Title, b.Title),
		cmp.Compare(a.Path, b.Path),
	)
}

func sortArtist(t Track) string {
	if t.AlbumArtist != "" {
		return t.AlbumArtist
	}
	return t.Artist
}

var errNoSource = errors.New("no library source")
