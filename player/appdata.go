package player

import (
	"fmt"
	"time"
)

// PlayQueue is the play queue a Subsonic app saves (savePlayQueue) so that
// another app, or the same one later, picks up where it stopped
// (getPlayQueue). The page keeps its own queue in each browser; this one
// belongs to the apps.
type PlayQueue struct {
	// TrackIDs are the queued tracks, in order.
	TrackIDs []string
	// Current is the ID of the track playing, "" for none.
	Current string
	// PositionMS is how far into Current playback is, in milliseconds.
	PositionMS int64
	// ChangedBy names the client that saved it (Subsonic's "c").
	ChangedBy string
	// Changed is when it was saved; the zero time when nothing was.
	Changed time.Time
}

// Rating is a user's rating of a song, album or artist, as the Subsonic
// setRating method sets it.
type Rating struct {
	// Kind is [StarSong], [StarAlbum] or [StarArtist].
	Kind string
	// ID is the song's, album's or artist's ID.
	ID string
	// Stars is from 1 to 5.
	Stars int
}

// Check returns nil when r can be kept by [AppDataStore.SetRating]: a
// kind of [StarSong], [StarAlbum] or [StarArtist], an ID, and Stars from
// 0 (no rating) to 5; else an error wrapping [ErrInvalid].
func (r Rating) Check() error {
	switch {
	case r.Kind != StarSong && r.Kind != StarAlbum && r.Kind != StarArtist:
		return fmt.Errorf("%w: rating of a %q", ErrInvalid, r.Kind)
	case r.ID == "":
		return fmt.Errorf("%w: rating without an ID", ErrInvalid)
	case r.Stars < 0 || r.Stars > 5:
		return fmt.Errorf("%w: a rating is from 0 to 5, not %d", ErrInvalid, r.Stars)
	}
	return nil
}

// AppDataStore keeps what Subsonic apps save beyond the page's own user
// data: their play queue and ratings. player/store's SQLiteIndex
// implements it. Implementations are safe for concurrent use.
type AppDataStore interface {
	// PlayQueue returns the saved play queue; the zero PlayQueue when
	// none was saved.
	PlayQueue() (PlayQueue, error)
	// SavePlayQueue replaces the saved play queue with q.
	SavePlayQueue(q PlayQueue) error
	// Ratings returns every rating, in no particular order.
	Ratings() ([]Rating, error)
	// SetRating keeps r, replacing any earlier rating of r.Kind and r.ID;
	// Stars 0 removes it. Other values of Stars are [ErrInvalid].
	SetRating(r Rating) error
}
