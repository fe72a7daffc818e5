//go:build unix

package player

import "syscall"

// openNonblock makes opening a file return at once even when it is a named
// pipe with no writer (open(2) O_NONBLOCK); it changes nothing for a
// regular file, whose reads never block on it.
const openNonblock = syscall.O_NONBLOCK
