// Package logfile is a log file that keeps itself small: when a write
// would take it past its limit, it is renamed to name.1 (replacing the
// one before) and a new file is begun, so at most two limits' worth of log
// is kept. A double-clicked app has no terminal; this is where its log
// goes.
package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// DefaultMaxBytes is the size at which a log file is rotated: 2 MiB, so at
// most 4 MiB are kept.
const DefaultMaxBytes = 2 << 20

// Writer is a log file that rotates at a size limit. It is safe for
// concurrent use.
type Writer struct {
	path string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open opens the log file at path for appending (creating it and its
// folder, mode 0700, when missing) that rotates when a write would take it
// past maxBytes; maxBytes 0 or less means [DefaultMaxBytes]. Its error is
// the one from creating the folder or the file.
func Open(path string, maxBytes int64) (*Writer, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	w := &Writer{path: path, max: maxBytes}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

// Path returns the log file's path.
func (w *Writer) Path() string { return w.path }

// open opens w.path for appending and learns its size.
func (w *Writer) open() error {
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f, w.size = f, info.Size()
	return nil
}

// Write appends p, first rotating the file when p would take it past the
// limit (a file holding nothing yet takes p whatever its size).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, fmt.Errorf("log %s is closed", w.path)
	}
	if w.size > 0 && w.size+int64(len(p)) > w.max {
		if err := w.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	return n, err
}

// rotate renames the file to path.1 and begins a new one.
func (w *Writer) rotate() error {
	w.f.Close()
	w.f = nil
	if err := os.Rename(w.path, w.path+".1"); err != nil && !os.IsNotExist(err) {
		return err
	}
	return w.open()
}

// Close closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
