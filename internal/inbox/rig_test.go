package inbox_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/inbox"
	"github.com/anliegen/anliegen/internal/ticket"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	imapUser     = "anliegen"
	imapPassword = "geheim-4711"
	intake       = "email-eingang"
)

// mailbox is a real IMAP server in memory with one user and an INBOX.
type mailbox struct {
	user *imapmemserver.User
	addr string
	wire *wire // what was said on the connections
}

// transport says how the test server is reached.
type transport int

const (
	plainOnly transport = iota // no TLS at all
	startTLS                   // STARTTLS offered
	implicit                   // TLS from the first byte
)

func startMailbox(t *testing.T, tr transport, cert *tls.Config) *mailbox {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(imapUser, imapPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatalf("create INBOX: %v", err)
	}
	mem.AddUser(user)

	mb := &mailbox{user: user, wire: &wire{}}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
		DebugWriter:  mb.wire,
	}
	if tr == startTLS {
		opts.TLSConfig = cert
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if tr == implicit {
		ln = tls.NewListener(ln, cert)
	}

	srv := imapserver.New(opts)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	mb.addr = ln.Addr().String()
	return mb
}

// deliver puts a mail into the INBOX, unseen.
func (mb *mailbox) deliver(t *testing.T, raw string) {
	t.Helper()
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n")
	if _, err := mb.user.Append("INBOX", bytes.NewReader([]byte(raw)), &imap.AppendOptions{
		Time: time.Now(),
	}); err != nil {
		t.Fatalf("deliver: %v", err)
	}
}

// unseen counts the mails in the INBOX that are not marked done.
func (mb *mailbox) unseen(t *testing.T) int {
	t.Helper()
	st, err := mb.user.Status("INBOX", &imap.StatusOptions{NumUnseen: true})
	if err != nil {
		t.Fatalf("status: %v", err)
	}

	return int(*st.NumUnseen)
}

// inbox signs in to the mailbox and selects the INBOX, for as long as the test.
func (mb *mailbox) inbox(t *testing.T) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(mb.addr, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })

	if err := c.Login(imapUser, imapPassword).Wait(); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatalf("select: %v", err)
	}

	return c
}

// flagged counts the mails in the INBOX flagged for staff.
func (mb *mailbox) flagged(t *testing.T) int {
	t.Helper()
	c := mb.inbox(t)
	data, err := c.UIDSearch(&imap.SearchCriteria{Flag: []imap.Flag{imap.FlagFlagged}}, nil).Wait()
	if err != nil {
		t.Fatalf("search flagged: %v", err)
	}

	return len(data.AllUIDs())
}

// unflagAll takes the seen flag off every mail, as if the poller had stopped
// after committing and before flagging.
func (mb *mailbox) unflagAll(t *testing.T) {
	t.Helper()
	c := mb.inbox(t)
	all := imap.SeqSet{}
	all.AddRange(1, 0)
	flags := &imap.StoreFlags{Op: imap.StoreFlagsDel, Flags: []imap.Flag{imap.FlagSeen},
		Silent: true}
	if err := c.Store(all, flags, nil).Close(); err != nil {
		t.Fatalf("unflag: %v", err)
	}
}

// wire collects what the server reads and writes in the clear; it writes from
// one goroutine per connection.
type wire struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wire) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()

	return w.buf.Write(p)
}

func (w *wire) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()

	return w.buf.String()
}

// rig is a fresh database with the demo catalogue, a ticket store and a poller
// on an in-memory mailbox.
type rig struct {
	pool    *pgxpool.Pool
	tickets *ticket.Store
	box     *mailbox
	poller  *inbox.Poller
}

func newRig(t *testing.T) *rig {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	if _, err := catalog.NewStore(pool).LoadDemo(ctx); err != nil {
		t.Fatalf("load demo catalogue: %v", err)
	}

	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatalf("river: %v", err)
	}

	loc, _ := time.LoadLocation("Europe/Berlin")
	store := ticket.NewStore(pool, jobs, []byte("0123456789abcdef0123456789abcdef"), loc)
	r := &rig{pool: pool, tickets: store, box: startMailbox(t, plainOnly, nil)}
	r.poller = r.newPoller(t, "imap+plain://"+imapUser+":"+imapPassword+"@"+r.box.addr+"/INBOX",
		nil)

	return r
}

func (r *rig) newPoller(t *testing.T, url string, roots *tls.Config) *inbox.Poller {
	t.Helper()
	p, err := inbox.New(context.Background(), inbox.Options{
		URL: url, Pool: r.pool, Tickets: r.tickets, Files: attachment.DefaultPolicy(),
		IntakeService: intake, TLSConfig: roots,
		Language: func(tag string) bool { return tag == "de" || tag == "en" || tag == "uk" },
	})
	if err != nil {
		t.Fatalf("inbox.New: %v", err)
	}

	return p
}

// poll runs one pass and fails the test on an error.
func (r *rig) poll(t *testing.T) inbox.Summary {
	t.Helper()
	sum, err := r.poller.Poll(context.Background())
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}

	if sum.Failed != 0 {
		t.Fatalf("Poll left %d mails failed, want none", sum.Failed)
	}

	return sum
}

func (r *rig) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(query), err)
	}

	return n
}

func (r *rig) acknowledgements(t *testing.T) int {
	t.Helper()
	return r.count(t, `SELECT count(*) FROM river_job WHERE kind = 'notify_citizen'
		AND args->>'message' = 'acknowledgement'`)
}

// ticketOf creates a ticket by web as a citizen would, with contact as its
// e-mail address, and returns it with the acknowledgement job cleared away.
func (r *rig) ticketOf(t *testing.T, contact string) ticket.Created {
	t.Helper()
	ctx := context.Background()
	svc, err := catalog.NewStore(r.pool).ServiceByCode(ctx, "schlagloch")
	if err != nil {
		t.Fatal(err)
	}

	c, err := r.tickets.Create(ctx, ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelWeb, Language: "de",
		Subject: "Schlagloch", Body: "Tiefes Loch vor Hausnummer 12.", ContactEmail: contact,
	})
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}

	if _, err := r.pool.Exec(ctx, `DELETE FROM river_job`); err != nil {
		t.Fatal(err)
	}

	return c
}

// testCert returns a server configuration with a certificate for 127.0.0.1 and
// a client configuration that trusts it.
func testCert(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imap.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}

	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}

	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der},
		PrivateKey: key, Leaf: leaf}}}

	return server, &tls.Config{RootCAs: roots}
}
