package web

import "syscall"

// childProcAttr makes a helper process (a browser, its driver, PulseAudio,
// Xvfb) die with the test binary, so that a test binary killed by the -timeout
// panic leaves none of them behind.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
