package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// spanYears is how far back the tickets go.
const spanYears = 2

// timeline hands out the creation times of the tickets in ascending order. It
// splits the two years into hours, gives each hour its share of the tickets by
// how busy it is, and draws the times within an hour only when it is reached,
// so it holds one number per hour rather than one time per ticket.
type timeline struct {
	rng    *rand.Rand
	from   time.Time // the start of the two years
	to     time.Time // Now
	first  time.Time // the full hour at or before from
	counts []int32   // tickets per hour
	hour   int       // the hour whose times are in queue
	queue  []time.Time
}

// newTimeline spreads count tickets over the two years before to. busy says
// how busy the catalogue is at a time, apart from the hour and the weekday.
func newTimeline(
	rng *rand.Rand,
	to time.Time,
	count int,
	busy func(time.Time) float64,
) *timeline {
	from := to.AddDate(-spanYears, 0, 0)
	tl := &timeline{rng: rng, from: from, to: to, first: from.Truncate(time.Hour), hour: -1}
	hours := int(to.Sub(tl.first)/time.Hour) + 1

	weights := make([]float64, hours)
	var noise float64
	for i := range weights {
		// Some days are busier than others for no reason anybody could give.
		if i%24 == 0 {
			noise = 0.7 + 0.6*rng.Float64()
		}
		weights[i] = tl.weight(i, busy) * noise
	}
	tl.counts = allocate(rng, weights, count)

	return tl
}

// bounds returns the part of hour i that lies within the two years.
func (tl *timeline) bounds(i int) (time.Time, time.Time) {
	start := tl.first.Add(time.Duration(i) * time.Hour)
	end := start.Add(time.Hour)

	return maxTime(start, tl.from), minTime(end, tl.to)
}

// weight returns how many tickets hour i should get, relative to the others.
func (tl *timeline) weight(i int, busy func(time.Time) float64) float64 {
	start, end := tl.bounds(i)
	if !end.After(start) {
		return 0
	}

	mid := start.Add(end.Sub(start) / 2)
	progress := float64(mid.Sub(tl.from)) / float64(tl.to.Sub(tl.from))

	// The portal slowly becomes better known: half again as many tickets at the
	// end of the two years as at their start.
	w := (0.8 + 0.4*progress) * hourShape[mid.Hour()] * busy(mid)
	if !workingDay(mid) {
		w *= 0.35
	}

	return w * float64(end.Sub(start)) / float64(time.Hour)
}

// allocate shares count among the weights in proportion, by systematic
// sampling from a random start: exact in total, and an hour worth a tenth of
// a ticket gets one in about every tenth run.
func allocate(rng *rand.Rand, weights []float64, count int) []int32 {
	var total float64
	last := 0
	for i, w := range weights {
		total += w
		if w > 0 {
			last = i
		}
	}

	counts := make([]int32, len(weights))
	start := rng.Float64()
	var acc float64
	prev := 0
	for i, w := range weights[:last+1] {
		acc += w
		upTo := int(math.Floor(float64(count)*acc/total + start))
		if i == last || upTo > count {
			upTo = count
		}
		counts[i] = int32(upTo - prev)
		prev = upTo
	}

	return counts
}

// next returns the next creation time; it must be called at most count times.
func (tl *timeline) next() time.Time {
	for len(tl.queue) == 0 {
		tl.hour++
		tl.fill()
	}

	t := tl.queue[0]
	tl.queue = tl.queue[1:]

	return t
}

// fill draws the times of the current hour.
func (tl *timeline) fill() {
	start, end := tl.bounds(tl.hour)
	n := int(tl.counts[tl.hour])
	if n == 0 {
		return
	}

	length := int64(end.Sub(start))
	tl.queue = tl.queue[:0]
	for range n {
		offset := time.Duration(tl.rng.Int64N(length)).Truncate(time.Microsecond)
		tl.queue = append(tl.queue, start.Add(offset))
	}
	slices.SortFunc(tl.queue, func(a, b time.Time) int { return a.Compare(b) })
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}

	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}

	return b
}
