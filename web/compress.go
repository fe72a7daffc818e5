package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// compressible reports whether a response of Content-Type ct is text worth
// gzipping: JSON, JavaScript, CSS, HTML, SVG and the web app manifest.
// Audio, video and images are never compressed: they are compressed
// already, and a stream must stay byte-exact for Range requests.
func compressible(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "application/json", "text/javascript", "application/javascript", "text/css", "text/html",
		"text/plain", "image/svg+xml", "application/manifest+json":
		return true
	}
	return false
}

// acceptsGzip reports whether r's Accept-Encoding (RFC 9110 §12.5.3) lists
// gzip (or x-gzip, or *) with a non-zero quality value.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						q = f
					}
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}

// addVary adds Accept-Encoding to h's Vary header unless it is there.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// gzipWriters recycles gzip writers (each holds several hundred KB of
// state) between dynamic answers. They compress at [gzip.BestSpeed]: on
// the 50,000-track /api/tracks (16 MB) it is about 4× faster than the
// default level for a 10 % larger answer (1.18 MB against 1.07 MB; see
// BenchmarkTracksGzip), and the answer is made for each request.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// compress wraps h so that its dynamic API answers (JSON) are gzipped for
// clients that accept it, with Vary: Accept-Encoding. Whether to compress
// is decided when the status is written: only a body-bearing status with a
// [compressible] Content-Type and no Content-Encoding of its own is. The
// route table applies it only to routes whose encoding rule is [gzipOK]
// (audio, covers and /api/events are [identity]); HEAD requests, whose
// answers carry no body, and Range requests, which ask for bytes of the
// unencoded answer, pass through untouched.
// A Flush (through [http.ResponseController] too) flushes the gzip stream
// first, so a streamed answer reaches the client as it is written.
func compress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			h.ServeHTTP(w, r)
			return
		}
		addVary(w.Header())
		if !acceptsGzip(r) {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipResponse{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

// gzipResponse is the [http.ResponseWriter] of [compress]: it gzips the
// body when the answer's headers allow it, and passes it through when not.
type gzipResponse struct {
	http.ResponseWriter
	zw      *gzip.Writer // nil until compression starts, or when it does not
	decided bool
}

// WriteHeader decides whether the answer is compressed, then writes code.
func (g *gzipResponse) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		if code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified &&
			code != http.StatusPartialContent && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
			h.Set("Content-Encoding", "gzip")
			h.Del("Content-Length")
			if et := h.Get("ETag"); et != "" {
				h.Set("ETag", gzipETag(et))
			}
			g.zw = gzipWriters.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

// Write writes p to the body, through gzip when compressing.
func (g *gzipResponse) Write(p []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(p))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(p)
	}
	return g.ResponseWriter.Write(p)
}

// FlushError sends what was written so far to the client: the gzip
// stream's pending output, then the connection's buffer. It is the method
// [http.ResponseController.Flush] looks for first.
func (g *gzipResponse) FlushError() error {
	if !g.decided {
		g.WriteHeader(http.StatusOK) // as net/http does: a flush sends the headers
	}
	if g.zw != nil {
		if err := g.zw.Flush(); err != nil {
			return err
		}
	}
	return http.NewResponseController(g.ResponseWriter).Flush()
}

// Flush is [gzipResponse.FlushError] for callers of [http.Flusher].
func (g *gzipResponse) Flush() { g.FlushError() }

// Unwrap returns the wrapped writer, for [http.ResponseController].
func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close ends the gzip stream and returns its writer to the pool.
func (g *gzipResponse) close() {
	if g.zw == nil {
		return
	}
	g.zw.Close()
	g.zw.Reset(io.Discard)
	gzipWriters.Put(g.zw)
	g.zw = nil
}

// gzipETag returns the entity tag of the gzip variant of the answer whose
// tag is etag: a representation's encodings are different representations
// (RFC 9110 §8.8.3), so they need different strong validators.
func gzipETag(etag string) string {
	if strings.HasSuffix(etag, `"`) {
		return etag[:len(etag)-1] + `-gzip"`
	}
	return etag
}

// staticFile is one file of the embedded page, ready to serve: its bytes,
// its type and strong ETag, and, when [compressible], its gzip variant
// (compressed once, at first use) with its own ETag.
type staticFile struct {
	data, gz           []byte
	ctype, etag, gzTag string
}

// staticTypes are the Content-Types of the page's files by extension, fixed
// here rather than read from the OS's mime table, which differs between
// systems (on Windows the registry can map .js to text/plain).
var staticTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
}

// staticSite is the embedded page of one server's [staticHandler], read
// and compressed on first use rather than when the server is made (tests
// make hundreds of servers that never serve a page).
type staticSite struct {
	once  sync.Once
	files map[string]*staticFile // by name in [staticPage]
}

// byName returns the embedded page's files by name, reading and
// compressing them on the first call.
func (site *staticSite) byName() map[string]*staticFile {
	site.once.Do(func() {
		staticIndex := map[string]*staticFile{}
		fs.WalkDir(staticPage(), ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := fs.ReadFile(staticPage(), name)
			if err != nil {
				return nil
			}
			f := &staticFile{data: data, ctype: staticTypes[path.Ext(name)]}
			if f.ctype == "" {
				if f.ctype = mime.TypeByExtension(path.Ext(name)); f.ctype == "" {
					f.ctype = http.DetectContentType(data)
				}
			}
			sum := sha256.Sum256(data)
			f.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
			if compressible(f.ctype) {
				var b bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
				zw.Write(data)
				zw.Close()
				f.gz, f.gzTag = b.Bytes(), gzipETag(f.etag)
			}
			staticIndex[name] = f
			return nil
		})
		site.files = staticIndex
	})
	return site.files
}

// serve answers r with the embedded file name, gzipped when the
// client accepts it and the file is compressible, through
// [http.ServeContent] (so ETag revalidation, 304, HEAD and Range work on
// either variant). It reports false, writing nothing, when there is no
// such file.
func (site *staticSite) serve(w http.ResponseWriter, r *http.Request, name string) bool {
	f := site.byName()[name]
	if f == nil {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	body, tag := f.data, f.etag
	if f.gz != nil {
		addVary(h)
		if acceptsGzip(r) {
			body, tag = f.gz, f.gzTag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", tag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
	return true
}
