package web

import (
	"net/http"
	"strconv"
	"time"

	"earshot/player"
)

// historyLimit is how many tracks GET /api/history answers by default;
// ?limit= may ask for up to [maxHistoryLimit].
const (
	historyLimit    = 100
	maxHistoryLimit = 1000
)

// playReport is the JSON body of POST /api/plays: the track, the seconds
// actually heard, and the client's ID for this listen, so that the same
// report sent twice counts once.
type playReport struct {
	TrackID  string   `json:"trackId"`
	Played   *float64 `json:"played"`
	ListenID string   `json:"listenId"`
}

// positionChange is the JSON body of PUT /api/tracks/{id}/position.
type positionChange struct {
	Seconds *float64 `json:"seconds"`
}

// historyTrack is a Track object with its play count and when it was last
// played (omitted when never).
type historyTrack struct {
	player.Track
	PlayCount  int        `json:"playCount"`
	LastPlayed *time.Time `json:"lastPlayed,omitempty"`
}

// historyBody is the JSON shape of GET /api/history.
type historyBody struct {
	View   string         `json:"view"`
	Tracks []historyTrack `json:"tracks"`
}

// plays answers POST /api/plays ([playReport]) with the
// [player.PlayResult]: whether it counted as a play (half the track or 4
// minutes heard, once per listen ID) and the track's play count.
func (s *Server) plays(w http.ResponseWriter, r *http.Request) {
	var p playReport
	if !readChange(w, r, &p) {
		return
	}
	if p.Played == nil {
		writeError(w, http.StatusBadRequest, "played (seconds heard) is missing")
		return
	}
	res, err := s.lib.RecordPlay(p.TrackID, p.ListenID, *p.Played)
	if err != nil {
		s.userError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// history answers GET /api/history?view=recent|most|added[&limit=N] with
// [historyBody]: recently played, most played, or recently added tracks
// (see [player.Library.History]); limit defaults to 100, at most 1000.
func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	view := q.Get("view")
	limit := historyLimit
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > maxHistoryLimit {
			writeError(w, http.StatusBadRequest, "limit must be a whole number from 1 to 1000")
			return
		}
		limit = n
	}
	entries, err := s.lib.History(view, limit)
	if err != nil {
		s.userError(w, r, err)
		return
	}
	body := historyBody{View: view, Tracks: make([]historyTrack, len(entries))}
	for i, e := range entries {
		body.Tracks[i] = historyTrack{Track: e.Track, PlayCount: e.Count}
		if !e.LastPlayed.IsZero() {
			body.Tracks[i].LastPlayed = &entries[i].LastPlayed
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// position answers PUT /api/tracks/{id}/position ({"seconds"}) with 204:
// where a track over 20 minutes was left, shown as "resumeAt" in its
// Track object; under 1 s or within 5 s of the end forgets it. A shorter
// track or a position outside the track is a 400.
func (s *Server) position(w http.ResponseWriter, r *http.Request) {
	var p positionChange
	if !readChange(w, r, &p) {
		return
	}
	if p.Seconds == nil {
		writeError(w, http.StatusBadRequest, "seconds is missing")
		return
	}
	if err := s.lib.SetPosition(r.PathValue("id"), *p.Seconds); err != nil {
		s.userError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// resumeTrack is a Track object with "resumeAt", where a long track was
// left in seconds (omitted when none is kept).
type resumeTrack struct {
	player.Track
	ResumeAt float64 `json:"resumeAt,omitempty"`
}

// appendResumeAt appends ,"resumeAt":seconds inside the Track object that
// ends b.
func appendResumeAt(b []byte, seconds float64) []byte {
	b = appendJSONFloat(append(b[:len(b)-1], `,"resumeAt":`...), seconds)
	return append(b, '}')
}
