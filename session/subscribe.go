package session

import "sync"

// changedLocked queues the current snapshot for every subscriber. Callers
// hold mu, which is what keeps the order of changes and of deliveries the same.
func (c *Controller) changedLocked() { c.subs.publish(c.storage.withSecretsInLocked(c.snap)) }

// Subscribe calls fn after every change with the new Snapshot; cancel stops
// it. Each subscriber has its own goroutine and an unbounded queue: fn sees
// every snapshot, in the order the changes happened, never under the
// controller's lock, and a slow fn only delays itself, never the controller
// or other subscribers. (Dropping intermediate snapshots would be cheaper
// but would hide transitions such as Refreshing from a UI or a test.)
func (c *Controller) Subscribe(fn func(Snapshot)) (cancel func()) { return c.subs.add(fn) }

// subscribers is the set of a session's subscribers. After close, add
// returns a subscriber that never runs.
type subscribers struct {
	mu     sync.Mutex
	subs   map[int]*subscriber
	next   int
	closed bool
}

func (ss *subscribers) add(fn func(Snapshot)) (cancel func()) {
	s := newSubscriber(fn)
	ss.mu.Lock()
	if ss.closed {
		ss.mu.Unlock()
		s.stop()
		return func() {}
	}
	if ss.subs == nil {
		ss.subs = map[int]*subscriber{}
	}
	id := ss.next
	ss.next++
	ss.subs[id] = s
	ss.mu.Unlock()
	return func() {
		ss.mu.Lock()
		delete(ss.subs, id)
		ss.mu.Unlock()
		s.stop()
	}
}

// publish queues snap for every subscriber.
func (ss *subscribers) publish(snap Snapshot) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, sub := range ss.subs {
		sub.push(snap)
	}
}

// close stops every subscriber, and those added later.
func (ss *subscribers) close() {
	ss.mu.Lock()
	subs := ss.subs
	ss.subs, ss.closed = nil, true
	ss.mu.Unlock()
	for _, s := range subs {
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
