package web

import (
	"errors"
	"io"
)

// sizedFile is the [io.ReadSeeker] that [Server.stream] hands to
// [http.ServeContent]: the open track file with the size its Stat already
// gave. ServeContent measures the size with Seek(0, io.SeekEnd) and
// Seek(0, io.SeekStart), then seeks to the range's start; here the first two
// cost no system call, and the file's offset is moved only once, when the
// bytes are read ([sizedFile.reader]). On the Range requests of a seeking
// player that is two of every request's dozen system calls.
type sizedFile struct {
	f    io.ReadSeeker
	size int64
	pos  int64 // the offset ServeContent asked for
	at   int64 // the file's real offset; -1 when unknown
}

// newSizedFile returns f, whose offset is 0, as a sizedFile of size bytes.
func newSizedFile(f io.ReadSeeker, size int64) *sizedFile {
	return &sizedFile{f: f, size: size}
}

// errBadSeek is the error of a seek to before the start of the file.
var errBadSeek = errors.New("seek before the start of the file")

// Seek implements [io.Seeker] without a system call.
func (s *sizedFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += s.pos
	case io.SeekEnd:
		offset += s.size
	default:
		return 0, errors.New("seek: invalid whence")
	}
	if offset < 0 {
		return 0, errBadSeek
	}
	s.pos = offset
	return offset, nil
}

// sync moves the file's real offset to the one last asked for.
func (s *sizedFile) sync() error {
	if s.at == s.pos {
		return nil
	}
	if _, err := s.f.Seek(s.pos, io.SeekStart); err != nil {
		s.at = -1
		return err
	}
	s.at = s.pos
	return nil
}

// Read implements [io.Reader] at the offset last asked for.
func (s *sizedFile) Read(p []byte) (int, error) {
	if err := s.sync(); err != nil {
		return 0, err
	}
	n, err := s.f.Read(p)
	s.pos += int64(n)
	s.at = s.pos
	return n, err
}

// reader returns the underlying file at the offset last asked for, for a
// writer's ReadFrom to send with sendfile (which needs the [*os.File]
// itself). The caller reads from it directly, so s no longer knows the
// file's offset: a later Read seeks first.
func (s *sizedFile) reader() (io.Reader, error) {
	if err := s.sync(); err != nil {
		return nil, err
	}
	s.at = -1
	return s.f, nil
}
