package inbox

import "testing"

func TestFoldReply(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"German attribution and quote",
			"Ja, noch da.\n\nAm 12.03.2026 um 10:15 schrieb Stadt <a@stadt.example>:\n> Noch da?\n",
			"Ja, noch da."},
		{"attribution over two lines",
			"Erledigt.\n\nAm 12.03.2026 um 10:15 schrieb Stadt Chemnitz\n<a@stadt.example>:\n> x\n",
			"Erledigt."},
		{"English attribution",
			"Fixed.\n\nOn Thu, 12 Mar 2026, City <a@city.example> wrote:\n> ?\n", "Fixed."},
		{"signature", "Danke.\n-- \nMaria Muster\nTel. 0371 123", "Danke."},
		{"Outlook separator", "Gut.\n\n-----Ursprüngliche Nachricht-----\nVon: Stadt\nText",
			"Gut."},
		{"Outlook header block",
			"Passt.\n\nVon: Stadt Chemnitz <a@stadt.example>\nGesendet: Montag, 12. März\n" +
				"An: Maria\nBetreff: Ihr Anliegen\n\nalter Text", "Passt."},
		{"Outlook line", "Ok.\n________________________________\nFrom: x\nSent: y\n", "Ok."},
		{"mobile footer", "Bin unterwegs, melde mich.\n\nVon meinem iPhone gesendet",
			"Bin unterwegs, melde mich."},
		{"answers between quotes kept",
			"> Wo genau?\nVor Hausnummer 12.\n> Seit wann?\nSeit Montag.\n> Danke\n",
			"> Wo genau?\nVor Hausnummer 12.\n> Seit wann?\nSeit Montag."},
		{"reply below the quote",
			"Am 12.03.2026 schrieb Stadt <a@stadt.example>:\n> Noch da?\n\nJa.\n", "Ja."},
		{"sentence ending in a colon kept", "Wie ich schon schrieb:\nDas Loch ist tief.",
			"Wie ich schon schrieb:\nDas Loch ist tief."},
		{"only a quote", "> alles\n> zitiert\n", "> alles\n> zitiert"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := foldReply(tc.text); got != tc.want {
				t.Errorf("foldReply(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	in := "<html><head><style>p{color:red}</style></head><body><p>Hallo&nbsp;Welt</p>" +
		"<div>Zeile&nbsp;2<br>Zeile 3</div><script>alert(1)</script></body></html>"
	if got, want := htmlText(in), "Hallo Welt\nZeile 2\nZeile 3"; got != want {
		t.Errorf("htmlText = %q, want %q", got, want)
	}
}
