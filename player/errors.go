package player

import "errors"

// ErrNotFound is returned when no track has the requested ID.
var ErrNotFound = errors.New("track not found")

// ErrAlreadyScanning is returned by [Library.Scan] when a scan is already running.
var ErrAlreadyScanning = errors.New("a scan is already running")

// ErrNoCover is returned by [Library.Cover] when a track has no cover art,
// neither embedded nor as an image file in its folder.
var ErrNoCover = errors.New("no cover art")

// ErrNoSeek is returned when a file opened from the library's file system does
// not implement [io.ReadSeeker], which tag reading and streaming both need.
var ErrNoSeek = errors.New("file does not support seeking")
