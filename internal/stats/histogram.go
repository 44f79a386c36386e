package stats

import "math"

// Buckets is the number of buckets of a duration histogram; see stats_bucket
// in the migration for how durations are filed.
const Buckets = 181

// Histogram counts durations in working days by bucket.
type Histogram [Buckets]int

// BucketStart returns the smallest duration in working days that bucket b
// holds.
func BucketStart(b int) float64 {
	switch {
	case b < 100:
		return float64(b) / 10
	case b < 150:
		return float64(10 + b - 100)
	case b < 180:
		return float64(60 + (b-150)*10)
	}

	return 360
}

// BucketOf returns the bucket of a duration in working days, as stats_bucket
// does in the database.
func BucketOf(days float64) int {
	d := days + 1e-6
	switch {
	case d < 0:
		return 0
	case d < 10:
		return int(math.Floor(d * 10))
	case d < 60:
		return 100 + int(math.Floor(d-10))
	case d < 360:
		return 150 + int(math.Floor((d-60)/10))
	}

	return 180
}

// N returns the number of durations counted.
func (h *Histogram) N() int {
	n := 0
	for _, c := range h {
		n += c
	}

	return n
}

// Add counts the durations of o as well.
func (h *Histogram) Add(o *Histogram) {
	for i, c := range o {
		h[i] += c
	}
}

// Percentile returns the p-quantile (0 < p ≤ 1) by the nearest rank, as the
// start of its bucket: a tenth of a working day below ten days, a day below
// sixty. ok is false when nothing was counted.
func (h *Histogram) Percentile(p float64) (days float64, ok bool) {
	n := h.N()
	if n == 0 {
		return 0, false
	}

	rank := int(math.Ceil(p * float64(n)))
	rank = max(rank, 1)
	seen := 0
	for b, c := range h {
		seen += c
		if seen >= rank {
			return BucketStart(b), true
		}
	}

	return BucketStart(Buckets - 1), true
}

// addSparse counts counts[i] durations in bucket buckets[i], ignoring buckets
// out of range.
func (h *Histogram) addSparse(buckets []int16, counts []int32) {
	for i, b := range buckets {
		if b >= 0 && int(b) < Buckets && i < len(counts) {
			h[b] += int(counts[i])
		}
	}
}
