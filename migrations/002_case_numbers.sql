-- Adds case numbers of the form YYYY-NNNNNN: one sequence per year, so that numbers
-- restart each year and are unique and increasing within it. Sequences never block
-- concurrent submissions (gaps are allowed); a year's sequence is created on first use.

CREATE FUNCTION next_case_number(year integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    seq text := format('case_number_%s', year);
    n   bigint;
BEGIN
    IF year < 2000 OR year > 9999 THEN
        RAISE EXCEPTION 'case number year out of range: %', year;
    END IF;

    BEGIN
        n := nextval(seq::regclass);
    EXCEPTION WHEN undefined_table THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            -- Another submission created it at the same moment.
            NULL;
        END;
        n := nextval(seq::regclass);
    END;

    RETURN format('%s-%s', year, lpad(n::text, 6, '0'));
END;
$$;

COMMENT ON FUNCTION next_case_number(integer) IS 'the next case number of a year, YYYY-NNNNNN';
