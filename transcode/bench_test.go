//go:build !windows

package transcode

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"earshot/player/probe"
)

// hourALAC makes (once per machine, in the temporary folder) an hour of
// stereo noise in ALAC, 600 MB: the worst case for a seek's decode.
func hourALAC(b *testing.B) string {
	b.Helper()
	p := filepath.Join(os.TempDir(), "earshot-bench-hour-alac.m4a")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	tmp := p + ".tmp.m4a"
	out, err := exec.Command("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=3600:r=44100:a=0.3",
		"-ac", "2", "-c:a", "alac", tmp).CombinedOutput()
	if err != nil {
		b.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, p); err != nil {
		b.Fatal(err)
	}
	return p
}

// hourWAV returns a transcoder with maxProcesses slots (0: one per CPU),
// the hour-long ALAC file as its input, and the shape of its WAV.
func hourWAV(b *testing.B, maxProcesses int) (*Transcoder, probe.Input, PCM) {
	b.Helper()
	path := hourALAC(b)
	tc := New(Options{Tools: probe.FindTools(), MaxProcesses: maxProcesses})
	in := probe.Input{DiskPath: path}
	s, err := tc.Probe(context.Background(), in, path)
	if err != nil {
		b.Fatal(err)
	}
	return tc, in, Shape(s, s.Duration)
}

func childCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// target is a transcode target of the benchmarks: its file of the
// hour-long ALAC file, and how many bytes of it a minute of audio is.
type target struct {
	name string
	open func(tc *Transcoder, in probe.Input, pcm PCM) (*File, error)
	// perMinute is a minute of audio in bytes; unit the file's unit.
	perMinute, unit int64
}

// targets returns the WAV and data-saver MP3 targets for pcm.
func targets(pcm PCM) []target {
	seconds := float64(pcm.Frames) / float64(pcm.Rate)
	return []target{
		{"wav", func(tc *Transcoder, in probe.Input, pcm PCM) (*File, error) {
			return tc.WAV(context.Background(), in, pcm)
		},
			60 * int64(pcm.Rate) * pcm.BlockAlign(), pcm.BlockAlign()},
		{"mp3", func(tc *Transcoder, in probe.Input, _ PCM) (*File, error) {
			return tc.MP3(context.Background(), in, seconds)
		},
			60 * MP3BitRate / 8, MP3FrameBytes},
	}
}

// BenchmarkSeekFirstByte measures, on an hour-long ALAC file, the time
// from a seek to 80 % to the first byte of audio there (ffmpeg start,
// input seek, decode to the sample, and for MP3 one frame's encode): what
// a browser waits after a seek, with no cache. "tap-ms" is the same from
// the start of the file.
func BenchmarkSeekFirstByte(b *testing.B) {
	tc, in, pcm := hourWAV(b, 0)
	for _, tg := range targets(pcm) {
		b.Run(tg.name, func(b *testing.B) {
			var tap, seek time.Duration
			for b.Loop() {
				f, err := tg.open(tc, in, pcm)
				if err != nil {
					b.Fatal(err)
				}
				size := f.Size()
				f.Close()
				for i, off := range []int64{0, size * 8 / 10 / tg.unit * tg.unit} {
					f, _ := tg.open(tc, in, pcm)
					start := time.Now()
					f.Seek(off, io.SeekStart)
					if _, err := io.ReadFull(f, make([]byte, 4096)); err != nil {
						b.Fatal(err)
					}
					if i == 0 {
						tap += time.Since(start)
					} else {
						seek += time.Since(start)
					}
					f.Close()
				}
			}
			b.ReportMetric(float64(tap.Milliseconds())/float64(b.N), "tap-ms")
			b.ReportMetric(float64(seek.Milliseconds())/float64(b.N), "seek80-ms")
		})
	}
}

// BenchmarkCPUPerMinute transcodes one minute of the hour-long ALAC file
// to each target and reports ffmpeg's CPU seconds per minute of audio and
// how many times faster than real time one transcode runs.
func BenchmarkCPUPerMinute(b *testing.B) {
	tc, in, pcm := hourWAV(b, 0)
	for _, tg := range targets(pcm) {
		b.Run(tg.name, func(b *testing.B) {
			cpu0, wall := childCPU(), time.Duration(0)
			for b.Loop() {
				f, err := tg.open(tc, in, pcm)
				if err != nil {
					b.Fatal(err)
				}
				f.Seek(f.Size()/2/tg.unit*tg.unit, io.SeekStart)
				start := time.Now()
				if _, err := io.CopyN(io.Discard, f, tg.perMinute); err != nil {
					b.Fatal(err)
				}
				wall += time.Since(start)
				f.Close()
			}
			b.ReportMetric((childCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/min")
			b.ReportMetric(60/(wall.Seconds()/float64(b.N)), "x-realtime")
		})
	}
}

// BenchmarkConcurrent runs n transcodes of the hour-long ALAC file to
// each target at once (each from its own offset, with n slots) and
// reports the slowest one's speed as a multiple of real time
// ("min-x-realtime"): n listeners are served without gaps while it stays
// above 1. "streams" is n × that speed, the number of real-time
// transcodes the machine would sustain at this load.
func BenchmarkConcurrent(b *testing.B) {
	_, _, pcm0 := hourWAV(b, 1)
	for _, tg := range targets(pcm0) {
		for _, n := range []int{2, 8, 32} {
			b.Run(tg.name+"/"+strconv.Itoa(n), func(b *testing.B) {
				tc, in, pcm := hourWAV(b, n)
				const seconds = 20
				chunk := tg.perMinute * seconds / 60
				slowest := time.Duration(0)
				for b.Loop() {
					walls := make([]time.Duration, n)
					var wg sync.WaitGroup
					for i := range n {
						wg.Go(func() {
							f, err := tg.open(tc, in, pcm)
							if err != nil {
								b.Error(err)
								return
							}
							defer f.Close()
							f.Seek(int64(i)*(f.Size()/int64(n+1))/tg.unit*tg.unit, io.SeekStart)
							start := time.Now()
							if _, err := io.CopyN(io.Discard, f, chunk); err != nil {
								b.Error(err)
							}
							walls[i] = time.Since(start)
						})
					}
					wg.Wait()
					slowest = max(slowest, slices.Max(walls))
				}
				speed := seconds / slowest.Seconds()
				b.ReportMetric(speed, "min-x-realtime")
				b.ReportMetric(speed*float64(n), "streams")
			})
		}
	}
}
