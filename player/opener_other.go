//go:build !unix

package player

// openNonblock is 0 where open has no O_NONBLOCK; there, a named pipe is
// not something a folder's file can be (Windows keeps pipes apart).
const openNonblock = 0
