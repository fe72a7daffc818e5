package player

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"earshot/player/artwork"
	"earshot/player/probe"
)

// ThumbnailSizes are the sizes [Library.Thumbnail] makes, in pixels of the
// longer side: 96 for track lists (shown at 44 px, sharp on 2× screens) and
// 300 for the album grid. It is a constant table: callers must not modify
// it.
var ThumbnailSizes = []int{96, 300}

// ErrBadSize is returned by [Library.Thumbnail] for a size that is not one
// of [ThumbnailSizes].
var ErrBadSize = errors.New("unsupported thumbnail size")

// ErrBadImage is returned by [Library.Thumbnail] when the cover art cannot
// be made into a thumbnail; it is [artwork.ErrBadImage].
var ErrBadImage = artwork.ErrBadImage

// Thumbnail returns the cover art of the track with the given ID as a JPEG
// whose longer side is size pixels, one of [ThumbnailSizes], keeping the
// aspect ratio, made and cached by the library's [Art] (see
// [artwork.Cache.Thumbnail]).
//
// It returns an error wrapping [ErrBadSize] for another size, the errors of
// [Library.Cover] ([ErrNotFound], [ErrNoCover], …), and an error wrapping
// [ErrBadImage] when the cover cannot be decoded. The returned Data may be
// shared with a cache and must not be modified.
func (l *Library) Thumbnail(id string, size int) (probe.Picture, error) {
	if !slices.Contains(ThumbnailSizes, size) {
		return probe.Picture{}, fmt.Errorf("thumbnail size %d: %w", size, ErrBadSize)
	}
	pic, err := l.Cover(id)
	if err != nil {
		return probe.Picture{}, err
	}
	data, err := l.art.Thumbnail(pic.Data, size)
	if err != nil {
		return probe.Picture{}, fmt.Errorf("thumbnail of track %s: %w", id, err)
	}
	return probe.Picture{Data: data, MIMEType: "image/jpeg"}, nil
}

// poster returns the poster frame of video t of src, made by the library's
// [Art]. Every error wraps [ErrNoCover]: a video whose frame cannot be
// taken has no cover, like a song without art.
func (l *Library) poster(t Track, src Source) (probe.Picture, error) {
	v := artwork.Video{
		Path: t.Path, Size: t.Size, ModTime: t.ModTime, Duration: t.Duration,
		Open: func() (fs.File, error) { return src.openFile(t.Path) },
	}
	if src.Dir != "" {
		p, err := filepath.Abs(filepath.Join(src.Dir, filepath.FromSlash(t.Path)))
		if err != nil {
			return probe.Picture{}, fmt.Errorf("%w: poster frame: %w", ErrNoCover, err)
		}
		v.DiskPath = p
	}
	data, err := l.art.Poster(v)
	if err != nil {
		return probe.Picture{}, fmt.Errorf("%w: poster frame: %w", ErrNoCover, err)
	}
	return probe.Picture{Data: data, MIMEType: "image/jpeg"}, nil
}
