package probe

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// callCounter is a ReadSeeker over data that counts the reads and seeks
// reaching it.
type callCounter struct {
	*bytes.Reader
	reads, seeks int
}

func (c *callCounter) Read(p []byte) (int, error) { c.reads++; return c.Reader.Read(p) }
func (c *callCounter) Seek(off int64, whence int) (int64, error) {
	c.seeks++
	return c.Reader.Seek(off, whence)
}

// TestWindowReadSeek drives a window and a bytes.Reader over the same bytes
// with the same random reads and seeks (small ones like dhowden/tag's, reads
// across the buffer's end, reads bigger than the buffer, seeks past the end)
// and checks they return the same bytes, counts, positions and EOFs.
func TestWindowReadSeek(t *testing.T) {
	data := make([]byte, 3*windowSize+1234)
	for i := range data {
		data[i] = byte(i * 7)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		w := newWindow(&callCounter{Reader: bytes.NewReader(data)}, int64(len(data)))
		ref := bytes.NewReader(data)
		for op := range 300 {
			if rng.IntN(4) == 0 {
				var off int64
				whence := rng.IntN(3)
				switch whence {
				case io.SeekStart:
					off = rng.Int64N(int64(len(data)) + 100)
				case io.SeekCurrent:
					off = rng.Int64N(2*windowSize) - windowSize
				case io.SeekEnd:
					off = -rng.Int64N(int64(len(data)))
				}
				got, gerr := w.Seek(off, whence)
				want, werr := ref.Seek(off, whence)
				if got != want || (gerr == nil) != (werr == nil) {
					t.Fatalf("trial %d op %d: Seek(%d, %d) = %d, %v; bytes.Reader: %d, %v", trial, op, off, whence, got, gerr, want, werr)
				}
				continue
			}
			n := []int{1, 4, 10, 100, windowSize - 3, windowSize + 5, 2*windowSize + 1}[rng.IntN(7)]
			gb, rb := make([]byte, n), make([]byte, n)
			gn, gerr := io.ReadFull(w, gb)
			rn, rerr := io.ReadFull(ref, rb)
			if gn != rn || !bytes.Equal(gb[:gn], rb[:rn]) || !errors.Is(gerr, rerr) && !(gerr != nil && rerr != nil) {
				t.Fatalf("trial %d op %d: ReadFull(%d) = %d, %v; bytes.Reader: %d, %v", trial, op, n, gn, gerr, rn, rerr)
			}
		}
		w.release()
	}
}

// TestWindowReadCalls checks what the window is for: a tag reader's many
// small reads of a file's head reach the file as one read.
func TestWindowReadCalls(t *testing.T) {
	data := bytes.Repeat([]byte("earshot!"), 4096) // 32 KiB
	c := &callCounter{Reader: bytes.NewReader(data)}
	w := newWindow(c, int64(len(data)))
	w.rpos = 0
	defer w.release()
	buf := make([]byte, 10)
	for {
		if _, err := w.Read(buf); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		if _, err := w.Seek(2, io.SeekCurrent); err != nil {
			t.Fatal(err)
		}
	}
	if c.reads != 1 || c.seeks != 0 {
		t.Errorf("%d small reads reached the file as %d reads and %d seeks, want 1 and 0", len(data)/12, c.reads, c.seeks)
	}
}

// TestWindowShortFile checks a file that is shorter than its stated size
// (it shrank during the scan): reads end with io.EOF where it ends, and
// bytes reports it as truncated audio.
func TestWindowShortFile(t *testing.T) {
	data := []byte("0123456789")
	w := newWindow(bytes.NewReader(data), 100)
	defer w.release()
	got, err := io.ReadAll(w)
	if err != nil || string(got) != string(data) {
		t.Errorf("ReadAll = %q, %v; want %q, nil", got, err, data)
	}
	if _, err := w.bytes(5, 20); !errors.Is(err, ErrBadMedia) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("bytes(5, 20) error = %v, want ErrBadMedia and io.ErrUnexpectedEOF", err)
	}
}
