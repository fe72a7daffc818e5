//go:build linux

package main

import (
	"earshot/player"
	"earshot/player/store"
)

// openIndex opens the SQLite index file at path and returns it with the
// function that closes it.
func openIndex(path string) (player.Index, func() error, error) {
	ix, err := store.OpenIndex(path)
	if err != nil {
		return nil, nil, err
	}
	return ix, ix.Close, nil
}
