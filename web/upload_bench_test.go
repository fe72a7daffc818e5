//go:build linux

package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"earshot/player/playertest"
)

// benchUploadBytes is the size of the file the upload benchmarks send.
const benchUploadBytes = 256 << 20

// cpuTime returns this process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchWAV writes a WAV file of benchUploadBytes in dir and returns its
// path.
func benchWAV(b *testing.B, dir string) string {
	b.Helper()
	p := filepath.Join(dir, "big.wav")
	if err := os.WriteFile(p, playertest.WAV(benchUploadBytes-44), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// curlSend runs curl with args (the file is given in them), failing b
// unless it answers want.
func curlSend(b *testing.B, want int, args ...string) {
	b.Helper()
	out, err := exec.Command("curl", append([]string{"-sS", "-o", "/dev/null", "-w", "%{http_code}"}, args...)...).CombinedOutput()
	if code, _ := strconv.Atoi(strings.TrimSpace(string(out))); err != nil || code != want {
		b.Fatalf("curl %v: %v: %s", args, err, out)
	}
}

// BenchmarkUpload sends a 256 MiB file over loopback with curl, the same
// client for both cases, so that the ratio of their MB/s is the server's
// cost:
//   - plain: `curl -T` to a plain Go handler that copies the body to a
//     file and fsyncs it;
//   - tus: a tus creation, then one `curl -X PATCH` of the whole file to
//     Earshot's upload route, which stores it, checks it as audio, hashes
//     and fsyncs it and renames it into the library.
//
// cpu-s/GB is this process's CPU time (the server's; curl runs apart)
// per GB sent. Run: go test ./web -run '^$' -bench BenchmarkUpload -benchtime 5x
func BenchmarkUpload(b *testing.B) {
	if _, err := exec.LookPath("curl"); err != nil {
		b.Fatal("curl is needed")
	}
	src := benchWAV(b, b.TempDir())
	report := func(b *testing.B, cpu time.Duration) {
		b.ReportMetric(cpu.Seconds()/(float64(b.N)*benchUploadBytes/1e9), "cpu-s/GB")
	}
	b.Run("plain", func(b *testing.B) {
		dir := b.TempDir()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, err := os.CreateTemp(dir, "put-*")
			if err == nil {
				_, err = io.Copy(f, r.Body)
				if err == nil {
					err = f.Sync()
				}
				f.Close()
				os.Remove(f.Name())
			}
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		defer srv.Close()
		b.SetBytes(benchUploadBytes)
		b.ResetTimer()
		cpu := cpuTime()
		for range b.N {
			curlSend(b, http.StatusNoContent, "-T", src, srv.URL+"/file")
		}
		report(b, cpuTime()-cpu)
	})
	b.Run("tus", func(b *testing.B) {
		us := newUploadServer(b, "", Options{UploadReserve: 1})
		c := newTUSClient(us.URL)
		b.SetBytes(benchUploadBytes)
		b.ResetTimer()
		cpu := cpuTime()
		for i := range b.N {
			name := fmt.Sprintf("big%d.wav", i)
			loc := c.location(b, c.create(b, name, benchUploadBytes, "placement", "keep"))
			curlSend(b, http.StatusOK, "-X", "PATCH", "-T", src, "-H", "Tus-Resumable: 1.0.0", "-H", "Origin: "+us.URL,
				"-H", "Content-Type: application/offset+octet-stream", "-H", "Upload-Offset: 0", loc)
			b.StopTimer()
			os.Remove(filepath.Join(us.dir, "Uploads", name))
			b.StartTimer()
		}
		report(b, cpuTime()-cpu)
	})
}
