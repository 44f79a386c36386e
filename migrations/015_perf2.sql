-- Makes a submission cheaper for the database.
--
-- next_case_number entered a block with an exception handler on every call,
-- which PostgreSQL runs as a subtransaction of its own: a savepoint, and a
-- transaction ID of its own, for every new ticket. It now asks whether the
-- year's sequence exists and enters that block only to create it, once a year.

CREATE OR REPLACE FUNCTION next_case_number(year integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    seq text := format('case_number_%s', year);
BEGIN
    IF year < 2000 OR year > 9999 THEN
        RAISE EXCEPTION 'case number year out of range: %', year;
    END IF;

    IF to_regclass(seq) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            -- Another submission created it at the same moment.
            NULL;
        END;
    END IF;

    RETURN format('%s-%s', year, lpad(nextval(seq::regclass)::text, 6, '0'));
END;
$$;
