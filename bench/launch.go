//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"earshot/player"
	"earshot/web"
)

// childResult is what the launch child reports on its standard output, as
// two JSON lines: the first once it serves (Addr and the time stamps up to
// Listening), the second, the whole of it, after the parent has read
// /api/tracks and said so on the child's standard input. Times are
// wall-clock Unix nanoseconds, comparable with the parent's clock.
type childResult struct {
	Addr        string `json:"addr"`        // where the server listens
	Main        int64  `json:"main"`        // main began (after the runtime and package init)
	IndexOpened int64  `json:"indexOpened"` // the saved index is open
	Restored    int64  `json:"restored"`    // the library holds the saved tracks
	Listening   int64  `json:"listening"`   // the server is bound and serving
	Count       int    `json:"count"`       // tracks in the library
	// RescanDone is when the rescan that Library.Use starts after the
	// restore was done (second line only).
	RescanDone int64 `json:"rescanDone"`

	// Memory after the answer and a runtime.GC: resident set size and its
	// peak (VmRSS, VmHWM in /proc/self/status), the Go heap in use, and
	// what the Go runtime holds from the OS (all its memory classes less
	// the heap pages it gave back), the rest of RSS being the program's
	// code and memory Go does not manage (SQLite's, in modernc.org/libc).
	RSS       int64  `json:"rss"`
	PeakRSS   int64  `json:"peakRSS"`
	HeapInuse uint64 `json:"heapInuse"`
	GoHeld    uint64 `json:"goHeld"`
	// RSSRestored is VmRSS right after the restore, before the server;
	// RSSFreed is VmRSS after debug.FreeOSMemory returned every free page
	// to the OS, which a running Earshot does not do.
	RSSRestored int64 `json:"rssRestored"`
	RSSFreed    int64 `json:"rssFreed"`
}

// launchChild is a launch of Earshot with a saved index, as a new process
// does it: open the index, use the folder ([player.Library.Use] restores the
// library from the index, then rescans and watches it) and start the web
// server on a loopback port once the library is restored. It prints a
// first [childResult] line, waits for a line on its standard input (the
// parent has fetched /api/tracks, as the page does, from its own process
// so that the client's memory is not counted here) and for the rescan to
// be done, then measures its memory and prints the second line.
func launchChild(index, dir, cpuprofile string) error {
	var res childResult
	res.Main = time.Now().UnixNano()
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile + "-launch.prof")
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		return err
	}
	ix, closeIx, err := openIndex(index)
	if err != nil {
		return err
	}
	defer closeIx()
	lib := player.New(player.Options{Index: ix})
	res.IndexOpened = time.Now().UnixNano()
	use := startUse(lib, src)
	defer use.stop()
	if res.Count, err = use.restored(); err != nil {
		return err
	}
	res.Restored = time.Now().UnixNano()
	if res.RSSRestored, _, err = rss(); err != nil {
		return err
	}

	srv := web.New(lib, web.Options{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		return err
	}
	go srv.Serve()
	defer srv.Shutdown(context.Background())
	res.Listening = time.Now().UnixNano()
	res.Addr = srv.Addr().String()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(res); err != nil {
		return err
	}

	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return fmt.Errorf("wait for the parent: %w", err)
	}
	if res.RescanDone, err = use.rescanned(); err != nil {
		return err
	}
	if cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapInuse = ms.HeapInuse
	res.GoHeld = ms.Sys - ms.HeapReleased
	if res.RSS, res.PeakRSS, err = rss(); err != nil {
		return err
	}
	debug.FreeOSMemory()
	if res.RSSFreed, _, err = rss(); err != nil {
		return err
	}
	return out.Encode(res)
}

// childUse is the launch child's [player.Library.Use] of its folder,
// running in its own goroutine, and what its events told so far.
type childUse struct {
	cancel     context.CancelFunc
	ended      chan error        // receives Use's result
	restoredEv chan player.Event // the Restored event, once
	doneAt     chan int64        // when the first ScanDone came (Unix ns), once
}

// startUse starts Use of src by lib and follows its events.
func startUse(lib *player.Library, src player.Source) *childUse {
	events, unsubscribe := lib.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	u := &childUse{cancel: cancel, ended: make(chan error, 1), restoredEv: make(chan player.Event, 1), doneAt: make(chan int64, 1)}
	go func() {
		defer unsubscribe()
		u.ended <- lib.Use(ctx, src)
	}()
	go func() {
		restored, done := false, false
		for ev := range events {
			switch {
			case ev.Kind == player.Restored && !restored:
				restored = true
				u.restoredEv <- ev
			case ev.Kind == player.ScanDone && !done:
				done = true
				u.doneAt <- time.Now().UnixNano()
			}
		}
	}()
	return u
}

// restored waits for the library to be restored and returns its tracks.
func (u *childUse) restored() (int, error) {
	select {
	case ev := <-u.restoredEv:
		if ev.Err != nil {
			return 0, ev.Err
		}
		return ev.Tracks, nil
	case err := <-u.ended:
		return 0, fmt.Errorf("library restored nothing: %v", err)
	}
}

// rescanned waits for the rescan to be done and returns when it was.
func (u *childUse) rescanned() (int64, error) {
	select {
	case t := <-u.doneAt:
		return t, nil
	case err := <-u.ended:
		return 0, fmt.Errorf("library not rescanned: %v", err)
	}
}

// stop ends the Use and waits for it.
func (u *childUse) stop() {
	u.cancel()
	select {
	case <-u.ended:
	case <-time.After(5 * time.Second): // a scan's cancellation is prompt; don't hang the bench
	}
}

// idCounter is an [io.Writer] that counts the bytes written and the
// occurrences of `"id":` in them, across writes, to check an answer
// without keeping it.
type idCounter struct {
	n    int64
	ids  int
	tail []byte // the last len(idKey)-1 bytes seen
}

var idKey = []byte(`"id":`)

func (c *idCounter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	buf := append(c.tail, p...)
	c.ids += bytes.Count(buf, idKey)
	c.tail = append(c.tail[:0], buf[max(0, len(buf)-len(idKey)+1):]...)
	return len(p), nil
}

// rss returns the VmRSS and VmHWM of this process in bytes, read from
// /proc/self/status (proc(5)).
func rss() (cur, peak int64, err error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s in /proc/self/status: %w", k, err)
		}
		if k == "VmRSS" {
			cur = kb << 10
		} else {
			peak = kb << 10
		}
	}
	if cur == 0 {
		return 0, 0, errors.New("no VmRSS in /proc/self/status")
	}
	return cur, peak, nil
}

// launch re-runs this program as a launch child, once per run, fetches
// /api/tracks from it, and times each run from just before the process
// starts to the last byte of the answer.
func (b *bench) launch(ctx context.Context) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var times, rssMB, others []float64
	var best, worst childResult // the details of the fastest run and of the largest
	var bestStart, bestEnd time.Time
	var bestBytes, bestRescan int64
	var bestCPU float64 // CPU time of the fastest run: the child's, and the parent's client
	// Run −1 is not timed: it brings the binary and the index into the
	// page cache, as every other phase starts warm.
	for run := -1; run < b.o.runs; run++ {
		args := []string{"-launch-child", "-library", b.dir, "-index", b.indexDB}
		if b.o.cpuprofile != "" && run == 0 {
			args = append(args, "-cpuprofile", b.o.cpuprofile)
		}
		if run >= 0 {
			b.waitIdle()
		}
		c := readCPU()
		start := time.Now()
		first, res, answer, end, err := runChild(ctx, exe, args)
		if err != nil {
			return err
		}
		finish := readCPU()
		if res.Count != b.o.n || answer.ids != b.o.n {
			return fmt.Errorf("launch child restored %d tracks and /api/tracks listed %d, want %d", res.Count, answer.ids, b.o.n)
		}
		if run < 0 {
			continue
		}
		took := end.Sub(start).Seconds()
		if len(times) == 0 || took < slices.Min(times) {
			best, bestStart, bestEnd, bestBytes, bestCPU = first, start, end, answer.n, c.oursSince(finish).Seconds()
			bestRescan = res.RescanDone
		}
		if res.RSS > worst.RSS {
			worst = res
		}
		times = append(times, took)
		others = append(others, c.othersShare(finish))
		rssMB = append(rssMB, float64(res.RSS)/1e6)
	}
	ms := func(from, to int64) float64 { return float64(to-from) / 1e6 }
	mb := func(n int64) float64 { return float64(n) / 1e6 }
	note := fmt.Sprintf("fastest run: exec to main %.0f ms, open index %.0f ms, restore %d tracks %.0f ms, listen %.1f ms, GET /api/tracks (%.1f MB) %.0f ms; "+
		"the rescan that runs meanwhile was done %.0f ms after exec",
		ms(bestStart.UnixNano(), best.Main), ms(best.Main, best.IndexOpened), best.Count, ms(best.IndexOpened, best.Restored),
		ms(best.Restored, best.Listening), float64(bestBytes)/1e6, ms(best.Listening, bestEnd.UnixNano()),
		ms(bestStart.UnixNano(), bestRescan))
	b.r.add(figure{Key: figLaunch, Name: "launch to first /api/tracks", Unit: "s", Runs: times, Note: note, Others: meanShare(others), CPU: bestCPU,
		Target: &target{Op: "<", Limit: 1, Size: 50000}})
	b.r.add(figure{Key: figRSS, Name: "RSS after launch (after GC)", Unit: "MB", Runs: rssMB,
		Note: fmt.Sprintf("largest run: VmRSS %.0f MB (peak VmHWM %.0f MB; %.0f MB right after the restore); Go heap in use %.0f MB, "+
			"Go runtime holds %.0f MB from the OS, so code and non-Go memory (SQLite) are about %.0f MB; VmRSS after debug.FreeOSMemory %.0f MB",
			mb(worst.RSS), mb(worst.PeakRSS), mb(worst.RSSRestored), mb(int64(worst.HeapInuse)),
			mb(int64(worst.GoHeld)), mb(worst.RSS-int64(worst.GoHeld)), mb(worst.RSSFreed)),
		Target: &target{Op: "<", Limit: 150, Size: 50000}})
	b.r.add(figure{Key: figTracksBytes, Name: "/api/tracks answer", Unit: "MB", Value: float64(bestBytes) / 1e6})
	return nil
}

// runChild starts the launch child with args, reads its first line, fetches
// /api/tracks from it to the last byte (end is when), tells it to measure
// its memory, and returns both its lines and what the answer held.
func runChild(ctx context.Context, exe string, args []string) (first, res childResult, answer idCounter, end time.Time, err error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return first, res, answer, end, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return first, res, answer, end, err
	}
	if err := cmd.Start(); err != nil {
		return first, res, answer, end, err
	}
	fail := func(err error) (childResult, childResult, idCounter, time.Time, error) {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		return first, res, answer, end, fmt.Errorf("launch child: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	lines := bufio.NewReader(stdout)
	line, err := lines.ReadBytes('\n')
	if err != nil {
		return fail(err)
	}
	if err := json.Unmarshal(line, &first); err != nil {
		return fail(fmt.Errorf("first line %q: %w", line, err))
	}
	resp, err := http.Get("http://" + first.Addr + "/api/tracks")
	if err != nil {
		return fail(err)
	}
	_, err = io.Copy(&answer, resp.Body)
	resp.Body.Close()
	end = time.Now()
	if err != nil {
		return fail(err)
	}
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("GET /api/tracks: %s", resp.Status))
	}
	http.DefaultClient.CloseIdleConnections()
	if _, err := io.WriteString(stdin, "measure\n"); err != nil {
		return fail(err)
	}
	if line, err = lines.ReadBytes('\n'); err != nil {
		return fail(err)
	}
	if err := json.Unmarshal(line, &res); err != nil {
		return fail(fmt.Errorf("second line %q: %w", line, err))
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return fail(err)
	}
	return first, res, answer, end, nil
}
