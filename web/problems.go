package web

import (
	"net/http"

	"earshot/player"
)

// problemsBody is the JSON shape of GET /api/problems.
type problemsBody struct {
	Problems []player.Problem `json:"problems"`
}

// problems answers GET /api/problems with [problemsBody]: the files the
// last scan could not read, each with its slash path and the reason, then
// those listed as needing ffmpeg ("needs ffmpeg", with the track's ID), as
// [player.Library.ProblemFiles] gives them. The list is empty, never null,
// when there is none. The page's Problems view shows it, as the window's
// problems button does.
func (s *Server) problems(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, problemsBody{s.lib.ProblemFiles()})
}
