package instance

import (
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes an exclusive lock on f without waiting (LockFileEx), and
// reports whether it got it. Windows releases it when the process ends.
func tryLock(f *os.File) bool {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol) == nil
}

// privateDir creates dir when missing. It is in the user's own local
// application data, which other users cannot enter.
func privateDir(dir string) error { return os.MkdirAll(dir, 0o700) }
