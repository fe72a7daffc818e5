package web

import (
	"container/list"
	"net/netip"
	"sync"
	"time"
)

// Failed-attempt limits: after maxFailures wrong keys within failureWindow
// of the first one, an address is refused (429) until the window ends.
// Entries older than the window are forgotten, and at most maxLimited
// addresses are remembered at once (the oldest is dropped first), so a flood
// of addresses cannot grow memory without bound.
const (
	maxFailures   = 10
	failureWindow = time.Minute
	maxLimited    = 10_000
)

// failureLimiter counts failed key attempts per address. IPv4 addresses are
// counted one by one; IPv6 addresses by /64, since one device can pick any
// address in its /64 (RFC 8981 temporary addresses) and would otherwise
// get a fresh allowance per address. Safe for concurrent use.
type failureLimiter struct {
	// now is the clock; tests replace it.
	now func() time.Time

	mu      sync.Mutex
	entries map[netip.Prefix]*list.Element // values are *failures
	order   list.List                      // oldest window start first
}

// failures is one address's count within the window that began at start.
type failures struct {
	key   netip.Prefix
	start time.Time
	count int
}

// newFailureLimiter returns an empty limiter on the wall clock.
func newFailureLimiter() *failureLimiter {
	return &failureLimiter{now: time.Now, entries: map[netip.Prefix]*list.Element{}}
}

// limitKey returns the bucket addr is counted in: the address itself for
// IPv4, its /64 for IPv6. The invalid address (a peer whose RemoteAddr
// could not be parsed) has a bucket of its own.
func limitKey(addr netip.Addr) netip.Prefix {
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// expire drops the entries whose window has ended by now. The list is in
// window-start order, so it stops at the first live one. l.mu must be held.
func (l *failureLimiter) expire(now time.Time) {
	for e := l.order.Front(); e != nil; e = l.order.Front() {
		f := e.Value.(*failures)
		if now.Sub(f.start) < failureWindow {
			return
		}
		l.order.Remove(e)
		delete(l.entries, f.key)
	}
}

// blocked reports whether addr has used up its attempts, and if so how long
// until its window ends (for the Retry-After header).
func (l *failureLimiter) blocked(addr netip.Addr) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.expire(now)
	e, found := l.entries[limitKey(addr)]
	if !found {
		return 0, false
	}
	f := e.Value.(*failures)
	wait = failureWindow - now.Sub(f.start)
	if f.count < maxFailures || wait <= 0 {
		return 0, false
	}
	return wait, true
}

// fail records a failed attempt from addr.
func (l *failureLimiter) fail(addr netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.expire(now)
	key := limitKey(addr)
	if e, found := l.entries[key]; found {
		f := e.Value.(*failures)
		// An ended window outlives expire only when the clock went
		// backwards and left the list out of order.
		if now.Sub(f.start) >= failureWindow {
			f.start, f.count = now, 0
			l.order.MoveToBack(e)
		}
		f.count++
		return
	}
	if len(l.entries) >= maxLimited {
		oldest := l.order.Front()
		l.order.Remove(oldest)
		delete(l.entries, oldest.Value.(*failures).key)
	}
	l.entries[key] = l.order.PushBack(&failures{key: key, start: now, count: 1})
}

// size returns the number of addresses remembered, for tests.
func (l *failureLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}
