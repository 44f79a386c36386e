package web_test

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/web"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/static"
	"github.com/anliegen/anliegen/templates"
)

// TestServeEndsWhenStoppedAtOnce: an end that comes right at the start, before
// the app has taken its listener, still ends Serve within its grace, and frees
// the address.
func TestServeEndsWhenStoppedAtOnce(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}

	for i := range 20 {
		srv, err := web.NewServer(web.Options{
			App: "portal", Templates: templates.FS, Static: static.FS, Bundle: bundle,
			Logger: slog.New(slog.DiscardHandler), Location: time.UTC, CSRFKey: make([]byte, 32),
		})
		if err != nil {
			t.Fatal(err)
		}

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()

		ctx, cancel := context.WithCancel(context.Background())
		if i%2 == 0 {
			cancel()
		} else {
			time.AfterFunc(time.Duration(i)*time.Millisecond, cancel)
		}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, addr, time.Second) }()

		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: Serve ended with %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("run %d: Serve did not end within 10 s of its end", i)
		}
		cancel()

		again, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("run %d: the address is still taken after Serve ended: %v", i, err)
		}
		again.Close()
	}
}
