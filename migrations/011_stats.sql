-- Adds the rollups behind the case statistics: a working-day calendar, so that
-- durations are counted in working days as the service levels count them, daily
-- counters and duration histograms per service, team and channel, kept current
-- by a periodic job, and the indexes that job and the live backlog figures need.
-- A dashboard over two years of a million tickets then reads a few thousand
-- rows instead of every ticket and its events.

CREATE TABLE stats_calendar (
    day     date PRIMARY KEY,
    working boolean NOT NULL,
    before  integer NOT NULL CHECK (before >= 0)
);

COMMENT ON TABLE stats_calendar IS
    'the city''s days with whether each is worked; filled from internal/calendar';
COMMENT ON COLUMN stats_calendar.before IS 'working days from the first day of the table to this one';

-- stats_working_days places a moment on the working-day axis: the working days
-- before its day plus, on a working day, the fraction of the day gone by. The
-- difference of two such places is the working time between them.
CREATE FUNCTION stats_working_days(at timestamptz, tz text) RETURNS double precision
LANGUAGE sql STABLE STRICT AS $$
    SELECT c.before + CASE WHEN c.working
        THEN extract(epoch FROM at - (c.day::timestamp AT TIME ZONE tz)) / 86400
        ELSE 0 END
    FROM stats_calendar c
    WHERE c.day = (at AT TIME ZONE tz)::date
$$;

-- stats_bucket files a duration in working days into its histogram bucket:
-- tenths of a day below 10 days, whole days below 60, ten days below 360. The
-- millionth of a day added keeps a duration of exactly one day, computed from
-- fractions that do not add up exactly, out of the bucket below.
CREATE FUNCTION stats_bucket(days double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE
        WHEN d < 0 THEN 0
        WHEN d < 10 THEN floor(d * 10)
        WHEN d < 60 THEN 100 + floor(d - 10)
        WHEN d < 360 THEN 150 + floor((d - 60) / 10)
        ELSE 180 END::smallint
    FROM (SELECT days + 1e-6 AS d) AS x
$$;

CREATE TABLE stats_daily (
    day           date NOT NULL,
    service_id    bigint NOT NULL,
    team_id       bigint NOT NULL,
    channel       text NOT NULL,
    intake        integer NOT NULL,
    reopened      integer NOT NULL,
    merged        integer NOT NULL,
    answered      integer NOT NULL,
    answer_due    integer NOT NULL,
    answer_met    integer NOT NULL,
    resolved      integer NOT NULL,
    resolve_due   integer NOT NULL,
    resolve_met   integer NOT NULL,
    feedback      integer NOT NULL,
    feedback_sum  integer NOT NULL,
    PRIMARY KEY (day, service_id, team_id, channel)
);

COMMENT ON TABLE stats_daily IS
    'counters of the tickets received on one day, by service, current team and channel';
COMMENT ON COLUMN stats_daily.answer_due IS
    'tickets with a first-answer target whose outcome is known: answered, or past the target';
COMMENT ON COLUMN stats_daily.resolve_due IS
    'tickets with a resolution target whose outcome is known: resolved, or open past the target';

CREATE TABLE stats_times (
    day        date NOT NULL,
    service_id bigint NOT NULL,
    team_id    bigint NOT NULL,
    channel    text NOT NULL,
    measure    text NOT NULL CHECK (measure IN ('answer', 'resolve')),
    buckets    smallint[] NOT NULL,
    tickets    integer[] NOT NULL,
    PRIMARY KEY (day, service_id, team_id, channel, measure)
);

COMMENT ON TABLE stats_times IS
    'histogram of the working days to first answer and to resolution of the tickets received on one day';
COMMENT ON COLUMN stats_times.buckets IS 'the buckets that hold tickets, in order; see stats_bucket';
COMMENT ON COLUMN stats_times.tickets IS 'the tickets in each of buckets';

CREATE TABLE stats_times_month (
    month      date NOT NULL,
    service_id bigint NOT NULL,
    team_id    bigint NOT NULL,
    channel    text NOT NULL,
    measure    text NOT NULL,
    buckets    smallint[] NOT NULL,
    tickets    integer[] NOT NULL,
    PRIMARY KEY (month, service_id, team_id, channel, measure)
);

COMMENT ON TABLE stats_times_month IS
    'stats_times summed per calendar month, so that a long period reads a few rows per month';

CREATE TABLE stats_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    refreshed_at timestamptz NOT NULL
);

COMMENT ON TABLE stats_state IS 'when the rollups were last brought up to date; one row';

-- The refresh finds changed tickets by tickets_updated_idx, which 010 creates.
CREATE INDEX tickets_answer_due_idx ON tickets (first_answer_due_at)
    WHERE first_answer_at IS NULL;
CREATE INDEX tickets_open_stats_idx
    ON tickets (team_id, service_id, channel, status, created_at, due_at, assignee_id)
    WHERE status IN ('received', 'in_review', 'in_progress', 'waiting_for_citizen', 'forwarded');
