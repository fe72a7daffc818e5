package web

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"

	"earshot/player"
)

// errorBody is the JSON shape of every error response: {"error":"…"}.
type errorBody struct {
	Error string `json:"error"`
}

// writeJSON writes v as JSON with the given status code. API answers are
// never cached without revalidation: the library can change at any time.
func writeJSON(w http.ResponseWriter, code int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// writeError writes a short JSON error message with the given status code.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorBody{msg})
}

// httpError answers err with a status and fixed message chosen like the
// standard library's toHTTPError: missing → 404, permission → 403, anything
// else → 500. The real error is logged, never sent to the client.
//
// A library folder that is gone from its path ([player.ErrFolderMissing],
// checked before fs.ErrNotExist, which [player.Library.Open] wraps with
// it) is a 503 Service Unavailable, "library folder is missing": the track
// still exists and is listed, and Earshot serves it again by itself when
// the folder is back (a drive remounted), which is the temporary condition
// "likely to be alleviated after some delay" of RFC 9110 §15.6.4. A 404
// would say the track is not there, and is heuristically cacheable (RFC
// 9110 §15.1), so a browser or proxy could go on answering it after the
// folder's return; a 503 is not, and the page's player waits on it and
// retries rather than calling the file broken. No Retry-After is sent:
// when a drive comes back is not the server's to know.
func (s *Server) httpError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, player.ErrFolderMissing):
		writeError(w, http.StatusServiceUnavailable, player.ErrFolderMissing.Error())
	case errors.Is(err, player.ErrNotFound):
		writeError(w, http.StatusNotFound, "track not found")
	case errors.Is(err, player.ErrNoCover):
		writeError(w, http.StatusNotFound, "no cover art")
	case errors.Is(err, fs.ErrNotExist):
		writeError(w, http.StatusNotFound, "file not found")
	case errors.Is(err, fs.ErrPermission):
		s.log.Warn("request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusForbidden, "permission denied")
	default:
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal server error")
	}
}

// allow wraps h so that methods other than those listed get a JSON 405 with
// an Allow header (RFC 9110 §15.5.6). GET implies HEAD.
func allow(h http.HandlerFunc, methods ...string) http.HandlerFunc {
	allowed := ""
	for i, m := range methods {
		if i > 0 {
			allowed += ", "
		}
		allowed += m
	}
	return func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m || (m == http.MethodGet && r.Method == http.MethodHead) {
				h(w, r)
				return
			}
		}
		w.Header().Set("Allow", allowed)
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}
