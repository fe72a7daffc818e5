package player

import (
	"container/heap"
	"context"
	"errors"
	"io/fs"
	"path"
	"sync"
)

// walkDir is [fs.WalkDir] from the root of fsys, calling fn with the same
// paths, entries and errors in the same order from one goroutine, but with
// the folders read ahead by workers goroutines: reading a folder of an
// [os.Root] costs a system call per entry (an lstat), and a rescan of a
// large library is nearly all of that. Folders that prefetch rejects (by
// path and entry) are read only when fn descends into them. The reads run
// ahead of fn by at most walkAhead folders; they stop when ctx ends or fn
// ends the walk, and walkDir returns once every worker has stopped.
func walkDir(ctx context.Context, fsys fs.FS, workers int, prefetch func(p string, d fs.DirEntry) bool, fn fs.WalkDirFunc) error {
	ctx, cancel := context.WithCancel(ctx)
	w := &walker{fsys: fsys, prefetch: prefetch, reads: map[string]*dirRead{}}
	w.cond = sync.NewCond(&w.mu)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { w.work(ctx) })
	}
	defer func() {
		cancel()
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
		wg.Wait()
	}()
	go func() { // wake the workers when ctx ends
		<-ctx.Done()
		w.mu.Lock()
		w.cond.Broadcast()
		w.mu.Unlock()
	}()

	info, err := fs.Stat(fsys, ".")
	if err != nil {
		err = fn(".", nil, err)
	} else {
		err = w.walk(".", fs.FileInfoToDirEntry(info), fn)
	}
	if errors.Is(err, fs.SkipDir) || errors.Is(err, fs.SkipAll) {
		return nil
	}
	return err
}

// walkAhead is how many folders read ahead, but not yet walked, walkDir
// keeps at most.
const walkAhead = 64

// walker is the state walkDir shares with its workers.
type walker struct {
	fsys     fs.FS
	prefetch func(p string, d fs.DirEntry) bool

	mu    sync.Mutex
	cond  *sync.Cond // signalled when queue or ahead change, or ctx ends
	queue walkQueue  // folders to read, first in walk order
	reads map[string]*dirRead
	ahead int // reads done or under way and not yet taken by walk
}

// dirRead is one folder's read: its entries sorted by name, or the error.
type dirRead struct {
	started bool
	done    chan struct{}
	entries []fs.DirEntry
	err     error
}

// work reads queued folders, first in walk order, until ctx ends.
func (w *walker) work(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for ctx.Err() == nil && (len(w.queue) == 0 || w.ahead >= walkAhead) {
			w.cond.Wait()
		}
		if ctx.Err() != nil {
			return
		}
		p := heap.Pop(&w.queue).(string)
		r := w.reads[p]
		if r == nil || r.started { // taken by walk meanwhile
			continue
		}
		r.started = true
		w.ahead++
		w.mu.Unlock()
		r.entries, r.err = fs.ReadDir(w.fsys, p)
		close(r.done)
		w.mu.Lock()
		w.enqueue(p, r.entries)
	}
}

// enqueue queues the read of the subfolders of p that prefetch accepts.
// The caller holds w.mu.
func (w *walker) enqueue(p string, entries []fs.DirEntry) {
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := path.Join(p, e.Name())
		if !w.prefetch(sub, e) {
			continue
		}
		w.reads[sub] = &dirRead{done: make(chan struct{})}
		heap.Push(&w.queue, sub)
		w.cond.Signal()
	}
}

// read returns the entries of folder p: read ahead by a worker, or read
// now when no worker has started on it.
func (w *walker) read(p string) ([]fs.DirEntry, error) {
	w.mu.Lock()
	r := w.reads[p]
	delete(w.reads, p)
	if r != nil && r.started {
		w.mu.Unlock()
		<-r.done
		w.mu.Lock()
		w.ahead--
		w.cond.Signal()
		w.mu.Unlock()
		return r.entries, r.err
	}
	if r != nil {
		r.started = true // a worker popping it passes over it
	}
	w.mu.Unlock()
	entries, err := fs.ReadDir(w.fsys, p)
	w.mu.Lock()
	w.enqueue(p, entries)
	w.mu.Unlock()
	return entries, err
}

// walk is fs.walkDir of the standard library over read.
func (w *walker) walk(name string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(name, d, nil); err != nil || !d.IsDir() {
		if errors.Is(err, fs.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := w.read(name)
	if err != nil {
		// Like fs.WalkDir: report the error, then walk what was read.
		if err = fn(name, d, err); err != nil {
			if errors.Is(err, fs.SkipDir) && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	for _, e := range entries {
		if err := w.walk(path.Join(name, e.Name()), e, fn); err != nil {
			if errors.Is(err, fs.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}

// walkQueue is a heap of folder paths, least first in the order fs.WalkDir
// visits them: by name, one path element after another, a folder before
// what it holds.
type walkQueue []string

func (q walkQueue) Len() int           { return len(q) }
func (q walkQueue) Less(i, j int) bool { return walkOrder(q[i], q[j]) < 0 }
func (q walkQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *walkQueue) Push(x any)        { *q = append(*q, x.(string)) }
func (q *walkQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// walkOrder compares slash paths in walk order: byte by byte with the
// separator below every other byte, so that "a/z" comes before "a b" and
// "a" before "a/b".
func walkOrder(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if ca == '/' {
			return -1
		}
		if cb == '/' {
			return 1
		}
		if ca < cb {
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}
