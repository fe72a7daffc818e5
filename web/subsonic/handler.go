// Package subsonic serves an Earshot library over the Subsonic API with
// the OpenSubsonic extensions (the spec in ../shared/opensubsonic), so that
// apps such as Symfonium, DSub or Feishin can browse and play it: the
// methods under /rest/, app-password authentication, and the XML and JSON
// encodings. It works over [player.Library] and leaves what is HTTP
// plumbing of the server (streams, covers, rate limiting) to the [Media]
// and [Guard] its caller passes in.
package subsonic

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"earshot/player"
)

// APIVersion is the Subsonic API version served.
const APIVersion = "1.16.1"

// ServerType is the "type" of every response: the server's name.
const ServerType = "earshot"

// Username is the one user name the API knows: every app password belongs
// to it. Apps must send it as u (except with apiKey).
const Username = "earshot"

// maxFormBody bounds a form POST's body in bytes (a long playlist's IDs
// fit easily).
const maxFormBody = 1 << 20

// Media serves the bytes the API hands out. The web server implements it
// with its own handlers, so the API's streams and covers carry the same
// Range handling, ETag and Last-Modified as the page's.
type Media interface {
	// Stream answers r with track id's original bytes (Range, HEAD), as
	// an attachment named like the file when attachment is set.
	Stream(w http.ResponseWriter, r *http.Request, id string, attachment bool)
	// StreamMP3 answers r with track id transcoded to MP3 at bitRate
	// bit/s (an MPEG-1 rate, from 32000 to 320000), starting
	// at offset seconds (0 for the start).
	StreamMP3(w http.ResponseWriter, r *http.Request, id string, offset float64, bitRate int)
	// Cover answers r with track id's cover, scaled to fit size pixels
	// when size > 0.
	Cover(w http.ResponseWriter, r *http.Request, id string, size int)
}

// Guard applies the server's failure limiter to the API: Blocked reports
// whether r's address is refused for now (and for how long), Fail counts a
// wrong credential from it, and Passed records an authorised request.
type Guard interface {
	Blocked(r *http.Request) (wait time.Duration, blocked bool)
	Fail(r *http.Request)
	Passed(r *http.Request)
}

// Options configure a [Handler].
type Options struct {
	// Library is what the API serves.
	Library *player.Library
	// Passwords keeps the app passwords; nil keeps them in memory.
	Passwords player.AppPasswordStore
	// Data keeps the apps' play queue and ratings; nil keeps them in
	// memory.
	Data player.AppDataStore
	// Media serves streams and covers; required.
	Media Media
	// Guard limits failed logins; required.
	Guard Guard
	// ServerVersion is the "serverVersion" of every response.
	ServerVersion string
	// Logger receives errors; nil means [slog.Default].
	Logger *slog.Logger
	// Answers, when not nil, wraps the writer of every XML or JSON answer
	// (not of media, which [Media] answers): the server puts its per-write
	// stall deadline there.
	Answers func(http.ResponseWriter) http.ResponseWriter
}

// Handler serves /rest/<method> and /rest/<method>.view. Create it with
// [New]. Safe for concurrent use.
type Handler struct {
	lib     *player.Library
	pw      *passwords
	media   Media
	guard   Guard
	version string
	log     *slog.Logger
	methods map[string]method
	np      *nowPlaying
	data    *appData
	answers func(http.ResponseWriter) http.ResponseWriter
}

// method is one API method's implementation: it fills the response's
// payload or returns an *apiError.
type method func(c *call) (*Response, error)

// New returns a handler for o.
func New(o Options) *Handler {
	h := &Handler{lib: o.Library, pw: newPasswords(o.Passwords), media: o.Media, guard: o.Guard,
		version: o.ServerVersion, log: o.Logger, np: newNowPlaying(), data: newAppData(o.Data), answers: o.Answers}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.methods = h.methodTable()
	h.userDataMethods(h.methods)
	return h
}

// call is one request being answered: its parameters (query and form).
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	params map[string][]string
	client string
}

// get returns parameter name's first value, "" when absent.
func (c *call) get(name string) string {
	if v := c.params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// has reports whether parameter name is present.
func (c *call) has(name string) bool { return len(c.params[name]) > 0 }

// need returns parameter name, or an error 10 when it is absent or empty.
func (c *call) need(name string) (string, error) {
	v := c.get(name)
	if v == "" {
		return "", apiErr(CodeMissingParam, "required parameter is missing: "+name)
	}
	return v, nil
}

// intParam returns parameter name as an int clamped to [lo, hi], def when
// absent, and error 0 when it is not a number.
func (c *call) intParam(name string, def, lo, hi int) (int, error) {
	v := c.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, apiErr(CodeGeneric, "parameter "+name+" must be a whole number")
	}
	return min(max(n, lo), hi), nil
}

// apiError is a Subsonic error answer.
type apiError struct {
	code int
	msg  string
	// status is the HTTP status; 0 means 200, as the spec has it.
	status int
}

func (e *apiError) Error() string { return e.msg }

// apiErr returns an *apiError.
func apiErr(code int, msg string) error { return &apiError{code: code, msg: msg} }

// errNotImplemented answers every method Earshot does not serve.
func errNotImplemented(name string) error {
	return apiErr(CodeGeneric, "not implemented: "+name)
}

// methodName returns the method a path names: "/rest/ping.view" → "ping".
func methodName(path string) string {
	name := path[strings.LastIndexByte(path, '/')+1:]
	return strings.TrimSuffix(name, ".view")
}

// ServeHTTP implements [http.Handler]: it reads the parameters (query,
// and the form body of a POST: the formPost extension), authenticates
// (see [Handler.authenticate]), and runs the method. Errors are answered
// with HTTP 200 and a failed subsonic-response, as the spec says; a method
// Earshot lacks answers error 0 "not implemented". Only GET, HEAD and
// POST are taken.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	}
	if err := r.ParseForm(); err != nil {
		c.params = r.URL.Query()
		h.fail(c, apiErr(CodeGeneric, "cannot read the parameters"))
		return
	}
	c.params, c.client = r.Form, r.Form.Get("c")
	if err := h.authenticate(c); err != nil {
		h.fail(c, err)
		return
	}
	name := methodName(r.URL.Path)
	m, ok := h.methods[name]
	if !ok {
		h.fail(c, errNotImplemented(name))
		return
	}
	resp, err := m(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if resp != nil { // nil: the method answered itself (media)
		h.write(c, resp)
	}
}

// fail answers c with err: an *apiError's code, else error 0 with a fixed
// message (the real error is logged).
func (h *Handler) fail(c *call, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		h.log.Warn("subsonic", "method", c.r.URL.Path, "err", err)
		ae = &apiError{code: CodeGeneric, msg: "the server could not do this"}
	}
	h.writeStatus(c, &Response{Status: "failed", Error: &Error{Code: ae.code, Message: ae.msg}}, max(ae.status, http.StatusOK))
}

// write fills resp's common fields and writes it in the format c asks for
// (f=json, else XML) with HTTP 200.
func (h *Handler) write(c *call, resp *Response) { h.writeStatus(c, resp, http.StatusOK) }

// writeStatus is [Handler.write] with HTTP status code.
func (h *Handler) writeStatus(c *call, resp *Response, code int) {
	if resp.Status == "" {
		resp.Status = "ok"
	}
	resp.Version, resp.Type, resp.ServerVersion, resp.OpenSubsonic = APIVersion, ServerType, h.version, true
	w := c.w
	if h.answers != nil {
		w = h.answers(w)
	}
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	switch c.get("f") {
	case "json":
		hd.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(struct {
			R *Response `json:"subsonic-response"`
		}{resp})
	default:
		hd.Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(code)
		w.Write([]byte(xml.Header))
		xml.NewEncoder(w).Encode(resp)
	}
}

// ok returns an empty successful response.
func ok() (*Response, error) { return &Response{}, nil }
