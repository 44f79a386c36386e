package open311_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/browsertest"
)

// clientDir holds the npm package open311 with its stand-ins, installed by
// .ci/install-browser-tests.
const clientDir = "../../.ci/open311-client"

// needClient returns node and the client's folder, skipping the test where
// they are missing, except under CI=true, where it fails.
func needClient(t *testing.T) (string, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(clientDir, "node_modules", "open311", "open311.js"))
	}
	if err != nil {
		msg := "the npm client needs node and .ci/open311-client/node_modules " +
			"(run .ci/install-browser-tests): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	dir, err := filepath.Abs(clientDir)
	if err != nil {
		t.Fatal(err)
	}

	return node, dir
}

// TestNPMClientOpen311 runs the npm package open311, written for other cities'
// servers, against the real server on a random port: discovery, the service
// list, a definition, a submission and reading it back.
func TestNPMClientOpen311(t *testing.T) {
	node, dir := needClient(t)
	r := newRig(t)
	base := browsertest.Start(t, r.app)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.js", base, r.key, "stadt.example.org")
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.js: %v\n%s%s", err, out, stderr.String())
	}

	var seen struct {
		Endpoints  []string `json:"endpoints"`
		Services   []string `json:"services"`
		Attributes []string `json:"attributes"`
		ID         string   `json:"id"`
		Status     string   `json:"status"`
		Service    string   `json:"service"`
		Requested  string   `json:"requested"`
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("client output %q: %v", out, err)
	}

	if strings.Join(seen.Endpoints, " ") != "production test" ||
		!strings.Contains(strings.Join(seen.Services, " "), "illegale-ablagerung") ||
		strings.Join(seen.Attributes, " ") !=
			"location:string description:text danger:singlevaluelist" {
		t.Errorf("client saw endpoints %q, services %q, attributes %q", seen.Endpoints,
			seen.Services, seen.Attributes)
	}
	if !groupedCode.MatchString(seen.ID) || seen.Status != "open" ||
		seen.Service != "schlagloch" || seen.Requested != "date" {
		t.Errorf("client read back %+v, want its request open with a date", seen)
	}

	s := r.stored(seen.ID)
	if s.channel != "api" || s.fields["location"] != "Straße der Nationen 5" ||
		s.fields["danger"] != "no" || s.name != "Nora Paket" || s.mails != 1 {
		t.Errorf("the client's ticket: %+v", s)
	}
}
