package player

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWaitForPathDeep waits for a library folder two of whose parents are
// gone too, then makes them one by one: waitForPath must follow each with
// its watch down to the folder and return once the folder opens.
func TestWaitForPathDeep(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "a", "b", "lib")
	calls := make(chan struct{}, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- waitForPath(ctx, dir, func() bool {
			calls <- struct{}{}
			_, err := os.Stat(dir)
			return err == nil
		})
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("waitForPath did not check again within 5 s after %s", what)
		}
		for len(calls) > 0 { // checks already made count as this one
			<-calls
		}
	}
	wait("starting")
	for _, p := range []string{"a", "a/b"} {
		if err := os.Mkdir(filepath.Join(base, p), 0o755); err != nil {
			t.Fatal(err)
		}
		wait("making " + p)
	}
	select {
	case err := <-done:
		t.Fatalf("waitForPath returned %v before the folder was there", err)
	default:
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("waitForPath: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waitForPath did not return within 5 s of the folder being made")
	}
}
