//go:build linux

// Command bench measures how Earshot's library scales with its size. It
// generates a synthetic library of n real MP3 files (one short recording
// encoded once with ffmpeg, each file with tags of its own), then times, on
// a warm page cache: a bare tag-reading loop, Earshot's first scan, a
// rescan with nothing changed, a launch from the saved index to the first
// /api/tracks answer (in a child process), the memory that launch holds,
// and search latency. It prints each figure next to the target the issue
// "A library that opens instantly at any size" sets for it.
//
// Run it from the module root:
//
//	go run ./bench -n 50000
//
// With -rangeload it measures small Range requests against Earshot and
// nginx instead (rangeload.go). See bench/README.md for what each figure
// means.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"time"
)

// options are the command-line flags.
type options struct {
	n          int
	runs       int
	queries    int
	seed       uint64
	json       string
	dir        string
	keep       bool
	cpuprofile string
	idle       float64
	idleWait   time.Duration
	phases     string
	earshot    string
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 20000, "number of tracks in the synthetic library")
	flag.IntVar(&o.runs, "runs", 3, "times each timed phase runs; the best time (for search the median pass, for memory the largest) is reported")
	flag.IntVar(&o.queries, "queries", 1000, "number of search queries")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the library's names and of the queries")
	flag.StringVar(&o.json, "json", "", "also write the figures as JSON to `file` (\"-\": print JSON instead of the table)")
	flag.StringVar(&o.dir, "dir", "", "generate the library in this folder instead of a temporary one (kept afterwards); if it exists, reuse the library there, checked against the plan for -n and -seed")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary library and index and print where they are")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write CPU profiles of each phase to `prefix`-<phase>.prof")
	flag.Float64Var(&o.idle, "idle", 0.25, "before each timed run, wait until other processes use less than this share of the CPUs…")
	flag.DurationVar(&o.idleWait, "idle-wait", time.Minute, "…but no longer than this (0: never wait)")
	flag.StringVar(&o.earshot, "earshot", "", "the earshot binary the process phase runs (default: go build -o of the module's main package)")
	flag.StringVar(&o.phases, "phases", allPhases, "comma-separated `phases` to measure, of "+allPhases+" (rescan, launch and search also run the cold scan they start from)")
	child := flag.Bool("launch-child", false, "internal: run the launch phase (needs -index and -library)")
	childIndex := flag.String("index", "", "internal: the saved index for -launch-child")
	childLib := flag.String("library", "", "internal: the library folder for -launch-child")
	var ro rangeOptions
	rangeload := flag.Bool("rangeload", false, "instead of the library figures, measure 64 KiB Range requests against Earshot and nginx with wrk (see rangeload.go)")
	flag.StringVar(&ro.file, "range-file", "", "with -rangeload: serve a copy of this audio `file` (default: a generated WAV)")
	flag.StringVar(&ro.folder, "range-folder", "", "with -rangeload: put the file in this slash-separated `folder` below the library (e.g. Artist/Album), as a real library's tracks are")
	flag.Int64Var(&ro.size, "range-size", 256<<20, "with -rangeload: the generated WAV's size in bytes")
	flag.Int64Var(&ro.window, "range-window", 64<<10, "with -rangeload: bytes per Range request")
	flag.IntVar(&ro.conns, "range-conns", 50, "with -rangeload: wrk connections")
	flag.IntVar(&ro.threads, "range-threads", 2, "with -rangeload: wrk threads")
	flag.DurationVar(&ro.dur, "range-time", 10*time.Second, "with -rangeload: how long wrk runs against each server")
	flag.IntVar(&ro.rounds, "range-rounds", 3, "with -rangeload: measure earshot then nginx this many times and print the median ratios")
	flag.BoolVar(&ro.bare, "range-bare", false, "with -rangeload: in each round also measure a bare net/http server (os.Open + http.ServeContent), for scale")
	flag.StringVar(&ro.profile, "range-cpuprofile", "", "with -rangeload: write a CPU profile of Earshot's first run to `file`")
	flag.Parse()

	if *child {
		if err := launchChild(*childIndex, *childLib, o.cpuprofile); err != nil {
			fmt.Fprintln(os.Stderr, "bench -launch-child:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *rangeload {
		if err := runRangeload(ctx, ro, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench -rangeload:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run generates the library, measures it and prints the report.
func run(ctx context.Context, o options) (err error) {
	if o.n < 1 || o.runs < 1 {
		return fmt.Errorf("-n and -runs must be at least 1")
	}
	work, err := os.MkdirTemp("", "earshot-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintln(os.Stderr, "kept", work)
			return
		}
		if rerr := os.RemoveAll(work); err == nil {
			err = rerr
		}
	}()
	libDir := filepath.Join(work, "library")
	if o.dir != "" {
		libDir = o.dir
	}
	reuse := false
	if _, err := os.Stat(libDir); err == nil {
		if o.dir == "" {
			return fmt.Errorf("%s already exists; bench generates a fresh library", libDir)
		}
		reuse = true
	}
	phases, err := parsePhases(o.phases)
	if err != nil {
		return err
	}

	r := &report{N: o.n, Runs: o.runs, GOMAXPROCS: runtime.GOMAXPROCS(0), Workers: scanWorkers(),
		CPU: cpuModel(), GoVersion: runtime.Version(), Date: time.Now().UTC().Format(time.DateOnly)}
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
	b := &bench{o: o, r: r, dir: libDir, work: work, logf: logf, reuse: reuse, phases: phases}
	if err := b.all(ctx); err != nil {
		return err
	}
	if o.json == "-" {
		return writeJSON(os.Stdout, r)
	}
	r.print(os.Stdout)
	if o.json != "" {
		f, err := os.Create(o.json)
		if err != nil {
			return err
		}
		if err := writeJSON(f, r); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

// writeJSON writes r as indented JSON.
func writeJSON(w io.Writer, r *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
