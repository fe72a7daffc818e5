package web

import (
	"errors"
	"net/http"

	"earshot/player"
)

// lyrics answers GET /api/tracks/{id}/lyrics with the track's lyrics
// ([player.Library.Lyrics]): {"synced":true,"lines":[{"time":12.5,
// "text":"…"}]} with times in seconds from the start of the track, or
// {"synced":false,"text":"…"}; 404 {"error":"no lyrics"} for a track
// without, and 404 "track not found" for an unknown ID.
func (s *Server) lyrics(w http.ResponseWriter, r *http.Request) {
	lyr, err := s.lib.Lyrics(r.PathValue("id"))
	if errors.Is(err, player.ErrNoLyrics) {
		writeError(w, http.StatusNotFound, "no lyrics")
		return
	}
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lyr)
}

// playlistFilesBody is the JSON shape of GET /api/playlist-files.
type playlistFilesBody struct {
	Playlists []player.FilePlaylist `json:"playlists"`
}

// playlistFiles answers GET /api/playlist-files with the playlist files
// (.m3u, .m3u8, .pls) of the library, read-only and without their tracks:
// {"playlists":[{"id","name","path","entries","missing"}]}. They are apart
// from /api/playlists, the playlists people make, and may be merged into
// it by ID (a playlist file's starts with "file-").
func (s *Server) playlistFiles(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, playlistFilesBody{Playlists: s.lib.FilePlaylists()})
}

// playlistFile answers GET /api/playlist-files/{id} with one playlist file
// and its entries in order: {"id","name","path","entries","missing",
// "tracks":[{"path","title","duration","missing","track":{…}}]}, where a
// missing entry keeps its path, title and duration and has no "track";
// 404 {"error":"playlist file not found"} for an unknown ID.
func (s *Server) playlistFile(w http.ResponseWriter, r *http.Request) {
	p, err := s.lib.FilePlaylist(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, "playlist file not found")
		return
	}
	writeJSON(w, http.StatusOK, p)
}
