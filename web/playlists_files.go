package web

import (
	"net/http"
	"strconv"

	"earshot/player"
)

// filePlaylistPrefix starts the IDs of the playlist files found in the
// library ([player.FilePlaylist]).
const filePlaylistPrefix = "file-"

// filePlaylistInfo is how GET /api/playlists lists a playlist file of the
// library beside the playlists people make: read-only, with its path,
// its number of entries, how many of them name no track, and its length
// in seconds (the sum of the durations of the tracks it names).
type filePlaylistInfo struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Path     string  `json:"path"`
	Tracks   int     `json:"trackCount"`
	Missing  int     `json:"missing"`
	ReadOnly bool    `json:"readOnly"`
	Duration float64 `json:"duration"`
}

// filePlaylistInfos returns the library's playlist files as listed by GET
// /api/playlists, never nil.
func (s *Server) filePlaylistInfos() []filePlaylistInfo {
	files := s.lib.FilePlaylists()
	out := make([]filePlaylistInfo, len(files))
	for i, f := range files {
		out[i] = filePlaylistInfo{ID: f.ID, Name: f.Name, Path: f.Path, Tracks: f.Entries, Missing: f.Missing, ReadOnly: true}
		if full, err := s.lib.FilePlaylist(f.ID); err == nil {
			for _, e := range full.Tracks {
				if e.Track != nil {
					out[i].Duration += e.Track.Duration
				}
			}
		}
	}
	return out
}

// filePlaylist serves /api/playlists/{id} for a playlist file (id starts
// with "file-"): GET in the shape of a playlist people make — the
// [filePlaylistInfo] fields and "tracks", each a Track object, or for an
// entry that names no track {"title","path","duration","missing":true}
// as the file gives them — and 405 with Allow for a change, since the file
// is read-only; 404 for an unknown ID.
func (s *Server) filePlaylist(w http.ResponseWriter, r *http.Request, id string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "playlist files in the library are read-only")
		return
	}
	f, err := s.lib.FilePlaylist(id)
	if err != nil {
		writeError(w, http.StatusNotFound, player.ErrPlaylistNotFound.Error())
		return
	}
	b := make([]byte, 0, 1024+400*len(f.Tracks))
	b = appendField(b, `{"id":`, f.ID)
	b = appendField(b, `,"name":`, f.Name)
	b = appendField(b, `,"path":`, f.Path)
	b = strconv.AppendInt(append(b, `,"trackCount":`...), int64(f.Entries), 10)
	b = strconv.AppendInt(append(b, `,"missing":`...), int64(f.Missing), 10)
	b = append(b, `,"readOnly":true,"tracks":[`...)
	for i, e := range f.Tracks {
		if i > 0 {
			b = append(b, ',')
		}
		if e.Track != nil {
			b = appendTrackJSON(b, e.Track)
			continue
		}
		b = appendField(b, `{"title":`, e.Title)
		b = appendField(b, `,"path":`, e.Path)
		b = appendJSONFloat(append(b, `,"duration":`...), e.Duration)
		b = append(b, `,"missing":true}`...)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(append(b, "]}\n"...))
}
