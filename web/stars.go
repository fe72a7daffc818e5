package web

import (
	"net/http"

	"earshot/player"
)

// starChange is the JSON body of POST and DELETE /api/stars: what the
// heart is on, kind "song", "album" or "artist", and its ID.
type starChange struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// favouritesBody is the JSON shape of GET /api/favourites: the Track,
// Album and Artist objects with a heart, newest heart first.
type favouritesBody struct {
	Songs   []player.Track  `json:"songs"`
	Albums  []player.Album  `json:"albums"`
	Artists []player.Artist `json:"artists"`
}

// stars answers POST /api/stars (put a heart on) and DELETE /api/stars
// (take it off) with 204. An unknown song is a 400 naming it (see
// [Server.userError]), as is an unknown album, artist or kind; taking a
// heart off what has none is not an error.
func (s *Server) stars(w http.ResponseWriter, r *http.Request) {
	var c starChange
	if !readChange(w, r, &c) {
		return
	}
	if err := s.lib.SetStar(c.Kind, c.ID, r.Method == http.MethodPost); err != nil {
		s.userError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// favourites answers GET /api/favourites with [favouritesBody].
func (s *Server) favourites(w http.ResponseWriter, r *http.Request) {
	f, err := s.lib.Favourites()
	if err != nil {
		s.userError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, favouritesBody{Songs: f.Songs, Albums: f.Albums, Artists: f.Artists})
}
