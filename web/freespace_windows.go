package web

import "golang.org/x/sys/windows"

// freeSpace returns the bytes that the calling user may still use on the
// volume holding dir (GetDiskFreeSpaceExW's free bytes available).
func freeSpace(dir string) (int64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, err
	}
	return int64(avail), nil
}
