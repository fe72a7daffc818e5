package artwork

import "container/list"

// thumbLRU is a cache of thumbnails, and of the errors bad covers gave,
// bounded by the bytes it holds; the least recently used go first. The
// caller locks.
type thumbLRU struct {
	max, used int
	order     list.List // of *lruEntry, most recently used first
	byKey     map[string]*list.Element
}

// lruEntry is one cached thumbnail, or the error its cover gave.
type lruEntry struct {
	key  string
	data []byte
	err  error
}

// cost is what an entry counts against the cache's bound, in bytes.
func (e *lruEntry) cost() int { return len(e.data) + len(e.key) + 64 }

// get returns the entry for key, marking it recently used.
func (c *thumbLRU) get(key string) (lruEntry, bool) {
	el, ok := c.byKey[key]
	if !ok {
		return lruEntry{}, false
	}
	c.order.MoveToFront(el)
	return *el.Value.(*lruEntry), true
}

// add caches data or err under key, then drops the least recently used
// entries until the cache fits its bound. An entry larger than the whole
// bound is not kept.
func (c *thumbLRU) add(key string, data []byte, err error) {
	if c.byKey == nil {
		c.byKey = map[string]*list.Element{}
	}
	if el, ok := c.byKey[key]; ok {
		c.used -= el.Value.(*lruEntry).cost()
		c.order.Remove(el)
		delete(c.byKey, key)
	}
	e := &lruEntry{key: key, data: data, err: err}
	if e.cost() > c.max {
		return
	}
	c.byKey[key] = c.order.PushFront(e)
	c.used += e.cost()
	for c.used > c.max {
		last := c.order.Back()
		old := last.Value.(*lruEntry)
		c.order.Remove(last)
		delete(c.byKey, old.key)
		c.used -= old.cost()
	}
}
