//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"earshot/player"
	"earshot/web"
)

// rangeOptions are the flags of the Range load phase (-rangeload).
type rangeOptions struct {
	file    string        // the audio file to serve; "" generates a WAV
	folder  string        // the slash path of the folder it sits in below the library, "" for the top
	size    int64         // the generated WAV's size in bytes
	window  int64         // bytes per Range request
	conns   int           // wrk connections
	threads int           // wrk threads
	dur     time.Duration // each server's run
	rounds  int           // runs of each server, alternating
	bare    bool          // also run a bare net/http server (see rangeBare)
	profile string        // CPU profile of Earshot's first run, "" for none
}

// rangeResult is one server's wrk run.
type rangeResult struct {
	server  string
	rps     float64       // requests per second
	non2xx  int           // answers that were not 2xx or 3xx
	errs    string        // wrk's socket error line, "" when none
	latency string        // wrk's mean latency, "4.65ms"
	cpu     time.Duration // the server's CPU time (user + system) during the run
	reqs    int           // requests wrk completed
	skipped string        // why the server was not measured, "" when it was
}

// rangeScript is the wrk Lua script: every request asks for a random
// window of the file (Range: bytes=a-b), as a seeking player does. Each
// thread seeds its generator with its own number, so runs repeat.
const rangeScript = `
local size, win = %d, %d
local n = 0
function setup(thread) n = n + 1; thread:set("seed", n) end
function init(args) math.randomseed(seed * 7919) end
function request()
  local a = math.random(0, size - win)
  return wrk.format("GET", nil, {["Range"] = "bytes=" .. a .. "-" .. (a + win - 1)})
end
`

// runRangeload measures small Range requests against Earshot's server and
// against nginx with sendfile on the same file, one after the other, and
// prints both rates and their ratio.
func runRangeload(ctx context.Context, o rangeOptions, out io.Writer) error {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return fmt.Errorf("rangeload needs wrk (apt install wrk): %w", err)
	}
	work, err := os.MkdirTemp("", "earshot-rangeload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// nginx started as root serves as an unprivileged user ("nobody"),
	// which must be able to enter the folder.
	if err := os.Chmod(work, 0o755); err != nil {
		return err
	}
	lib := filepath.Join(work, "library")
	if err := os.Mkdir(lib, 0o755); err != nil {
		return err
	}
	name, size, err := rangeFile(lib, o)
	name = path.Join(o.folder, name)
	if err != nil {
		return err
	}
	if size < o.window {
		return fmt.Errorf("the file has %d bytes, fewer than one %d-byte window", size, o.window)
	}
	script := filepath.Join(work, "range.lua")
	if err := os.WriteFile(script, fmt.Appendf(nil, rangeScript, size, o.window), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "Range load: %d-byte windows of the %d-byte file /%s, wrk -t%d -c%d for %s per run, %d rounds of earshot then nginx\n",
		o.window, size, name, o.threads, o.conns, o.dur, max(1, o.rounds))
	var rates, cpus []float64 // each round's earshot ÷ nginx
	for round := range max(1, o.rounds) {
		es, err := rangeEarshot(ctx, wrk, script, lib, o, round == 0)
		if err != nil {
			return err
		}
		ng := rangeNginx(ctx, wrk, script, work, lib, name, o)
		fmt.Fprintf(out, " round %d\n", round+1)
		printRange(out, es)
		printRange(out, ng)
		if o.bare {
			bare, err := rangeBare(ctx, wrk, script, filepath.Join(lib, filepath.FromSlash(name)), o)
			if err != nil {
				return err
			}
			printRange(out, bare)
			if ng.rps > 0 && ng.cpu > 0 && bare.cpu > 0 {
				fmt.Fprintf(out, "  bare net/http ÷ nginx = %.2f× in req/s, %.2f× in requests per CPU second\n",
					bare.rps/ng.rps, (float64(bare.reqs)/bare.cpu.Seconds())/(float64(ng.reqs)/ng.cpu.Seconds()))
			}
		}
		if es.non2xx > 0 {
			return fmt.Errorf("earshot answered %d requests with an error", es.non2xx)
		}
		if ng.skipped != "" || ng.rps == 0 || ng.cpu == 0 || es.cpu == 0 {
			continue
		}
		rates = append(rates, es.rps/ng.rps)
		cpus = append(cpus, (float64(es.reqs)/es.cpu.Seconds())/(float64(ng.reqs)/ng.cpu.Seconds()))
		fmt.Fprintf(out, "  earshot ÷ nginx = %.2f× in req/s, %.2f× in requests per CPU second\n", rates[len(rates)-1], cpus[len(cpus)-1])
	}
	if len(rates) > 0 {
		fmt.Fprintf(out, "median of %d rounds: earshot ÷ nginx = %.2f× in req/s (goal ≥ 0.80×), %.2f× in requests per CPU second\n",
			len(rates), median(rates), median(cpus))
	}
	return nil
}

// printRange prints one server's run of a round.
func printRange(out io.Writer, r rangeResult) {
	if r.skipped != "" {
		fmt.Fprintf(out, "  %-8s skipped: %s\n", r.server, r.skipped)
		return
	}
	fmt.Fprintf(out, "  %-8s %9.0f req/s, mean latency %s, %5.1f µs CPU a request",
		r.server, r.rps, r.latency, float64(r.cpu.Microseconds())/float64(max(1, r.reqs)))
	if r.non2xx > 0 {
		fmt.Fprintf(out, "  (%d answers not 2xx/3xx)", r.non2xx)
	}
	if r.errs != "" {
		fmt.Fprintf(out, "  (%s)", r.errs)
	}
	fmt.Fprintln(out)
}

// rangeFile puts the file to serve into the folder o.folder below dir,
// made if needed: a copy of o.file, or a generated WAV of o.size bytes. It
// returns its name and size.
func rangeFile(dir string, o rangeOptions) (string, int64, error) {
	dir = filepath.Join(dir, filepath.FromSlash(o.folder))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, err
	}
	if o.file == "" {
		return "load.wav", o.size, writeWAV(filepath.Join(dir, "load.wav"), o.size)
	}
	src, err := os.Open(o.file)
	if err != nil {
		return "", 0, err
	}
	defer src.Close()
	name := filepath.Base(o.file)
	dst, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return "", 0, err
	}
	n, err := io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	return name, n, err
}

// writeWAV writes a PCM WAV file (16-bit stereo, 44.1 kHz) of size bytes,
// header included, whose samples are noise from a fixed seed.
func writeWAV(path string, size int64) error {
	if size < 44+4 {
		return fmt.Errorf("a WAV needs more than 48 bytes")
	}
	data := uint32((size - 44) &^ 3)
	var h [44]byte
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+data)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)      // fmt chunk size
	binary.LittleEndian.PutUint16(h[20:], 1)       // PCM
	binary.LittleEndian.PutUint16(h[22:], 2)       // channels
	binary.LittleEndian.PutUint32(h[24:], 44100)   // sample rate
	binary.LittleEndian.PutUint32(h[28:], 44100*4) // byte rate
	binary.LittleEndian.PutUint16(h[32:], 4)       // block align
	binary.LittleEndian.PutUint16(h[34:], 16)      // bits per sample
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], data)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write(h[:])
	rng := rand.New(rand.NewPCG(1, 2))
	var buf [8]byte
	for left := int64(data); left > 0; left -= 8 {
		binary.LittleEndian.PutUint64(buf[:], rng.Uint64())
		w.Write(buf[:min(8, left)])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rangeEarshot serves dir with Earshot's web server on loopback and runs
// wrk against its one track's stream URL, under a CPU profile when asked
// and profile is set.
func rangeEarshot(ctx context.Context, wrk, script, dir string, o rangeOptions, profile bool) (rangeResult, error) {
	res := rangeResult{server: "earshot"}
	src, err := player.OpenFolder(dir)
	if err != nil {
		return res, err
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(ctx, src); err != nil {
		return res, err
	}
	tracks := lib.Tracks()
	if len(tracks) != 1 {
		return res, fmt.Errorf("the library holds %d tracks, want the one file", len(tracks))
	}
	srv := web.New(lib, web.Options{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		return res, err
	}
	go srv.Serve()
	defer srv.Shutdown(context.Background())
	url := "http://" + srv.Addr().String() + "/api/tracks/" + tracks[0].ID + "/stream"
	if profile && o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return res, err
		}
		defer pprof.StopCPUProfile()
	}
	before := selfCPU()
	res, err = runWrk(ctx, res, wrk, script, url, o)
	res.cpu = selfCPU() - before
	return res, err
}

// rangeBare serves the file at path with the least net/http allows, for
// scale: an [http.Server] with default settings whose one handler opens the
// file with [os.Open] and hands it to [http.ServeContent] (sendfile). It
// runs in this process as Earshot does, so its CPU time is measured alike.
// The gap from it to nginx is net/http's and the Go runtime's; the gap from
// Earshot to it is Earshot's own per-request work.
func rangeBare(ctx context.Context, wrk, script, path string, o rangeOptions) (rangeResult, error) {
	res := rangeResult{server: "bare"}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, "", info.ModTime(), f)
	})}
	go srv.Serve(l)
	defer srv.Close()
	before := selfCPU()
	res, err = runWrk(ctx, res, wrk, script, "http://"+l.Addr().String()+"/", o)
	res.cpu = selfCPU() - before
	return res, err
}

// selfCPU returns this process's CPU time so far, user and system; wrk,
// a child, is not counted.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// treeCPU returns the CPU time, user and system, of process pid and its
// children (nginx's master and workers) from /proc, in clock ticks of
// 10 ms (USER_HZ is 100 on Linux).
func treeCPU(pid int) time.Duration {
	total := procCPU(pid)
	kids, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	for _, f := range strings.Fields(string(kids)) {
		if k, err := strconv.Atoi(f); err == nil {
			total += procCPU(k)
		}
	}
	return total
}

// procCPU returns utime + stime of one process from /proc/<pid>/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which ends with the last ")":
	// state is field 3, utime 14 and stime 15.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}

// nginxConf is a configuration for an unprivileged nginx on loopback that
// serves root with sendfile, logging nothing, with every path it writes
// under the prefix (%[1]s). It leaves tcp_nopush off, nginx's default:
// with it on, each 64 KiB answer on a kept-alive loopback connection
// waited for a delayed ACK (35 ms on average, 1.4k req/s instead of 13k).
const nginxConf = `worker_processes %[4]d;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  types { audio/wav wav; }
  server {
    listen 127.0.0.1:%[2]d;
    root %[3]s;
  }
}
`

// rangeNginx starts nginx on a free loopback port serving dir, runs wrk
// against name there, and stops it. Without nginx it says so in skipped.
func rangeNginx(ctx context.Context, wrk, script, work, dir, name string, o rangeOptions) rangeResult {
	res := rangeResult{server: "nginx"}
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if bin, err = exec.LookPath("/usr/sbin/nginx"); err != nil {
			res.skipped = "nginx is not installed (apt install nginx-light)"
			return res
		}
	}
	prefix, err := os.MkdirTemp(work, "nginx-") // one for each round
	if err == nil {
		err = os.Chmod(prefix, 0o755)
	}
	if err != nil {
		res.skipped = err.Error()
		return res
	}
	port, err := freePort()
	if err != nil {
		res.skipped = err.Error()
		return res
	}
	conf := filepath.Join(prefix, "nginx.conf")
	// As many workers as Go has Ps, so both servers may use every core.
	text := fmt.Sprintf(nginxConf, prefix, port, dir, runtime.GOMAXPROCS(0))
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		res.skipped = err.Error()
		return res
	}
	cmd := exec.CommandContext(ctx, bin, "-p", prefix, "-e", filepath.Join(prefix, "error.log"), "-c", conf, "-g", "daemon off;")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		res.skipped = "nginx did not start: " + err.Error()
		return res
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := waitListening(addr, 5*time.Second); err != nil {
		res.skipped = fmt.Sprintf("nginx did not listen: %v %s", err, strings.TrimSpace(stderr.String()))
		return res
	}
	before := treeCPU(cmd.Process.Pid)
	r, err := runWrk(ctx, res, wrk, script, "http://"+addr+"/"+name, o)
	r.cpu = treeCPU(cmd.Process.Pid) - before
	if err != nil {
		r.skipped = err.Error()
	}
	return r
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitListening dials addr until it answers or limit has passed.
func waitListening(addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond) // polling a process we do not control
	}
}

// wrk's summary lines that runWrk reads.
var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+([0-9]+)`)
	wrkErrors = regexp.MustCompile(`Socket errors:[^\n]*`)
	wrkMean   = regexp.MustCompile(`Latency\s+(\S+)`)
	wrkCount  = regexp.MustCompile(`([0-9]+) requests in`)
)

// runWrk runs wrk with script against url and reads its summary into res.
func runWrk(ctx context.Context, res rangeResult, wrk, script, url string, o rangeOptions) (rangeResult, error) {
	secs := strconv.Itoa(max(1, int(o.dur.Seconds()))) + "s"
	cmd := exec.CommandContext(ctx, wrk, "-t"+strconv.Itoa(o.threads), "-c"+strconv.Itoa(o.conns), "-d"+secs, "-s", script, url)
	outb, err := cmd.CombinedOutput()
	text := string(outb)
	if err != nil {
		return res, fmt.Errorf("wrk against %s: %w: %s", res.server, err, text)
	}
	m := wrkRate.FindStringSubmatch(text)
	if m == nil {
		return res, errors.New("wrk printed no Requests/sec: " + text)
	}
	res.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkNon2xx.FindStringSubmatch(text); m != nil {
		res.non2xx, _ = strconv.Atoi(m[1])
	}
	res.errs = wrkErrors.FindString(text)
	if m := wrkCount.FindStringSubmatch(text); m != nil {
		res.reqs, _ = strconv.Atoi(m[1])
	}
	if m := wrkMean.FindStringSubmatch(text); m != nil {
		res.latency = m[1]
	}
	return res, nil
}
