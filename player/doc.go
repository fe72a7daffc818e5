// Package player holds Earshot's music library: it scans a folder (any [io/fs.FS])
// for audio files, reads their tags, durations and cover art, and keeps an
// in-memory index of [Track] values that can be listed, looked up by ID and
// searched. It knows nothing of HTTP or of the GUI; those subscribe to its
// [Event] values instead.
package player
