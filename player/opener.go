package player

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// scanOpener opens the files of one scan. Over a folder opened with
// [OpenFolder] it keeps handles on the last few folders it opened files in,
// so that opening a file costs one openat system call instead of one per path
// component: [os.Root] walks each component itself to refuse links that lead
// out of the library, which made opening a 20,000-file library's files a
// third of a cold scan's CPU time. A handle is only kept for the length of
// one scan, so a folder renamed later is never reached through a stale one.
//
// Anything a folder handle cannot open (a link to another folder of the
// library, a file gone) is opened again through the library's own root, so
// the result and the errors are those of [openSeeker] on [Source.files].
type scanOpener struct {
	src Source

	mu   sync.Mutex
	dirs map[string]*folderHandle
	tick uint64
}

// folderHandle is an open folder of a scan: users counts opens in progress
// (it is not closed under them), used orders handles by last use.
type folderHandle struct {
	root  *os.Root
	users int
	used  uint64
}

// maxFolderHandles bounds the folder handles a scan keeps open: the scan's
// workers read files in walk order, so they share a few folders at a time.
const maxFolderHandles = 16

// newScanOpener returns an opener for src's files; call close when done.
func newScanOpener(src Source) *scanOpener {
	return &scanOpener{src: src, dirs: map[string]*folderHandle{}}
}

// open opens the slash path p of the source for reading and seeking,
// without blocking on a named pipe; the caller checks that it is a regular
// file ([readTrack] does).
func (o *scanOpener) open(p string) (File, error) {
	dir, name := path.Split(p)
	if o.src.root == nil || dir == "" {
		return o.src.openFile(p)
	}
	h := o.acquire(path.Clean(dir))
	if h == nil {
		return o.src.openFile(p)
	}
	f, err := h.root.OpenFile(filepath.FromSlash(name), os.O_RDONLY|openNonblock, 0)
	o.releaseHandle(h)
	if err != nil {
		return o.src.openFile(p)
	}
	return f, nil
}

// acquire returns the handle on dir, opening it when needed, or nil when the
// folder cannot be opened that way.
func (o *scanOpener) acquire(dir string) *folderHandle {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tick++
	h := o.dirs[dir]
	if h == nil {
		r, err := o.src.root.OpenRoot(dir)
		if err != nil {
			return nil
		}
		h = &folderHandle{root: r}
		o.dirs[dir] = h
	}
	h.users++
	h.used = o.tick
	o.evict()
	return h
}

// releaseHandle ends one use of h.
func (o *scanOpener) releaseHandle(h *folderHandle) {
	o.mu.Lock()
	h.users--
	o.mu.Unlock()
}

// evict closes the least recently used idle handles beyond
// [maxFolderHandles]. The caller holds o.mu.
func (o *scanOpener) evict() {
	for len(o.dirs) > maxFolderHandles {
		var oldest string
		for d, h := range o.dirs {
			if h.users == 0 && (oldest == "" || h.used < o.dirs[oldest].used) {
				oldest = d
			}
		}
		if oldest == "" {
			return // all in use: at most one per worker, a handful
		}
		o.dirs[oldest].root.Close()
		delete(o.dirs, oldest)
	}
}

// close closes every folder handle.
func (o *scanOpener) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for d, h := range o.dirs {
		h.root.Close()
		delete(o.dirs, d)
	}
}

// ErrNotRegular is wrapped, together with [fs.ErrNotExist], by the error of
// opening a track whose file is no longer a regular file: a named pipe or a
// device put in its place. For the library, the track's file is gone.
var ErrNotRegular = errors.New("not a regular file")

// openFile opens the slash path name of src for reading and seeking, and
// checks that it is a regular file. A folder from [OpenFolder] is opened
// through its handle without blocking (O_NONBLOCK, where the system has
// it): opening a named pipe with no writer would otherwise block, holding
// an OS thread, until one came. It returns [openSeeker]'s errors and one
// wrapping [ErrNotRegular] and [fs.ErrNotExist].
func (src Source) openFile(name string) (File, error) {
	if src.root == nil || !validRawPath(name) {
		return openSeeker(src.files(), name)
	}
	f, err := src.openBelow(name)
	if err != nil {
		return nil, openError(err)
	}
	info, err := f.Stat()
	if err == nil {
		err = checkRegular(name, info)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &statedFile{File: f, info: info}, nil
}

// statedFile is an open [*os.File] whose Stat answers with the information
// read when it was opened, without a system call: the stream handler's
// Stat (for the size, ETag and Last-Modified) then costs nothing on each of
// a seeking player's Range requests. The file's other methods are the
// embedded file's, so it is still a [syscall.Conn] that net.TCPConn sends
// with sendfile.
type statedFile struct {
	*os.File
	info fs.FileInfo
}

// Stat returns the file's information as of its opening; it never fails.
func (f *statedFile) Stat() (fs.FileInfo, error) { return f.info, nil }

// openBelow opens the slash path name of a folder's src without blocking:
// a name in a subfolder with one openat2(2) where the system has it
// ([openBeneath]), else, and for a name at the top, where [os.Root] makes
// one openat(2) too, through src's root.
func (src Source) openBelow(name string) (*os.File, error) {
	if strings.Contains(name, "/") {
		if f, ok := openBeneath(src.dir, name); ok {
			return f, nil
		}
	}
	return src.root.OpenFile(filepath.FromSlash(name), os.O_RDONLY|openNonblock, 0)
}

// checkRegular returns an error wrapping [ErrNotRegular] and
// [fs.ErrNotExist] unless info, of the file at name, is a regular file's.
func checkRegular(name string, info fs.FileInfo) error {
	if info.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%s: %w (%w): its type is %v", name, fs.ErrNotExist, ErrNotRegular, info.Mode().Type())
}
