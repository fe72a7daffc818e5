package player

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNoUserData is returned by the playlist, favourite, play and position
// methods of a [Library] built without [Options.UserData] (Earshot run
// with no index).
var ErrNoUserData = errors.New("no place to keep playlists, favourites and history")

// ErrPlaylistNotFound is returned for a playlist ID that names no playlist.
var ErrPlaylistNotFound = errors.New("playlist not found")

// ErrInvalid is wrapped by the errors of user-data changes whose input is
// refused (a bad name, a bad kind, a position out of range): nothing was
// written.
var ErrInvalid = errors.New("invalid input")

// ErrTooManyEntries is wrapped by the error of a playlist change that would
// leave the playlist with more than [MaxPlaylistEntries] tracks: nothing
// was written.
var ErrTooManyEntries = fmt.Errorf("a playlist holds at most %d tracks", MaxPlaylistEntries)

// MaxPlaylistEntries is the most tracks one playlist holds.
const MaxPlaylistEntries = 5000

// MaxPlaylistName is the longest playlist name, in characters (runes).
const MaxPlaylistName = 200

// LongTrack is the duration, in seconds, above which a track remembers
// where it was left (20 minutes: audiobooks, mixes); see
// [Library.SetPosition].
const LongTrack = 20 * 60

// UnknownTracksError is the error of a user-data change that names track
// IDs the library does not hold: IDs lists them, each once, in the order
// given. Nothing was written.
type UnknownTracksError struct {
	IDs []string
}

// Error implements error.
func (e *UnknownTracksError) Error() string {
	return "unknown track ids: " + strings.Join(e.IDs, ", ")
}

// TrackRef is how user data names a track: by its [TrackID], with what is
// needed to find the file again when it moved or was renamed (see
// [Library.rematch]). Path, Title and Artist also let a playlist show an
// entry whose file is gone.
type TrackRef struct {
	ID   string
	Path string
	// Fingerprint is the track's tags and length: see [Fingerprint].
	Fingerprint string
	// Size is the file's length in bytes.
	Size int64
	// Hash is the hex SHA-256 of the file's first [headHashBytes] bytes;
	// "" when it was not taken (see [Library.refs]).
	Hash          string
	Title, Artist string
	// MatchedBy says how the track was last found again after its file
	// moved: "" (never moved), [MatchContent] or [MatchTags]; MatchedFrom is
	// the path it was found moved from.
	MatchedBy, MatchedFrom string
}

// How a moved file was found again ([TrackRef.MatchedBy]).
const (
	// MatchContent: a file of the same size whose first bytes hash the same.
	MatchContent = "content"
	// MatchTags: a file with the same [Fingerprint].
	MatchTags = "tags"
)

// Fingerprint returns what identifies t's recording whatever its file is
// called: album artist (else artist), album, title, track number and
// duration rounded to 0.1 s, compared ignoring case, joined by U+001F.
func Fingerprint(t *Track) string {
	artist := t.AlbumArtist
	if artist == "" {
		artist = t.Artist
	}
	return strings.Join([]string{
		strings.ToLower(artist), strings.ToLower(t.Album), strings.ToLower(t.Title),
		fmt.Sprint(t.TrackNumber), fmt.Sprintf("%.1f", math.Round(t.Duration*10)/10),
	}, "\x1f")
}

// PlaylistInfo is a playlist without its tracks. Times are when it was
// made and last changed; Tracks is its number of entries, missing ones
// included.
type PlaylistInfo struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Tracks  int       `json:"trackCount"`
}

// Playlist is a playlist with its entries in order: the references of
// its tracks, which may name tracks the library no longer holds.
type Playlist struct {
	PlaylistInfo
	Entries []TrackRef
}

// Star kinds: what a heart is on ([Star].Kind).
const (
	StarSong   = "song"
	StarAlbum  = "album"
	StarArtist = "artist"
)

// Star is a heart on a song, album or artist (by [Track.ID], [Album.ID]
// or [Artist.ID]), given at At.
type Star struct {
	Kind string
	ID   string
	At   time.Time
}

// PlayCount is how often a track was played (see [Library.RecordPlay]) and
// when last.
type PlayCount struct {
	TrackID    string
	Count      int
	LastPlayed time.Time
}

// RefMove is a track reference found again at another ID after a rescan:
// From is what was kept, To the track it now names (To.MatchedBy says how
// it was found).
type RefMove struct {
	From string
	To   TrackRef
}

// UserStore keeps what people make of a library — playlists, hearts, play
// counts, positions in long tracks — between runs. player/store's
// SQLiteIndex implements it. Methods that change something do it in one
// transaction: all of it or, on error, none. Implementations are safe for
// concurrent use.
type UserStore interface {
	// Playlists returns every playlist, oldest first.
	Playlists() ([]PlaylistInfo, error)
	// Playlist returns one playlist with its entries, or
	// [ErrPlaylistNotFound].
	Playlist(id string) (Playlist, error)
	// CreatePlaylist makes a playlist of the given entries at now and
	// returns its info.
	CreatePlaylist(name string, entries []TrackRef, now time.Time) (PlaylistInfo, error)
	// UpdatePlaylist renames the playlist (when name is not nil), replaces
	// its entries (when entries is not nil), or appends to them (when
	// appended is not nil), at now; [ErrPlaylistNotFound] for an unknown
	// id, an error wrapping [ErrTooManyEntries] when the result would hold
	// more than [MaxPlaylistEntries].
	UpdatePlaylist(id string, name *string, entries, appended []TrackRef, now time.Time) (PlaylistInfo, error)
	// DeletePlaylist deletes a playlist, or returns [ErrPlaylistNotFound].
	DeletePlaylist(id string) error
	// SetStar puts a heart on (on true) or takes it off the thing of kind
	// and id, at now; song is the song's reference (kind [StarSong] only).
	SetStar(kind, id string, song *TrackRef, on bool, now time.Time) error
	// Stars returns every heart, newest first.
	Stars() ([]Star, error)
	// RecordPlay counts one play of the track at now, once per listen ID:
	// it reports false, changing nothing, for a listen ID already counted.
	RecordPlay(track TrackRef, listen string, now time.Time) (bool, error)
	// Plays returns the play count of every track played.
	Plays() ([]PlayCount, error)
	// SetPosition keeps where the track was left, in seconds; 0 forgets it.
	SetPosition(track TrackRef, seconds float64, now time.Time) error
	// Positions returns the kept positions in seconds by track ID.
	Positions() (map[string]float64, error)
	// Refs returns the references of every track a playlist, heart, play
	// count or position names.
	Refs() ([]TrackRef, error)
	// MoveRefs makes everything that names each move's From name its To.
	MoveRefs(moves []RefMove) error
}

// checkPlaylistName returns name without surrounding white space, or an
// error wrapping [ErrInvalid] when it is empty, longer than
// [MaxPlaylistName] characters, not valid UTF-8 or holds control
// characters.
func checkPlaylistName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name):
		return "", fmt.Errorf("%w: the name is not valid UTF-8", ErrInvalid)
	case name == "":
		return "", fmt.Errorf("%w: the name is empty", ErrInvalid)
	case utf8.RuneCountInString(name) > MaxPlaylistName:
		return "", fmt.Errorf("%w: the name is longer than %d characters", ErrInvalid, MaxPlaylistName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", fmt.Errorf("%w: the name holds control characters", ErrInvalid)
	}
	return name, nil
}
