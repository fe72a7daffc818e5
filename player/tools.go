package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"earshot/player/probe"
)

// scanReader reads the files of one scan into tracks (see
// [scanReader.read]).
type scanReader struct {
	// ctx ends the scan; a run of ffprobe or ffmpeg is killed with it.
	ctx context.Context
	// open opens a file of the source by its slash path.
	open func(p string) (File, error)
	// dir is the source's folder on disk, "" for a source that is not a
	// folder: ffprobe then reads files from its standard input.
	dir  string
	tags probe.TagReader
	// posters says whether a video's poster frame can be taken (its cover
	// then comes from the file itself).
	posters bool
	tools   probe.Tools
	// slots bounds the ffprobe and ffmpeg processes running at once; it
	// is the library's, shared with [Library.Cover].
	slots chan struct{}
}

// media reads what the file f at the slash path p, of size bytes in
// format, holds: with [probe.Probe], or with ffprobe for a format that
// [probe.Format.NeedsFFprobe] (and for an audio-only WebM file's tags,
// when ffprobe is there). Without ffprobe and ffmpeg, a format that needs
// them gives [probe.ErrNoFFmpeg] with the little that is known without
// reading the file (its format, and whether it is a video).
func (r *scanReader) media(p string, f File, size int64, format probe.Format) (probe.Media, error) {
	if format.NeedsFFprobe() {
		if !r.tools.Available() {
			return probe.Media{Format: format, Video: format.Video()}, probe.ErrNoFFmpeg
		}
		if size <= 0 {
			return probe.Media{}, fmt.Errorf("%w: empty file", probe.ErrCorrupt)
		}
		return r.ffprobe(p, f, format)
	}
	m, err := probe.Probe(f, size, format, r.tags)
	if err != nil || !m.WantsFFprobe || !r.tools.Available() {
		return m, err
	}
	if pm, err := r.ffprobe(p, f, format); err == nil {
		return pm, nil
	}
	return m, nil // what Probe read is good enough
}

// ffprobe reads the file f at the slash path p with [probe.Tools.Probe],
// waiting for one of the library's slots for it.
func (r *scanReader) ffprobe(p string, f File, format probe.Format) (probe.Media, error) {
	in, err := toolInput(r.dir, p, f, r.open)
	if err != nil {
		return probe.Media{}, err
	}
	select {
	case r.slots <- struct{}{}:
	case <-r.ctx.Done():
		return probe.Media{}, r.ctx.Err()
	}
	defer func() { <-r.slots }()
	return r.tools.Probe(r.ctx, in, format)
}

// toolInput is how ffprobe and ffmpeg read the file f, open at the slash
// path p of a source whose folder on disk is dir: by its absolute path,
// after checking that the path names the very file f is (so that a link
// swapped in cannot lead them out of the library), or, for a source not
// on disk (dir ""), from their standard input, opened again with open.
func toolInput(dir, p string, f File, open func(p string) (File, error)) (probe.Input, error) {
	if dir == "" {
		return probe.Input{Open: func() (io.ReadCloser, error) { return open(p) }}, nil
	}
	abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		return probe.Input{}, err
	}
	opened, err := f.Stat()
	if err != nil {
		return probe.Input{}, err
	}
	onDisk, err := os.Stat(abs)
	if err != nil || !os.SameFile(opened, onDisk) {
		return probe.Input{}, errNotLibraryFile
	}
	return probe.Input{DiskPath: abs}, nil
}

// errNotLibraryFile is why ffmpeg is not run on a path that no longer
// names the library's file (it was replaced between opening and running).
var errNotLibraryFile = errors.New("the path no longer names the library's file")

// embeddedPicture extracts the picture embedded in track t of src, a file
// that ffmpeg reads (see [probe.Format.NeedsFFprobe]), waiting for one of
// the library's slots for ffmpeg.
func (l *Library) embeddedPicture(t Track, src Source) (probe.Picture, error) {
	f, err := src.openFile(t.Path)
	if err != nil {
		return probe.Picture{}, err
	}
	defer f.Close()
	in, err := toolInput(src.Dir, t.Path, f, src.openFile)
	if err != nil {
		return probe.Picture{}, err
	}
	l.toolSlots <- struct{}{}
	defer func() { <-l.toolSlots }()
	return l.tools.Picture(context.Background(), in)
}

// readByTools reports whether the embedded picture of a track of format
// f is read by ffmpeg rather than from its tags.
func readByTools(f probe.Format) bool {
	return f.NeedsFFprobe() || f == probe.WebM
}

// ToolInput returns how ffmpeg reads the file f of track t, opened with
// [Library.Open]: by its absolute path once checked to be the very file f
// is, or from standard input for a source that is not a folder on disk.
// It returns an error when the path no longer names the file.
func (l *Library) ToolInput(t Track, f File) (probe.Input, error) {
	l.mu.RLock()
	src := l.src
	l.mu.RUnlock()
	return toolInput(src.Dir, t.Path, f, src.openFile)
}

// Tools returns the ffprobe and ffmpeg the library runs (see
// [Options.Tools]), for others that run them on its files.
func (l *Library) Tools() probe.Tools { return l.tools }
