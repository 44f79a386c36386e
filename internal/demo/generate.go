package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// batchSize is the number of tickets copied in one transaction.
const batchSize = 5_000

// pcgStream is the second half of the random generator's state; the seed is
// the first.
const pcgStream = 0x616e6c6965676e

// generator makes up the tickets batch by batch, in the order of their
// creation. It is used by one goroutine.
type generator struct {
	rng       *rand.Rand
	world     *world
	times     *timeline
	from, now time.Time
	key       []byte
	left      int
	sequences map[int]bool // years whose case number sequence is known to exist
}

func newGenerator(opts Options, w *world) *generator {
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), pcgStream))

	return &generator{
		rng:       rng,
		world:     w,
		times:     newTimeline(rng, opts.Now, opts.Count, w.season),
		from:      opts.Now.AddDate(-spanYears, 0, 0),
		now:       opts.Now,
		key:       opts.AccessKey,
		left:      opts.Count,
		sequences: map[int]bool{},
	}
}

// done reports whether every ticket has been handed out.
func (g *generator) done() bool {
	return g.left == 0
}

// next makes up the next batch, with IDs and case numbers reserved for it.
func (g *generator) next(ctx context.Context, pool *pgxpool.Pool) (*batch, error) {
	n := min(batchSize, g.left)
	created := make([]time.Time, n)
	for i := range created {
		created[i] = g.times.next()
	}

	ids, err := reserveTicketIDs(ctx, pool, n)
	if err != nil {
		return nil, err
	}

	numbers, err := g.reserveCaseNumbers(ctx, pool, created)
	if err != nil {
		return nil, err
	}

	b := &batch{
		tickets:  make([]ticketRow, 0, n),
		messages: make([]messageRow, 0, n*5/2),
		events:   make([]eventRow, 0, n*6),
	}
	for i, at := range created {
		if err := g.ticket(b, ids[i], numbers[i], at); err != nil {
			return nil, err
		}
	}
	g.left -= n

	return b, nil
}

// ticket makes up one ticket created at, with its life up to now.
func (g *generator) ticket(b *batch, id int64, number string, at time.Time) error {
	code, err := tracking.NewCode()
	if err != nil {
		return err
	}

	svc := g.world.pickService(g.rng, at)
	lang := pick(g.rng, languages)
	r := newRequest(g.rng, svc, lang)
	// The secret is the one the live system derives for a new ticket, so that
	// access links to demo tickets open them as they would a citizen's.
	secret := tracking.DeriveSecret(g.key, code, 1)
	t := ticketRow{
		id: id, caseNumber: number, code: code.Canonical(),
		accessHash: tracking.HashSecret(g.key, secret), serviceID: svc.ID, teamID: svc.TeamID,
		status: ticket.Received, channel: g.channel(at), language: lang, createdAt: at,
	}
	t.fields = r.fields(g.rng, svc, at)
	t.subject = r.subject(svc, lang, t.channel, t.fields)
	t.priority = g.priority(r.danger)
	signed := g.contact(&t, svc, r.person)
	if days := svc.slaDays(); days > 0 {
		t.dueAt = at.AddDate(0, 0, days)
	}

	l := life{g: g, b: b, t: &t, svc: svc, status: ticket.Received, at: at}
	l.live(r.message(g.rng, lang, signed))
	b.tickets = append(b.tickets, t)

	return nil
}

// channel draws how a ticket created at t came in.
func (g *generator) channel(t time.Time) string {
	if officeHours(t) {
		return pick(g.rng, officeChannels)
	}

	return pick(g.rng, afterHoursChannels)
}

// priority draws the priority a ticket starts with: a reported danger makes
// it high or urgent.
func (g *generator) priority(danger bool) string {
	n := g.rng.IntN(100)
	switch {
	case danger && n < 50:
		return "urgent"
	case danger, n < 7:
		return "high"
	case n < 12:
		return "low"
	}

	return "normal"
}

// contact fills in how to reach the citizen and reports whether they gave
// their name. Services that allow it get some anonymous tickets; who writes
// an e-mail gives their address, who calls or writes a letter often does not.
func (g *generator) contact(t *ticketRow, svc *service, who person) bool {
	if svc.AllowAnonymous && t.channel != ticket.ChannelEmail && g.rng.IntN(100) < 35 {
		return false
	}

	t.contactName = who.name
	withEmail := 95
	switch t.channel {
	case ticket.ChannelEmail:
		withEmail = 100
	case ticket.ChannelLetter:
		withEmail = 35
	case ticket.ChannelPhone, ticket.ChannelCounter:
		withEmail = 50
	}
	if g.rng.IntN(100) < withEmail {
		t.contactEmail = who.email
	}

	withPhone := 30
	if t.channel == ticket.ChannelPhone {
		withPhone = 90
	}
	if g.rng.IntN(100) < withPhone {
		t.contactPhone = who.phone
	}

	return true
}
