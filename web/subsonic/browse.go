package subsonic

import (
	"errors"
	"path"
	"strings"

	"earshot/player"
)

// methodTable returns the methods served, by name. Every other name
// answers "not implemented".
func (h *Handler) methodTable() map[string]method {
	return map[string]method{
		"ping":                      func(*call) (*Response, error) { return ok() },
		"getLicense":                func(*call) (*Response, error) { return &Response{License: &License{Valid: true}}, nil },
		"getOpenSubsonicExtensions": func(*call) (*Response, error) { return &Response{Extensions: extensions()}, nil },
		"getMusicFolders":           h.getMusicFolders,
		"getUser":                   getUser,
		"getScanStatus":             h.getScanStatus,
		"startScan":                 h.startScan,
		"getIndexes":                h.getIndexes,
		"getMusicDirectory":         h.getMusicDirectory,
		"getArtists":                h.getArtists,
		"getArtist":                 h.getArtist,
		"getAlbum":                  h.getAlbum,
		"getSong":                   h.getSong,
		"getGenres":                 h.getGenres,
		"getArtistInfo2":            h.getArtistInfo2,
		"getAlbumInfo2":             h.getAlbumInfo2,
		"getAlbumList":              h.getAlbumList,
		"getAlbumList2":             h.getAlbumList2,
		"getRandomSongs":            h.getRandomSongs,
		"getSongsByGenre":           h.getSongsByGenre,
		"search2":                   h.search2,
		"search3":                   h.search3,
		"stream":                    h.stream,
		"download":                  h.download,
		"getCoverArt":               h.getCoverArt,
		"getLyrics":                 h.getLyrics,
		"getLyricsBySongId":         h.getLyricsBySongId,
	}
}

// extensions returns the OpenSubsonic extensions served: exactly those
// whose methods and parameters [Handler.methodTable] implements.
func extensions() *[]Extension {
	return &[]Extension{
		{Name: "formPost", Versions: []int{1}},
		{Name: "apiKeyAuthentication", Versions: []int{1}},
		{Name: "transcodeOffset", Versions: []int{1}},
		{Name: "songLyrics", Versions: []int{1}},
	}
}

// getUser answers the one user ([Username]) and its roles: streaming,
// downloads, playlists, covers and scrobbling, no more. The spec lists
// getUser among the user-management methods, but DSub asks for it on
// every connection and hides what the roles deny (its issue 469 in
// daneren2005/Subsonic: sharing hidden for a server without getUser), so
// it is served.
func getUser(c *call) (*Response, error) {
	name, err := c.need("username")
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(name, Username) {
		return nil, apiErr(CodeNotFound, "user not found")
	}
	return &Response{User: &User{Username: Username, ScrobblingEnabled: true, DownloadRole: true, PlaylistRole: true,
		CoverArtRole: true, StreamRole: true, Folders: []int{musicFolderID}}}, nil
}

func (h *Handler) getMusicFolders(*call) (*Response, error) {
	return &Response{MusicFolders: &MusicFolders{Folders: []MusicFolder{{ID: musicFolderID, Name: h.lib.Name()}}}}, nil
}

func (h *Handler) getScanStatus(*call) (*Response, error) {
	st := h.lib.Status()
	return &Response{ScanStatus: &ScanStatus{Scanning: st.Scanning, Count: st.Tracks}}, nil
}

// startScan answers the scan status: the library watches its folder and
// rescans what changes by itself ([player.Library.Use]), so there is
// nothing to start.
func (h *Handler) startScan(c *call) (*Response, error) { return h.getScanStatus(c) }

// getIndexes lists the library's top folders by first letter, and the
// tracks at its top, as folder IDs for getMusicDirectory.
func (h *Handler) getIndexes(c *call) (*Response, error) {
	top, err := h.lib.Folder("")
	if err != nil && !errors.Is(err, player.ErrFolderNotFound) {
		return nil, err
	}
	ix := &Indexes{}
	for _, a := range h.lib.Albums() { // lastModified: the newest file, in ms
		ix.LastModified = max(ix.LastModified, a.Added.UnixMilli())
	}
	for _, f := range top.Folders {
		ref := FolderRef{ID: folderPrefix + f.Path, Name: f.Name}
		letter := indexLetter(f.Name)
		if n := len(ix.Index); n > 0 && ix.Index[n-1].Name == letter {
			ix.Index[n-1].Artists = append(ix.Index[n-1].Artists, ref)
		} else {
			ix.Index = append(ix.Index, Index{Name: letter, Artists: []FolderRef{ref}})
		}
	}
	if len(top.Tracks) > 0 {
		ix.Child = h.userData().songs(top.Tracks)
	}
	return &Response{Indexes: ix}, nil
}

// getMusicDirectory answers a folder ID (from getIndexes), an artist ID
// (their albums) or an album ID (its songs).
func (h *Handler) getMusicDirectory(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	u := h.userData()
	if p, ok := strings.CutPrefix(id, folderPrefix); ok {
		f, err := h.lib.Folder(p)
		if err != nil {
			return nil, notFound(err, "folder")
		}
		d := &Directory{ID: id, Name: path.Base(p), Child: u.songs(f.Tracks)}
		if p != "" {
			d.Parent = folderPrefix + f.Parent
		}
		for _, sub := range f.Folders {
			d.Child = append(d.Child, Child{ID: folderPrefix + sub.Path, Parent: id, IsDir: true, Title: sub.Name})
		}
		return &Response{Directory: d}, nil
	}
	if a, err := h.lib.Album(id); err == nil {
		return &Response{Directory: &Directory{ID: id, Parent: a.ArtistID, Name: a.Title, Child: u.songs(a.Tracks)}}, nil
	}
	a, err := h.lib.Artist(id)
	if err != nil {
		return nil, apiErr(CodeNotFound, "directory not found")
	}
	d := &Directory{ID: id, Name: a.Name, Child: []Child{}}
	for _, al := range u.albums(a.Albums) {
		d.Child = append(d.Child, Child{ID: al.ID, Parent: id, IsDir: true, Title: al.Title, Album: al.Title,
			Artist: al.Artist, Year: al.Year, CoverArt: al.CoverArt, Created: al.Created, Starred: al.Starred})
	}
	d.Child = append(d.Child, u.songs(a.Tracks)...)
	return &Response{Directory: d}, nil
}

// notFound turns the player's not-found errors into error 70.
func notFound(err error, what string) error {
	for _, nf := range []error{player.ErrNotFound, player.ErrAlbumNotFound, player.ErrArtistNotFound,
		player.ErrGenreNotFound, player.ErrFolderNotFound, player.ErrPlaylistNotFound} {
		if errors.Is(err, nf) {
			return apiErr(CodeNotFound, what+" not found")
		}
	}
	return err
}

// getArtists lists every artist by first letter of their name.
func (h *Handler) getArtists(c *call) (*Response, error) {
	u := h.userData()
	out := &Artists{}
	for _, a := range u.artists(h.lib.Artists()) {
		letter := indexLetter(a.Name)
		if n := len(out.Index); n > 0 && out.Index[n-1].Name == letter {
			out.Index[n-1].Artists = append(out.Index[n-1].Artists, a)
		} else {
			out.Index = append(out.Index, ArtistIndex{Name: letter, Artists: []Artist{a}})
		}
	}
	return &Response{Artists: out}, nil
}

func (h *Handler) getArtist(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	a, err := h.lib.Artist(id)
	if err != nil {
		return nil, notFound(err, "artist")
	}
	u := h.userData()
	d := &ArtistDetail{Artist: u.artist(&a.Artist), Albums: u.albums(a.Albums)}
	if len(d.Albums) > 0 {
		d.CoverArt = d.Albums[0].CoverArt
	}
	return &Response{Artist: d}, nil
}

func (h *Handler) getAlbum(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	a, err := h.lib.Album(id)
	if err != nil {
		return nil, notFound(err, "album")
	}
	u := h.userData()
	return &Response{Album: &AlbumDetail{Album: u.album(&a.Album), Songs: u.songs(a.Tracks)}}, nil
}

func (h *Handler) getSong(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	t, err := h.lib.Track(id)
	if err != nil {
		return nil, notFound(err, "song")
	}
	s := h.userData().song(&t)
	return &Response{Song: &s}, nil
}

func (h *Handler) getGenres(c *call) (*Response, error) {
	gs := h.lib.Genres()
	out := &Genres{Genres: make([]Genre, len(gs))}
	for i, g := range gs {
		out.Genres[i] = Genre{Name: g.Name, SongCount: g.TrackCount, AlbumCount: g.AlbumCount}
	}
	return &Response{Genres: out}, nil
}
