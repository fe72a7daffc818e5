package subsonic

// NowPlaying is getNowPlaying's answer.
type NowPlaying struct {
	Entries []NowPlayingEntry `xml:"entry" json:"entry"`
}

// NowPlayingEntry is a song someone is playing: Minutes since it began.
type NowPlayingEntry struct {
	Child
	Username   string `xml:"username,attr" json:"username"`
	MinutesAgo int    `xml:"minutesAgo,attr" json:"minutesAgo"`
	PlayerID   int    `xml:"playerId,attr" json:"playerId"`
	PlayerName string `xml:"playerName,attr,omitempty" json:"playerName,omitempty"`
}

// Playlists is getPlaylists' answer.
type Playlists struct {
	Playlists []Playlist `xml:"playlist" json:"playlist"`
}

// Playlist is a playlist; with its songs (Entries) in getPlaylist and
// createPlaylist. Duration is whole seconds; Created and Changed RFC 3339.
type Playlist struct {
	ID        string  `xml:"id,attr" json:"id"`
	Name      string  `xml:"name,attr" json:"name"`
	Owner     string  `xml:"owner,attr,omitempty" json:"owner,omitempty"`
	Public    bool    `xml:"public,attr" json:"public"`
	SongCount int     `xml:"songCount,attr" json:"songCount"`
	Duration  int     `xml:"duration,attr" json:"duration"`
	Created   string  `xml:"created,attr" json:"created"`
	Changed   string  `xml:"changed,attr" json:"changed"`
	CoverArt  string  `xml:"coverArt,attr,omitempty" json:"coverArt,omitempty"`
	Entries   []Child `xml:"entry,omitempty" json:"entry,omitempty"`
}

// PlayQueue is getPlayQueue's answer: Position in milliseconds.
type PlayQueue struct {
	Current   string  `xml:"current,attr,omitempty" json:"current,omitempty"`
	Position  int64   `xml:"position,attr,omitempty" json:"position,omitempty"`
	Username  string  `xml:"username,attr" json:"username"`
	Changed   string  `xml:"changed,attr" json:"changed"`
	ChangedBy string  `xml:"changedBy,attr" json:"changedBy"`
	Entries   []Child `xml:"entry,omitempty" json:"entry,omitempty"`
}

// Bookmarks is getBookmarks' answer.
type Bookmarks struct {
	Bookmarks []Bookmark `xml:"bookmark" json:"bookmark"`
}

// Bookmark is a position (milliseconds) in a song.
type Bookmark struct {
	Position int64  `xml:"position,attr" json:"position"`
	Username string `xml:"username,attr" json:"username"`
	Created  string `xml:"created,attr" json:"created"`
	Changed  string `xml:"changed,attr" json:"changed"`
	Entry    Child  `xml:"entry" json:"entry"`
}

// LyricsList is getLyricsBySongId's answer (the songLyrics extension).
type LyricsList struct {
	Structured []StructuredLyrics `xml:"structuredLyrics" json:"structuredLyrics"`
}

// StructuredLyrics are one song's lyrics: synced lines with start times
// in milliseconds, or plain lines without.
type StructuredLyrics struct {
	Lang          string       `xml:"lang,attr" json:"lang"`
	Synced        bool         `xml:"synced,attr" json:"synced"`
	DisplayArtist string       `xml:"displayArtist,attr,omitempty" json:"displayArtist,omitempty"`
	DisplayTitle  string       `xml:"displayTitle,attr,omitempty" json:"displayTitle,omitempty"`
	Lines         []LyricsLine `xml:"line" json:"line"`
}

// LyricsLine is one line; Start is in milliseconds (synced only).
type LyricsLine struct {
	Start *int64 `xml:"start,attr,omitempty" json:"start,omitempty"`
	Value string `xml:",chardata" json:"value"`
}

// LyricsText is getLyrics' answer: plain text.
type LyricsText struct {
	Artist string `xml:"artist,attr,omitempty" json:"artist,omitempty"`
	Title  string `xml:"title,attr,omitempty" json:"title,omitempty"`
	Value  string `xml:",chardata" json:"value"`
}

// User is getUser's answer: the one user, with the roles that say what
// Earshot serves (DSub hides what a role denies).
type User struct {
	Username            string `xml:"username,attr" json:"username"`
	ScrobblingEnabled   bool   `xml:"scrobblingEnabled,attr" json:"scrobblingEnabled"`
	AdminRole           bool   `xml:"adminRole,attr" json:"adminRole"`
	SettingsRole        bool   `xml:"settingsRole,attr" json:"settingsRole"`
	DownloadRole        bool   `xml:"downloadRole,attr" json:"downloadRole"`
	UploadRole          bool   `xml:"uploadRole,attr" json:"uploadRole"`
	PlaylistRole        bool   `xml:"playlistRole,attr" json:"playlistRole"`
	CoverArtRole        bool   `xml:"coverArtRole,attr" json:"coverArtRole"`
	CommentRole         bool   `xml:"commentRole,attr" json:"commentRole"`
	PodcastRole         bool   `xml:"podcastRole,attr" json:"podcastRole"`
	StreamRole          bool   `xml:"streamRole,attr" json:"streamRole"`
	JukeboxRole         bool   `xml:"jukeboxRole,attr" json:"jukeboxRole"`
	ShareRole           bool   `xml:"shareRole,attr" json:"shareRole"`
	VideoConversionRole bool   `xml:"videoConversionRole,attr" json:"videoConversionRole"`
	Folders             []int  `xml:"folder" json:"folder"`
}
