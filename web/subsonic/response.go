package subsonic

import "encoding/xml"

// Response is the subsonic-response element every method answers with
// (OpenSubsonic "subsonic-response"): status "ok" or "failed", the API
// version, the server's name and version, openSubsonic true, and at most
// one payload field. Its XML form is in the http://subsonic.org/restapi
// namespace with scalars as attributes; its JSON form is
// {"subsonic-response": {...}} (see [writeResponse]).
type Response struct {
	XMLName       xml.Name `xml:"http://subsonic.org/restapi subsonic-response" json:"-"`
	Status        string   `xml:"status,attr" json:"status"`
	Version       string   `xml:"version,attr" json:"version"`
	Type          string   `xml:"type,attr" json:"type"`
	ServerVersion string   `xml:"serverVersion,attr" json:"serverVersion"`
	OpenSubsonic  bool     `xml:"openSubsonic,attr" json:"openSubsonic"`

	Error      *Error       `xml:"error,omitempty" json:"error,omitempty"`
	Extensions *[]Extension `xml:"openSubsonicExtensions,omitempty" json:"openSubsonicExtensions,omitempty"`
	License    *License     `xml:"license,omitempty" json:"license,omitempty"`

	MusicFolders *MusicFolders `xml:"musicFolders,omitempty" json:"musicFolders,omitempty"`
	ScanStatus   *ScanStatus   `xml:"scanStatus,omitempty" json:"scanStatus,omitempty"`
	Indexes      *Indexes      `xml:"indexes,omitempty" json:"indexes,omitempty"`
	Directory    *Directory    `xml:"directory,omitempty" json:"directory,omitempty"`
	Artists      *Artists      `xml:"artists,omitempty" json:"artists,omitempty"`
	Artist       *ArtistDetail `xml:"artist,omitempty" json:"artist,omitempty"`
	Album        *AlbumDetail  `xml:"album,omitempty" json:"album,omitempty"`
	Song         *Child        `xml:"song,omitempty" json:"song,omitempty"`
	Genres       *Genres       `xml:"genres,omitempty" json:"genres,omitempty"`
	ArtistInfo2  *ArtistInfo   `xml:"artistInfo2,omitempty" json:"artistInfo2,omitempty"`
	AlbumInfo    *AlbumInfo    `xml:"albumInfo,omitempty" json:"albumInfo,omitempty"`
	AlbumList    *AlbumList    `xml:"albumList,omitempty" json:"albumList,omitempty"`
	AlbumList2   *AlbumList2   `xml:"albumList2,omitempty" json:"albumList2,omitempty"`
	RandomSongs  *Songs        `xml:"randomSongs,omitempty" json:"randomSongs,omitempty"`
	SongsByGenre *Songs        `xml:"songsByGenre,omitempty" json:"songsByGenre,omitempty"`
	Search2      *SearchResult `xml:"searchResult2,omitempty" json:"searchResult2,omitempty"`
	Search3      *SearchResult `xml:"searchResult3,omitempty" json:"searchResult3,omitempty"`
	Starred      *Starred      `xml:"starred,omitempty" json:"starred,omitempty"`
	Starred2     *Starred      `xml:"starred2,omitempty" json:"starred2,omitempty"`
	NowPlaying   *NowPlaying   `xml:"nowPlaying,omitempty" json:"nowPlaying,omitempty"`
	Playlists    *Playlists    `xml:"playlists,omitempty" json:"playlists,omitempty"`
	Playlist     *Playlist     `xml:"playlist,omitempty" json:"playlist,omitempty"`
	PlayQueue    *PlayQueue    `xml:"playQueue,omitempty" json:"playQueue,omitempty"`
	Bookmarks    *Bookmarks    `xml:"bookmarks,omitempty" json:"bookmarks,omitempty"`
	LyricsList   *LyricsList   `xml:"lyricsList,omitempty" json:"lyricsList,omitempty"`
	Lyrics       *LyricsText   `xml:"lyrics,omitempty" json:"lyrics,omitempty"`
	User         *User         `xml:"user,omitempty" json:"user,omitempty"`
}

// Error is a failed response's error: one of the code constants and a
// human-readable message.
type Error struct {
	Code    int    `xml:"code,attr" json:"code"`
	Message string `xml:"message,attr,omitempty" json:"message,omitempty"`
}

// The Subsonic error codes (API reference, "Error handling").
const (
	CodeGeneric         = 0
	CodeMissingParam    = 10
	CodeWrongCreds      = 40
	CodeTokenNotAllowed = 41
	CodeMechanism       = 42
	CodeConflictingAuth = 43
	CodeBadAPIKey       = 44
	CodeNotAuthorized   = 50
	CodeNotFound        = 70
)

// Extension is one OpenSubsonic extension and the versions served.
type Extension struct {
	Name     string `xml:"name,attr" json:"name"`
	Versions []int  `xml:"versions" json:"versions"`
}

// License is getLicense's answer: always valid.
type License struct {
	Valid bool `xml:"valid,attr" json:"valid"`
}

// MusicFolders lists the one music folder, the library.
type MusicFolders struct {
	Folders []MusicFolder `xml:"musicFolder" json:"musicFolder"`
}

// MusicFolder is a top-level folder; ID is always [musicFolderID].
type MusicFolder struct {
	ID   int    `xml:"id,attr" json:"id"`
	Name string `xml:"name,attr,omitempty" json:"name,omitempty"`
}

// ScanStatus says whether a scan runs and how many tracks are known.
type ScanStatus struct {
	Scanning bool `xml:"scanning,attr" json:"scanning"`
	Count    int  `xml:"count,attr" json:"count"`
}

// Indexes is getIndexes' answer: the library's top folders by first
// letter, and the tracks at its top.
type Indexes struct {
	IgnoredArticles string      `xml:"ignoredArticles,attr" json:"ignoredArticles"`
	LastModified    int64       `xml:"lastModified,attr" json:"lastModified"`
	Index           []Index     `xml:"index,omitempty" json:"index,omitempty"`
	Child           []Child     `xml:"child,omitempty" json:"child,omitempty"`
	Shortcut        []FolderRef `xml:"shortcut,omitempty" json:"shortcut,omitempty"`
}

// Index is one letter of [Indexes]: folders as Subsonic "artists".
type Index struct {
	Name    string      `xml:"name,attr" json:"name"`
	Artists []FolderRef `xml:"artist" json:"artist"`
}

// FolderRef is a folder listed in an [Index] (Subsonic's Artist).
type FolderRef struct {
	ID   string `xml:"id,attr" json:"id"`
	Name string `xml:"name,attr" json:"name"`
}

// Directory is getMusicDirectory's answer: a folder, album or artist
// with its children.
type Directory struct {
	ID     string  `xml:"id,attr" json:"id"`
	Parent string  `xml:"parent,attr,omitempty" json:"parent,omitempty"`
	Name   string  `xml:"name,attr" json:"name"`
	Child  []Child `xml:"child" json:"child"`
}

// Child is a song, or a folder or album in a [Directory] (IsDir true).
// Duration is whole seconds; Size bytes; BitRate kbit/s; Created and
// Starred are RFC 3339 times; UserRating is 1 to 5, 0 (left out) for
// none.
type Child struct {
	ID          string `xml:"id,attr" json:"id"`
	Parent      string `xml:"parent,attr,omitempty" json:"parent,omitempty"`
	IsDir       bool   `xml:"isDir,attr" json:"isDir"`
	Title       string `xml:"title,attr" json:"title"`
	Album       string `xml:"album,attr,omitempty" json:"album,omitempty"`
	Artist      string `xml:"artist,attr,omitempty" json:"artist,omitempty"`
	Track       int    `xml:"track,attr,omitempty" json:"track,omitempty"`
	Year        int    `xml:"year,attr,omitempty" json:"year,omitempty"`
	Genre       string `xml:"genre,attr,omitempty" json:"genre,omitempty"`
	CoverArt    string `xml:"coverArt,attr,omitempty" json:"coverArt,omitempty"`
	Size        int64  `xml:"size,attr,omitempty" json:"size,omitempty"`
	ContentType string `xml:"contentType,attr,omitempty" json:"contentType,omitempty"`
	Suffix      string `xml:"suffix,attr,omitempty" json:"suffix,omitempty"`
	Duration    int    `xml:"duration,attr,omitempty" json:"duration,omitempty"`
	BitRate     int    `xml:"bitRate,attr,omitempty" json:"bitRate,omitempty"`
	Path        string `xml:"path,attr,omitempty" json:"path,omitempty"`
	IsVideo     bool   `xml:"isVideo,attr,omitempty" json:"isVideo,omitempty"`
	PlayCount   int64  `xml:"playCount,attr,omitempty" json:"playCount,omitempty"`
	DiscNumber  int    `xml:"discNumber,attr,omitempty" json:"discNumber,omitempty"`
	Created     string `xml:"created,attr,omitempty" json:"created,omitempty"`
	Starred     string `xml:"starred,attr,omitempty" json:"starred,omitempty"`
	AlbumID     string `xml:"albumId,attr,omitempty" json:"albumId,omitempty"`
	ArtistID    string `xml:"artistId,attr,omitempty" json:"artistId,omitempty"`
	Type        string `xml:"type,attr,omitempty" json:"type,omitempty"`
	MediaType   string `xml:"mediaType,attr,omitempty" json:"mediaType,omitempty"`
	Bookmark    int64  `xml:"bookmarkPosition,attr,omitempty" json:"bookmarkPosition,omitempty"`
	UserRating  int    `xml:"userRating,attr,omitempty" json:"userRating,omitempty"`
}

// Artists is getArtists' answer: artists by first letter.
type Artists struct {
	IgnoredArticles string        `xml:"ignoredArticles,attr" json:"ignoredArticles"`
	Index           []ArtistIndex `xml:"index,omitempty" json:"index,omitempty"`
}

// ArtistIndex is one letter of [Artists].
type ArtistIndex struct {
	Name    string   `xml:"name,attr" json:"name"`
	Artists []Artist `xml:"artist" json:"artist"`
}

// Artist is an ArtistID3.
type Artist struct {
	ID         string `xml:"id,attr" json:"id"`
	Name       string `xml:"name,attr" json:"name"`
	CoverArt   string `xml:"coverArt,attr,omitempty" json:"coverArt,omitempty"`
	AlbumCount int    `xml:"albumCount,attr" json:"albumCount"`
	Starred    string `xml:"starred,attr,omitempty" json:"starred,omitempty"`
}

// ArtistDetail is getArtist's answer: an artist with their albums.
type ArtistDetail struct {
	Artist
	Albums []Album `xml:"album" json:"album"`
}

// Album is an AlbumID3. Duration is whole seconds.
type Album struct {
	ID        string `xml:"id,attr" json:"id"`
	Parent    string `xml:"parent,attr,omitempty" json:"parent,omitempty"`
	IsDir     bool   `xml:"isDir,attr" json:"isDir"`
	Title     string `xml:"title,attr" json:"title"`
	Name      string `xml:"name,attr" json:"name"`
	Artist    string `xml:"artist,attr,omitempty" json:"artist,omitempty"`
	ArtistID  string `xml:"artistId,attr,omitempty" json:"artistId,omitempty"`
	CoverArt  string `xml:"coverArt,attr,omitempty" json:"coverArt,omitempty"`
	SongCount int    `xml:"songCount,attr" json:"songCount"`
	Duration  int    `xml:"duration,attr" json:"duration"`
	PlayCount int64  `xml:"playCount,attr,omitempty" json:"playCount,omitempty"`
	Created   string `xml:"created,attr" json:"created"`
	Starred   string `xml:"starred,attr,omitempty" json:"starred,omitempty"`
	Year      int    `xml:"year,attr,omitempty" json:"year,omitempty"`
	Genre     string `xml:"genre,attr,omitempty" json:"genre,omitempty"`
	// UserRating is 1 to 5; 0 (left out) for none.
	UserRating int `xml:"userRating,attr,omitempty" json:"userRating,omitempty"`
}

// AlbumDetail is getAlbum's answer: an album with its songs.
type AlbumDetail struct {
	Album
	Songs []Child `xml:"song" json:"song"`
}

// Genres lists every genre.
type Genres struct {
	Genres []Genre `xml:"genre" json:"genre"`
}

// Genre is one genre; its name is the XML element's text.
type Genre struct {
	Name       string `xml:",chardata" json:"value"`
	SongCount  int    `xml:"songCount,attr" json:"songCount"`
	AlbumCount int    `xml:"albumCount,attr" json:"albumCount"`
}

// ArtistInfo is getArtistInfo2's answer (OpenSubsonic ArtistInfo2): the
// URLs of the artist's cover at three sizes. Earshot knows no biography
// and no similar artists, so those are left out.
type ArtistInfo struct {
	Biography      string `xml:"biography,omitempty" json:"biography,omitempty"`
	SmallImageURL  string `xml:"smallImageUrl,omitempty" json:"smallImageUrl,omitempty"`
	MediumImageURL string `xml:"mediumImageUrl,omitempty" json:"mediumImageUrl,omitempty"`
	LargeImageURL  string `xml:"largeImageUrl,omitempty" json:"largeImageUrl,omitempty"`
}

// AlbumInfo is getAlbumInfo2's answer: the URLs of the album's cover at
// three sizes, and no notes.
type AlbumInfo struct {
	Notes          string `xml:"notes,omitempty" json:"notes,omitempty"`
	SmallImageURL  string `xml:"smallImageUrl,omitempty" json:"smallImageUrl,omitempty"`
	MediumImageURL string `xml:"mediumImageUrl,omitempty" json:"mediumImageUrl,omitempty"`
	LargeImageURL  string `xml:"largeImageUrl,omitempty" json:"largeImageUrl,omitempty"`
}

// AlbumList is getAlbumList's answer: albums as directory children.
type AlbumList struct {
	Albums []Album `xml:"album" json:"album"`
}

// AlbumList2 is getAlbumList2's answer.
type AlbumList2 struct {
	Albums []Album `xml:"album" json:"album"`
}

// Songs is the answer of getRandomSongs and getSongsByGenre.
type Songs struct {
	Songs []Child `xml:"song" json:"song"`
}

// SearchResult is the answer of search2 and search3.
type SearchResult struct {
	Artists []Artist `xml:"artist" json:"artist"`
	Albums  []Album  `xml:"album" json:"album"`
	Songs   []Child  `xml:"song" json:"song"`
}

// Starred is the answer of getStarred and getStarred2.
type Starred struct {
	Artists []Artist `xml:"artist" json:"artist"`
	Albums  []Album  `xml:"album" json:"album"`
	Songs   []Child  `xml:"song" json:"song"`
}
