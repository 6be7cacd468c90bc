// A Go program with a periodic task, profiled by runtime/pprof: every 250 ms it runs
// periodicTask (about 40 ms of busy work) for 3 s, with pprof labels naming the task,
// and writes the CPU profile (gzip-compressed profile.proto) to the path given.
//
//	go run main.go OUT.pb.gz
package main

import (
	"context"
	"math"
	"os"
	"runtime/pprof"
	"time"
)

var sink float64

func periodicTask() {
	end := time.Now().Add(40 * time.Millisecond)
	x := 0.0
	for time.Now().Before(end) {
		x += math.Sqrt(x + 1)
	}
	sink = x
}

func main() {
	out, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		panic(err)
	}
	ticker := time.NewTicker(250 * time.Millisecond)
	stop := time.After(3 * time.Second)
	for running := true; running; {
		select {
		case <-ticker.C:
			pprof.Do(context.Background(), pprof.Labels("task", "periodic"), func(context.Context) { periodicTask() })
		case <-stop:
			running = false
		}
	}
	pprof.StopCPUProfile()
	out.Close()
}
