package stats

// Counts are the counters of the tickets received in a period.
type Counts struct {
	Intake      int
	Reopened    int
	Merged      int
	Answered    int
	AnswerDue   int
	AnswerMet   int
	Resolved    int
	ResolveDue  int
	ResolveMet  int
	Feedback    int
	FeedbackSum int
}

func (c *Counts) add(o Counts) {
	c.Intake += o.Intake
	c.Reopened += o.Reopened
	c.Merged += o.Merged
	c.Answered += o.Answered
	c.AnswerDue += o.AnswerDue
	c.AnswerMet += o.AnswerMet
	c.Resolved += o.Resolved
	c.ResolveDue += o.ResolveDue
	c.ResolveMet += o.ResolveMet
	c.Feedback += o.Feedback
	c.FeedbackSum += o.FeedbackSum
}

// Share is a part of a whole; ok is false when the whole is zero.
type Share struct {
	Part, Whole int
}

// Percent returns the share in per cent.
func (s Share) Percent() float64 {
	if s.Whole == 0 {
		return 0
	}

	return 100 * float64(s.Part) / float64(s.Whole)
}

// Known reports whether there is anything to share.
func (s Share) Known() bool {
	return s.Whole > 0
}

// ReopenedShare is the share of received tickets that were reopened after
// being resolved or closed.
func (c Counts) ReopenedShare() Share { return Share{c.Reopened, c.Intake} }

// MergedShare is the share of received tickets merged into another.
func (c Counts) MergedShare() Share { return Share{c.Merged, c.Intake} }

// AnswerLevel is the share of first answers within their target, among the
// tickets with a target whose outcome is known.
func (c Counts) AnswerLevel() Share { return Share{c.AnswerMet, c.AnswerDue} }

// ResolveLevel is the share of resolutions within their target, among the
// tickets with a target that are resolved or open past it.
func (c Counts) ResolveLevel() Share { return Share{c.ResolveMet, c.ResolveDue} }

// Satisfaction returns the mean score of the citizens' answers, 1 to 5; ok is
// false without answers.
func (c Counts) Satisfaction() (score float64, ok bool) {
	if c.Feedback == 0 {
		return 0, false
	}

	return float64(c.FeedbackSum) / float64(c.Feedback), true
}

// Change is a count against the previous period's.
type Change struct {
	Current, Previous int
}

// Percent returns the change in per cent; ok is false without a previous count.
func (c Change) Percent() (float64, bool) {
	if c.Previous == 0 {
		return 0, false
	}

	return 100 * float64(c.Current-c.Previous) / float64(c.Previous), true
}
