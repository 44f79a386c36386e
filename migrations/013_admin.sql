-- Adds what the administration configures beyond the catalogue: public holidays
-- added to or taken from the state's calendar, and the privacy texts of the
-- portal per language, which replace the shipped texts where they are set.

CREATE TABLE holidays (
    day        date PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('extra', 'removed')),
    name       text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    created_by bigint REFERENCES staff (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE holidays IS
    'days off added to the computed calendar (extra) or taken from it (removed)';

CREATE TABLE privacy_texts (
    kind       text NOT NULL CHECK (kind IN ('notice', 'page')),
    language   text NOT NULL,
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    updated_by bigint REFERENCES staff (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, language)
);

COMMENT ON TABLE privacy_texts IS
    'the privacy notice before submission and the privacy page; absent means the shipped text';

CREATE INDEX change_log_action_idx ON change_log (action, created_at DESC);
