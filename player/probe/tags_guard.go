package probe

import (
	"encoding/binary"
	"fmt"
	"io"
)

// checkFLACPictures walks the metadata blocks of the FLAC stream at the
// start of r (RFC 9639 §8) and checks that every PICTURE block's lengths
// (§8.8: media type, description and picture data) fit inside the block.
// dhowden/tag allocates the picture's stated data length up front (its
// issue 116), so a 61-byte file claiming a 4 GiB picture would make a scan
// allocate 4 GiB; such a file is refused with an error wrapping ErrCorrupt
// before it gets there. r is left at an unspecified offset.
func checkFLACPictures(r io.ReadSeeker, size int64) error {
	off := int64(4) // after "fLaC"
	for off+4 <= size {
		var hdr [4]byte
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil // truncated: dhowden/tag reports it
		}
		last, kind := hdr[0]&0x80 != 0, hdr[0]&0x7f
		length := int64(hdr[1])<<16 | int64(hdr[2])<<8 | int64(hdr[3])
		if off+4+length > size {
			return fmt.Errorf("read tags: %w: FLAC metadata block runs past the end of the file", ErrCorrupt)
		}
		if kind == 6 {
			if err := checkPictureBlock(r, length); err != nil {
				return err
			}
		}
		if last {
			return nil
		}
		off += 4 + length
	}
	return nil
}

// checkPictureBlock checks the three length fields of a PICTURE block of
// length bytes, read from r's current offset.
func checkPictureBlock(r io.Reader, length int64) error {
	bad := fmt.Errorf("read tags: %w: FLAC picture larger than its block", ErrCorrupt)
	used := int64(4) // picture type
	skip := func(n int64) error {
		used += n
		if used > length {
			return bad
		}
		_, err := io.CopyN(io.Discard, r, n)
		return err
	}
	readLen := func() (int64, error) {
		var b [4]byte
		used += 4
		if used > length {
			return 0, bad
		}
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint32(b[:])), nil
	}
	if _, err := io.CopyN(io.Discard, r, 4); err != nil {
		return nil
	}
	for range 2 { // media type, then description
		n, err := readLen()
		if err != nil {
			return err
		}
		if err := skip(n); err != nil {
			return err
		}
	}
	if err := skip(16); err != nil { // width, height, depth, colours
		return err
	}
	n, err := readLen()
	if err != nil {
		return err
	}
	if used+n > length {
		return bad
	}
	return nil
}
