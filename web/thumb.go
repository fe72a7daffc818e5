package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"earshot/player"
)

// thumbCacheControl lets browsers keep a thumbnail for a week (604800 s)
// without asking; after that they revalidate with If-None-Match, which
// costs a 304. A track whose cover changes may show the old thumbnail until
// then. It is private: the thumbnail was served to a paired device, and a
// shared cache must not hand it to one that is not.
const thumbCacheControl = "private, max-age=604800"

// badThumbSize is the error message for a ?size= not in
// [player.ThumbnailSizes].
const badThumbSize = "size must be 96 or 300"

// thumbnail answers GET /api/tracks/{id}/cover?size=N with the track's
// cover art as a JPEG whose longer side is N pixels ([player.Library.Thumbnail]),
// for lists (96) and the album grid (300): a few kilobytes where the
// original can be megabytes. Its strong ETag is the SHA-256 of the
// thumbnail's bytes with the size, so If-None-Match gets a 304 from
// [http.ServeContent]. Any other size is a 400; a cover that is corrupt,
// too large or in a format Earshot cannot decode is a 404, like no cover,
// so the page shows its placeholder.
func (s *Server) thumbnail(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.Atoi(r.URL.Query().Get("size"))
	if err != nil || !slices.Contains(player.ThumbnailSizes, size) {
		writeError(w, http.StatusBadRequest, badThumbSize)
		return
	}
	pic, err := s.lib.Thumbnail(r.PathValue("id"), size)
	if errors.Is(err, player.ErrBadImage) {
		s.log.Warn("cover thumbnail", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusNotFound, "cover art is not a readable image")
		return
	}
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	sum := sha256.Sum256(pic.Data)
	h := w.Header()
	h.Set("Content-Type", pic.MIMEType)
	h.Set("ETag", `"`+strconv.Itoa(size)+"-"+base64.RawURLEncoding.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", thumbCacheControl)
	http.ServeContent(&jsonErrors{ResponseWriter: newStallWriter(w, s.stall)}, r, "", time.Time{}, bytes.NewReader(pic.Data))
}
