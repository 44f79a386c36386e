-- Reserved: holds this number on this branch so that the numbering has no gap
-- and 016 applies; the migration of this number from another branch replaces
-- this file when the branches are merged.
SELECT 1;
