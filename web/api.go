package web

import (
	"net/http"

	"earshot/player"
)

// routes builds the server's handler. Paths are Go 1.22 mux patterns;
// methods are checked by [allow] so that a wrong one gets a JSON 405.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/status", allow(s.status, http.MethodGet))
	mux.HandleFunc("/api/tracks", allow(s.tracks, http.MethodGet))
	mux.HandleFunc("/api/tracks/{id}", allow(s.track, http.MethodGet))
	mux.HandleFunc("/api/tracks/{id}/stream", allow(s.stream, http.MethodGet, http.MethodHead))
	mux.HandleFunc("/api/tracks/{id}/cover", allow(s.cover, http.MethodGet))
	mux.HandleFunc("/api/search", allow(s.search, http.MethodGet))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not found")
	})
	mux.Handle("/", allow(staticHandler().ServeHTTP, http.MethodGet))
	return commonHeaders(s.authorize(mux))
}

// commonHeaders sets the headers every response carries.
func commonHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// statusBody is the JSON shape of GET /api/status.
type statusBody struct {
	Version  string `json:"version"`
	Library  string `json:"library"`
	Tracks   int    `json:"tracks"`
	Scanning bool   `json:"scanning"`
	Scanned  int    `json:"scanned"`
	Total    int    `json:"total"`
}

// tracksBody is the JSON shape of GET /api/tracks and /api/search.
type tracksBody struct {
	Tracks []player.Track `json:"tracks"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st := s.lib.Status()
	writeJSON(w, http.StatusOK, statusBody{
		Version: s.version, Library: st.Library, Tracks: st.Tracks,
		Scanning: st.Scanning, Scanned: st.Scanned, Total: st.Total,
	})
}

func (s *Server) tracks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, tracksBody{s.lib.Tracks()})
}

func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	t, err := s.lib.Track(r.PathValue("id"))
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, tracksBody{s.lib.Search(r.URL.Query().Get("q"))})
}
