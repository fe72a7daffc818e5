package player

import (
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
// installed (see [PosterWidth]), else the folder's image.
// It returns [ErrNotFound] for an unknown ID, [ErrNoCover] when the track has
// no art, and an error wrapping [fs.ErrNotExist] when the file is gone.
func (l *Library) Cover(id string) (Picture, error) {
	l.mu.RLock()
	i, ok := l.byID[id]
	var t Track
	src := l.src
	fsys := src.FS
	if ok {
		t = l.tracks[i]
	}
	l.mu.RUnlock()
	switch {
	case !ok:
		return Picture{}, ErrNotFound
	case t.Video && t.coverEmbedded:
		// A video's cover is its poster frame, else its folder's image.
		if pic, err := l.poster(t, src); err == nil || t.coverFile == "" {
			return pic, err
		}
	case t.coverEmbedded:
		f, err := openSeeker(fsys, t.Path)
		if err != nil {
			return Picture{}, err
		}
		defer f.Close()
		tg, err := l.tags.ReadTags(f)
		if err == nil && tg.Picture != nil {
			return *tg.Picture, nil
		}
	}
	if t.coverFile == "" {
		return Picture{}, ErrNoCover
	}
	return readImage(fsys, t.coverFile)
}

// readImage loads an image file of at most maxCoverBytes.
func readImage(fsys fs.FS, name string) (Picture, error) {
	f, err := openSeeker(fsys, name) // refuses a named pipe, which would block
	if err != nil {
		return Picture{}, openError(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCoverBytes+1))
	if err != nil {
		return Picture{}, fmt.Errorf("read cover %s: %w", name, err)
	}
	if len(data) > maxCoverBytes {
		return Picture{}, fmt.Errorf("read cover %s: larger than %d bytes", path.Base(name), maxCoverBytes)
	}
	return Picture{Data: data, MIMEType: sniffImage(data)}, nil
}
