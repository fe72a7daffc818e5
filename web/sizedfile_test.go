package web

import (
	"io"
	"strings"
	"testing"
)

// countingSeeker is a strings.Reader that counts its Seek calls.
type countingSeeker struct {
	*strings.Reader
	seeks int
}

func (c *countingSeeker) Seek(off int64, whence int) (int64, error) {
	c.seeks++
	return c.Reader.Seek(off, whence)
}

// TestSizedFile checks that ServeContent's size probe costs no seek on the
// file, that reads and reader() start at the offset asked for, and that a
// read after reader() seeks again.
func TestSizedFile(t *testing.T) {
	const data = "0123456789"
	cs := &countingSeeker{Reader: strings.NewReader(data)}
	sf := newSizedFile(cs, int64(len(data)))
	if n, err := sf.Seek(0, io.SeekEnd); n != 10 || err != nil {
		t.Fatalf("Seek(0, End) = %d, %v; want 10", n, err)
	}
	if n, err := sf.Seek(0, io.SeekStart); n != 0 || err != nil {
		t.Fatalf("Seek(0, Start) = %d, %v; want 0", n, err)
	}
	if cs.seeks != 0 {
		t.Errorf("measuring the size seeked the file %d times, want 0", cs.seeks)
	}
	buf := make([]byte, 3)
	if n, _ := sf.Read(buf); string(buf[:n]) != "012" || cs.seeks != 0 {
		t.Errorf("Read at 0 = %q with %d seeks, want \"012\" and none", buf[:n], cs.seeks)
	}
	if n, err := sf.Seek(2, io.SeekCurrent); n != 5 || err != nil {
		t.Fatalf("Seek(2, Current) = %d, %v; want 5", n, err)
	}
	r, err := sf.reader()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(io.LimitReader(r, 2)); string(got) != "56" {
		t.Errorf("reader() at 5 reads %q, want \"56\"", got)
	}
	sf.Seek(1, io.SeekStart)
	if n, _ := sf.Read(buf); string(buf[:n]) != "123" {
		t.Errorf("Read after reader() and Seek(1) = %q, want \"123\"", buf[:n])
	}
	if sf.Seek(-11, io.SeekEnd); sf.pos != 4 {
		t.Errorf("a seek before the start moved the offset to %d", sf.pos)
	}
	if _, err := sf.Seek(-1, io.SeekStart); err == nil {
		t.Errorf("Seek(-1, Start) succeeded")
	}
	if _, err := sf.Seek(0, 7); err == nil {
		t.Errorf("Seek with whence 7 succeeded")
	}
}
