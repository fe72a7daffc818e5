package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tus/tusd/v2/pkg/filestore"
	"github.com/tus/tusd/v2/pkg/handler"
	expslog "golang.org/x/exp/slog"

	"earshot/player"
)

// incomingStore is tusd's data store for [uploads]: tusd's filestore in
// the library's current incoming folder ([player.Library.IncomingDir]),
// looked up on every call, so that uploads follow the library when the
// person picks another folder. An upload whose bytes cannot be written
// (a full disk, a permission, a folder gone) is removed whole.
type incomingStore struct{ lib *player.Library }

// files returns the filestore of the current incoming folder.
func (s incomingStore) files() (filestore.FileStore, error) {
	in, err := s.lib.IncomingDir()
	if err != nil {
		return filestore.FileStore{}, err
	}
	fs := filestore.New(in)
	fs.FileModePerm, fs.DirModePerm = 0o600, 0o700
	return fs, nil
}

// NewUpload makes a new upload's files; see [handler.DataStore].
func (s incomingStore) NewUpload(ctx context.Context, info handler.FileInfo) (handler.Upload, error) {
	fs, err := s.files()
	if err != nil {
		return nil, storageError(err)
	}
	up, err := fs.NewUpload(ctx, info)
	if err != nil {
		return nil, storageError(err)
	}
	return guardedUpload{up, fs}, nil
}

// GetUpload finds upload id; see [handler.DataStore].
func (s incomingStore) GetUpload(ctx context.Context, id string) (handler.Upload, error) {
	fs, err := s.files()
	if err != nil {
		return nil, storageError(err)
	}
	up, err := fs.GetUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	return guardedUpload{up, fs}, nil
}

// AsTerminatableUpload lets DELETE cancel an upload; see
// [handler.TerminaterDataStore].
func (s incomingStore) AsTerminatableUpload(up handler.Upload) handler.TerminatableUpload {
	g := up.(guardedUpload)
	return g.fs.AsTerminatableUpload(g.Upload)
}

// guardedUpload is a filestore upload whose failed writes remove it.
type guardedUpload struct {
	handler.Upload
	fs filestore.FileStore
}

// WriteChunk appends src's bytes. tusd hands stores a request body that
// never fails (it keeps a broken connection's error to itself), so an
// error here is the disk's: the upload's bytes are removed, since what is
// kept could not be trusted, and the answer says why.
func (g guardedUpload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	n, err := g.Upload.WriteChunk(ctx, offset, src)
	if err != nil {
		g.fs.AsTerminatableUpload(g.Upload).Terminate(context.WithoutCancel(ctx))
		return n, storageError(err)
	}
	return n, nil
}

// expireLoop removes expired uploads ([expireIncoming]) now and every
// hour until [uploads.close]. [Server.Serve] runs it.
func (u *uploads) expireLoop() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if in, err := u.lib.IncomingDir(); err == nil {
			expireIncoming(in, time.Now(), uploadExpiry)
		}
		select {
		case <-u.stop:
			return
		case <-t.C:
		}
	}
}

// expireIncoming removes from the incoming folder in every upload (its
// bytes and its .info) and every other file (a copy from
// [player.Library.Import]) that nothing has written for maxAge as of now.
// It returns how many files it removed.
func expireIncoming(in string, now time.Time, maxAge time.Duration) int {
	entries, err := os.ReadDir(in)
	if err != nil {
		return 0
	}
	newest := map[string]time.Time{} // by upload ID
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			id := strings.TrimSuffix(e.Name(), ".info")
			if info.ModTime().After(newest[id]) {
				newest[id] = info.ModTime()
			}
		}
	}
	removed := 0
	for _, e := range entries {
		id := strings.TrimSuffix(e.Name(), ".info")
		if t, ok := newest[id]; ok && now.Sub(t) > maxAge && os.Remove(filepath.Join(in, e.Name())) == nil {
			removed++
		}
	}
	return removed
}

// tusErrors is a ResponseWriter that turns tusd's own plain-text error
// answers ("ERR_UPLOAD_NOT_FOUND: upload not found") into the API's JSON
// errors; everything else passes through. Call finish after the handler.
type tusErrors struct {
	http.ResponseWriter
	code int
	buf  bytes.Buffer
}

// WriteHeader holds back a plain-text error's status.
func (w *tusErrors) WriteHeader(code int) {
	if code >= 400 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.code = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write holds back a plain-text error's body.
func (w *tusErrors) Write(b []byte) (int, error) {
	if w.code != 0 {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets [http.ResponseController] reach the connection (tusd sets
// read deadlines through it).
func (w *tusErrors) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish writes a held-back error as {"error": "…"}, without tusd's code.
func (w *tusErrors) finish() {
	if w.code == 0 {
		return
	}
	msg := strings.TrimSpace(w.buf.String())
	if code, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(code, "ERR_") {
		msg = rest
	}
	w.Header().Del("Content-Length")
	b, _ := json.Marshal(errorBody{Error: msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.ResponseWriter.WriteHeader(w.code)
	w.ResponseWriter.Write(append(b, '\n'))
}

// tusLogger returns the logger tusd writes to: its errors only, passed to
// log as warnings (tusd would log every request at Info).
func tusLogger(log *slog.Logger) *expslog.Logger {
	return expslog.New(expslog.NewTextHandler(logWriter{log}, &expslog.HandlerOptions{Level: expslog.LevelError}))
}

// logWriter passes each line written to it to log as a warning.
type logWriter struct{ log *slog.Logger }

// Write logs p.
func (l logWriter) Write(p []byte) (int, error) {
	l.log.Warn("upload", "tusd", strings.TrimSpace(string(p)))
	return len(p), nil
}
