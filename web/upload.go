package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"

	"earshot/player"
	"earshot/player/probe"
)

// Upload limits; [Options] overrides the first two.
const (
	// DefaultMaxUpload is the largest file accepted by default: 4 GiB.
	DefaultMaxUpload = 4 << 30
	// DefaultUploadReserve is the free space an upload must leave on the
	// library's disk by default: 1 GiB.
	DefaultUploadReserve = 1 << 30
	// uploadsPerDevice bounds the uploads one device sends at once.
	uploadsPerDevice = 4
	// uploadExpiry is how long an unfinished upload waits for its next
	// byte, and a finished one's outcome is kept, before both are removed.
	uploadExpiry = 24 * time.Hour
	// uploadsBase is the URL path of the tus upload routes.
	uploadsBase = "/api/uploads/"
)

// validUploadID reports whether id has the shape of an upload ID, as
// tusd's filestore makes them (16 random bytes in hex); any other ID is a
// 404 before it names a file.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// uploads adds files to the library from other devices through the tus
// resumable upload protocol, version 1.0.0 (https://tus.io/protocols/
// resumable-upload, core, creation and termination), served by tusd. Bytes
// go to the library's hidden incoming folder ([player.Library.IncomingDir])
// and a finished upload is put in place by [player.Library.Add].
type uploads struct {
	lib     *player.Library
	tus     *handler.UnroutedHandler
	maxSize int64
	reserve int64
	// lan lets devices other than this computer upload.
	lan atomic.Bool
	// active counts each device's PATCH requests in progress; done holds
	// finished uploads' outcomes by ID.
	mu     sync.Mutex
	active map[netip.Addr]int
	done   map[string]doneUpload
	// began, when set (by tests), is called with each PATCH counted.
	began func(netip.Addr)
	stop  chan struct{}
	once  sync.Once
}

// newUploads returns the upload service of lib, logging tusd's errors to
// log. maxSize and reserve are in bytes; 0 means [DefaultMaxUpload] and [DefaultUploadReserve].
func newUploads(lib *player.Library, log *slog.Logger, maxSize, reserve int64) *uploads {
	u := &uploads{lib: lib, maxSize: orDefault(maxSize, DefaultMaxUpload), reserve: orDefault(reserve, DefaultUploadReserve),
		active: map[netip.Addr]int{}, done: map[string]doneUpload{}, stop: make(chan struct{})}
	composer := handler.NewStoreComposer()
	store := incomingStore{lib: lib}
	composer.UseCore(store)
	composer.UseTerminater(store)
	memorylocker.New().UseIn(composer)
	tus, err := handler.NewUnroutedHandler(handler.Config{
		StoreComposer: composer,
		BasePath:      uploadsBase,
		// No MaxSize: beforeCreate checks it, to say so in a sentence.
		DisableDownload:           true,
		DisableConcatenation:      true,
		Cors:                      &handler.CorsConfig{Disable: true},
		PreUploadCreateCallback:   u.beforeCreate,
		PreFinishResponseCallback: u.finish,
		NetworkTimeout:            15 * time.Second,
		Logger:                    tusLogger(log),
	})
	if err != nil {
		panic("web: tusd config: " + err.Error()) // a programming error; every test catches it
	}
	u.tus = tus
	return u
}

// orDefault returns v, or def when v is 0 or less.
func orDefault(v, def int64) int64 {
	if v <= 0 {
		return def
	}
	return v
}

// close stops the expiry loop ([uploads.expireLoop]).
func (u *uploads) close() { u.once.Do(func() { close(u.stop) }) }

// create answers POST /api/uploads: tus creation.
func (u *uploads) create(w http.ResponseWriter, r *http.Request) {
	if !u.allowed(w, r) {
		return
	}
	u.serveTus(w, r, u.tus.PostFile)
}

// file answers /api/uploads/{id}: HEAD (the offset), PATCH (bytes),
// DELETE (cancel) through tusd, and GET, the upload's state as
// [uploadState] JSON, which tells a page that reloaded how an upload it
// lost track of ended.
func (u *uploads) file(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validUploadID(id) {
		writeError(w, http.StatusNotFound, "no such upload")
		return
	}
	switch r.Method {
	case http.MethodGet:
		u.state(w, id)
	case http.MethodHead:
		if st, ok := u.outcome(id); ok {
			// Finished: tusd has forgotten it; say it is whole, as tus does
			// for a completed upload, so a client that lost the last answer
			// does not send it again (GET tells where it went).
			h := w.Header()
			h.Set("Tus-Resumable", "1.0.0")
			h.Set("Upload-Offset", strconv.FormatInt(st.Length, 10))
			h.Set("Upload-Length", strconv.FormatInt(st.Length, 10))
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			return
		}
		u.serveTus(w, r, u.tus.HeadFile)
	case http.MethodDelete:
		u.serveTus(w, r, u.tus.DelFile)
	case http.MethodPatch:
		if !u.allowed(w, r) {
			return
		}
		addr, _ := peerAddr(r)
		if !u.begin(addr) {
			writeError(w, http.StatusTooManyRequests, fmt.Sprintf("at most %d uploads at once from one device", uploadsPerDevice))
			return
		}
		defer u.end(addr)
		u.serveTus(w, r, u.tus.PatchFile)
	}
}

// serveTus runs h, a tusd handler, inside tusd's middleware (protocol
// version and headers), with its plain-text errors rewritten as JSON. The
// upload routes' prefix is cut from the path, as tusd reads the upload ID
// from what is left.
func (u *uploads) serveTus(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	jw := &tusErrors{ResponseWriter: w}
	if strings.HasPrefix(r.URL.Path, uploadsBase) {
		h = http.StripPrefix(uploadsBase, h).ServeHTTP
	}
	u.tus.Middleware(h).ServeHTTP(jw, r)
	jw.finish()
}

// allowed answers 403 and reports false when r comes from another device
// while uploads from other devices are off.
func (u *uploads) allowed(w http.ResponseWriter, r *http.Request) bool {
	if u.mayUpload(r) {
		return true
	}
	writeError(w, http.StatusForbidden, errUploadsOff)
	return false
}

// mayUpload reports whether the device that sent r may upload: this
// computer always, another device while uploads from other devices are on.
func (u *uploads) mayUpload(r *http.Request) bool {
	addr, ok := peerAddr(r)
	return ok && addr.IsLoopback() || u.lan.Load()
}

// errUploadsOff is the answer to an upload from another device while the
// window's switch is off.
const errUploadsOff = "Uploads from other devices are off. Turn them on in Earshot's window on the computer."

// begin counts a PATCH from addr and reports whether it is within
// [uploadsPerDevice]; end undoes it.
func (u *uploads) begin(addr netip.Addr) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.active[addr] >= uploadsPerDevice {
		return false
	}
	u.active[addr]++
	if u.began != nil {
		u.began(addr)
	}
	return true
}

// end ends a PATCH that [uploads.begin] counted.
func (u *uploads) end(addr netip.Addr) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.active[addr]--; u.active[addr] <= 0 {
		delete(u.active, addr)
	}
}

// beforeCreate checks a new upload before tusd makes it: a library folder
// to put it in, a name of a type Earshot plays, a size within the limit,
// and room on the disk. Its errors are [handler.Error]s with JSON bodies.
func (u *uploads) beforeCreate(hook handler.HookEvent) (handler.HTTPResponse, handler.FileInfoChanges, error) {
	none := handler.FileInfoChanges{}
	info := hook.Upload
	in, err := u.lib.IncomingDir()
	if errors.Is(err, player.ErrNotFolder) {
		return handler.HTTPResponse{}, none, tusError(http.StatusServiceUnavailable, "There is no library folder to add music to. Choose one in Earshot's window first.")
	}
	if err != nil {
		return handler.HTTPResponse{}, none, storageError(err)
	}
	name := info.MetaData["filename"]
	if name == "" {
		return handler.HTTPResponse{}, none, tusError(http.StatusBadRequest, "Upload-Metadata must give the file's name (filename)")
	}
	if p := info.MetaData["placement"]; p != "" && p != "tags" && p != "keep" {
		return handler.HTTPResponse{}, none, tusError(http.StatusBadRequest, `placement must be "tags" or "keep"`)
	}
	if _, ok := probe.FormatOf(name); !ok {
		return handler.HTTPResponse{}, none, tusError(http.StatusUnsupportedMediaType, fmt.Sprintf("%s: %q is not a type of file Earshot plays", path.Base(name), path.Ext(name)))
	}
	if info.SizeIsDeferred {
		return handler.HTTPResponse{}, none, tusError(http.StatusBadRequest, "Upload-Length is required")
	}
	if info.Size > u.maxSize {
		return handler.HTTPResponse{}, none, tusError(http.StatusRequestEntityTooLarge, fmt.Sprintf("%s is larger than the %s an upload may be", path.Base(name), humanBytes(u.maxSize)))
	}
	free, err := freeSpace(in)
	if err == nil && free-info.Size < u.reserve {
		return handler.HTTPResponse{}, none, tusError(http.StatusInsufficientStorage,
			fmt.Sprintf("Not enough space: the library's disk has %s free and must keep %s after this file.", humanBytes(max(free, 0)), humanBytes(u.reserve)))
	}
	return handler.HTTPResponse{}, none, nil
}

// finish puts a finished upload in the library ([player.Library.Add])
// before tusd answers its last PATCH, and records the outcome (see
// [uploads.state]). The last PATCH answers 200 with [uploadState] JSON,
// or 422 with the reason a file was refused; either way no byte of it is
// left in the incoming folder.
func (u *uploads) finish(hook handler.HookEvent) (handler.HTTPResponse, error) {
	info := hook.Upload
	name := info.MetaData["filename"]
	keep := info.MetaData["placement"] == "keep"
	if rel := info.MetaData["relativePath"]; keep && rel != "" {
		name = rel
	}
	added, err := u.lib.Add(info.Storage["Path"], name, keep)
	os.Remove(info.Storage["InfoPath"])
	st := uploadState{Offset: info.Size, Length: info.Size, Done: true, Path: added.Path, Duplicate: added.Duplicate}
	if err != nil {
		st.Error = err.Error()
	}
	u.record(info.ID, st)
	switch {
	case errors.Is(err, player.ErrNotMedia):
		return handler.HTTPResponse{}, tusError(http.StatusUnprocessableEntity, err.Error())
	case err != nil:
		return handler.HTTPResponse{}, storageError(err)
	}
	body, _ := json.Marshal(st)
	return handler.HTTPResponse{StatusCode: http.StatusOK, Body: string(body),
		Header: handler.HTTPHeader{"Content-Type": "application/json; charset=utf-8"}}, nil
}

// uploadState is the JSON of GET /api/uploads/{id} and of a finished
// upload's last PATCH: Offset of Length bytes received; once Done, Path
// (the slash path in the library) and Duplicate, or Error when the file
// was refused.
type uploadState struct {
	Offset    int64  `json:"offset"`
	Length    int64  `json:"length"`
	Done      bool   `json:"done"`
	Path      string `json:"path,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
	Error     string `json:"error,omitempty"`
}

// record keeps st, the outcome of upload id, in memory for
// [uploads.state]: a page that reloaded after the last PATCH asks for it.
// Outcomes older than [uploadExpiry] are dropped. (Kept in memory, so
// that a refused file leaves nothing on disk; a restart forgets them.)
func (u *uploads) record(id string, st uploadState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	now := time.Now()
	for k, d := range u.done {
		if now.Sub(d.at) > uploadExpiry {
			delete(u.done, k)
		}
	}
	u.done[id] = doneUpload{st, now}
}

// doneUpload is a finished upload's outcome and when it finished.
type doneUpload struct {
	st uploadState
	at time.Time
}

// outcome returns the recorded outcome of the finished upload id.
func (u *uploads) outcome(id string) (uploadState, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	d, ok := u.done[id]
	return d.st, ok
}

// state answers GET /api/uploads/{id}.
func (u *uploads) state(w http.ResponseWriter, id string) {
	if st, ok := u.outcome(id); ok {
		writeJSON(w, http.StatusOK, st)
		return
	}
	in, err := u.lib.IncomingDir()
	if err != nil {
		writeError(w, http.StatusNotFound, "no such upload")
		return
	}
	var info handler.FileInfo
	b, err := os.ReadFile(filepath.Join(in, id+".info"))
	if err != nil || json.Unmarshal(b, &info) != nil {
		writeError(w, http.StatusNotFound, "no such upload")
		return
	}
	st := uploadState{Length: info.Size}
	if fi, err := os.Stat(filepath.Join(in, id)); err == nil {
		st.Offset = fi.Size()
	}
	writeJSON(w, http.StatusOK, st)
}

// storageError is the answer to a failure to store an upload: 507 for a
// full disk, else 500, each saying what went wrong.
func storageError(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return tusError(http.StatusInsufficientStorage, "The library's disk is full; nothing of this file was kept.")
	case errors.Is(err, os.ErrPermission):
		return tusError(http.StatusInternalServerError, "Earshot may not write to the library folder; nothing of this file was kept.")
	case errors.Is(err, os.ErrNotExist):
		return tusError(http.StatusInternalServerError, "The library folder is gone; nothing of this file was kept.")
	}
	return tusError(http.StatusInternalServerError, "Could not store the file: "+err.Error())
}

// tusError returns a tusd error whose answer is status with the JSON
// body {"error": msg}, as every other error of the API.
func tusError(status int, msg string) handler.Error {
	b, _ := json.Marshal(errorBody{Error: msg})
	return handler.Error{ErrorCode: "ERR_EARSHOT", Message: msg, HTTPResponse: handler.HTTPResponse{
		StatusCode: status, Body: string(b) + "\n",
		Header: handler.HTTPHeader{"Content-Type": "application/json; charset=utf-8"}}}
}

// humanBytes says n bytes as "4 GiB" or "512 MiB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3g GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// UploadsFromLAN reports whether devices other than this computer may add
// files to the library (POST /api/uploads). This computer always may.
func (s *Server) UploadsFromLAN() bool { return s.up.lan.Load() }

// SetUploadsFromLAN lets devices other than this computer add files to the
// library (allow), or refuses their uploads with 403. It is off until
// turned on.
func (s *Server) SetUploadsFromLAN(allow bool) { s.up.lan.Store(allow) }
