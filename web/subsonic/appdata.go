package subsonic

import (
	"maps"
	"slices"
	"sync"

	"earshot/player"
)

// appData is what apps save beyond the page's user data, the play queue
// and ratings: the store's, with a copy in memory so that listing songs
// reads no database. Safe for concurrent use.
type appData struct {
	store player.AppDataStore

	mu     sync.Mutex
	loaded bool
	queue  player.PlayQueue
	// stars holds the ratings by kind + "\x00" + id. It is replaced, never
	// changed, so a reader may keep it.
	stars map[string]int
}

// newAppData returns the app data kept in store, or in memory only when
// store is nil.
func newAppData(store player.AppDataStore) *appData {
	return &appData{store: store, loaded: store == nil, stars: map[string]int{}}
}

// load reads the store once; callers hold d.mu.
func (d *appData) load() error {
	if d.loaded {
		return nil
	}
	q, err := d.store.PlayQueue()
	if err != nil {
		return err
	}
	rs, err := d.store.Ratings()
	if err != nil {
		return err
	}
	for _, r := range rs {
		d.stars[r.Kind+"\x00"+r.ID] = r.Stars
	}
	d.queue, d.loaded = q, true
	return nil
}

// playQueue returns the saved play queue.
func (d *appData) playQueue() (player.PlayQueue, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return player.PlayQueue{}, err
	}
	q := d.queue
	q.TrackIDs = slices.Clone(q.TrackIDs)
	return q, nil
}

// savePlayQueue keeps q as the play queue.
func (d *appData) savePlayQueue(q player.PlayQueue) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return err
	}
	if d.store != nil {
		if err := d.store.SavePlayQueue(q); err != nil {
			return err
		}
	}
	d.queue = q
	return nil
}

// ratings returns the ratings by kind + "\x00" + id; the map must not be
// changed.
func (d *appData) ratings() (map[string]int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return nil, err
	}
	return d.stars, nil
}

// setRating keeps r (Stars 0 removes the rating); r must pass
// [player.Rating.Check].
func (d *appData) setRating(r player.Rating) error {
	if err := r.Check(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return err
	}
	if d.store != nil {
		if err := d.store.SetRating(r); err != nil {
			return err
		}
	}
	stars := maps.Clone(d.stars)
	if r.Stars == 0 {
		delete(stars, r.Kind+"\x00"+r.ID)
	} else {
		stars[r.Kind+"\x00"+r.ID] = r.Stars
	}
	d.stars = stars
	return nil
}
