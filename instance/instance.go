// Package instance keeps one Earshot window running per user. The first
// launch claims a per-user lock and listens on a local socket beside it; a
// later launch finds the socket, asks the running one to show its window,
// and exits. The lock is an advisory file lock that the operating system
// releases when its process ends, however it ends, so a crash or a
// SIGKILL never blocks the next start; the socket it leaves behind is
// removed by the next instance that takes the lock.
//
// Only the same user can reach the socket: it lives in a folder of mode
// 0700 (on Linux, $XDG_RUNTIME_DIR, which is the user's own), and on Linux
// the peer's user ID is checked as well (SO_PEERCRED). Its one command,
// "show", only brings the window to the front.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrRunning is returned by [Claim] when another instance is running; it
// has been asked to show its window.
var ErrRunning = errors.New("Earshot is already running")

// File names in the folder [Claim] is given.
const (
	lockName   = "instance.lock"
	socketName = "instance.sock"
)

// askTimeout bounds one exchange with a running instance, and waitRunning
// how long a launch waits for an instance that holds the lock but does not
// listen yet (it is starting).
const (
	askTimeout  = time.Second
	waitRunning = 5 * time.Second
)

// Instance is the claim of the running instance. Shows delivers the show
// requests of later launches.
type Instance struct {
	lock  *os.File
	ln    net.Listener
	sock  string
	shows chan struct{}
	wg    sync.WaitGroup
}

// Dir returns the per-user folder for the lock and the socket: on Linux
// $XDG_RUNTIME_DIR/earshot when that is set, else the user cache folder's
// "earshot" ([os.UserCacheDir]). It does not create it.
func Dir() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "earshot"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "earshot"), nil
}

// Claim makes this process the running instance of the user whose folder
// is dir (see [Dir]; created with mode 0700 when missing), or returns
// [ErrRunning] after asking the running instance to show its window. Other
// errors mean neither could be done (the folder is not private to this
// user, or the socket cannot be made); the caller may then run anyway.
func Claim(dir string) (*Instance, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, socketName)
	if ask(sock) == nil {
		return nil, ErrRunning
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	deadline := time.Now().Add(waitRunning)
	for !tryLock(lock) {
		// Another launch holds the lock: it is starting, or running and
		// about to answer. Ask it until it answers.
		if ask(sock) == nil {
			lock.Close()
			return nil, ErrRunning
		}
		if time.Now().After(deadline) {
			lock.Close()
			return nil, fmt.Errorf("%w (it holds %s but does not answer)", ErrRunning, filepath.Join(dir, lockName))
		}
		time.Sleep(50 * time.Millisecond) // a retry interval, not synchronisation: the other process gives no signal
	}
	os.Remove(sock) // a socket left by a crash: the lock says its owner is gone
	ln, err := net.Listen("unix", sock)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("instance socket: %w", err)
	}
	os.Chmod(sock, 0o600)
	i := &Instance{lock: lock, ln: ln, sock: sock, shows: make(chan struct{}, 1)}
	i.wg.Add(1)
	go i.serve()
	return i, nil
}

// Shows returns the channel on which each later launch's request to show
// the window arrives. Requests that come while one is pending merge.
func (i *Instance) Shows() <-chan struct{} { return i.shows }

// Close stops answering, removes the socket and releases the lock.
func (i *Instance) Close() error {
	err := i.ln.Close()
	i.wg.Wait()
	os.Remove(i.sock)
	i.lock.Close() // closing the file releases its lock
	return err
}

// serve answers later launches until Close.
func (i *Instance) serve() {
	defer i.wg.Done()
	for {
		c, err := i.ln.Accept()
		if err != nil {
			return
		}
		i.answer(c)
	}
}

// answer handles one connection: a "show" line from this user is queued
// on Shows and answered "ok".
func (i *Instance) answer(c net.Conn) {
	defer c.Close()
	if !sameUser(c) {
		return
	}
	c.SetDeadline(time.Now().Add(askTimeout))
	line, err := bufio.NewReader(&limited{c, 64}).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "show" {
		return
	}
	select {
	case i.shows <- struct{}{}:
	default: // one is pending already
	}
	c.Write([]byte("ok\n"))
}

// ask asks the instance listening on sock to show its window, and returns
// nil once it said it will.
func ask(sock string) error {
	c, err := net.DialTimeout("unix", sock, askTimeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(askTimeout))
	if _, err := c.Write([]byte("show\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "ok" {
		return fmt.Errorf("running instance answered %q", line)
	}
	return nil
}

// limited reads at most n bytes from a connection.
type limited struct {
	c net.Conn
	n int
}

// Read reads from the connection until n bytes have been read.
func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("line too long")
	}
	if len(p) > l.n {
		p = p[:l.n]
	}
	n, err := l.c.Read(p)
	l.n -= n
	return n, err
}
