-- Marks an account whose password an administrator chose or made up, so that the
-- member must replace it at the next sign-in before using the back office: the
-- administrator knows it, and it may have travelled on paper or by phone.

ALTER TABLE staff ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN staff.must_change_password IS
    'set when an administrator created the account with its password; cleared by the member''s own change';
