package transcode

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// fakeSource is a PCMSource whose frame i holds the 16-bit samples i and
// ^i (channel 0, 1), truncated to 16 bits, for frames frames: any byte's
// value follows from its offset, so a read from anywhere can be checked.
type fakeSource struct {
	frames int64 // how many frames the "decode" gives before it ends
	starts []int64
	open   int // decodes not closed
	fail   error
}

func (f *fakeSource) source(ctx context.Context, frame int64) (io.ReadCloser, error) {
	f.starts = append(f.starts, frame)
	if f.fail != nil {
		return nil, f.fail
	}
	f.open++
	var b bytes.Buffer
	for i := frame; i < f.frames; i++ {
		binary.Write(&b, binary.LittleEndian, [2]int16{int16(i), ^int16(i)})
	}
	return &fakeDecode{Reader: &b, f: f}, nil
}

type fakeDecode struct {
	io.Reader
	f *fakeSource
}

func (d *fakeDecode) Close() error { d.f.open--; return nil }

// want returns the bytes a WAV of pcm over a source of n frames holds.
func want(t *testing.T, pcm PCM, n int64) []byte {
	h, err := pcm.Header()
	if err != nil {
		t.Fatal(err)
	}
	b := bytes.NewBuffer(h[:])
	for i := range pcm.Frames {
		v := [2]int16{}
		if i < n {
			v = [2]int16{int16(i), ^int16(i)}
		}
		binary.Write(b, binary.LittleEndian, v)
	}
	return b.Bytes()
}

func TestWAVHeader(t *testing.T) {
	pcm := PCM{Rate: 44100, Channels: 2, Frames: 44100 * 3}
	h, err := pcm.Header()
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	checks := []struct {
		name      string
		got, want any
	}{
		{"RIFF", string(h[0:4]), "RIFF"},
		{"RIFF size", le.Uint32(h[4:]), uint32(36 + 44100*3*4)},
		{"WAVEfmt ", string(h[8:16]), "WAVEfmt "},
		{"fmt size", le.Uint32(h[16:]), uint32(16)},
		{"format tag", le.Uint16(h[20:]), uint16(1)},
		{"channels", le.Uint16(h[22:]), uint16(2)},
		{"rate", le.Uint32(h[24:]), uint32(44100)},
		{"byte rate", le.Uint32(h[28:]), uint32(176400)},
		{"block align", le.Uint16(h[32:]), uint16(4)},
		{"bits", le.Uint16(h[34:]), uint16(16)},
		{"data", string(h[36:40]), "data"},
		{"data size", le.Uint32(h[40:]), uint32(44100 * 3 * 4)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got := pcm.Size(); got != 44+44100*3*4 {
		t.Errorf("Size = %d", got)
	}
	if _, err := (PCM{Rate: 44100, Channels: 2, Frames: 1 << 30}).Header(); !errors.Is(err, ErrTooLong) {
		t.Errorf("a 6.8-hour WAV: err %v, want ErrTooLong", err)
	}
}

func TestWAVReadsAtEveryOffset(t *testing.T) {
	const frames = 200000 // 800 KB of data: past maxSkip
	for _, tc := range []struct {
		name   string
		source int64 // frames the decode gives
	}{
		{"exact", frames},
		{"short source is padded with silence", frames - 1234},
		{"long source is cut", frames + 5000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pcm := PCM{Rate: 44100, Channels: 2, Frames: frames}
			src := &fakeSource{frames: tc.source}
			w, err := NewWAV(context.Background(), pcm, src.source)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			full := want(t, pcm, tc.source)
			if end, _ := w.Seek(0, io.SeekEnd); end != int64(len(full)) {
				t.Fatalf("Seek(0, End) = %d, want %d", end, len(full))
			}
			w.Seek(0, io.SeekStart)
			got, err := io.ReadAll(w)
			if err != nil || !bytes.Equal(got, full) {
				t.Fatalf("ReadAll: %d bytes, %v; want the %d expected bytes", len(got), err, len(full))
			}
			// Offsets inside the header, across it, mid-frame, backwards, far and near ahead.
			for _, r := range []struct{ off, n int64 }{
				{0, 10}, {40, 10}, {44, 4}, {45, 7}, {3999999 % int64(len(full)), 100},
				{100, 3}, {101, 5}, {120000, 9}, {700001, 4000}, {int64(len(full)) - 3, 3}, {int64(len(full)) - 1, 10},
			} {
				if _, err := w.Seek(r.off, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				b := make([]byte, r.n)
				n, err := io.ReadFull(w, b)
				end := min(r.off+r.n, int64(len(full)))
				if !bytes.Equal(b[:n], full[r.off:end]) || (err != nil && end == r.off+r.n) {
					t.Errorf("read %d bytes at %d: got %d bytes (%v), not the file's", r.n, r.off, n, err)
				}
			}
			if _, err := w.Read(make([]byte, 1)); err != io.EOF {
				t.Errorf("Read at the end: %v, want EOF", err)
			}
			w.Close()
			if src.open != 0 {
				t.Errorf("%d decodes left open after Close", src.open)
			}
		})
	}
}

func TestWAVRestartsOnlyWhenItMust(t *testing.T) {
	pcm := PCM{Rate: 1000, Channels: 2, Frames: 1 << 20}
	src := &fakeSource{frames: pcm.Frames}
	w, _ := NewWAV(context.Background(), pcm, src.source)
	defer w.Close()
	read := func(off int64) {
		t.Helper()
		w.Seek(off, io.SeekStart)
		if _, err := io.ReadFull(w, make([]byte, 16)); err != nil {
			t.Fatal(err)
		}
	}
	read(0)                 // header only: no decode
	read(44 + 4*1000)       // decode from frame 1000
	read(44 + 4*1000 + 100) // a little ahead: read on
	read(44 + 4*500)        // back: again from frame 500
	read(44 + 4*400000 + 2) // far ahead: from frame 400000, skipping 2 bytes into it
	wantStarts := []int64{1000, 500, 400000}
	if len(src.starts) != len(wantStarts) {
		t.Fatalf("decodes started at frames %v, want %v", src.starts, wantStarts)
	}
	for i := range wantStarts {
		if src.starts[i] != wantStarts[i] {
			t.Fatalf("decodes started at frames %v, want %v", src.starts, wantStarts)
		}
	}
	if src.open != 1 {
		t.Errorf("%d decodes open, want 1", src.open)
	}
}

func TestWAVDecodeErrors(t *testing.T) {
	boom := errors.New("boom")
	src := &fakeSource{fail: boom}
	w, _ := NewWAV(context.Background(), PCM{Rate: 8000, Channels: 1, Frames: 8000}, src.source)
	w.Seek(100, io.SeekStart)
	if _, err := w.Read(make([]byte, 10)); !errors.Is(err, boom) {
		t.Errorf("Read when the decode cannot start: %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src = &fakeSource{frames: 10}
	w, _ = NewWAV(ctx, PCM{Rate: 8000, Channels: 1, Frames: 8000}, src.source)
	w.Seek(44, io.SeekStart)
	if _, err := io.ReadAll(w); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after the request went away: %v, want context.Canceled", err)
	}
}
