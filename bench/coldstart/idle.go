package main

import (
	"fmt"
	"time"

	"github.com/jezek/xgb/xproto"
)

// idleSideBySide runs bare and app together and prints the idle figures.
func idleSideBySide(x *display, bare, app, env []string, idle time.Duration, windows int, timeout time.Duration) error {
	x.forget()
	deadline := time.Now().Add(timeout)
	pb, err := start(bare, env)
	if err != nil {
		return err
	}
	defer pb.stop(nil)
	wb, err := x.waitMapped(deadline)
	if err != nil {
		return pb.stop(err)
	}
	if err := x.move(wb, 960, 0); err != nil {
		return err
	}
	x.forget()
	pa, err := start(app, env)
	if err != nil {
		return err
	}
	defer pa.stop(nil)
	wa, err := x.waitMapped(deadline)
	if err != nil {
		return pa.stop(err)
	}
	time.Sleep(settle)

	type side struct {
		name   string
		p      *proc
		w      xproto.Window
		cpu    float64
		frames int
	}
	sides := []*side{{name: "bare", p: pb, w: wb}, {name: "app", p: pa, w: wa}}
	sample := func() error {
		for _, s := range sides {
			cpu, err := cpuSeconds(s.p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			s.cpu, s.frames = cpu, x.frameCount(s.w)
		}
		return nil
	}
	if err := sample(); err != nil {
		return err
	}
	start, cpuStart, framesStart := time.Now(), []float64{sides[0].cpu, sides[1].cpu}, []int{sides[0].frames, sides[1].frames}
	step := idle / time.Duration(windows)
	for range windows {
		cpu0, frames0 := []float64{sides[0].cpu, sides[1].cpu}, []int{sides[0].frames, sides[1].frames}
		t0 := time.Now()
		time.Sleep(step)
		if err := sample(); err != nil {
			return err
		}
		secs := time.Since(t0).Seconds()
		for i, s := range sides {
			rss, err := rssMB(s.p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			fmt.Printf("BenchmarkIdle/%s \t1\t%.3f cpu-%%/op\t%.3f frames/s\t%.2f RSS-MB\n",
				s.name, 100*(s.cpu-cpu0[i])/secs, float64(s.frames-frames0[i])/secs, rss)
		}
	}
	secs := time.Since(start).Seconds()
	for i, s := range sides {
		fmt.Printf("BenchmarkIdleTotal/%s \t1\t%.3f cpu-%%/op\t%.3f frames/s\t%d frames/op\t%.1f seconds/op\n",
			s.name, 100*(s.cpu-cpuStart[i])/secs, float64(s.frames-framesStart[i])/secs, s.frames-framesStart[i], secs)
	}
	return nil
}
