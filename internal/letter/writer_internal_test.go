package letter

import (
	"fmt"
	"strings"
	"testing"
)

// paragraph is n lines of paragraph name.
func paragraph(name string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", name, i+1)
	}

	return out
}

// pagesOf returns on which page each line of text stands.
func pagesOf(placedLines []placed) map[string]int {
	at := map[string]int{}
	for _, l := range placedLines {
		at[l.text] = l.page
	}

	return at
}

func TestParagraphsLeaveNoLineAlone(t *testing.T) {
	t.Parallel()
	room := func(n int) float64 { return bodyBottom - float64(n)*lineH } // n lines left

	cases := []struct {
		name string
		room int
		n    int
		want []int // the page of each line of the paragraph
	}{
		{"fits", 3, 3, []int{1, 1, 1}},
		{"first line alone at the foot", 1, 4, []int{2, 2, 2, 2}},
		{"last line alone at the head", 4, 5, []int{1, 1, 1, 2, 2}},
		{"two before, one after: all over", 2, 3, []int{2, 2, 2}},
		{"one of two fits", 1, 2, []int{2, 2}},
		{"plain break", 3, 6, []int{1, 1, 1, 2, 2, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines := paragraph("p", tc.n)
			got, _, _ := placeLines(lines, room(tc.room))
			at := pagesOf(got)
			for i, want := range tc.want {
				if at[lines[i]] != want {
					t.Errorf("line %d on page %d, want %d (all: %v)", i+1, at[lines[i]], want, at)
				}
			}
		})
	}
}

func TestLongLetterBreaksOnlyWithTwoLinesEachSide(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 40 {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, paragraph(fmt.Sprintf("p%d.", i), 1+i%6)...)
	}

	got, pages, _ := placeLines(lines, 100)
	if pages < 3 {
		t.Fatalf("%d pages, want a letter of at least three", pages)
	}

	// Count each paragraph's lines per page.
	perPage := map[string]map[int]int{}
	for _, l := range got {
		if l.y+lineH > bodyBottom+1e-9 {
			t.Errorf("line %s at %.1f runs past the foot of page %d", l.text, l.y, l.page)
		}
		p, _, _ := strings.Cut(l.text, ".")
		if perPage[p] == nil {
			perPage[p] = map[int]int{}
		}
		perPage[p][l.page]++
	}
	for p, counts := range perPage {
		if len(counts) < 2 {
			continue
		}
		for page, n := range counts {
			if n < 2 {
				t.Errorf("paragraph %s leaves a single line on page %d: %v", p, page, counts)
			}
		}
	}
	if len(got) != len(lines)-39 {
		t.Errorf("%d lines placed, want all %d", len(got), len(lines)-39)
	}
}
