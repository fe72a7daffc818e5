package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// Static is the player page's files (index.html, app.js, style.css, …).
var Static, _ = fs.Sub(staticFiles, "static")

// staticHandler serves [Static]. The page is small and changes with each
// release, so browsers revalidate it (no-cache) rather than keep stale code.
func staticHandler() http.Handler {
	files := http.FileServerFS(Static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A name fs.FS cannot hold (invalid UTF-8 such as the overlong
		// "%c0%ae") would make FileServerFS answer 500; it names no file.
		if name := strings.TrimPrefix(r.URL.Path, "/"); name != "" && !fs.ValidPath(strings.TrimSuffix(name, "/")) {
			writeError(w, http.StatusNotFound, "not found")
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
