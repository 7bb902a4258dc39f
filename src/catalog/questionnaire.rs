//! The intake questionnaire (R-CLI-2) loaded from `dialogues/questionnaire.toml`, and the
//! rules for walking it: which question comes next (with simple branching), going back one
//! question, what counts as an answer, and whether the answers signal risk (R-CLI-3).
//! Pure data and functions; the words are in locales (`quiz-<id>`, `quiz-<id>-<option>`).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multi,
    Scale,
    Text,
}

/// Ask a question only when an earlier answer includes one of `any_of`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub optional: bool,
    /// For text questions: the most characters kept.
    #[serde(default)]
    pub max_len: usize,
    #[serde(default)]
    pub show_if: Option<ShowIf>,
    /// Options that signal risk of self-harm.
    #[serde(default)]
    pub risk_options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub version: u32,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

/// One answer, as stored with the questionnaire's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Options(Vec<String>),
    Scale(u8),
    Text(String),
    Skipped,
}

/// Where a client stands in the questionnaire; saved after every answer so they can leave and
/// resume later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizProgress {
    pub version: u32,
    /// Index of the question being asked.
    pub current: usize,
    pub answers: BTreeMap<String, Answer>,
    /// Questions asked before, for "back".
    pub history: Vec<usize>,
    /// Options ticked so far on the current multi-choice question.
    pub ticked: Vec<String>,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    /// Not one of the question's options (a stale or forged button).
    UnknownOption,
    /// A multi-choice question needs at least one option.
    NothingTicked,
    /// A scale answer outside 0..=10.
    OutOfRange,
    /// Empty text.
    Empty,
    /// Longer than `max_len` characters.
    TooLong,
    /// The question cannot be skipped.
    NotOptional,
    /// The answer does not fit this kind of question (text for a button question).
    WrongKind,
}

impl Questionnaire {
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let q: Questionnaire = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let errors = q.problems();
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        if self.questions.is_empty() {
            errors.push("no questions".to_owned());
        }
        for (i, q) in self.questions.iter().enumerate() {
            if !is_id(&q.id) {
                errors.push(format!(
                    "question {i}: id {:?} must be lower-case letters, digits and _",
                    q.id
                ));
            }
            if !seen.insert(q.id.as_str()) {
                errors.push(format!("question {}: duplicate id", q.id));
            }
            let choice = matches!(q.kind, QuestionKind::Single | QuestionKind::Multi);
            if choice && q.options.is_empty() {
                errors.push(format!("question {}: a choice question needs options", q.id));
            }
            if !choice && !q.options.is_empty() {
                errors.push(format!("question {}: only choice questions have options", q.id));
            }
            if q.options.len() > 12 {
                errors.push(format!("question {}: at most 12 options", q.id));
            }
            let mut opts = HashSet::new();
            for o in &q.options {
                if !is_id(o) || !opts.insert(o.as_str()) {
                    errors.push(format!("question {}: option {o:?} is not a unique id", q.id));
                }
            }
            for r in &q.risk_options {
                if !q.options.contains(r) {
                    errors.push(format!("question {}: risk option {r:?} is not an option", q.id));
                }
            }
            if q.kind == QuestionKind::Text && !(1..=3000).contains(&q.max_len) {
                errors.push(format!("question {}: a text question needs max_len 1..=3000", q.id));
            }
            if let Some(cond) = &q.show_if {
                match self.questions[..i].iter().find(|p| p.id == cond.question) {
                    None => errors.push(format!(
                        "question {}: show_if refers to {:?}, not an earlier question",
                        q.id, cond.question
                    )),
                    Some(p) => {
                        for o in &cond.any_of {
                            if !p.options.contains(o) {
                                errors.push(format!(
                                    "question {}: show_if option {o:?} is not an option of {}",
                                    q.id, p.id
                                ));
                            }
                        }
                    }
                }
            }
        }
        errors
    }

    /// The locale keys the questionnaire needs.
    pub fn locale_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for q in &self.questions {
            keys.push(format!("quiz-{}", q.id.replace('_', "-")));
            for o in &q.options {
                keys.push(option_key(&q.id, o));
            }
        }
        keys
    }

    /// A fresh walk, standing at the first question.
    pub fn start(&self) -> QuizProgress {
        let mut p = QuizProgress {
            version: self.version,
            ..QuizProgress::default()
        };
        p.current = self.next_shown(0, &p.answers).unwrap_or(0);
        p
    }

    pub fn question(&self, index: usize) -> Option<&Question> {
        self.questions.get(index)
    }

    /// The first question at or after `from` whose condition holds.
    fn next_shown(&self, from: usize, answers: &BTreeMap<String, Answer>) -> Option<usize> {
        (from..self.questions.len()).find(|&i| self.is_shown(&self.questions[i], answers))
    }

    fn is_shown(&self, q: &Question, answers: &BTreeMap<String, Answer>) -> bool {
        match &q.show_if {
            None => true,
            Some(cond) => match answers.get(&cond.question) {
                Some(Answer::Options(chosen)) => chosen.iter().any(|c| cond.any_of.contains(c)),
                _ => false,
            },
        }
    }

    /// Records `answer` to the current question and moves on. Returns `Ok(true)` when the
    /// questionnaire is complete.
    pub fn answer(&self, p: &mut QuizProgress, answer: Answer) -> Result<bool, AnswerError> {
        let q = self.questions.get(p.current).ok_or(AnswerError::UnknownOption)?;
        let answer = validate(q, answer)?;
        p.answers.insert(q.id.clone(), answer);
        p.history.push(p.current);
        p.ticked.clear();
        // Answers to questions no longer shown (after a changed branch) are dropped.
        let shown: Vec<String> = self
            .questions
            .iter()
            .filter(|q| self.is_shown(q, &p.answers))
            .map(|q| q.id.clone())
            .collect();
        p.answers.retain(|id, _| shown.contains(id));
        match self.next_shown(p.current + 1, &p.answers) {
            Some(next) => {
                p.current = next;
                Ok(false)
            }
            None => Ok(true),
        }
    }

    /// Goes back one question; `false` when already at the first.
    pub fn back(&self, p: &mut QuizProgress) -> bool {
        match p.history.pop() {
            Some(prev) => {
                p.current = prev;
                // Back on a multi-choice question: the earlier choice stands ticked.
                p.ticked = match (
                    self.questions.get(prev),
                    self.questions.get(prev).and_then(|q| p.answers.get(&q.id)),
                ) {
                    (Some(q), Some(Answer::Options(chosen))) if q.kind == QuestionKind::Multi => chosen.clone(),
                    _ => Vec::new(),
                };
                true
            }
            None => false,
        }
    }

    /// Ticks or unticks an option of the current multi-choice question.
    pub fn toggle(&self, p: &mut QuizProgress, option: &str) -> Result<(), AnswerError> {
        let q = self.questions.get(p.current).ok_or(AnswerError::UnknownOption)?;
        if q.kind != QuestionKind::Multi {
            return Err(AnswerError::WrongKind);
        }
        if !q.options.iter().any(|o| o == option) {
            return Err(AnswerError::UnknownOption);
        }
        if let Some(i) = p.ticked.iter().position(|t| t == option) {
            p.ticked.remove(i);
        } else {
            p.ticked.push(option.to_owned());
            // Keep the catalogue's order.
            p.ticked.sort_by_key(|t| q.options.iter().position(|o| o == t));
        }
        Ok(())
    }

    /// Whether the answers signal risk of self-harm (R-CLI-3).
    pub fn signals_risk(&self, answers: &BTreeMap<String, Answer>) -> bool {
        self.questions.iter().any(|q| match answers.get(&q.id) {
            Some(Answer::Options(chosen)) => chosen.iter().any(|c| q.risk_options.contains(c)),
            _ => false,
        })
    }

    /// How many questions the client will see at most from here (for "question 3 of 10").
    pub fn position(&self, p: &QuizProgress) -> (usize, usize) {
        let total = self
            .questions
            .iter()
            .filter(|q| q.show_if.is_none() || self.is_shown(q, &p.answers))
            .count();
        (p.history.len() + 1, total.max(p.history.len() + 1))
    }
}

/// The locale key of an option's label.
pub fn option_key(question: &str, option: &str) -> String {
    format!("quiz-{}-{}", question.replace('_', "-"), option.replace('_', "-"))
}

/// The locale key of a question's text.
pub fn question_key(question: &str) -> String {
    format!("quiz-{}", question.replace('_', "-"))
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 24
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn validate(q: &Question, answer: Answer) -> Result<Answer, AnswerError> {
    match (q.kind, answer) {
        (_, Answer::Skipped) if q.optional => Ok(Answer::Skipped),
        (_, Answer::Skipped) => Err(AnswerError::NotOptional),
        (QuestionKind::Single, Answer::Options(o)) => {
            if o.len() == 1 && q.options.contains(&o[0]) {
                Ok(Answer::Options(o))
            } else {
                Err(AnswerError::UnknownOption)
            }
        }
        (QuestionKind::Multi, Answer::Options(o)) => {
            if o.is_empty() {
                Err(AnswerError::NothingTicked)
            } else if o.iter().all(|x| q.options.contains(x)) {
                Ok(Answer::Options(o))
            } else {
                Err(AnswerError::UnknownOption)
            }
        }
        (QuestionKind::Scale, Answer::Scale(v)) if v <= 10 => Ok(Answer::Scale(v)),
        (QuestionKind::Scale, Answer::Scale(_)) => Err(AnswerError::OutOfRange),
        (QuestionKind::Text, Answer::Text(t)) => {
            let t = t.trim().to_owned();
            if t.is_empty() {
                Err(AnswerError::Empty)
            } else if t.chars().count() > q.max_len {
                Err(AnswerError::TooLong)
            } else {
                Ok(Answer::Text(t))
            }
        }
        _ => Err(AnswerError::WrongKind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz() -> Questionnaire {
        Questionnaire::parse(include_str!("../../dialogues/questionnaire.toml")).expect("valid")
    }

    fn opt(s: &str) -> Answer {
        Answer::Options(vec![s.to_owned()])
    }

    fn walk_to_end(q: &Questionnaire, format: &str) -> QuizProgress {
        let mut p = q.start();
        loop {
            let question = q.question(p.current).unwrap().clone();
            let a = match (question.id.as_str(), question.kind) {
                ("format", _) => opt(format),
                (_, QuestionKind::Single) => opt(&question.options[0]),
                (_, QuestionKind::Multi) => Answer::Options(vec![question.options[1].clone()]),
                (_, QuestionKind::Scale) => Answer::Scale(4),
                (_, QuestionKind::Text) => Answer::Text("Не сплю <по ночам>".into()),
            };
            if q.answer(&mut p, a).unwrap() {
                return p;
            }
        }
    }

    #[test]
    fn branching_asks_group_readiness_only_when_group_is_possible() {
        let q = quiz();
        assert!(walk_to_end(&q, "group").answers.contains_key("group_ready"));
        assert!(walk_to_end(&q, "either").answers.contains_key("group_ready"));
        assert!(!walk_to_end(&q, "individual").answers.contains_key("group_ready"));
    }

    #[test]
    fn back_returns_to_the_previous_question_and_changed_branches_drop_answers() {
        let q = quiz();
        let mut p = q.start();
        assert!(!q.back(&mut p), "nothing before the first question");
        q.answer(&mut p, Answer::Options(vec!["anxiety".into()])).unwrap();
        let second = p.current;
        assert!(q.back(&mut p));
        assert_eq!(p.current, 0);
        assert_eq!(p.ticked, vec!["anxiety"], "the earlier choice stands ticked");
        q.toggle(&mut p, "anxiety").unwrap();
        q.answer(&mut p, Answer::Options(vec!["grief".into()])).unwrap();
        assert_eq!(p.current, second);
        assert_eq!(p.answers["request"], Answer::Options(vec!["grief".into()]));
        // Choose group, answer group_ready, go back and choose individual: group_ready goes.
        let mut p = walk_to_end(&q, "group");
        while q.question(p.current).unwrap().id != "format" {
            assert!(q.back(&mut p));
        }
        q.answer(&mut p, opt("individual")).unwrap();
        assert!(!p.answers.contains_key("group_ready"));
    }

    #[test]
    fn wrong_answers_are_refused_and_change_nothing() {
        let q = quiz();
        let mut p = q.start();
        let before = p.clone();
        assert_eq!(
            q.answer(&mut p, Answer::Options(vec![])),
            Err(AnswerError::NothingTicked)
        );
        assert_eq!(
            q.answer(&mut p, Answer::Options(vec!["dragons".into()])),
            Err(AnswerError::UnknownOption)
        );
        assert_eq!(q.answer(&mut p, Answer::Text("hi".into())), Err(AnswerError::WrongKind));
        assert_eq!(q.answer(&mut p, Answer::Skipped), Err(AnswerError::NotOptional));
        assert_eq!(p, before);
        q.answer(&mut p, opt("anxiety")).unwrap();
        assert_eq!(
            q.answer(&mut p, Answer::Text("x".repeat(1001))),
            Err(AnswerError::TooLong)
        );
        assert_eq!(q.answer(&mut p, Answer::Text("   ".into())), Err(AnswerError::Empty));
        assert_eq!(q.answer(&mut p, Answer::Skipped), Ok(false), "details is optional");
        assert_eq!(q.answer(&mut p, Answer::Scale(11)), Err(AnswerError::OutOfRange));
        assert_eq!(q.answer(&mut p, Answer::Scale(10)), Ok(false));
    }

    #[test]
    fn risk_answers_are_recognised() {
        let q = quiz();
        let mut answers = BTreeMap::new();
        answers.insert("risk".to_owned(), opt("never"));
        assert!(!q.signals_risk(&answers));
        answers.insert("risk".to_owned(), opt("sometimes"));
        assert!(q.signals_risk(&answers));
    }

    #[test]
    fn toggling_keeps_catalogue_order() {
        let q = quiz();
        let mut p = q.start();
        q.toggle(&mut p, "grief").unwrap();
        q.toggle(&mut p, "anxiety").unwrap();
        assert_eq!(p.ticked, vec!["anxiety", "grief"]);
        q.toggle(&mut p, "grief").unwrap();
        assert_eq!(p.ticked, vec!["anxiety"]);
        assert_eq!(q.toggle(&mut p, "dragons"), Err(AnswerError::UnknownOption));
    }

    #[test]
    fn bad_files_are_reported() {
        let errs = Questionnaire::parse(
            "version = 1\n[[question]]\nid = \"a\"\nkind = \"single\"\n[[question]]\nid = \"a\"\nkind = \"text\"\n\
             show_if = { question = \"zzz\", any_of = [\"x\"] }\n",
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(
            all.contains("needs options")
                && all.contains("duplicate")
                && all.contains("max_len")
                && all.contains("zzz"),
            "{all}"
        );
    }
}
