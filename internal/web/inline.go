package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/anliegen/anliegen/internal/i18n"
)

// inlineTexts returns a copy of the page t in which every fixed translation,
// {{.T "id"}} or {{$.T "id"}} without arguments, is replaced by its text in the
// language of loc, written as a string constant. html/template still escapes
// the constant for where it stands, so the page reads exactly as before, but a
// request no longer looks the method up and asks the message bundle for each
// of the many fixed texts of a page. One page is rendered in one language, so
// the T of any dot within it translates alike. foldTexts then writes the
// escaped constants as plain text.
func inlineTexts(t *template.Template, loc *i18n.Localizer) (*template.Template, error) {
	c, err := t.Clone()
	if err != nil {
		return nil, err
	}

	for _, sub := range t.Templates() {
		if sub.Tree == nil || sub.Tree.Root == nil {
			continue
		}

		// Clones share their parse trees: translate a copy.
		tree := sub.Tree.Copy()
		inlineNode(tree.Root, loc)
		if _, err := c.AddParseTree(sub.Name(), tree); err != nil {
			return nil, fmt.Errorf("template %s: %w", sub.Name(), err)
		}
	}

	return c, nil
}

func inlineNode(n parse.Node, loc *i18n.Localizer) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			inlineNode(c, loc)
		}
	case *parse.ActionNode:
		inlinePipe(n.Pipe, loc)
	case *parse.IfNode:
		inlineBranch(&n.BranchNode, loc)
	case *parse.RangeNode:
		inlineBranch(&n.BranchNode, loc)
	case *parse.WithNode:
		inlineBranch(&n.BranchNode, loc)
	case *parse.TemplateNode:
		inlinePipe(n.Pipe, loc)
	}
}

func inlineBranch(b *parse.BranchNode, loc *i18n.Localizer) {
	inlinePipe(b.Pipe, loc)
	inlineNode(b.List, loc)
	inlineNode(b.ElseList, loc)
}

func inlinePipe(p *parse.PipeNode, loc *i18n.Localizer) {
	if p == nil {
		return
	}

	for _, cmd := range p.Cmds {
		if id, ok := fixedText(cmd); ok {
			s := cmd.Args[1].(*parse.StringNode)
			s.Text = loc.T(id)
			s.Quoted = strconv.Quote(s.Text)
			cmd.Args = []parse.Node{s}
			continue
		}

		for _, a := range cmd.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				inlinePipe(sub, loc)
			}
		}
	}
}

// fixedText reports whether cmd is .T or $.T with one string constant, and
// returns the message ID.
func fixedText(cmd *parse.CommandNode) (string, bool) {
	if len(cmd.Args) != 2 {
		return "", false
	}

	id, ok := cmd.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}

	switch f := cmd.Args[0].(type) {
	case *parse.FieldNode:
		ok = len(f.Ident) == 1 && f.Ident[0] == "T"
	case *parse.VariableNode:
		ok = len(f.Ident) == 2 && f.Ident[0] == "$" && f.Ident[1] == "T"
	default:
		ok = false
	}

	return id.Text, ok
}

// foldTexts escapes t for its "layout" and then writes every constant whose
// escaping is known, a fixed text in HTML text, in a quoted attribute value or
// in a title, as the text it renders to, and joins neighbouring texts into one.
// A page then writes its fixed parts as plain bytes instead of calling an
// escaper by reflection for each of them. Constants elsewhere, in a URL, a
// script or an unquoted attribute, keep their escapers.
//
// html/template escapes a page on its first execution, in place; the nil data
// of that first run stops it early, which is harmless because escaping happens
// before it. foldTexts must run before the page serves its first request,
// because it changes the trees that requests read.
func foldTexts(t *template.Template) error {
	if err := t.ExecuteTemplate(io.Discard, "layout", nil); err != nil && !isExecError(err) {
		return err
	}

	for _, sub := range t.Templates() {
		if sub.Tree != nil && sub.Tree.Root != nil {
			foldList(sub.Tree.Root)
		}
	}

	return nil
}

// isExecError tells the error of running a page on nil data from an error of
// escaping it, which would be a fault of the template itself.
func isExecError(err error) bool {
	var ee texttemplate.ExecError
	return errors.As(err, &ee)
}

func foldList(l *parse.ListNode) {
	if l == nil {
		return
	}

	nodes := l.Nodes[:0]
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if s, ok := foldedText(n.Pipe); ok {
				nodes = appendText(nodes, n, s)
				continue
			}
		case *parse.TextNode:
			nodes = appendText(nodes, n, string(n.Text))
			continue
		case *parse.IfNode:
			foldList(n.List)
			foldList(n.ElseList)
		case *parse.RangeNode:
			foldList(n.List)
			foldList(n.ElseList)
		case *parse.WithNode:
			foldList(n.List)
			foldList(n.ElseList)
		}
		nodes = append(nodes, n)
	}
	l.Nodes = nodes
}

// appendText adds s to nodes, into the text node at their end if there is one.
func appendText(nodes []parse.Node, n parse.Node, s string) []parse.Node {
	if len(nodes) > 0 {
		if last, ok := nodes[len(nodes)-1].(*parse.TextNode); ok {
			last.Text = append(last.Text[:len(last.Text):len(last.Text)], s...)
			return nodes
		}
	}

	return append(nodes, &parse.TextNode{NodeType: parse.NodeText, Pos: n.Position(), Text: []byte(s)})
}

// textEscapers are html/template's escapers that write a plain string exactly as
// EscapeHTML does: in HTML text, in a quoted attribute value, and in RCDATA
// such as a title. TestFoldedPagesRenderAsEscaped holds them to it.
var textEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// foldedText returns what the escaped pipeline p writes when it is a string
// constant followed by one escaper of textEscapers.
func foldedText(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 2 {
		return "", false
	}

	first := p.Cmds[0]
	if len(first.Args) != 1 {
		return "", false
	}
	s, ok := first.Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}

	escaper := p.Cmds[1]
	if len(escaper.Args) != 1 {
		return "", false
	}
	if id, ok := escaper.Args[0].(*parse.IdentifierNode); !ok || !textEscapers[id.Ident] {
		return "", false
	}

	return EscapeHTML(s.Text), true
}
