//go:build unix

package player

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"earshot/player/playertest"
)

// fifoDeadline is how long opening a named pipe may take before the test
// calls it a hang: generous, as a hang never ends.
const fifoDeadline = 10 * time.Second

// swapInFIFO scans a folder with one track, then replaces the track's file
// by a named pipe with no writer, and returns the library, its source and
// the track's ID.
func swapInFIFO(t *testing.T) (*Library, Source, string) {
	t.Helper()
	lib, src := scanWithFIFO(t, map[string][]byte{"a.wav": playertest.WAV(100)}, "a.wav")
	return lib, src, TrackID("a.wav")
}

// scanWithFIFO writes files (name → contents) into a new folder, scans it,
// and then replaces the file called fifo by a named pipe with no writer.
func scanWithFIFO(t *testing.T, files map[string][]byte, fifo string) (*Library, Source) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := New(Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, fifo)
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return lib, src
}

// promptly runs open in a goroutine and fails t when it has not returned
// within fifoDeadline; it returns open's error.
func promptly(t *testing.T, open func() (File, error)) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		f, err := open()
		if f != nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(fifoDeadline):
		t.Fatalf("opening a named pipe still blocks after %v", fifoDeadline)
		return nil
	}
}

// TestOpenRefusesFIFO checks that a named pipe swapped in for a track is
// refused at once, by Library.Open and by the scan's opener, with an error
// that reads as "not there" (the web answers 404), instead of blocking
// until a writer comes, holding an OS thread per request.
func TestOpenRefusesFIFO(t *testing.T) {
	lib, src, id := swapInFIFO(t)
	opens := map[string]func() (File, error){
		"Library.Open": func() (File, error) {
			f, _, err := lib.Open(id)
			return f, err
		},
		"scanOpener.open": func() (File, error) {
			o := newScanOpener(src)
			defer o.close()
			return o.open("a.wav")
		},
	}
	for name, open := range opens {
		t.Run(name, func(t *testing.T) {
			err := promptly(t, open)
			if err == nil {
				t.Fatal("opened a named pipe, want an error")
			}
			if !errIsNotRegular(err) {
				t.Errorf("error %v, want one wrapping fs.ErrNotExist and ErrNotRegular", err)
			}
		})
	}
}

// errIsNotRegular reports whether err says a file is not a regular file,
// both as [ErrNotRegular] and as [fs.ErrNotExist].
func errIsNotRegular(err error) bool {
	return errors.Is(err, ErrNotRegular) && errors.Is(err, fs.ErrNotExist)
}

// TestOpenSeekerRefusesFIFO checks the path other sources take: opening a
// named pipe through a plain fs.FS of the folder (os.DirFS) is refused
// before it can block.
func TestOpenSeekerRefusesFIFO(t *testing.T) {
	_, src, _ := swapInFIFO(t)
	err := promptly(t, func() (File, error) { return openSeeker(os.DirFS(src.Dir), "a.wav") })
	if !errIsNotRegular(err) {
		t.Errorf("error %v, want one wrapping fs.ErrNotExist and ErrNotRegular", err)
	}
}

// TestCoverRefusesFIFO swaps a named pipe in for a folder's cover image:
// the cover request must fail at once, not block.
func TestCoverRefusesFIFO(t *testing.T) {
	lib, _ := scanWithFIFO(t, map[string][]byte{"a.wav": playertest.WAV(100), "cover.jpg": []byte("\xff\xd8\xff\xe0 jpeg")}, "cover.jpg")
	err := promptly(t, func() (File, error) {
		_, err := lib.Cover(TrackID("a.wav"))
		return nil, err
	})
	if !errIsNotRegular(err) {
		t.Errorf("error %v, want one wrapping fs.ErrNotExist and ErrNotRegular", err)
	}
}
