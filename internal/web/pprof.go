package web

import (
	"net/http"
	"net/http/pprof"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// ProfilePrefix is where Profiles answers.
const ProfilePrefix = "/debug/pprof"

// Profiles serves Go's runtime profiles (CPU, heap, goroutines, traces) under
// ProfilePrefix, for measuring the server under load. They show the program's
// functions and memory, no request's content; still they belong only on the
// back office, and only while somebody measures.
func Profiles() fiber.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(ProfilePrefix+"/", pprof.Index)
	mux.HandleFunc(ProfilePrefix+"/cmdline", pprof.Cmdline)
	mux.HandleFunc(ProfilePrefix+"/profile", pprof.Profile)
	mux.HandleFunc(ProfilePrefix+"/symbol", pprof.Symbol)
	mux.HandleFunc(ProfilePrefix+"/trace", pprof.Trace)

	return adaptor.HTTPHandler(mux)
}
