-- Secures staff sign-in beyond the password: each account's TOTP secret and the
-- last time step a code was accepted in, so that a code works only once; the
-- half-finished sign-in between password and code, kept here so the browser holds
-- nothing but a random ID; and failed sign-ins per typed address, which slow
-- further attempts for that address down without ever locking the account.

ALTER TABLE staff
    ADD COLUMN totp_secret    text CHECK (totp_secret ~ '^[A-Z2-7]{16,128}$'),
    ADD COLUMN totp_last_step bigint;

COMMENT ON COLUMN staff.totp_secret IS 'base32 TOTP secret; NULL until the member enrols at sign-in';
COMMENT ON COLUMN staff.totp_last_step IS 'the 30-second time step of the last accepted code, so that it is not accepted again';

CREATE TABLE staff_sign_ins (
    id_hash     bytea PRIMARY KEY,
    staff_id    bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    totp_secret text CHECK (totp_secret ~ '^[A-Z2-7]{16,128}$'),
    attempts    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

COMMENT ON TABLE staff_sign_ins IS 'sign-ins with the right password that still wait for the second factor';
COMMENT ON COLUMN staff_sign_ins.totp_secret IS 'the secret offered for enrolment, stored on the account once a code from it is entered';

CREATE INDEX staff_sign_ins_staff_idx ON staff_sign_ins (staff_id);
CREATE INDEX staff_sign_ins_expires_idx ON staff_sign_ins (expires_at);

CREATE TABLE staff_sign_in_failures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key bytea NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE staff_sign_in_failures IS 'failed passwords and codes; account_key is the SHA-256 of the typed address in lower case, so no typed address is stored';

CREATE INDEX staff_sign_in_failures_key_idx ON staff_sign_in_failures (account_key, failed_at);
CREATE INDEX staff_sign_in_failures_failed_idx ON staff_sign_in_failures (failed_at);
