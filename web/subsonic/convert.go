package subsonic

import (
	"errors"
	"path"
	"strings"
	"time"

	"earshot/player"
	"earshot/transcode"
)

// musicFolderID is the ID of the one music folder, the library.
const musicFolderID = 1

// folderPrefix starts the ID of a folder of the library (getIndexes,
// getMusicDirectory): "d:" and its slash-separated path. Track, album and
// artist IDs are the page's own and never hold a colon.
const folderPrefix = "d:"

// userView is what the user made of the library, read once per request:
// hearts by kind and ID, and play counts by track ID.
type userView struct {
	stars map[string]time.Time // key: kind + "\x00" + id
	plays map[string]player.PlayCount
	// ratings are by kind + "\x00" + id, 1 to 5; read only.
	ratings map[string]int
}

// userData reads the hearts and play counts; a library without user data
// has none, and an error reading them is logged and leaves them out.
func (h *Handler) userData() userView {
	u := userView{stars: map[string]time.Time{}, plays: map[string]player.PlayCount{}}
	stars, err := h.lib.Stars()
	if err == nil {
		for _, s := range stars {
			u.stars[s.Kind+"\x00"+s.ID] = s.At
		}
		var plays []player.PlayCount
		plays, err = h.lib.PlayCounts()
		for _, p := range plays {
			u.plays[p.TrackID] = p
		}
	}
	if err != nil && !errors.Is(err, player.ErrNoUserData) {
		h.log.Warn("subsonic: reading hearts and plays", "err", err)
	}
	if u.ratings, err = h.data.ratings(); err != nil {
		h.log.Warn("subsonic: reading ratings", "err", err)
	}
	return u
}

// starred returns the RFC 3339 time of the heart on kind/id, "" for none.
func (u userView) starred(kind, id string) string {
	if at, ok := u.stars[kind+"\x00"+id]; ok {
		return at.UTC().Format(time.RFC3339)
	}
	return ""
}

// song returns t as a Child.
func (u userView) song(t *player.Track) Child {
	c := Child{ID: t.ID, Title: t.Title, Album: t.Album, Artist: t.Artist, Track: t.TrackNumber,
		Year: t.Year, Genre: strings.TrimSpace(t.Genre), Size: t.Size, ContentType: t.MIMEType,
		Suffix: strings.TrimPrefix(strings.ToLower(path.Ext(t.Path)), "."), Duration: int(t.Duration + 0.5),
		Path: t.Path, IsVideo: t.Video, DiscNumber: t.DiscNumber, AlbumID: player.AlbumID(albumArtist(t), t.Album),
		ArtistID: player.ArtistID(t.Artist), Type: "music", MediaType: "song",
		Parent: player.AlbumID(albumArtist(t), t.Album), Starred: u.starred(player.StarSong, t.ID),
		UserRating: u.ratings[player.StarSong+"\x00"+t.ID]}
	if t.Video {
		c.Type, c.MediaType = "video", "video"
	}
	if t.HasCover {
		c.CoverArt = t.ID
	}
	if t.End > 0 { // a cue sheet's track streams as MP3 (see stream)
		c.ContentType, c.Suffix, c.Size = "audio/mpeg", "mp3", int64(t.Duration*float64(transcode.MP3BitRate)/8)
	}
	if t.Duration > 0 && c.Size > 0 {
		c.BitRate = int(float64(t.Size)*8/t.Duration/1000 + 0.5)
	}
	if !t.ModTime.IsZero() {
		c.Created = t.ModTime.UTC().Format(time.RFC3339)
	}
	if p, ok := u.plays[t.ID]; ok {
		c.PlayCount = int64(p.Count)
	}
	return c
}

// albumArtist is the artist a track's album is grouped under, as the
// library's views group it: the album artist, else the artist.
func albumArtist(t *player.Track) string {
	if t.AlbumArtist != "" {
		return t.AlbumArtist
	}
	return t.Artist
}

// songs returns ts as Children, never nil.
func (u userView) songs(ts []player.Track) []Child {
	out := make([]Child, len(ts))
	for i := range ts {
		out[i] = u.song(&ts[i])
	}
	return out
}

// album returns a as an AlbumID3 (which also serves as a directory
// Child).
func (u userView) album(a *player.Album) Album {
	out := Album{ID: a.ID, Parent: a.ArtistID, IsDir: true, Title: a.Title, Name: a.Title, Artist: a.Artist,
		ArtistID: a.ArtistID, CoverArt: a.CoverTrack, SongCount: a.TrackCount, Duration: int(a.Duration + 0.5),
		Created: a.Added.UTC().Format(time.RFC3339), Starred: u.starred(player.StarAlbum, a.ID),
		Year: a.Year, Genre: a.Genre, UserRating: u.ratings[player.StarAlbum+"\x00"+a.ID]}
	return out
}

// albums returns as as AlbumID3s, never nil.
func (u userView) albums(as []player.Album) []Album {
	out := make([]Album, len(as))
	for i := range as {
		out[i] = u.album(&as[i])
	}
	return out
}

// artist returns a as an ArtistID3.
func (u userView) artist(a *player.Artist) Artist {
	return Artist{ID: a.ID, Name: a.Name, AlbumCount: a.AlbumCount, Starred: u.starred(player.StarArtist, a.ID)}
}

// artists returns as as ArtistID3s, never nil.
func (u userView) artists(as []player.Artist) []Artist {
	out := make([]Artist, len(as))
	for i := range as {
		out[i] = u.artist(&as[i])
	}
	return out
}

// indexLetter is the index a name is listed under: its first letter in
// upper case, "#" for anything but a letter.
func indexLetter(name string) string {
	for _, r := range strings.ToUpper(name) {
		if r >= 'A' && r <= 'Z' || r > 0x7f && strings.ToLower(string(r)) != string(r) {
			return string(r)
		}
		return "#"
	}
	return "#"
}
