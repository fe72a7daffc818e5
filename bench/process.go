//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The figures of the whole-process phase.
const (
	figProcScan      = "process_first_scan"
	figProcRatio     = "process_first_scan_vs_bare_loop"
	figRelaunchList  = "process_relaunch_tracks"
	figRelaunchScan  = "process_relaunch_rescan"
	figRelaunchPeak  = "process_relaunch_peak_rss"
	servingLinePrefx = "Earshot serving "
)

// process times the earshot program itself, as a user runs it: built with
// go build (or the binary -earshot names), started with -headless on the
// library. First on a fresh index, from exec to its "Earshot serving"
// line (the first scan is done), compared with the bare loop of the same
// bench run. Then relaunched on the index that run left, as every launch
// after the first is: from exec to the last byte of the full /api/tracks,
// from exec to "Earshot serving" (the rescan, nothing changed, is done),
// and the process's peak resident set (VmHWM) by then.
func (b *bench) process(ctx context.Context) error {
	exe, err := b.earshotBinary(ctx)
	if err != nil {
		return err
	}
	var index string
	var runs, others []float64
	var cpu float64
	for run := range b.o.runs {
		b.waitIdle()
		index = filepath.Join(b.work, fmt.Sprintf("process-%d.db", run))
		c := readCPU()
		p, err := b.startEarshot(ctx, exe, index, "")
		if err != nil {
			return err
		}
		served, err := p.waitServing()
		p.stop()
		end := readCPU()
		if err != nil {
			return err
		}
		if len(runs) == 0 || served.Seconds() < slices.Min(runs) {
			cpu = c.oursSince(end).Seconds()
		}
		runs, others = append(runs, served.Seconds()), append(others, c.othersShare(end))
	}
	f := figure{Key: figProcScan, Name: "whole process: exec to first scan done (fresh index)", Unit: "s",
		Runs: runs, CPU: cpu, Others: meanShare(others)}
	f = b.r.add(f)
	base := b.r.get(figBarePar)
	b.r.add(figure{Key: figProcRatio, Name: "whole process ÷ " + base.Name, Unit: "×", Value: f.Value / base.Value,
		Note:   "earshot -headless -library DIR -index <new file> -listen 127.0.0.1:0 -mdns=false, from exec to its \"Earshot serving\" line, against the bare loop of this run",
		Target: &target{Op: "≤", Limit: 1.3, Size: 20000}})
	return b.relaunch(ctx, exe, index)
}

// relaunch times launches of exe on the cached index: to the full
// /api/tracks, and to the end of the rescan, with the peak RSS.
func (b *bench) relaunch(ctx context.Context, exe, index string) error {
	var list, scan, peak, others []float64
	var cpu float64
	for range b.o.runs {
		b.waitIdle()
		addr, err := freeLoopbackPort()
		if err != nil {
			return err
		}
		c := readCPU()
		p, err := b.startEarshot(ctx, exe, index, addr)
		if err != nil {
			return err
		}
		listed, lerr := fetchAllTracks(ctx, p.start, "http://"+addr+"/api/tracks", b.o.n)
		served, serr := p.waitServing()
		hwm, herr := p.peakRSS()
		p.stop()
		end := readCPU()
		if err := errors.Join(lerr, serr, herr); err != nil {
			return fmt.Errorf("relaunch: %w", err)
		}
		if len(scan) == 0 || served.Seconds() < slices.Min(scan) {
			cpu = c.oursSince(end).Seconds()
		}
		list, scan = append(list, listed.Seconds()), append(scan, served.Seconds())
		peak = append(peak, float64(hwm)/1e6)
		others = append(others, c.othersShare(end))
	}
	share := meanShare(others)
	b.r.add(figure{Key: figRelaunchList, Name: "whole process, relaunch: exec to full /api/tracks", Unit: "s", Runs: list, Others: share,
		Note:   "earshot -headless on the index the first run saved; the answer gzipped, as a browser asks for it, read to the last byte",
		Target: &target{Op: "<", Limit: 1, Size: 100000}})
	b.r.add(figure{Key: figRelaunchScan, Name: "whole process, relaunch: exec to rescan done", Unit: "s", Runs: scan, Others: share, CPU: cpu,
		Target: &target{Op: "<", Limit: 1.5, Size: 100000}})
	b.r.add(figure{Key: figRelaunchPeak, Name: "whole process, relaunch: peak RSS (VmHWM)", Unit: "MB", Runs: peak,
		Note:   "VmHWM of the earshot process once it has answered /api/tracks and finished the rescan",
		Target: &target{Op: "<", Limit: 150, Size: 100000}})
	return nil
}

// earshotBinary returns -earshot, or builds the module's main package
// into the scratch folder.
func (b *bench) earshotBinary(ctx context.Context) (string, error) {
	if b.o.earshot != "" {
		return b.o.earshot, nil
	}
	exe := filepath.Join(b.work, "earshot")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", exe, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build -o %s . (run the bench from the module root): %w: %s", exe, err, out)
	}
	return exe, nil
}

// earshotProc is a running earshot -headless.
type earshotProc struct {
	cmd     *exec.Cmd
	start   time.Time
	serving chan servingLine
	stderr  strings.Builder
}

// servingLine is when the "Earshot serving" line came, or why it did not.
type servingLine struct {
	after time.Duration
	err   error
}

// startEarshot starts exe -headless on the library with index, listening
// on addr ("" for any free loopback port), its config and cache folders in
// the scratch folder so that nothing of the user's is read or written.
func (b *bench) startEarshot(ctx context.Context, exe, index, addr string) (*earshotProc, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	home := filepath.Join(b.work, "home")
	cmd := exec.CommandContext(ctx, exe, "-headless", "-library", b.dir, "-index", index, "-listen", addr, "-mdns=false")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
	p := &earshotProc{cmd: cmd, serving: make(chan servingLine, 1)}
	cmd.Stderr = &p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), servingLinePrefx) {
				p.serving <- servingLine{after: time.Since(p.start), err: checkServing(lines.Text(), b.o.n)}
				io.Copy(io.Discard, stdout)
				return
			}
		}
		p.serving <- servingLine{err: fmt.Errorf("earshot ended without a %q line", servingLinePrefx)}
	}()
	return p, nil
}

// checkServing checks that the "Earshot serving N tracks …" line counts n.
func checkServing(line string, n int) error {
	f := strings.Fields(strings.TrimPrefix(line, servingLinePrefx))
	if len(f) == 0 || f[0] != strconv.Itoa(n) {
		return fmt.Errorf("earshot said %q, want %d tracks", line, n)
	}
	return nil
}

// waitServing waits for the "Earshot serving" line and returns how long
// after exec it came.
func (p *earshotProc) waitServing() (time.Duration, error) {
	s := <-p.serving
	p.serving <- s
	if s.err != nil {
		return 0, fmt.Errorf("%w: %s", s.err, strings.TrimSpace(p.stderr.String()))
	}
	return s.after, nil
}

// peakRSS returns the process's VmHWM in bytes (proc(5)).
func (p *earshotProc) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/PID/status")
}

// stop interrupts the process, as Ctrl-C would, and waits for it.
func (p *earshotProc) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// freeLoopbackPort returns a loopback address with a port free now, for a
// server whose address must be known before it prints it.
func freeLoopbackPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// fetchAllTracks gets url, the full /api/tracks, as soon as the server
// accepts connections, until an answer lists n tracks, and returns the
// time from start to that answer's last byte. Connection attempts are
// retried every millisecond while the server is not listening yet.
func fetchAllTracks(ctx context.Context, start time.Time, url string, n int) (time.Duration, error) {
	client := &http.Client{Transport: &http.Transport{}} // asks for gzip, as a browser does
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			time.Sleep(time.Millisecond)
			continue
		}
		var c idCounter
		_, err = io.Copy(&c, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		if c.ids == n {
			return took, nil
		}
		time.Sleep(time.Millisecond) // served before the restore: ask again
	}
	return 0, fmt.Errorf("GET %s: no answer listing %d tracks within a minute", url, n)
}
