package player

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"earshot/player/cue"
	"earshot/player/probe"
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
	// Moved are the tracks that user data names which the scan found
	// again at another path, each saying how (see [Library.rematch]).
	Moved []RefMove
}

// Scan indexes every supported audio file under src.FS, reading tags,
// durations and cover art with a bounded pool of workers, and then replaces
// the library's contents with the result. Progress goes to subscribers as
// [Event] values. A file that cannot be read is skipped and listed in the
// [Report]; the scan goes on. Hidden files and folders (names starting with
// ".") and symbolic links to folders are not followed.
//
// Scan returns [ErrAlreadyScanning] when another scan is running (one of
// [Library.Use]'s, or another call's), the context's error, leaving the
// library as it was, when ctx ends first, and an error wrapping
// [ErrFolderMissing], leaving the library as it was, when src's folder is
// no longer at its path (src.Dir). [Library.Use] scans by itself: call Scan
// for an explicit rescan, or to scan without watching.
func (l *Library) Scan(ctx context.Context, src Source) (Report, error) {
	if !l.life.scans.tryStart() {
		return Report{}, ErrAlreadyScanning
	}
	defer l.life.scans.end()
	return l.scan(ctx, src)
}

// scan is [Library.Scan] for a caller that holds the library's scanGuard.
func (l *Library) scan(ctx context.Context, src Source) (Report, error) {
	if src.FS == nil {
		return Report{}, errNoSource
	}
	l.scanned.Store(0)
	l.total.Store(0)
	l.publish(Event{Kind: ScanStarted, Source: src.Name})

	old, prev := l.previous(src.Name)
	results, found, err := l.readFiles(ctx, src, old, prev)
	if err != nil {
		l.publish(Event{Kind: ScanDone, Source: src.Name, Tracks: l.Len()})
		return Report{}, err
	}
	n := len(results)
	split, cuesChanged := l.splitCues(src, results, found, old, prev)
	// Decide whether anything changed before building a new track list:
	// an unchanged rescan of a large library then allocates nothing of the
	// size of the library.
	rep, changed := l.tally(src.Name, results, found, old, split)
	changed = changed || cuesChanged
	count := n - len(rep.Skipped) // the tracks the library will hold
	for _, tracks := range split {
		count += len(tracks) - 1
	}
	rep.Skipped = append(rep.Skipped, found.errs...)
	rep.Tracks = count - rep.Videos
	problems := make([]string, len(rep.Skipped))
	for i, err := range rep.Skipped {
		problems[i] = err.Error()
	}
	changed = changed || prev == nil || count != len(prev) || !slices.Equal(problems, l.Problems())
	if changed {
		kept := make([]Track, 0, count)
		for i, res := range results {
			var t Track
			switch {
			case split[i] != nil:
				kept = append(kept, split[i]...)
				continue
			case res.read == nil:
				t = old[res.prev]
			case res.read.err != nil:
				continue
			default:
				t = res.read.track
			}
			found.finish(&t)
			kept = append(kept, t)
		}
		rep.IndexErr = l.install(src, kept, problems)
		var err error
		if rep.Moved, err = l.rematch(src); err != nil {
			rep.IndexErr = errors.Join(rep.IndexErr, err)
		}
	}
	l.setFilePlaylists(src, found.side.playlists)
	// When nothing on disk changed, the index, its views and the saved copy
	// stay as they are (a 50,000-track rebuild and save cost ~0.5 s).
	l.publish(Event{Kind: ScanDone, Source: src.Name, Scanned: n, Total: n, Tracks: rep.Tracks, Skipped: len(rep.Skipped), Err: rep.IndexErr})
	return rep, nil
}

// tally counts the videos among results and collects their read and tag
// errors into a Report (without the walk's errors), counting the files kept
// from the last scan (old) as examined. changed reports whether a file was
// read again (except those split by a cue sheet, the split ones: see
// [Library.splitCues]) or a kept track's folder cover or .lrc file came,
// went or changed.
func (l *Library) tally(name string, results []fileResult, found walkResult, old []Track, split map[int][]Track) (rep Report, changed bool) {
	for i := range results {
		res := &results[i]
		if res.read == nil {
			t := &old[res.prev]
			changed = changed || t.CoverFile != found.covers[path.Dir(t.Path)] ||
				t.HasLyrics != (t.LyricsEmbedded || found.side.hasLRC(t.Path))
			rep.Videos += boolInt(t.Video)
			l.progress(name, int64(len(results)))
			continue
		}
		if res.read.err != nil {
			rep.Skipped = append(rep.Skipped, res.read.err)
			continue
		}
		if split[i] != nil {
			// A split file is read at each scan (its tracks' IDs are not
			// its own); splitCues says whether its tracks changed.
			if res.read.tagErr != nil {
				rep.TagErrors = append(rep.TagErrors, res.read.tagErr)
			}
			continue
		}
		changed = true
		if res.read.tagErr != nil {
			rep.TagErrors = append(rep.TagErrors, res.read.tagErr)
		}
		rep.Videos += boolInt(res.read.track.Video)
	}
	return rep, changed
}

// readFiles walks src for audio and video files and reads, with a bounded
// pool of workers, those that are not among old, the last scan's tracks
// (found by [TrackID] through prev, their positions), with the same path,
// size and modification time. Files are read while the walk goes on: on a
// cold scan the walk's system calls and the readers' share the CPUs
// instead of taking turns. Progress is published once the walk has
// counted the files. It returns the files in walk order, and ctx's error
// or the walk's when the root cannot be read.
func (l *Library) readFiles(ctx context.Context, src Source, old []Track, prev map[string]int) ([]fileResult, walkResult, error) {
	opener := newScanOpener(src)
	defer opener.close()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2 * runtime.GOMAXPROCS(0))
	var known atomic.Int64 // the number of files, 0 until the walk ends
	reader := &scanReader{ctx: gctx, open: opener.open, dir: src.Dir, tags: l.tags, posters: l.art.Posters(), tools: l.tools, slots: l.toolSlots}
	results := make([]fileResult, 0, len(old)+len(old)/8) // a rescan's files, without regrowing
	found, err := findAudio(ctx, src.files(), func(f foundFile) {
		if i, ok := prev[TrackID(f.path)]; ok && old[i].Path == f.path && old[i].Size == f.size && old[i].ModTime.Equal(f.modTime) &&
			!(old[i].NeedsFFmpeg && l.tools.Available()) {
			results = append(results, fileResult{prev: int32(i)}) // unchanged since the last scan: not opened again
			return
		}
		res := &readResult{path: f.path}
		results = append(results, fileResult{read: res})
		g.Go(func() error {
			if gctx.Err() != nil {
				return gctx.Err()
			}
			res.track, res.cue, res.tagErr, res.err = reader.read(f.path)
			l.progress(src.Name, known.Load())
			return nil
		})
	})
	if werr := g.Wait(); err == nil {
		err = werr
	}
	if err == nil && ctx.Err() == nil {
		// A folder moved away is still read through its handle, and a
		// deleted one reads as empty or fails: neither may replace the
		// library, and both mean the folder is missing.
		err = checkPresent(src)
	}
	if err != nil {
		return nil, walkResult{}, err
	}
	n := len(results)
	l.total.Store(int64(n))
	known.Store(int64(n))
	l.publish(Event{Kind: ScanProgress, Source: src.Name, Scanned: int(l.scanned.Load()), Total: n})
	return results, found, nil
}

// progress counts one more file of the scan of the source called name as
// examined, and publishes the progress once total, the number of files, is
// known (non-zero): at most ~200 events per scan, and the last.
func (l *Library) progress(name string, total int64) {
	n := l.scanned.Add(1)
	if total > 0 && (n%max(1, total/200) == 0 || n == total) {
		l.publish(Event{Kind: ScanProgress, Source: name, Scanned: int(n), Total: int(total)})
	}
}

// install makes tracks (and problems) the library's contents and saves
// them to the index, if any, returning the index's error. Saving and
// building the in-memory views both only read the sorted tracks: they run
// at once, on two CPUs.
func (l *Library) install(src Source, tracks []Track, problems []string) error {
	sortTracks(tracks)
	saved := make(chan error, 1)
	if l.index != nil {
		go func() { saved <- l.index.Save(src.Name, tracks, problems) }()
	} else {
		saved <- nil
	}
	l.replaceSorted(src, tracks, problems)
	return <-saved
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
	cue    *cue.Sheet // the cue sheet in the file, nil for none
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

// read opens the audio or video file at the slash path p and reads it
// into a Track with [probe.Probe], or with ffprobe for the formats that
// need it (see [scanReader.media]); the caller fills in the folder's
// cover. It returns tagErr when the file's tags could not be read (the
// track is still usable) and err when the file itself is unreadable or
// corrupt (the track must be skipped). A file only ffmpeg reads is a track
// marked [Track.NeedsFFmpeg] when ffmpeg is not installed.
func (r *scanReader) read(p string) (t Track, sheet *cue.Sheet, tagErr, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("%s: %w: %v", p, probe.ErrCorrupt, rec)
		}
	}()
	format, _ := probe.FormatOf(p)
	f, err := r.open(p)
	if err != nil {
		return Track{}, nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Track{}, nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	if err := checkRegular(p, info); err != nil {
		return Track{}, nil, nil, err
	}
	m, err := r.media(p, f, info.Size(), format)
	needsFFmpeg := errors.Is(err, probe.ErrNoFFmpeg)
	if err != nil && !needsFFmpeg {
		return Track{}, nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	if m.TagErr != nil {
		tagErr = fmt.Errorf("%s: %w", p, m.TagErr)
	}
	t = trackOf(p, m, info)
	t.NeedsFFmpeg = needsFFmpeg
	if m.Video {
		// A video's cover is its poster frame, taken from the file itself.
		t.CoverEmbedded = r.posters
	}
	t.HasCover = t.CoverEmbedded
	t.LyricsEmbedded = m.Tags.HasLyrics()
	return t, embeddedSheet(f, m), tagErr, nil
}

// trackOf is the Track of the file at the slash path p, described by m and
// info. Where the tags have none, its title is the file name without its
// extension, its artist [UnknownArtist], and its album the name of its
// folder ([UnknownAlbum] for a file at the library root): untagged files
// of different folders are then different albums, as their folders say.
func trackOf(p string, m probe.Media, info fs.FileInfo) Track {
	tg := m.Tags
	t := Track{
		ID:       TrackID(p),
		Title:    tg.Title,
		Artist:   tg.Artist,
		Year:     tg.Year,
		Genre:    tg.Genre,
		Duration: m.Duration,
		Format:   m.Format,
		MIMEType: m.Format.MIMEType(),
		Size:     info.Size(),
		Path:     p,
		ModTime:  info.ModTime(),
	}
	if m.Video {
		t.Video, t.Width, t.Height = true, m.Width, m.Height
	} else {
		t.Album, t.AlbumArtist = tg.Album, tg.AlbumArtist
		t.TrackNumber, t.TrackTotal = tg.Track, tg.TrackTotal
		t.DiscNumber, t.DiscTotal = tg.Disc, tg.DiscTotal
		t.CoverEmbedded = tg.Picture != nil || m.HasPicture
		if m.Format == probe.WebM {
			t.MIMEType = "audio/webm" // a WebM file without a picture track
		}
	}
	if t.Title == "" {
		base := path.Base(p)
		t.Title = strings.TrimSuffix(base, path.Ext(base))
	}
	if !t.Video && t.Artist == "" {
		t.Artist = UnknownArtist
	}
	if !t.Video && t.Album == "" {
		t.Album = folderAlbum(p)
	}
	return t
}

// folderAlbum is the album of an untagged file at the slash path p: its
// folder's name, or [UnknownAlbum] at the library root.
func folderAlbum(p string) string {
	dir := path.Dir(p)
	if dir == "." || dir == "/" {
		return UnknownAlbum
	}
	return path.Base(dir)
}

// The names given to tracks whose tags lack an artist, and to untagged
// files at the library root for their album.
const (
	UnknownArtist = "Unknown Artist"
	UnknownAlbum  = "Unknown Album"
)

// counters used by Status; kept here to sit beside the code that moves them.
type scanCounters struct {
	scanned atomic.Int64
	total   atomic.Int64
}
