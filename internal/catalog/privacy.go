package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/changelog"
)

// Privacy texts a city can write itself; where one is not set for a language,
// the portal shows the shipped text.
const (
	// PrivacyNotice is the short notice above the submit button of every form.
	PrivacyNotice = "notice"
	// PrivacyPage is the body of the privacy page, paragraphs separated by a
	// blank line.
	PrivacyPage = "page"
)

const privacyTextSQL = `
SELECT body
FROM privacy_texts
WHERE kind = $1
  AND language = $2`

// PrivacyText returns the city's privacy text of kind in lang, or "" when the
// city has not written one.
func (s *Store) PrivacyText(ctx context.Context, kind, lang string) (string, error) {
	var body string
	err := s.pool.QueryRow(ctx, privacyTextSQL, kind, lang).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read privacy %s: %w", kind, err)
	}

	return body, nil
}

const privacyTextsSQL = `
SELECT language, body
FROM privacy_texts
WHERE kind = $1`

// PrivacyTexts returns the city's privacy texts of kind by language.
func (s *Store) PrivacyTexts(ctx context.Context, kind string) (Texts, error) {
	rows, err := s.pool.Query(ctx, privacyTextsSQL, kind)
	if err != nil {
		return nil, fmt.Errorf("read privacy %s: %w", kind, err)
	}
	defer rows.Close()

	texts := Texts{}
	for rows.Next() {
		var lang, body string
		if err := rows.Scan(&lang, &body); err != nil {
			return nil, fmt.Errorf("read privacy %s: %w", kind, err)
		}
		texts[lang] = body
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read privacy %s: %w", kind, err)
	}

	return texts, nil
}

const setPrivacySQL = `
INSERT INTO privacy_texts (kind, language, body, updated_by)
VALUES ($1, $2, $3, NULLIF($4::bigint, 0))
ON CONFLICT (kind, language) DO UPDATE
SET body = EXCLUDED.body,
    updated_by = EXCLUDED.updated_by,
    updated_at = now()
WHERE privacy_texts.body <> EXCLUDED.body`

const deletePrivacySQL = `
DELETE FROM privacy_texts
WHERE kind = $1
  AND language = $2`

// SetPrivacyTexts stores the privacy texts of kind by language, recorded as
// changed by by; an empty text removes the city's own, so that the shipped one
// shows again. Only languages whose text changed are recorded.
func (s *Store) SetPrivacyTexts(ctx context.Context, kind string, texts Texts, by int64) error {
	return inTx(ctx, s, func(tx pgx.Tx) error {
		for lang, body := range texts {
			sql, args := setPrivacySQL, []any{kind, lang, body, by}
			if body == "" {
				sql, args = deletePrivacySQL, []any{kind, lang}
			}

			tag, err := tx.Exec(ctx, sql, args...)
			if err != nil {
				return fmt.Errorf("set privacy %s %s: %w", kind, lang, err)
			}
			if tag.RowsAffected() == 0 {
				continue
			}

			err = changelog.Record(ctx, tx, changelog.Change{
				StaffID: by, Action: "privacy.update", Object: "privacy:" + kind,
				Detail: map[string]any{"language": lang, "reset": body == ""},
			})
			if err != nil {
				return err
			}
		}

		return nil
	})
}

// Paragraphs splits a text at its blank lines into trimmed paragraphs.
func Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}

	return out
}
