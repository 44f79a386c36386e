package config_test

import (
	"strings"
	"testing"
)

func TestParseStatisticsOptions(t *testing.T) {
	c, _, err := parse(map[string]string{
		"ANLIEGEN_STATS_REPORT_TO": "amt@stadt.example.org, en:it@stadt.example.org",
		"ANLIEGEN_STATS_REFRESH":   "10m",
		"ANLIEGEN_PUBLIC_FIGURES":  "on",
	})
	if err != nil {
		t.Fatal(err)
	}

	if len(c.StatsReportTo) != 2 || c.StatsReportTo[0].Language != "de" ||
		c.StatsReportTo[1].Language != "en" || c.StatsReportTo[1].Address != "it@stadt.example.org" {
		t.Errorf("recipients = %+v", c.StatsReportTo)
	}
	if c.StatsRefresh.Minutes() != 10 || !c.PublicFigures {
		t.Errorf("refresh %v, public figures %v; want 10m and on", c.StatsRefresh, c.PublicFigures)
	}

	d, _, err := parse(map[string]string{})
	if err != nil || d.PublicFigures || len(d.StatsReportTo) != 0 {
		t.Errorf("defaults: public figures %v, %d recipients, %v; want off and none",
			d.PublicFigures, len(d.StatsReportTo), err)
	}

	_, _, err = parse(map[string]string{
		"ANLIEGEN_STATS_REPORT_TO": "not an address",
		"ANLIEGEN_STATS_REFRESH":   "5s",
		"ANLIEGEN_PUBLIC_FIGURES":  "yes",
	})
	for _, want := range []string{"ANLIEGEN_STATS_REPORT_TO", "ANLIEGEN_STATS_REFRESH",
		"ANLIEGEN_PUBLIC_FIGURES"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
}
