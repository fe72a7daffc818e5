package web

import (
	"errors"
	"net/http"
	"strconv"

	"earshot/player"
)

// The browsing API. Every answer is JSON; the objects are the JSON forms of
// the player types (Album, Artist, Genre, Folder, Track):
//
//	GET /api/albums             {"albums":[Album…]}   (?sort=name|artist|year|added|plays|random&order=asc|desc&seed=N)
//	GET /api/albums/{id}        Album + {"tracks":[Track…]}
//	GET /api/artists            {"artists":[Artist…]}
//	GET /api/artists/{id}       Artist + {"albums":[Album…] (by year),"tracks":[Track…]}
//	GET /api/genres             {"genres":[Genre…]}
//	GET /api/genres/{id}        Genre + {"albums":[Album…]}
//	GET /api/folders?path=a/b   {"path","parent","folders":[{"name","path","trackCount"}…],"tracks":[Track…]}
//	GET /api/search?q=&limit=   {"tracks":[Track…],"albums":[Album…],"artists":[Artist…],"playlists":[PlaylistResult…]}
//
// An unknown ID or folder gets a 404 {"error":"album not found"} (artist,
// genre, folder likewise).

// albumsBody is the JSON shape of GET /api/albums.
type albumsBody struct {
	Albums []player.Album `json:"albums"`
}

// artistsBody is the JSON shape of GET /api/artists.
type artistsBody struct {
	Artists []player.Artist `json:"artists"`
}

// genresBody is the JSON shape of GET /api/genres.
type genresBody struct {
	Genres []player.Genre `json:"genres"`
}

// Search answers hold at most defaultSearchLimit results of each kind
// unless the request's limit parameter asks for up to maxSearchLimit.
const (
	defaultSearchLimit = 100
	maxSearchLimit     = 1000
)

// albums answers GET /api/albums[?sort=K[&order=asc|desc][&seed=N]]:
// every album in library order, or as [player.Library.SortedAlbums] sorts
// them, K one of name, artist, year, added, plays, random (seed, a whole
// number from 0, picks the shuffle; 0 when left out). An unknown sort or
// order, or a bad seed, is a 400.
func (s *Server) albums(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("sort") && !q.Has("order") && !q.Has("seed") {
		writeJSON(w, http.StatusOK, albumsBody{s.lib.Albums()})
		return
	}
	desc, ok := sortOrder(w, q.Get("order"))
	if !ok {
		return
	}
	var seed uint64
	if v := q.Get("seed"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "seed must be a whole number, 0 or more")
			return
		}
		seed = n
	}
	albums, err := s.lib.SortedAlbums(q.Get("sort"), desc, seed)
	if err != nil {
		s.sortError(w, r, err, player.AlbumSorts())
		return
	}
	writeJSON(w, http.StatusOK, albumsBody{albums})
}

func (s *Server) album(w http.ResponseWriter, r *http.Request) {
	a, err := s.lib.Album(r.PathValue("id"))
	if err != nil {
		s.browseError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) artists(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, artistsBody{s.lib.Artists()})
}

func (s *Server) artist(w http.ResponseWriter, r *http.Request) {
	a, err := s.lib.Artist(r.PathValue("id"))
	if err != nil {
		s.browseError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) genres(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, genresBody{s.lib.Genres()})
}

func (s *Server) genre(w http.ResponseWriter, r *http.Request) {
	g, err := s.lib.Genre(r.PathValue("id"))
	if err != nil {
		s.browseError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

// folder answers GET /api/folders?path=…; a missing or empty path is the
// library's top folder.
func (s *Server) folder(w http.ResponseWriter, r *http.Request) {
	f, err := s.lib.Folder(r.URL.Query().Get("path"))
	if err != nil {
		s.browseError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// searchAll answers GET /api/search?q=…[&limit=n] with the tracks, albums,
// artists and playlists matching q (see [player.Library.SearchAll]), at most limit of each (1 to maxSearchLimit,
// defaultSearchLimit when absent); a bad limit gets a 400.
func (s *Server) searchAll(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := defaultSearchLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSearchLimit {
			writeError(w, http.StatusBadRequest, "limit must be a whole number from 1 to "+strconv.Itoa(maxSearchLimit))
			return
		}
		limit = n
	}
	writeJSON(w, http.StatusOK, s.lib.SearchAll(q.Get("q"), limit))
}

// browseError answers the not-found errors of the browsing calls with a 404
// naming what was not found, and anything else as [Server.httpError] does.
func (s *Server) browseError(w http.ResponseWriter, r *http.Request, err error) {
	for _, nf := range []struct {
		err error
		msg string
	}{
		{player.ErrAlbumNotFound, "album not found"},
		{player.ErrArtistNotFound, "artist not found"},
		{player.ErrGenreNotFound, "genre not found"},
		{player.ErrFolderNotFound, "folder not found"},
	} {
		if errors.Is(err, nf.err) {
			writeError(w, http.StatusNotFound, nf.msg)
			return
		}
	}
	s.httpError(w, r, err)
}
