package letter

import "testing"

func TestShapeArabic(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"no Arabic", "Grüße", "Grüße"},
		{"isolated", "ب", "\uFE8F"},
		{"initial, medial, final", "ببب", "\uFE91\uFE92\uFE90"},
		{"right-joining letter breaks the word", "بدب", "\uFE91\uFEAA\uFE8F"},
		{"lam-alef ligature", "لا", "\uFEFB"},
		{"lam-alef after a joining letter", "سلام", "\uFEB3\uFEFC\uFEE1"},
		{"a vowel sign does not break joining", "بَب", "\uFE91\u064E\uFE90"},
		{"space ends a word", "ب ب", "\uFE8F \uFE8F"},
		{"hamza joins nothing", "بءب", "\uFE8F\uFE80\uFE8F"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := shapeArabic(c.in); got != c.want {
				t.Errorf("shapeArabic(%q) = %+q, want %+q", c.in, got, c.want)
			}
		})
	}
}

func TestVisual(t *testing.T) {
	cases := []struct {
		name, in string
		rtl      bool
		want     string
	}{
		{"left to right unchanged", "Seite 1 von 2", false, "Seite 1 von 2"},
		{"marks dropped", lrm + "2026-000123", false, "2026-000123"},
		{"Arabic reversed", "ابت", true, "تبا"},
		{"number keeps its order", "ابت 123 ثج", true, "جث 123 تبا"},
		{"Latin word keeps its order", "ابت QR ثج", true, "جث QR تبا"},
		{"brackets mirrored", "ا (ب)", true, "(ب) ا"},
		{"vowel sign stays after its letter", "بَت", true, "تبَ"},
		{"Arabic name in a German line", "Guten Tag ابت,", false, "Guten Tag تبا,"},
		{"number after Arabic in a German line", "Code ابت 123", false, "Code 123 تبا"},
		{"isolated case number", "ابت " + isolateLTR("2026-000123"), true, "2026-000123 تبا"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := visual(c.in, c.rtl); got != c.want {
				t.Errorf("visual(%q, %v) = %q, want %q", c.in, c.rtl, got, c.want)
			}
		})
	}
}
