//go:build !linux

package player

import "os"

// openBeneath reports ok false: only Linux has openat2(2), so elsewhere
// every file is opened through the library's [os.Root].
func openBeneath(dir *os.File, name string) (f *os.File, ok bool) { return nil, false }

// beneathDir returns nil: without openat2 the folder need not be held open.
func beneathDir(root *os.Root) *os.File { return nil }
