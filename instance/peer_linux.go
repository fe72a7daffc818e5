package instance

import (
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// sameUser reports whether the peer of the Unix socket connection c runs
// as this process's user (SO_PEERCRED).
func sameUser(c net.Conn) bool {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return false
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return false
	}
	var cred *unix.Ucred
	var credErr error
	raw.Control(func(fd uintptr) { cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED) })
	return credErr == nil && int(cred.Uid) == os.Getuid()
}
