package player

import (
	"slices"
)

// Videos returns a copy of every video in the library ([Track.Video]),
// ordered by title ignoring case, then by path. Videos are not music: they
// are not in [Library.Tracks], the albums, artists, genres, folders or
// search results, but [Library.Track], [Library.Open] and [Library.Cover]
// (a poster frame, see [Library.Cover]) serve them like tracks.
func (l *Library) Videos() []Track {
	return slices.Clone(l.listed().videos)
}
