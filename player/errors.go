package player

import "errors"

// ErrNotFound is returned when no track has the requested ID.
var ErrNotFound = errors.New("track not found")

// ErrAlreadyScanning is returned by [Library.Scan] when a scan is already running.
var ErrAlreadyScanning = errors.New("a scan is already running")

// ErrNoCover is returned by [Library.Cover] when a track has no cover art,
// neither embedded nor as an image file in its folder.
var ErrNoCover = errors.New("no cover art")

// ErrNameNotUTF8 is why a scan of a source other than a folder skips a
// file or folder whose name is not valid UTF-8: [io/fs] cannot open it.
// A folder opened with [OpenFolder] serves such files.
var ErrNameNotUTF8 = errors.New("name is not valid UTF-8, which this library source cannot open")

// ErrNoSeek is returned when a file opened from the library's file system does
// not implement [io.ReadSeeker], which tag reading and streaming both need.
var ErrNoSeek = errors.New("file does not support seeking")
