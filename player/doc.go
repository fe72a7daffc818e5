// Package player holds Earshot's music library: it scans a folder (any [io/fs.FS])
// for audio files, reads their tags, durations and cover art, and keeps an
// in-memory index of [Track] values that can be listed, looked up by ID and
// searched. It knows nothing of HTTP or of the GUI; those subscribe to its
// [Event] values instead.
//
// A [Library] is built complete by [New] from [Options]: the [Index] that
// keeps it between runs (package player/store implements it with SQLite),
// the [Art] that makes thumbnails and poster frames (package
// player/artwork), and the [probe.TagReader]. Reading one file — format,
// tags, duration, picture size — is package player/probe's job.
//
// The package keeps no mutable state at package level: only errors and
// tables that are never written (see TestNoPackageState).
package player
