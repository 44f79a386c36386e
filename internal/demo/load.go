package demo

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// writers is the number of connections copying batches at the same time while
// the generator makes up the next one. The server spends most of its time on
// checking foreign keys and filling indexes, which several sessions share out
// over its cores.
const writers = 3

// load makes up the tickets batch by batch and copies each batch in a
// transaction of its own. One goroutine generates, so a seed gives the same
// tickets however the copying interleaves; at most writers+2 batches are in
// memory at once.
func load(
	ctx context.Context,
	pool *pgxpool.Pool,
	g *generator,
	progress func(int),
) (Result, error) {
	grp, ctx := errgroup.WithContext(ctx)
	batches := make(chan *batch, 1)

	grp.Go(func() error {
		defer close(batches)

		return generate(ctx, pool, g, batches)
	})

	var c counter
	for range writers {
		grp.Go(func() error {
			for b := range batches {
				if err := b.write(ctx, pool); err != nil {
					return err
				}
				c.add(b, progress)
			}

			return nil
		})
	}

	err := grp.Wait()

	return c.res, err
}

// generate hands the batches to the writers until all are made.
func generate(ctx context.Context, pool *pgxpool.Pool, g *generator, out chan<- *batch) error {
	for !g.done() {
		b, err := g.next(ctx, pool)
		if err != nil {
			return err
		}

		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}

	return nil
}

// counter adds up the committed batches for the result and the progress.
type counter struct {
	mu  sync.Mutex
	res Result
}

func (c *counter) add(b *batch, progress func(int)) {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.res.Tickets += len(b.tickets)
	c.res.Messages += len(b.messages)
	c.res.Events += len(b.events)

	if progress != nil {
		progress(c.res.Tickets)
	}
}
