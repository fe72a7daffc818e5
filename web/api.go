package web

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"earshot/player"
)

// statusBody is the JSON shape of GET /api/status. Missing is true while
// the library folder is gone from its path (see [player.Status]): the
// library still lists what it held, but its files cannot be streamed.
type statusBody struct {
	Version  string `json:"version"`
	Library  string `json:"library"`
	Tracks   int    `json:"tracks"`
	Videos   int    `json:"videos"`
	Scanning bool   `json:"scanning"`
	Scanned  int    `json:"scanned"`
	Total    int    `json:"total"`
	Missing  bool   `json:"missing"`
	// Uploads says whether the asking device may add files.
	Uploads uploadsStatus `json:"uploads"`
}

// uploadsStatus is what /api/status says about uploads to the device that
// asks: Allowed false while uploads from other devices are off (this
// computer always may), and MaxSize, the largest file in bytes.
type uploadsStatus struct {
	Allowed bool  `json:"allowed"`
	MaxSize int64 `json:"maxSize"`
}

// tracksBody is the JSON shape of GET /api/tracks.
type tracksBody struct {
	Tracks []player.Track `json:"tracks"`
}

// tracksPage is the JSON shape of GET /api/tracks?offset=N&limit=M: the
// page's tracks, its offset (clamped to total) and the number of music
// tracks in all.
type tracksPage struct {
	Offset int            `json:"offset"`
	Total  int            `json:"total"`
	Tracks []player.Track `json:"tracks"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.statusBody(r))
}

// statusBody is the library's [player.Status] as GET /api/status and the
// first /api/events message send it to the device that sent r.
func (s *Server) statusBody(r *http.Request) statusBody {
	st := s.lib.Status()
	return statusBody{
		Version: s.version, Library: st.Library, Tracks: st.Tracks, Videos: st.Videos,
		Scanning: st.Scanning, Scanned: st.Scanned, Total: st.Total, Missing: st.Missing,
		Uploads: uploadsStatus{Allowed: s.up.mayUpload(r), MaxSize: s.up.maxSize},
	}
}

// tracks answers GET /api/tracks with [tracksBody]: every music track, in
// library order. With ?offset=N&limit=M (either may be left out: offset
// defaults to 0, limit to all) it answers one page of that list as
// [tracksPage], so that a page can show the first rows of a 50,000-track
// library before the rest has arrived. With ?sort=K[&order=asc|desc] the
// list (or page) is in the order of [player.Library.SortedTracks], K one
// of title, artist, album, year, added, duration, plays (title when only
// order is given; order asc when left out). A negative or non-numeric
// offset or limit, an unknown sort or order, is a 400. The answer is written as it is encoded, 32 KB at a
// time, from the library's own tracks (see [player.Library.TracksSeq]):
// encoding 100,000 tracks as one value would first build the whole 40 MB
// answer in memory, and copying them first would hold a second 30 MB.
func (s *Server) tracks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	paged := q.Has("offset") || q.Has("limit")
	offset, limit := 0, math.MaxInt
	for name, v := range map[string]*int{"offset": &offset, "limit": &limit} {
		if !q.Has(name) {
			continue
		}
		n, err := strconv.Atoi(q.Get(name))
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, name+" must be a whole number, 0 or more")
			return
		}
		*v = n
	}
	ts, total := s.lib.TracksSeq(offset, limit)
	if q.Has("sort") || q.Has("order") {
		desc, ok := sortOrder(w, q.Get("order"))
		if !ok {
			return
		}
		var err error
		if ts, total, err = s.lib.SortedTracks(cmp.Or(q.Get("sort"), "title"), desc, offset, limit); err != nil {
			s.sortError(w, r, err, player.TrackSorts())
			return
		}
	}
	resume, err := s.lib.Positions()
	if err != nil {
		s.log.Warn("positions unavailable", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	buf := make([]byte, 0, tracksChunk+4<<10)
	if paged {
		buf = fmt.Appendf(buf, `{"offset":%d,"total":%d,"tracks":[`, min(offset, total), total)
	} else {
		buf = append(buf, `{"tracks":[`...)
	}
	first := true
	for t := range ts {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendTrackJSON(buf, &t)
		if at, ok := resume[t.ID]; ok {
			buf = appendResumeAt(buf, at)
		}
		if len(buf) >= tracksChunk {
			if _, err := w.Write(buf); err != nil {
				return // the client went away
			}
			buf = buf[:0]
		}
	}
	w.Write(append(buf, "]}\n"...))
}

// sortOrder reads an order parameter: "" or "asc" is ascending, "desc"
// descending; anything else is answered with a 400 and ok false.
func sortOrder(w http.ResponseWriter, order string) (desc, ok bool) {
	switch order {
	case "", "asc":
		return false, true
	case "desc":
		return true, true
	}
	writeError(w, http.StatusBadRequest, "order must be asc or desc")
	return false, false
}

// sortError answers [player.ErrUnknownSort] with a 400 naming the known
// keys, and anything else as [Server.httpError] does.
func (s *Server) sortError(w http.ResponseWriter, r *http.Request, err error, keys []string) {
	if errors.Is(err, player.ErrUnknownSort) {
		writeError(w, http.StatusBadRequest, "sort must be one of "+strings.Join(keys, ", "))
		return
	}
	s.httpError(w, r, err)
}

// tracksChunk is how many bytes of /api/tracks [Server.tracks] gathers
// before each write.
const tracksChunk = 32 << 10

func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	t, err := s.lib.Track(r.PathValue("id"))
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	resume, err := s.lib.Positions()
	if err != nil {
		s.log.Warn("positions unavailable", "err", err)
	}
	writeJSON(w, http.StatusOK, resumeTrack{Track: t, ResumeAt: resume[t.ID]})
}
