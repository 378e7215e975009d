package session

import "sync"

// changedLocked queues the current snapshot for every subscriber. Callers
// hold mu, which is what keeps the order of changes and of deliveries the same.
func (c *Controller) changedLocked() {
	s := c.snapshotLocked()
	for _, sub := range c.subs {
		sub.push(s)
	}
}

// Subscribe calls fn after every change with the new Snapshot; cancel stops
// it. Each subscriber has its own goroutine and an unbounded queue: fn sees
// every snapshot, in the order the changes happened, never under the
// controller's lock, and a slow fn only delays itself, never the controller
// or other subscribers. (Dropping intermediate snapshots would be cheaper
// but would hide transitions such as Refreshing from a UI or a test.)
func (c *Controller) Subscribe(fn func(Snapshot)) (cancel func()) {
	s := newSubscriber(fn)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		s.stop()
		return func() {}
	}
	id := c.nextSub
	c.nextSub++
	c.subs[id] = s
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
		s.stop()
	}
}

// subscriber delivers snapshots to one fn from its own goroutine.
type subscriber struct {
	mu      sync.Mutex
	queue   []Snapshot
	wake    chan struct{} // buffered(1): "the queue may be non-empty"
	done    chan struct{}
	stopped sync.Once
}

func newSubscriber(fn func(Snapshot)) *subscriber {
	s := &subscriber{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.run(fn)
	return s
}

func (s *subscriber) push(snap Snapshot) {
	s.mu.Lock()
	s.queue = append(s.queue, snap)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *subscriber) run(fn func(Snapshot)) {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		for {
			s.mu.Lock()
			if len(s.queue) == 0 {
				s.mu.Unlock()
				break
			}
			next := s.queue[0]
			s.queue[0] = Snapshot{}
			s.queue = s.queue[1:]
			s.mu.Unlock()
			select {
			case <-s.done:
				return
			default:
			}
			fn(next)
		}
	}
}

func (s *subscriber) stop() { s.stopped.Do(func() { close(s.done) }) }
