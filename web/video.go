package web

import (
	"net/http"

	"earshot/player"
)

// videosBody is the JSON shape of GET /api/videos.
type videosBody struct {
	Videos []player.Track `json:"videos"`
}

// videos answers GET /api/videos with {"videos":[Track…]}: every video in
// the library ([player.Library.Videos]), by title then path, each a Track
// object with "video": true and its "width" and "height" in pixels when
// known. A video plays from /api/tracks/{id}/stream like a song (Range
// requests, so seeking works), and /api/tracks/{id}/cover is its poster
// frame (404 when ffmpeg is not installed).
func (s *Server) videos(w http.ResponseWriter, r *http.Request) {
	vs := s.lib.Videos()
	if vs == nil {
		vs = []player.Track{}
	}
	writeJSON(w, http.StatusOK, videosBody{vs})
}
