//go:build linux

package player

import (
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// beneathDir returns the folder of root, opened through it so that it is
// the same folder even if its path is renamed, for [openBeneath]; nil when
// it cannot be opened.
func beneathDir(root *os.Root) *os.File {
	f, err := root.Open(".")
	if err != nil {
		return nil
	}
	return f
}

// openBeneath opens the slash path name below the folder dir for reading,
// without blocking on a named pipe, with one openat2(2) call. Its
// RESOLVE_BENEATH makes the kernel itself refuse every path that leads out
// of dir — through "..", an absolute name, or a symbolic link, whether
// absolute or leading above dir — and RESOLVE_NO_MAGICLINKS refuses
// /proc-style links, so nothing it opens lies outside the library folder,
// even when folders are renamed during the call. [os.Root] walks the path
// instead, one openat(2) and close(2) per folder: for a track two folders
// deep, seven system calls against openat2's four (with the fcntl(2) and
// failing epoll_ctl(2) of [os.NewFile], and the caller's fstat(2)).
//
// It returns ok false whenever openat2 does not open the file (a kernel
// before Linux 5.6, a name it refuses, a file gone): the caller then opens
// the name through its [os.Root], whose answer and error stand. name is the
// file's name in the returned file's errors, joined to dir's.
func openBeneath(dir *os.File, name string) (f *os.File, ok bool) {
	if dir == nil {
		return nil, false
	}
	how := unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	var fd int
	var err error
	for {
		// Fd makes no system call: the folder was opened without the poller.
		fd, err = unix.Openat2(int(dir.Fd()), name, &how)
		if err != unix.EINTR {
			break
		}
	}
	runtime.KeepAlive(dir)
	if err != nil {
		return nil, false
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir.Name(), filepath.FromSlash(name))), true
}
