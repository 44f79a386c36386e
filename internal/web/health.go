package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
)

// Health answers 200 when the database answers and 503 when it does not, for
// load balancers and monitoring.
func Health(pool *pgxpool.Pool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		if err := db.Ping(c.UserContext(), pool); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable\n")
		}

		return c.SendString("ok\n")
	}
}
