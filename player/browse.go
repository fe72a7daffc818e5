package player

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"
)

// ErrAlbumNotFound is returned by [Library.Album] for an unknown album ID.
var ErrAlbumNotFound = errors.New("album not found")

// ErrArtistNotFound is returned by [Library.Artist] for an unknown artist ID.
var ErrArtistNotFound = errors.New("artist not found")

// ErrGenreNotFound is returned by [Library.Genre] for an unknown genre ID.
var ErrGenreNotFound = errors.New("genre not found")

// ErrFolderNotFound is returned by [Library.Folder] for a path that is not a
// folder holding tracks of the library.
var ErrFolderNotFound = errors.New("folder not found")

// Album is a summary of the tracks that share an album artist and an album
// title, both compared ignoring case. The album artist is the track's album
// artist tag, or its artist when that is empty, so a compilation tagged
// "Various Artists" is one album however many artists its tracks have, and
// two albums with the same title by different album artists stay apart.
// Its JSON form is the API's Album object.
type Album struct {
	// ID is short, URL-safe and stable across scans and restarts while the
	// album artist and title stay the same: see [AlbumID].
	ID    string `json:"id"`
	Title string `json:"title"`
	// Artist is the album artist; ArtistID is its [Artist.ID].
	Artist   string `json:"artist"`
	ArtistID string `json:"artistId"`
	// Year and Genre are those most of the album's tracks carry (0 and ""
	// when none does).
	Year  int    `json:"year"`
	Genre string `json:"genre"`
	// TrackCount is the number of tracks; Duration their total playing
	// time in seconds, rounded to the millisecond.
	TrackCount int     `json:"trackCount"`
	Duration   float64 `json:"duration"`
	// CoverTrack is the ID of the album's first track with cover art, whose
	// cover stands for the album; "" when no track has any.
	CoverTrack string `json:"coverTrack"`
	// Compilation reports whether the tracks have more than one artist.
	Compilation bool `json:"compilation"`
	// Added is the newest modification time of its tracks' files: when
	// the album last gained or changed a track (Subsonic's "newest" list).
	Added time.Time `json:"-"`
}

// AlbumDetail is an [Album] with its tracks, ordered by disc number, track
// number, then title. Its JSON form is the Album object with a "tracks" array.
type AlbumDetail struct {
	Album
	Tracks []Track `json:"tracks"`
}

// Artist is a summary of one artist: a name that is the album artist of
// some albums, the artist of some tracks, or both (compared ignoring case).
// Its JSON form is the API's Artist object.
type Artist struct {
	// ID is short, URL-safe and stable while the name stays the same: see
	// [ArtistID].
	ID   string `json:"id"`
	Name string `json:"name"`
	// AlbumCount is the number of albums the artist is the album artist of.
	AlbumCount int `json:"albumCount"`
	// TrackCount counts the tracks of those albums and the artist's tracks
	// on other artists' albums.
	TrackCount int `json:"trackCount"`
}

// ArtistDetail is an [Artist] with their albums, in library order, and
// their tracks on albums of other album artists (compilations, guest
// appearances), in library order. Its JSON form is the Artist object with
// "albums" and "tracks" arrays.
type ArtistDetail struct {
	Artist
	Albums []Album `json:"albums"`
	Tracks []Track `json:"tracks"`
}

// Genre is a summary of the tracks whose genre tag has the same name,
// compared ignoring case and surrounding spaces. Tracks without a genre
// belong to none. Its JSON form is the API's Genre object.
type Genre struct {
	// ID is short, URL-safe and stable while the name stays the same: see
	// [GenreID].
	ID         string `json:"id"`
	Name       string `json:"name"`
	AlbumCount int    `json:"albumCount"`
	TrackCount int    `json:"trackCount"`
}

// GenreDetail is a [Genre] with every album that has at least one track of
// that genre, in library order. Its JSON form is the Genre object with an
// "albums" array.
type GenreDetail struct {
	Genre
	Albums []Album `json:"albums"`
}

// Folder is one folder of the library as it is on disk, as far as its
// tracks tell: only folders holding tracks, directly or below, exist. Its
// JSON form is the API's Folder object.
type Folder struct {
	// Path is the folder's slash-separated path relative to the library
	// root, "" for the root; Parent is its parent's path, "" for the root
	// and for folders at the top.
	Path   string `json:"path"`
	Parent string `json:"parent"`
	// Folders are the subfolders, ordered by name ignoring case.
	Folders []Subfolder `json:"folders"`
	// Tracks are the tracks directly in the folder, ordered by file name
	// ignoring case.
	Tracks []Track `json:"tracks"`
}

// Subfolder is a folder listed in its parent [Folder].
type Subfolder struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// TrackCount counts the tracks in the folder and all folders below it.
	TrackCount int `json:"trackCount"`
}

// AlbumID returns the ID of the album by albumArtist titled title: the first
// 72 bits of the SHA-256 of their lower-cased forms, base64url-encoded
// without padding (12 characters).
func AlbumID(albumArtist, title string) string {
	return keyID("album", albumKey(albumArtist, title))
}

// ArtistID returns the ID of the artist called name, derived like [AlbumID]
// from the lower-cased name.
func ArtistID(name string) string { return keyID("artist", lower(name)) }

// GenreID returns the ID of the genre called name, derived like [AlbumID]
// from the lower-cased name without surrounding spaces.
func GenreID(name string) string { return keyID("genre", genreKey(name)) }

func albumKey(albumArtist, title string) string {
	return lower(albumArtist) + "\x00" + lower(title)
}

func genreKey(name string) string { return lower(strings.TrimSpace(name)) }

// keyID hashes a grouping key into a 12-character URL-safe ID; kind keeps
// equal keys of different kinds apart.
func keyID(kind, key string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + key))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// Albums returns every album in library order: by album artist, then title,
// ignoring case.
func (l *Library) Albums() []Album {
	v := l.view()
	out := make([]Album, len(v.albums))
	for i, a := range v.albums {
		out[i] = a.Album
	}
	return out
}

// Album returns the album with the given ID and its tracks, or
// [ErrAlbumNotFound].
func (l *Library) Album(id string) (AlbumDetail, error) {
	v := l.view()
	i, ok := v.albumByID[id]
	if !ok {
		return AlbumDetail{}, ErrAlbumNotFound
	}
	a := v.albums[i]
	return AlbumDetail{Album: a.Album, Tracks: v.pick(a.tracks)}, nil
}

// Artists returns every artist, ordered by name ignoring case and
// diacritics.
func (l *Library) Artists() []Artist {
	v := l.view()
	out := make([]Artist, len(v.artists))
	for i, a := range v.artists {
		out[i] = a.Artist
	}
	return out
}

// Artist returns the artist with the given ID with their albums, oldest
// first (albums of unknown year last, ties in library order), and their
// tracks on other albums, or [ErrArtistNotFound].
func (l *Library) Artist(id string) (ArtistDetail, error) {
	v := l.view()
	i, ok := v.artistByID[id]
	if !ok {
		return ArtistDetail{}, ErrArtistNotFound
	}
	a := v.artists[i]
	albums := v.pickAlbums(a.albums)
	slices.SortStableFunc(albums, func(x, y Album) int { return compareYears(x.Year, y.Year) })
	return ArtistDetail{Artist: a.Artist, Albums: albums, Tracks: v.pick(a.others)}, nil
}

// Genres returns every genre, ordered by name ignoring case and diacritics.
func (l *Library) Genres() []Genre {
	v := l.view()
	out := make([]Genre, len(v.genres))
	for i, g := range v.genres {
		out[i] = g.Genre
	}
	return out
}

// Genre returns the genre with the given ID with its albums, or
// [ErrGenreNotFound].
func (l *Library) Genre(id string) (GenreDetail, error) {
	v := l.view()
	i, ok := v.genreByID[id]
	if !ok {
		return GenreDetail{}, ErrGenreNotFound
	}
	g := v.genres[i]
	return GenreDetail{Genre: g.Genre, Albums: v.pickAlbums(g.albums)}, nil
}

// Folder returns the library folder at the slash-separated path p relative
// to the library root ("" is the root; leading and trailing slashes are
// ignored). It is derived from the tracks' paths and never reads the disk.
// It returns [ErrFolderNotFound] when no track is in or below p.
func (l *Library) Folder(p string) (Folder, error) {
	v := l.view()
	p = strings.Trim(p, "/")
	f, ok := v.folders[p]
	if !ok {
		return Folder{}, ErrFolderNotFound
	}
	return Folder{Path: p, Parent: parentDir(p), Folders: slices.Clone(f.sub), Tracks: v.pick(f.tracks)}, nil
}
