package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/skip2/go-qrcode"

	"earshot/web"
)

// loadKey returns the access key kept in file (default: earshot/access-key
// in the user config folder), creating the file with a new key, readable
// only by the user, when it does not exist yet.
func loadKey(file string) (string, error) {
	if file == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("access key: %w (give -key-file)", err)
		}
		file = filepath.Join(dir, "earshot", "access-key")
	}
	data, err := os.ReadFile(file)
	if err == nil {
		if key := strings.TrimSpace(string(data)); len(key) >= 22 {
			return key, nil
		}
		return "", fmt.Errorf("access key file %s holds no key (delete it to make a new one)", file)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("access key: %w", err)
	}
	key := web.NewKey()
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return "", fmt.Errorf("access key: %w", err)
	}
	if err := os.WriteFile(file, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("access key: %w", err)
	}
	return key, nil
}

// printPairing writes the pairing link and a QR code of it drawn with
// Unicode half blocks, for a phone to scan straight off the terminal.
func printPairing(w io.Writer, link string) {
	fmt.Fprintf(w, "Pair a phone on this network: scan the code or open %s\n", link)
	if qr, err := qrcode.New(link, qrcode.Medium); err == nil {
		fmt.Fprint(w, qr.ToSmallString(false))
	}
}

// loopbackOnly rewrites a listen address to the loopback interface,
// keeping its port (":7477" → "127.0.0.1:7477").
func loopbackOnly(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		port = "0"
	}
	return net.JoinHostPort("127.0.0.1", port)
}
