package ticket

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/db"
)

const insertAttachmentSQL = `
INSERT INTO attachments (ticket_id, message_id, filename, content_type, size, sha256, content)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// insertAttachments stores checked files with the message they came with.
func insertAttachments(
	ctx context.Context,
	tx pgx.Tx,
	ticketID, messageID int64,
	files []attachment.File,
) error {
	for _, f := range files {
		_, err := tx.Exec(ctx, insertAttachmentSQL, ticketID, messageID, f.Name, f.ContentType,
			len(f.Data), f.SHA256[:], f.Data)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
	}

	return nil
}

// AttachmentInfo describes a stored file without its content.
type AttachmentInfo struct {
	ID          int64     `db:"id"`
	MessageID   *int64    `db:"message_id"`
	Name        string    `db:"filename"`
	ContentType string    `db:"content_type"`
	Size        int32     `db:"size"`
	CreatedAt   time.Time `db:"created_at"`
}

const attachmentsSQL = `
SELECT id, message_id, filename, content_type, size, created_at
FROM attachments
WHERE ticket_id = $1
ORDER BY created_at, id`

// Attachments lists the files of a ticket.
func (s *Store) Attachments(ctx context.Context, ticketID int64) ([]AttachmentInfo, error) {
	list, err := collect[AttachmentInfo](ctx, s, attachmentsSQL, ticketID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of ticket %d: %w", ticketID, err)
	}

	return list, nil
}

const attachmentSQL = `
SELECT filename, content_type, content
FROM attachments
WHERE id = $1
  AND ticket_id = $2`

// Attachment returns one file of a ticket with its content, or db.ErrNotFound.
func (s *Store) Attachment(ctx context.Context, ticketID, id int64) (attachment.File, error) {
	var f attachment.File
	err := s.pool.QueryRow(ctx, attachmentSQL, id, ticketID).Scan(&f.Name, &f.ContentType, &f.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return attachment.File{}, fmt.Errorf("attachment %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return attachment.File{}, fmt.Errorf("attachment %d: %w", id, err)
	}

	return f, nil
}
