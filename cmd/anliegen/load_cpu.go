package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// clockTick is the unit of the CPU times in /proc/<pid>/stat; Linux reports
// them in hundredths of a second on every architecture it runs on.
const clockTick = 10 * time.Millisecond

// cpuUse is what the measured part of a run cost on this machine: the CPU
// time of the load client itself, of the server process and of the database
// processes, and the server's largest resident memory seen. A field is
// negative when it could not be read.
type cpuUse struct {
	Client   time.Duration
	Server   time.Duration
	Database time.Duration
	// ServerRSS is the largest resident set of the server in KiB, sampled
	// every 100 ms while measuring.
	ServerRSS int64
}

// meter reads the CPU times at the start and end of the measured part of a
// run, and samples the server's memory in between.
type meter struct {
	serverPID int
	pool      *pgxpool.Pool

	start   cpuUse
	dbPIDs  []int
	maxRSS  int64
	stopped chan struct{}
	done    chan struct{}
}

func newMeter(serverPID int, pool *pgxpool.Pool) *meter {
	return &meter{serverPID: serverPID, pool: pool, maxRSS: -1,
		stopped: make(chan struct{}), done: make(chan struct{})}
}

// begin takes the first reading and starts sampling the server's memory.
func (m *meter) begin(ctx context.Context) {
	m.dbPIDs = databasePIDs(ctx, m.pool)
	m.start = m.read()

	go func() {
		defer close(m.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			m.sampleRSS()
			select {
			case <-m.stopped:
				return
			case <-tick.C:
			}
		}
	}()
}

// end takes the last reading and returns the difference to the first.
func (m *meter) end() cpuUse {
	close(m.stopped)
	<-m.done

	now := m.read()
	use := cpuUse{
		Client: now.Client - m.start.Client, Server: -1, Database: -1, ServerRSS: m.maxRSS,
	}
	if now.Server >= 0 && m.start.Server >= 0 {
		use.Server = now.Server - m.start.Server
	}
	if now.Database >= 0 && m.start.Database >= 0 {
		use.Database = now.Database - m.start.Database
	}

	return use
}

func (m *meter) read() cpuUse {
	u := cpuUse{Client: ownCPU(), Server: -1, Database: -1}
	if m.serverPID > 0 {
		u.Server = processCPU(m.serverPID)
	}
	if len(m.dbPIDs) > 0 {
		u.Database = 0
		for _, pid := range m.dbPIDs {
			u.Database += max(0, processCPU(pid))
		}
	}

	return u
}

func (m *meter) sampleRSS() {
	if m.serverPID <= 0 {
		return
	}

	m.maxRSS = max(m.maxRSS, processRSS(m.serverPID))
}

// ownCPU is the user and system time this process has used.
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}

	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the user and system time of process pid, or -1 when it cannot
// be read (another machine, another system than Linux, no such process).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}

	// The command name in parentheses may hold spaces; the fields after it
	// are numbered from the state, field 3.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return -1
	}

	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}

	return time.Duration(utime+stime) * clockTick
}

// processRSS is the resident memory of process pid in KiB, or -1.
func processRSS(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	defer f.Close()

	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return -1
			}
			return kb
		}
	}

	return -1
}

const databasePIDsSQL = `
SELECT pid
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()`

// databasePIDs lists the processes of the database server other than the load
// client's own connection; none when the database runs elsewhere or they
// cannot be listed.
func databasePIDs(ctx context.Context, pool *pgxpool.Pool) []int {
	rows, err := pool.Query(ctx, databasePIDsSQL)
	if err != nil {
		return nil
	}
	defer rows.Close()

	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil && processCPU(pid) >= 0 {
			pids = append(pids, pid)
		}
	}

	return pids
}

// printCPU writes the CPU time per measured request of client, server and
// database, and the server's memory.
func printCPU(out io.Writer, requests int, u cpuUse) {
	if requests == 0 {
		return
	}

	per := func(d time.Duration) string {
		if d < 0 {
			return "not measured"
		}
		return fmt.Sprintf("%.3f ms a request", float64(d)/float64(time.Millisecond)/
			float64(requests))
	}

	fmt.Fprintf(out, "client CPU    %s\n", per(u.Client))
	fmt.Fprintf(out, "server CPU    %s\n", per(u.Server))
	fmt.Fprintf(out, "database CPU  %s\n", per(u.Database))
	if u.ServerRSS >= 0 {
		fmt.Fprintf(out, "server memory %.1f MB at most (resident)\n", float64(u.ServerRSS)/1024)
	}
}
