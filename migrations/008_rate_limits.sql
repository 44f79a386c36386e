-- Counts anonymous requests per address and window for the rate limits in one
-- atomic statement per request, so that instances share the limits and no
-- request waits for another's count.

CREATE TABLE rate_limits (
    key          text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL
);

CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
