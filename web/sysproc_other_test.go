//go:build !linux

package web

import "syscall"

// childProcAttr is nil outside Linux: the browser tests run on Linux only
// (they need Xvfb and Debian's browsers); this keeps the package vetting
// for Windows and macOS.
func childProcAttr() *syscall.SysProcAttr { return nil }
