package backoffice

import (
	"fmt"
	"math"
	"strings"
)

// Charts are drawn on the server as inline SVG with fixed coordinates, so the
// dashboard needs no script and no inline style under the strict
// Content-Security-Policy. Each series carries a pattern as well as a colour,
// and each chart a title, a description and a table beside it.

const (
	chartWidth  = 720.0
	lineHeight  = 260.0
	plotLeft    = 56.0
	plotRight   = 16.0
	plotTop     = 16.0
	plotBottom  = 44.0
	barLabelW   = 210.0
	barHeight   = 18.0
	barGap      = 10.0
	barValueW   = 70.0
	legendSpace = 36.0
)

// tick is a label on an axis.
type tick struct {
	X, Y  float64
	Label string
}

// lineChart is the intake over time: the period as a solid line with dots, the
// previous period as a dashed line.
type lineChart struct {
	ID, Title, Desc   string
	Width, Height     float64
	Left, Right       float64
	Top, Bottom       float64
	Current, Previous string
	Dots              []tick
	XTicks, YTicks    []tick
	LegendCurrent     string
	LegendPrevious    string
}

// newLineChart lays out two series of equal length with their labels.
func newLineChart(id string, current, previous []int, labels []string) lineChart {
	c := lineChart{
		ID: id, Width: chartWidth, Height: lineHeight, Left: plotLeft,
		Right: chartWidth - plotRight, Top: plotTop, Bottom: lineHeight - plotBottom,
	}

	top := niceMax(maxOf(current, previous))
	n := len(current)
	x := func(i int) float64 {
		if n < 2 {
			return (c.Left + c.Right) / 2
		}
		return c.Left + float64(i)*(c.Right-c.Left)/float64(n-1)
	}
	y := func(v int) float64 { return c.Bottom - float64(v)/float64(top)*(c.Bottom-c.Top) }

	c.Current, c.Previous = points(current, x, y), points(previous, x, y)
	for i := 0; i <= 4; i++ {
		v := top * i / 4
		c.YTicks = append(c.YTicks, tick{X: c.Left - 8, Y: y(v), Label: fmt.Sprint(v)})
	}

	step := max(1, int(math.Ceil(float64(n)/8)))
	for i := 0; i < n; i += step {
		c.XTicks = append(c.XTicks, tick{X: x(i), Y: c.Bottom + 18, Label: labels[i]})
	}

	if n <= 16 {
		for i, v := range current {
			c.Dots = append(c.Dots, tick{X: x(i), Y: y(v), Label: fmt.Sprint(v)})
		}
	}

	return c
}

func points(vs []int, x func(int) float64, y func(int) float64) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x(i), y(v))
	}

	return b.String()
}

func maxOf(lists ...[]int) int {
	m := 0
	for _, l := range lists {
		for _, v := range l {
			m = max(m, v)
		}
	}

	return m
}

// niceMax rounds m up to a value whose quarters are whole, readable numbers.
func niceMax(m int) int {
	if m <= 4 {
		return 4
	}

	mag := int(math.Pow(10, math.Floor(math.Log10(float64(m)))))
	for _, f := range []int{1, 2, 4, 5, 8, 10} {
		if f*mag >= m && (f*mag)%4 == 0 {
			return f * mag
		}
	}

	return 10 * mag
}

// segment is one part of a bar, with its pattern and its value.
type segment struct {
	X, W    float64
	Pattern int
	Value   string
	TextX   float64
}

// bar is one bar of a row.
type bar struct {
	Y, H     float64
	Segments []segment
	Value    string
	ValueX   float64
	TextY    float64
}

// barRow is one labelled row of bars.
type barRow struct {
	Label  string
	LabelY float64
	Bars   []bar
}

// legendItem explains one pattern.
type legendItem struct {
	X       float64
	Pattern int
	Label   string
}

// barChart is a chart of horizontal bars, stacked or side by side.
type barChart struct {
	ID, Title, Desc string
	Width, Height   float64
	Left            float64
	Rows            []barRow
	Legend          []legendItem
	LegendY         float64
}

// barValues is one row's input: the parts of each of its bars and how each bar
// and part is labelled.
type barValues struct {
	Label  string
	Bars   [][]float64
	Totals []string
	Parts  [][]string
}

// newBarChart lays out rows of bars against one scale; each bar's parts stack
// with the patterns in order.
func newBarChart(id string, rows []barValues, legend []string) barChart {
	c := barChart{ID: id, Width: chartWidth, Left: barLabelW}
	var top float64
	for _, r := range rows {
		for _, b := range r.Bars {
			top = math.Max(top, sum(b))
		}
	}
	if top == 0 {
		top = 1
	}

	scale := (chartWidth - barLabelW - barValueW) / top
	y := 8.0
	for _, r := range rows {
		row := barRow{Label: r.Label}
		start := y
		for bi, parts := range r.Bars {
			row.Bars = append(row.Bars, layoutBar(parts, r, bi, y, scale))
			y += barHeight + 2
		}
		row.LabelY = (start+y-2)/2 + 4
		c.Rows = append(c.Rows, row)
		y += barGap
	}

	c.LegendY = y + 8
	x := barLabelW
	for i, l := range legend {
		c.Legend = append(c.Legend, legendItem{X: x, Pattern: i, Label: l})
		x += 28 + float64(len([]rune(l)))*7.5
	}
	c.Height = y + legendSpace

	return c
}

func layoutBar(parts []float64, r barValues, bi int, y, scale float64) bar {
	b := bar{Y: y, H: barHeight, TextY: y + barHeight/2 + 4}
	x := barLabelW
	for pi, v := range parts {
		w := v * scale
		s := segment{X: x, W: w, Pattern: pi, TextX: x + w/2}
		if bi < len(r.Parts) && pi < len(r.Parts[bi]) && w >= 26 {
			s.Value = r.Parts[bi][pi]
		}
		b.Segments = append(b.Segments, s)
		x += w
	}

	if bi < len(r.Totals) {
		b.Value, b.ValueX = r.Totals[bi], x+6
	}

	return b
}

func sum(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}

	return s
}
