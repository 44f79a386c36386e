package main

import (
	"fmt"
	"net/url"
	"time"

	"github.com/valyala/fasthttp"
)

// newFastClient returns a client of the server at base that keeps up to conns
// connections open. It costs a fraction of the CPU time of net/http's client,
// which matters as the load client shares the machine with the server it
// measures.
func newFastClient(base string, conns int) (*fasthttp.HostClient, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}

	tls := u.Scheme == "https"

	return &fasthttp.HostClient{
		Addr:                          fasthttp.AddMissingPort(u.Host, tls),
		IsTLS:                         tls,
		MaxConns:                      conns,
		ReadTimeout:                   loadTimeout,
		WriteTimeout:                  loadTimeout,
		MaxIdleConnDuration:           time.Minute,
		DisableHeaderNamesNormalizing: true,
	}, nil
}

// newGetShot returns a shot that GETs the address next returns with the
// headers of header (may be nil) and expects 200; each connection has its
// own request and response, reused from one shot to the next.
func newGetShot(client *fasthttp.HostClient, next func() string, header map[string]string) shot {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	for k, v := range header {
		req.Header.Set(k, v)
	}

	return func() string {
		req.SetRequestURI(next())
		if err := client.DoTimeout(req, resp, loadTimeout); err != nil {
			return noAnswer
		}

		if code := resp.StatusCode(); code != fasthttp.StatusOK {
			return fmt.Sprintf("status %d", code)
		}

		return ""
	}
}
