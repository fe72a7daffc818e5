package player

import (
	"earshot/player/probe"
	"fmt"
	"io"
	"io/fs"
	"path"
)

// maxCoverBytes bounds the size of a folder cover image Earshot will load.
const maxCoverBytes = 32 << 20

// Cover returns the cover art of the track with the given ID: the picture
// embedded in its tags, else the folder's cover.*, folder.* or front.* image.
// A video's cover is its poster frame, a JPEG taken by ffmpeg when it is
// installed (see [artwork.PosterWidth]), else the folder's image.
// It returns [ErrNotFound] for an unknown ID, [ErrNoCover] when the track has
// no art, and an error wrapping [fs.ErrNotExist] when the file is gone or,
// with [ErrFolderMissing] too, while the library's folder is missing.
func (l *Library) Cover(id string) (probe.Picture, error) {
	l.mu.RLock()
	i, ok := l.byID[id]
	var t Track
	src := l.src
	if ok {
		t = l.tracks[i]
	}
	l.mu.RUnlock()
	switch {
	case !ok:
		return probe.Picture{}, ErrNotFound
	case l.life.missing.Load():
		// The folder's handle followed it wherever it was moved: never
		// read from there (see [Library.Open]).
		return probe.Picture{}, fmt.Errorf("cover of %s: %w (%w)", t.Path, fs.ErrNotExist, ErrFolderMissing)
	case t.Video && t.CoverEmbedded:
		// A video's cover is its poster frame, else its folder's image.
		if pic, err := l.poster(t, src); err == nil || t.CoverFile == "" {
			return pic, err
		}
	case t.CoverEmbedded && readByTools(t.Format):
		if pic, err := l.embeddedPicture(t, src); err == nil || t.CoverFile == "" {
			return pic, coverError(err)
		}
	case t.CoverEmbedded:
		f, err := src.openFile(t.Path)
		if err != nil {
			return probe.Picture{}, err
		}
		defer f.Close()
		tg, err := l.tags.ReadTags(f)
		if err == nil && tg.Picture != nil {
			return *tg.Picture, nil
		}
	}
	if t.CoverFile == "" {
		return probe.Picture{}, ErrNoCover
	}
	return readImage(src, t.CoverFile)
}

// coverError is the error of [Library.Cover] for a picture ffmpeg could
// not extract: one wrapping [ErrNoCover], nil for nil.
func coverError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: embedded picture: %w", ErrNoCover, err)
}

// readImage loads the image file name of src, of at most maxCoverBytes.
func readImage(src Source, name string) (probe.Picture, error) {
	f, err := src.openFile(name) // refuses a named pipe without blocking
	if err != nil {
		return probe.Picture{}, openError(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCoverBytes+1))
	if err != nil {
		return probe.Picture{}, fmt.Errorf("read cover %s: %w", name, err)
	}
	if len(data) > maxCoverBytes {
		return probe.Picture{}, fmt.Errorf("read cover %s: larger than %d bytes", path.Base(name), maxCoverBytes)
	}
	return probe.Picture{Data: data, MIMEType: probe.SniffImage(data)}, nil
}
