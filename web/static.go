package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// staticPage returns the player page's files (index.html, app.js,
// style.css, the service worker sw.js, manifest.webmanifest and icons/):
// the embedded folder static, at the root.
func staticPage() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // "static" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}

// staticHandler serves [staticPage]. The page is small and changes with each
// release, so browsers revalidate it (no-cache) rather than keep stale code;
// that goes for the service worker and the manifest too, so an update is
// seen on the next load. Files are served with a fixed Content-Type by
// extension (application/manifest+json for .webmanifest), a strong ETag, and
// gzipped when the client accepts it (see [staticSite.serve]). Directories and
// the /index.html → / redirect are left to [http.FileServerFS].
func staticHandler() http.Handler {
	files := http.FileServerFS(staticPage())
	site := &staticSite{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A name fs.FS cannot hold (invalid UTF-8 such as the overlong
		// "%c0%ae") would make FileServerFS answer 500; it names no file.
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name != "" && !fs.ValidPath(strings.TrimSuffix(name, "/")) {
			writeError(w, http.StatusNotFound, "not found")
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		if name == "" {
			name = "index.html"
		} else if strings.HasSuffix(name, "/") || strings.HasSuffix(name, "index.html") {
			name = "" // a directory, or a redirect to one
		}
		if name != "" && site.serve(w, r, name) {
			return
		}
		files.ServeHTTP(w, r)
	})
}
