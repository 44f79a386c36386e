-- Lets second-factor secrets be stored sealed: AES-256-GCM under a key kept
-- outside the database (ANLIEGEN_SECRET_KEY_FILE), written as v1: and the
-- nonce and ciphertext in unpadded base64url. Secrets in the clear, base32 as
-- before, stay allowed for databases used without a key; the server seals them
-- at start once it has one.

ALTER TABLE staff DROP CONSTRAINT staff_totp_secret_check;
ALTER TABLE staff ADD CONSTRAINT staff_totp_secret_check
    CHECK (totp_secret ~ '^([A-Z2-7]{16,128}|v1:[A-Za-z0-9_-]{40,255})$');

ALTER TABLE staff_sign_ins DROP CONSTRAINT staff_sign_ins_totp_secret_check;
ALTER TABLE staff_sign_ins ADD CONSTRAINT staff_sign_ins_totp_secret_check
    CHECK (totp_secret ~ '^([A-Z2-7]{16,128}|v1:[A-Za-z0-9_-]{40,255})$');

COMMENT ON COLUMN staff.totp_secret IS 'TOTP secret, sealed (v1:…) under the server''s secret key or base32 in the clear; NULL until the member enrols at sign-in';
