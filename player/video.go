package player

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Videos returns a copy of every video in the library ([Track.Video]),
// ordered by title ignoring case, then by path. Videos are not music: they
// are not in [Library.Tracks], the albums, artists, genres, folders or
// search results, but [Library.Track], [Library.Open] and [Library.Cover]
// (a poster frame, see [Library.Cover]) serve them like tracks.
func (l *Library) Videos() []Track {
	return slices.Clone(l.view().videos)
}

// readVideo reads the video file f, at slash path p in format (a
// [Format.Video] one), into a Track: its length, picture size and, for
// MP4 and MOV, the title, artist, year and genre of its tags. It reports
// audio, with f rewound and no track, for an MP4 or MOV file without a
// picture track, which the caller reads as [M4A] audio instead. tagErr and
// err are as for readTrack: a corrupt container is an err, and the file is
// skipped.
func readVideo(f io.ReadSeeker, info fs.FileInfo, p string, format Format, tags TagReader) (t Track, tagErr error, audio bool, err error) {
	v, err := readVideoInfo(f, info.Size(), format)
	if err != nil {
		return Track{}, nil, false, fmt.Errorf("%s: %w", p, err)
	}
	if !v.video {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return Track{}, nil, false, fmt.Errorf("%s: %w", p, err)
		}
		return Track{}, nil, true, nil
	}
	var tg Tags
	if format != WebM { // dhowden/tag reads MP4 atoms, not Matroska tags
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return Track{}, nil, false, fmt.Errorf("%s: %w", p, err)
		}
		tg, err = tags.ReadTags(f)
		switch {
		case errors.Is(err, ErrNoTags):
		case err != nil:
			tagErr = fmt.Errorf("%s: %w", p, err)
		}
	}
	poster := posterTool() != ""
	t = Track{
		ID:            TrackID(p),
		Title:         tg.Title,
		Artist:        tg.Artist,
		Year:          tg.Year,
		Genre:         tg.Genre,
		Duration:      v.dur,
		Format:        format,
		MIMEType:      format.MIMEType(),
		Size:          info.Size(),
		Path:          p,
		ModTime:       info.ModTime(),
		Video:         true,
		Width:         v.width,
		Height:        v.height,
		coverEmbedded: poster, // the poster frame comes from the file itself
	}
	t.HasCover = poster // the scan adds the folder's cover
	if t.Title == "" {
		base := path.Base(p)
		t.Title = strings.TrimSuffix(base, path.Ext(base))
	}
	return t, tagErr, false, nil
}
