//go:build unix

package web

import "golang.org/x/sys/unix"

// freeSpace returns the bytes that an unprivileged writer may still use on
// the file system holding dir (statfs(2): available blocks × block size).
func freeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
