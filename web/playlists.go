package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"earshot/player"
)

// maxChangeBody is the largest JSON body a user-data change takes, in
// bytes: a playlist of [player.MaxPlaylistEntries] IDs is about 80 KB, so
// a body that holds twice as many still reaches the entry check and gets
// its clear answer.
const maxChangeBody = 1 << 20

// playlistsBody is the JSON shape of GET /api/playlists: the playlists
// people make, and the playlist files found in the library (read-only).
type playlistsBody struct {
	Playlists []listedPlaylist   `json:"playlists"`
	Files     []filePlaylistInfo `json:"files"`
}

// listedPlaylist is how GET /api/playlists lists a playlist people make:
// its [player.PlaylistInfo] and its length in seconds, the sum of the
// durations of the tracks the library holds (missing entries count 0).
type listedPlaylist struct {
	player.PlaylistInfo
	Duration float64 `json:"duration"`
}

// playlistChange is the JSON body of POST /api/playlists, PUT
// /api/playlists/{id} and POST /api/playlists/{id}/tracks. A field left
// out (or null) is left as it is.
type playlistChange struct {
	Name     *string   `json:"name"`
	TrackIDs *[]string `json:"trackIds"`
}

// unknownBody is the JSON shape of a 400 for unknown track IDs: the error
// sentence and the IDs.
type unknownBody struct {
	Error   string   `json:"error"`
	Unknown []string `json:"unknown"`
}

// readChange decodes r's JSON body into v. It answers 413 for a body over
// [maxChangeBody], 400 for one that is not valid UTF-8 (encoding/json
// would silently turn it into U+FFFD), not JSON, or holds unknown fields,
// and reports false then.
func readChange(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxChangeBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", maxChangeBody))
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "the body could not be read")
		return false
	case !utf8.Valid(body):
		writeError(w, http.StatusBadRequest, "the body is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "the body is not the JSON expected: "+err.Error())
		return false
	}
	return true
}

// userError answers an error of a user-data method: 400 naming unknown
// track IDs ([unknownBody]) or saying what input was refused, 413 for a
// playlist over [player.MaxPlaylistEntries], 404 for an unknown playlist,
// 503 when the library keeps no user data; others as [Server.httpError].
func (s *Server) userError(w http.ResponseWriter, r *http.Request, err error) {
	var unknown *player.UnknownTracksError
	switch {
	case errors.As(err, &unknown):
		writeJSON(w, http.StatusBadRequest, unknownBody{Error: unknown.Error(), Unknown: unknown.IDs})
	case errors.Is(err, player.ErrTooManyEntries):
		writeError(w, http.StatusRequestEntityTooLarge, player.ErrTooManyEntries.Error())
	case errors.Is(err, player.ErrInvalid):
		writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), player.ErrInvalid.Error()+": "))
	case errors.Is(err, player.ErrPlaylistNotFound):
		writeError(w, http.StatusNotFound, player.ErrPlaylistNotFound.Error())
	case errors.Is(err, player.ErrNoUserData):
		writeError(w, http.StatusServiceUnavailable, player.ErrNoUserData.Error())
	default:
		s.httpError(w, r, err)
	}
}

// playlists answers GET /api/playlists with [playlistsBody] (the
// playlists people make oldest first, each with its duration, then the
// playlist files by path), and POST /api/playlists ({"name", "trackIds"}) with 201 and the
// new playlist's info.
func (s *Server) playlists(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		ps, err := s.lib.Playlists()
		if err != nil {
			s.userError(w, r, err)
			return
		}
		out := make([]listedPlaylist, 0, len(ps))
		for _, info := range ps {
			p, err := s.lib.Playlist(info.ID)
			if err != nil {
				continue // deleted meanwhile
			}
			l := listedPlaylist{PlaylistInfo: info}
			for _, e := range p.Entries {
				if !e.Missing {
					l.Duration += e.Track.Duration
				}
			}
			out = append(out, l)
		}
		writeJSON(w, http.StatusOK, playlistsBody{Playlists: out, Files: s.filePlaylistInfos()})
		return
	}
	var c playlistChange
	if !readChange(w, r, &c) {
		return
	}
	if c.Name == nil {
		writeError(w, http.StatusBadRequest, "a new playlist needs a name")
		return
	}
	var ids []string
	if c.TrackIDs != nil {
		ids = *c.TrackIDs
	}
	info, err := s.lib.CreatePlaylist(*c.Name, ids)
	if err != nil {
		s.userError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

// playlist serves /api/playlists/{id} (for a playlist file, see
// [Server.filePlaylist]): GET the playlist with its tracks
// (see [appendPlaylist]), or its .m3u8 export when the ID ends in
// ".m3u8" (a path segment cannot hold a pattern wildcard and a suffix,
// so the handler looks); PUT {"name"} and/or {"trackIds"} to rename it or
// replace its order (reorder, remove); DELETE it (204).
func (s *Server) playlist(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if strings.HasPrefix(id, filePlaylistPrefix) {
		s.filePlaylist(w, r, id)
		return
	}
	switch r.Method {
	case http.MethodPut:
		var c playlistChange
		if !readChange(w, r, &c) {
			return
		}
		var ids []string
		if c.TrackIDs != nil {
			ids = *c.TrackIDs
			if ids == nil {
				ids = []string{}
			}
		}
		info, err := s.lib.UpdatePlaylist(id, c.Name, ids, nil)
		if err != nil {
			s.userError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, info)
	case http.MethodDelete:
		if err := s.lib.DeletePlaylist(id); err != nil {
			s.userError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		if base, ok := strings.CutSuffix(id, ".m3u8"); ok {
			s.exportPlaylist(w, r, base)
			return
		}
		p, err := s.lib.Playlist(id)
		if err != nil {
			s.userError(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		w.Write(appendPlaylist(make([]byte, 0, 1024+400*len(p.Entries)), &p))
	}
}

// appendPlaylist appends p's JSON form: its [player.PlaylistInfo] fields
// and "tracks", each a Track object; an entry whose track the library no
// longer holds is {"id", "title", "artist", "path", "missing": true}, and
// one found again after its file moved adds "matchedBy" ("content" or
// "tags") and "matchedFrom" (the path it moved from).
func appendPlaylist(b []byte, p *player.PlaylistDetail) []byte {
	info, _ := json.Marshal(p.PlaylistInfo) // strings and times only: cannot fail
	b = append(b, info[:len(info)-1]...)
	b = append(b, `,"tracks":[`...)
	for i := range p.Entries {
		e := &p.Entries[i]
		if i > 0 {
			b = append(b, ',')
		}
		if e.Missing {
			b = appendField(b, `{"id":`, e.Track.ID)
			b = appendField(b, `,"title":`, e.Track.Title)
			b = appendField(b, `,"artist":`, e.Track.Artist)
			b = appendField(b, `,"path":`, e.Track.Path)
			b = append(b, `,"missing":true`...)
		} else {
			b = appendTrackJSON(b, &e.Track)
			b = b[:len(b)-1]
		}
		if e.MatchedBy != "" {
			b = appendField(b, `,"matchedBy":`, e.MatchedBy)
			b = appendField(b, `,"matchedFrom":`, e.MatchedFrom)
		}
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// exportPlaylist answers GET /api/playlists/{id}.m3u8 with the playlist as
// an extended M3U file in UTF-8 (RFC 8216 §4.3.1's tags #EXTM3U and
// #EXTINF:<seconds>,<artist> - <title>), each entry's path relative to
// the library folder, as a download named after the playlist. Missing
// entries keep their last known path.
func (s *Server) exportPlaylist(w http.ResponseWriter, r *http.Request, id string) {
	p, err := s.lib.Playlist(id)
	if err != nil {
		s.userError(w, r, err)
		return
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n")
	b.WriteString("#PLAYLIST:" + oneLine(p.Name) + "\n")
	for _, e := range p.Entries {
		t := e.Track
		secs := -1 // unknown, as M3U writes it
		if t.Duration > 0 {
			secs = int(t.Duration + 0.5)
		}
		label := t.Title
		if t.Artist != "" {
			label = t.Artist + " - " + t.Title
		}
		b.WriteString("#EXTINF:" + strconv.Itoa(secs) + "," + oneLine(label) + "\n")
		b.WriteString(oneLine(t.Path) + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "audio/x-mpegurl; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName(p.Name) + ".m3u8"}))
	io.WriteString(w, b.String())
}

// oneLine replaces the line breaks in s by spaces: an M3U line cannot
// hold one.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// fileName returns name with the characters file systems refuse
// (/ \ : * ? " < > | and control characters) replaced by "_", or
// "playlist" when nothing is left.
func fileName(name string) string {
	out := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	if strings.Trim(out, "_. ") == "" {
		return "playlist"
	}
	return out
}

// playlistTracks answers POST /api/playlists/{id}/tracks ({"trackIds"}),
// which appends the tracks, with the playlist's info.
func (s *Server) playlistTracks(w http.ResponseWriter, r *http.Request) {
	if id := r.PathValue("id"); strings.HasPrefix(id, filePlaylistPrefix) {
		s.filePlaylist(w, r, id)
		return
	}
	var c playlistChange
	if !readChange(w, r, &c) {
		return
	}
	if c.TrackIDs == nil || c.Name != nil {
		writeError(w, http.StatusBadRequest, `the body must be {"trackIds": [...]}`)
		return
	}
	ids := *c.TrackIDs
	if ids == nil {
		ids = []string{}
	}
	info, err := s.lib.UpdatePlaylist(r.PathValue("id"), nil, nil, ids)
	if err != nil {
		s.userError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}
