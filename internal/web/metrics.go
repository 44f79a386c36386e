package web

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the Prometheus registry of the process: requests by app, route
// and status, their latencies, the database pool and the job queue.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
}

// NewMetrics registers the process's metrics, reading pool statistics and job
// counts from pool at each scrape.
func NewMetrics(pool *pgxpool.Pool) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "anliegen_http_request_duration_seconds",
		Help:    "Duration of HTTP requests by app, route, method and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"app", "route", "method", "status"})

	m.registry.MustRegister(
		m.requests,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&poolCollector{pool: pool},
		&jobCollector{pool: pool},
	)

	return m
}

func (m *Metrics) observe(app, route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(app, route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

var (
	poolTotalDesc = prometheus.NewDesc("anliegen_db_pool_connections",
		"Database pool connections by state.", []string{"state"}, nil)
	poolAcquireDesc = prometheus.NewDesc("anliegen_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolWaitDesc = prometheus.NewDesc("anliegen_db_pool_acquire_wait_seconds_total",
		"Time spent waiting for a pool connection.", nil, nil)
	jobsDesc = prometheus.NewDesc("anliegen_jobs",
		"Background jobs by kind and state.", []string{"kind", "state"}, nil)
)

type poolCollector struct{ pool *pgxpool.Pool }

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolTotalDesc
	ch <- poolAcquireDesc
	ch <- poolWaitDesc
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue,
		float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue,
		float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue,
		float64(s.MaxConns()), "max")
	ch <- prometheus.MustNewConstMetric(poolAcquireDesc, prometheus.CounterValue,
		float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue,
		s.AcquireDuration().Seconds())
}

type jobCollector struct{ pool *pgxpool.Pool }

func (j *jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
}

const jobCountsSQL = `
SELECT kind, state::text, count(*)
FROM river_job
GROUP BY kind, state`

func (j *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	rows, err := j.pool.Query(ctx, jobCountsSQL)
	if err != nil {
		return
	}
	defer rows.Close()

	for rows.Next() {
		var kind, state string
		var n int64
		if rows.Scan(&kind, &state, &n) == nil {
			ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(n),
				kind, state)
		}
	}
}
