//go:build linux

package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSample is a reading of the machine's busy CPU time and of this
// process's own (with its waited-for children), to tell how much of the
// CPU other processes took while a phase ran: on a shared machine they
// slow the phase down, and the figure should say so.
type cpuSample struct {
	at   time.Time
	busy time.Duration // all CPUs, from /proc/stat
	ours time.Duration // this process and its children, from getrusage(2)
	ok   bool
}

// userHz is the unit of /proc/stat (USER_HZ, 100 on every Linux ABI).
const userHz = 100

func readCPU() cpuSample {
	s := cpuSample{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(f) < 8 || f[0] != "cpu" {
		return s
	}
	var busy int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 && i < 8 { // not idle or iowait; no guest (already in user)
			busy += n
		}
	}
	s.busy = time.Duration(busy) * time.Second / userHz
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			s.ours += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	s.ok = true
	return s
}

// othersShare returns the share (0–1) of all CPUs that other processes used
// between s and end; -1 when it cannot be told (not Linux, or too short).
func (s cpuSample) othersShare(end cpuSample) float64 {
	wall := end.at.Sub(s.at)
	if !s.ok || !end.ok || wall < 50*time.Millisecond {
		return -1
	}
	others := (end.busy - s.busy) - (end.ours - s.ours)
	return max(0, min(1, float64(others)/float64(wall*time.Duration(runtime.NumCPU()))))
}

// oursSince returns the CPU time this process and its waited-for children
// used between s and end.
func (s cpuSample) oursSince(end cpuSample) time.Duration { return end.ours - s.ours }

// waitIdle waits until other processes use less than share of the CPUs
// over a second, or until wait has passed, and returns the share it last
// saw (-1 when it cannot be told). logf hears when it has to wait.
func waitIdle(share float64, wait time.Duration, logf func(string, ...any)) float64 {
	deadline := time.Now().Add(wait)
	said := false
	for {
		c := readCPU()
		time.Sleep(time.Second)
		s := c.othersShare(readCPU())
		if s < share || !time.Now().Before(deadline) {
			return s
		}
		if !said {
			logf("  waiting for other processes to calm down (%.0f %% of the CPUs busy)", 100*s)
			said = true
		}
	}
}
