-- Reserved: keeps the numbering without gaps on this branch, so that 014 applies;
-- the migration of this number from another branch replaces this file when merging.
SELECT 1;
