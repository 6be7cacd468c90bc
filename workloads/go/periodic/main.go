// A Go program with a periodic task, profiled by runtime/pprof: every 250 ms for 3 s
// it runs periodicTask (about 40 ms of busy work in two functions, so the profile has
// more than one stack) under a pprof label naming the task, and writes the CPU
// profile (gzip-compressed profile.proto) to the path given.
//
//	go run main.go OUT.pb.gz
package main

import (
	"context"
	"hash/crc32"
	"math"
	"os"
	"runtime/pprof"
	"time"
)

var sink float64
var block = make([]byte, 64<<10)

// squareRoots and checksums share the task's time about evenly.
func squareRoots(until time.Time) {
	x := 0.0
	for time.Now().Before(until) {
		for i := 0; i < 1000; i++ {
			x += math.Sqrt(x + 1)
		}
	}
	sink += x
}

func checksums(until time.Time) {
	for time.Now().Before(until) {
		sink += float64(crc32.ChecksumIEEE(block))
	}
}

func periodicTask() {
	start := time.Now()
	squareRoots(start.Add(20 * time.Millisecond))
	checksums(start.Add(40 * time.Millisecond))
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
	if err := out.Close(); err != nil {
		panic(err)
	}
}
