//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dhowden/tag"
	"golang.org/x/sync/errgroup"

	"earshot/player"
)

// bench holds one run's settings and what the phases pass on.
type bench struct {
	o    options
	r    *report
	dir  string // the generated library
	work string // scratch: index files
	logf func(format string, args ...any)
	// reuse is set when dir holds a library made earlier, which generate
	// then checks against the plan instead of writing it.
	reuse  bool
	phases map[string]bool // the phases to measure (see parsePhases)

	specs    []trackSpec
	lib      *player.Library // scanned by coldScan, used by rescan and search
	src      player.Source
	indexDB  string // the index file lib saves to
	closeIdx func() error
}

// scanWorkers is the number of files Earshot's scan reads at once; it must
// follow the SetLimit in player/scan.go.
func scanWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

// all runs every phase in order.
func (b *bench) all(ctx context.Context) error {
	defer func() {
		if b.closeIdx != nil {
			b.closeIdx()
		}
	}()
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"generate", b.generate},
		{"warm the page cache", b.warm},
		{phaseBare, b.bareLoops},
		{phaseScan, b.coldScan},
		{phaseRescan, b.rescan},
		{phaseLaunch, b.launch},
		{phaseSearch, b.search},
		{phaseProcess, b.process},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, known := b.phases[s.name]; known && !b.phases[s.name] {
			continue
		}
		b.logf("… %s", s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// generate plans and writes the library, then checks a sample of it.
func (b *bench) generate(ctx context.Context) error {
	src, err := sampleFLAC(ctx)
	if err != nil {
		return err
	}
	audio, err := encodeAudio(ctx, src, defaultAudio)
	if err != nil {
		return err
	}
	start := time.Now()
	b.specs = plan(b.o.n, b.o.seed)
	if b.reuse {
		if err := sameFiles(b.dir, b.specs); err != nil {
			return err
		}
	} else if err := generate(ctx, b.dir, b.specs, audio); err != nil {
		return err
	}
	took := time.Since(start)
	var bytes int64
	var covers, compilations, nonASCII int
	for _, s := range b.specs {
		bytes += int64(len(id3v23(s)) + len(audio))
		if s.Cover != nil {
			covers++
		}
		if s.AlbumArtist == VariousArtists {
			compilations++
		}
		if strings.ContainsFunc(s.Artist+s.Album+s.Title, func(r rune) bool { return r >= 0x80 }) {
			nonASCII++
		}
	}
	b.r.Library = libraryFacts{Files: len(b.specs), Bytes: bytes, AudioBytes: len(audio), AudioSeconds: defaultAudio.Seconds,
		Covers: covers, Compilations: compilations, NonASCII: nonASCII, GenerateSeconds: took.Seconds()}
	b.logf("  %d files, %.0f MB, in %.1f s (%.0f files/s)", len(b.specs), float64(bytes)/1e6, took.Seconds(), float64(len(b.specs))/took.Seconds())
	if err := verify(ctx, b.dir, b.specs, 200, defaultAudio.Seconds); err != nil {
		return err
	}
	b.logf("  a sample of 200 files reads back as planned; ffprobe accepts %s", b.specs[0].Path)
	return nil
}

// warm reads every file of the library once, so that every timed phase
// finds them in the page cache.
func (b *bench) warm(ctx context.Context) error {
	start := time.Now()
	paths, err := audioPaths(b.dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	b.logf("  read %d files in %.1f s", len(paths), time.Since(start).Seconds())
	return nil
}

// audioPaths walks dir for .mp3 files, as a bare loop has to find them.
func audioPaths(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".mp3") {
			paths = append(paths, p)
		}
		return err
	})
	return paths, err
}

// bareLoop walks the library and reads each file's tags with
// [tag.ReadFrom], workers files at a time: the least work that lists a
// library's tags. It returns the number of files read.
func bareLoop(ctx context.Context, dir string, workers int) (int, error) {
	paths, err := audioPaths(dir)
	if err != nil {
		return 0, err
	}
	read := func(p string) error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = tag.ReadFrom(f)
		return err
	}
	if workers == 1 {
		for _, p := range paths {
			if err := read(p); err != nil {
				return 0, err
			}
		}
		return len(paths), nil
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, p := range paths {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return read(p)
		})
	}
	return len(paths), g.Wait()
}

// headSize is how much of each file bareLoopHead reads at once.
const headSize = 64 << 10

var heads = sync.Pool{New: func() any { return new([headSize]byte) }}

// bareLoopHead is bareLoop reading the start of each file into memory
// with one read, and parsing the tags from there, so that dhowden/tag's
// many small reads (three per frame header) are not each a system call.
// A tag longer than headSize is read from the file as in bareLoop. It
// shows what tag reading costs with buffered input.
func bareLoopHead(ctx context.Context, dir string, workers int) (int, error) {
	paths, err := audioPaths(dir)
	if err != nil {
		return 0, err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, p := range paths {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			buf := heads.Get().(*[headSize]byte)
			defer heads.Put(buf)
			n, err := io.ReadFull(f, buf[:])
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return err
			}
			head := buf[:n]
			if n >= 10 && string(head[:3]) == "ID3" {
				size := int(head[6])<<21 | int(head[7])<<14 | int(head[8])<<7 | int(head[9])
				if 10+size > n {
					if _, err := f.Seek(0, io.SeekStart); err != nil {
						return err
					}
					_, err = tag.ReadFrom(f)
					return err
				}
			}
			_, err = tag.ReadFrom(bytes.NewReader(head))
			return err
		})
	}
	return len(paths), g.Wait()
}

// bareLoops times the bare loop, sequential and with the scan's worker count.
func (b *bench) bareLoops(ctx context.Context) error {
	for _, workers := range []int{1, scanWorkers()} {
		key, name := figBareSeq, "bare loop, sequential"
		if workers > 1 {
			key, name = figBarePar, fmt.Sprintf("bare loop, %d workers", workers)
		}
		f, err := b.timed(key, name, func(int) error {
			n, err := bareLoop(ctx, b.dir, workers)
			if err == nil && n != b.o.n {
				err = fmt.Errorf("bare loop read %d files, want %d", n, b.o.n)
			}
			return err
		})
		if err != nil {
			return err
		}
		b.r.add(f)
	}
	seq, par := b.r.get(figBareSeq).Value, b.r.get(figBarePar).Value
	b.r.Baseline = figBareSeq
	if par < seq {
		b.r.Baseline = figBarePar
	}
	f, err := b.timed(figBareHead, fmt.Sprintf("(bare loop, %d workers, head read in one go)", scanWorkers()), func(int) error {
		n, err := bareLoopHead(ctx, b.dir, scanWorkers())
		if err == nil && n != b.o.n {
			err = fmt.Errorf("bare loop read %d files, want %d", n, b.o.n)
		}
		return err
	})
	if err != nil {
		return err
	}
	f.Note = "not a baseline: what reading tags costs when dhowden/tag parses from memory instead of making a read system call per field"
	b.r.add(f)
	return nil
}

// timed runs fn b.o.runs times (fn gets the run number) and returns a
// figure in seconds with each run's time, the CPU time the fastest run
// used, and the share of the CPUs other processes took meanwhile. Each run
// starts after a garbage collection.
func (b *bench) timed(key, name string, fn func(run int) error) (figure, error) {
	f := figure{Key: key, Name: name, Unit: "s"}
	var others []float64
	for run := range b.o.runs {
		b.waitIdle()
		runtime.GC()
		stop := b.profile(key, run)
		c := readCPU()
		start := time.Now()
		err := fn(run)
		took := time.Since(start)
		end := readCPU()
		stop()
		if err != nil {
			return f, err
		}
		others = append(others, c.othersShare(end))
		if len(f.Runs) == 0 || took.Seconds() < slices.Min(f.Runs) {
			f.CPU = c.oursSince(end).Seconds()
		}
		f.Runs = append(f.Runs, took.Seconds())
	}
	f.Others = meanShare(others)
	return f, nil
}

// waitIdle waits, up to -idle-wait, for other processes to leave the CPUs
// to the bench.
func (b *bench) waitIdle() {
	if b.o.idleWait > 0 {
		waitIdle(b.o.idle, b.o.idleWait, b.logf)
	}
}

// meanShare averages the known shares of xs; nil when none is known.
func meanShare(xs []float64) *float64 {
	sum, n := 0.0, 0
	for _, x := range xs {
		if x >= 0 {
			sum, n = sum+x, n+1
		}
	}
	if n == 0 {
		return nil
	}
	mean := sum / float64(n)
	return &mean
}

// newIndexedLibrary returns an empty library saving to a new index file,
// the file's path and the function that closes it.
func (b *bench) newIndexedLibrary(run int) (*player.Library, string, func() error, error) {
	db := filepath.Join(b.work, fmt.Sprintf("index-%d.db", run))
	ix, closeIx, err := openIndex(db)
	if err != nil {
		return nil, "", nil, err
	}
	return player.New(player.Options{Index: ix}), db, closeIx, nil
}

// coldScan times the first scan of the library into an empty index, each
// run with a new library and index; the last one is kept for the phases
// after it.
func (b *bench) coldScan(ctx context.Context) error {
	src, err := player.OpenFolder(b.dir)
	if err != nil {
		return err
	}
	b.src = src
	scan, err := b.timed(figScan, "cold scan into an empty index", func(run int) error {
		if b.closeIdx != nil {
			b.closeIdx()
		}
		lib, db, closeIx, err := b.newIndexedLibrary(run)
		if err != nil {
			return err
		}
		b.lib, b.indexDB, b.closeIdx = lib, db, closeIx
		rep, err := lib.Scan(ctx, src)
		return checkScan(rep, err, b.o.n)
	})
	if err != nil {
		return err
	}
	if err := b.checkTracks(); err != nil {
		return err
	}
	scan = b.r.add(scan)
	base := b.r.get(b.r.Baseline)
	b.r.add(figure{Key: figScanRatio, Name: "cold scan ÷ " + base.Name, Unit: "×", Value: scan.Value / base.Value,
		Target: &target{Op: "≤", Limit: 1.3, Size: 20000}})
	b.r.add(figure{Key: figScanRate, Name: "cold scan rate", Unit: "tracks/s", Value: float64(b.o.n) / scan.Value,
		Target: &target{Op: "≥", Limit: 10000, Size: 20000}})
	for _, suffix := range []string{"", "-wal"} { // WAL mode: recent pages are in the log
		if fi, err := os.Stat(b.indexDB + suffix); err == nil {
			b.r.IndexBytes += fi.Size()
		}
	}
	return nil
}

// checkScan fails unless a scan indexed want tracks without problems.
func checkScan(rep player.Report, err error, want int) error {
	switch {
	case err != nil:
		return err
	case len(rep.Skipped) > 0:
		return fmt.Errorf("scan skipped %d files, the first: %w", len(rep.Skipped), rep.Skipped[0])
	case len(rep.TagErrors) > 0:
		return fmt.Errorf("scan could not read the tags of %d files, the first: %w", len(rep.TagErrors), rep.TagErrors[0])
	case rep.IndexErr != nil:
		return fmt.Errorf("scan could not save the index: %w", rep.IndexErr)
	case rep.Tracks != want:
		return fmt.Errorf("scan indexed %d tracks, want %d", rep.Tracks, want)
	}
	return nil
}

// checkTracks compares what the scan indexed with the plan: every track's
// tags, its cover flag, and a duration close to the encoded length.
func (b *bench) checkTracks() error {
	byPath := map[string]trackSpec{}
	for _, s := range b.specs {
		byPath[s.Path] = s
	}
	for _, t := range b.lib.Tracks() {
		s, ok := byPath[t.Path]
		if !ok {
			return fmt.Errorf("scan found %s, which was not generated", t.Path)
		}
		got := tagFields{t.Title, t.Artist, t.Album, t.AlbumArtist, t.Genre, t.TrackNumber, t.TrackTotal, t.DiscNumber, t.DiscTotal, t.Year}
		if got != withoutCover(s) || t.HasCover != (s.Cover != nil) {
			return fmt.Errorf("scan read %s as %+v (cover %v), want %+v (cover %v)", t.Path, got, t.HasCover, withoutCover(s), s.Cover != nil)
		}
		if math.Abs(t.Duration-defaultAudio.Seconds) > 0.1 {
			return fmt.Errorf("scan read %s as %.3f s long, want %v", t.Path, t.Duration, defaultAudio.Seconds)
		}
	}
	return nil
}

// rescan times scans of the already scanned library with nothing changed.
func (b *bench) rescan(ctx context.Context) error {
	f, err := b.timed(figRescan, "rescan, nothing changed", func(int) error {
		rep, err := b.lib.Scan(ctx, b.src)
		return checkScan(rep, err, b.o.n)
	})
	if err != nil {
		return err
	}
	f.Target = &target{Op: "<", Limit: 0.5, Size: 50000}
	b.r.add(f)
	return nil
}

// profile starts a CPU profile of the first run of a phase when
// -cpuprofile is set, and returns the function that stops it.
func (b *bench) profile(phase string, run int) func() {
	if b.o.cpuprofile == "" || run > 0 {
		return func() {}
	}
	f, err := os.Create(b.o.cpuprofile + "-" + phase + ".prof")
	if err != nil {
		b.logf("  cpuprofile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.logf("  cpuprofile: %v", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// percentile returns the p-th percentile (0–100) of sorted xs by the
// nearest-rank method.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(0, min(len(sorted)-1, rank-1))]
}
