package open311_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/anliegen/anliegen/portal"
)

// BenchmarkRequestList reads the first page of 50 through the whole app, to
// see the cost of a list answer besides its query.
func BenchmarkRequestList(b *testing.B) {
	benchmarkGet(b, "/open311/v2/requests.json?page_size=50")
}

// BenchmarkSingleRequest reads one request through the whole app.
func BenchmarkSingleRequest(b *testing.B) {
	benchmarkGet(b, "")
}

func benchmarkGet(b *testing.B, path string) {
	r := newRigWith(b, portal.Limits{Lookups: 1e6, Submissions: 1e6, API: 1e9, Window: time.Minute})
	var id string
	for range 60 {
		id = r.create(r.pothole())
	}
	if path == "" {
		path = "/open311/v2/requests/" + id + ".json"
	}

	b.ResetTimer()
	for b.Loop() {
		resp, err := r.app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
}
