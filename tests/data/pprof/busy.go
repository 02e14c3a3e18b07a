// busy: the program behind cpu.pb.gz (see README). Two busy loops, one
// called from two places, so that the profile has a function with two
// callers, profiled with runtime/pprof at its default 100 Hz.
//
//	go run busy.go cpu.pb.gz
package main

import (
	"os"
	"runtime/pprof"
	"time"
)

var sink uint64

//go:noinline
func spin(d time.Duration) {
	end := time.Now().Add(d)
	x := sink
	for time.Now().Before(end) {
		for i := 0; i < 1<<16; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink = x
}

//go:noinline
func hot() { spin(300 * time.Millisecond) }

//go:noinline
func cold() { spin(100 * time.Millisecond) }

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	hot()
	cold()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
