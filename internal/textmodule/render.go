package textmodule

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// Data is what a module's placeholders can name, such as {{.CaseNumber}}: the
// only values a module can read, all of them text.
type Data struct {
	Name         string // the citizen's name
	CaseNumber   string
	TrackingLink string
	Team         string
	Today        string
	DueDate      string
}

// Placeholders lists the placeholders a module may use, for the help text of
// the administration page.
var Placeholders = []string{"Name", "CaseNumber", "TrackingLink", "Team", "Today", "DueDate"}

// ErrPlaceholderSyntax is returned for a text whose placeholders are not all
// of the form {{.Name}} with a name of Placeholders.
var ErrPlaceholderSyntax = errors.New("text module: placeholder not allowed")

// parseText parses a module's text. Beyond the plain text, only actions of the
// form {{.Name}} with a known name are allowed: no functions, conditions or
// loops, so that a module can neither fail nor run long when it is filled in.
func parseText(text string) (*template.Template, error) {
	t, err := template.New("module").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlaceholderSyntax, err)
	}

	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
		case *parse.ActionNode:
			if !plainField(n) {
				return nil, fmt.Errorf("%w: %s", ErrPlaceholderSyntax, n)
			}
		default:
			return nil, fmt.Errorf("%w: %s", ErrPlaceholderSyntax, n)
		}
	}

	return t, nil
}

func plainField(n *parse.ActionNode) bool {
	if len(n.Pipe.Decl) != 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
		return false
	}

	f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 {
		return false
	}

	for _, p := range Placeholders {
		if f.Ident[0] == p {
			return true
		}
	}

	return false
}

func checkPlaceholders(text string) error {
	_, err := parseText(text)
	return err
}

// Render fills the placeholders of a module's text with d.
func Render(text string, d Data) (string, error) {
	t, err := parseText(text)
	if err != nil {
		return "", err
	}

	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("text module: %w", err)
	}

	return b.String(), nil
}
