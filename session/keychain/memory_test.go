package keychain

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestMemory_FailWithMakesEveryCallFailUntilCleared(t *testing.T) {
	m := NewMemory()
	mustSet(t, m, "k", "v")
	locked := fmt.Errorf("collection is locked: %w", ErrUnavailable)

	m.FailWith(locked)
	_, getErr := m.Get("k")
	for op, err := range map[string]error{"get": getErr, "set": m.Set("k", "w"), "delete": m.Delete("k")} {
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s error = %v, want the injected failure", op, err)
		}
	}

	m.FailWith(nil)
	if got := mustGet(t, m, "k"); got != "v" {
		t.Fatalf("Get = %q, want v: failed calls must not change the store", got)
	}
}

func TestMemory_FailCanTargetOneOperation(t *testing.T) {
	m := NewMemory()
	mustSet(t, m, "k", "v")

	m.Fail(OpSet, ErrUnavailable)

	if err := m.Set("k", "w"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set error = %v, want ErrUnavailable", err)
	}
	if got := mustGet(t, m, "k"); got != "v" {
		t.Fatalf("Get = %q, want v", got)
	}
	if err := m.Delete("k"); err != nil {
		t.Fatalf("Delete error = %v, want nil", err)
	}
}

func TestMemory_SnapshotIsACopy(t *testing.T) {
	m := NewMemory()
	mustSet(t, m, "k", "v")
	snap := m.Snapshot()
	snap["k"] = "changed"
	if got := mustGet(t, m, "k"); got != "v" {
		t.Fatalf("Get = %q after editing the snapshot, want v", got)
	}
}

func TestMemory_IsSafeForConcurrentUse(t *testing.T) {
	m := NewMemory()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			key := fmt.Sprintf("k%d", i)
			for range 100 {
				_ = m.Set(key, "v")
				_, _ = m.Get(key)
				_ = m.Delete(key)
				m.Fail(OpGet, nil)
			}
		})
	}
	wg.Wait()
	if n := len(m.Snapshot()); n != 0 {
		t.Fatalf("%d entries left, want 0", n)
	}
}
