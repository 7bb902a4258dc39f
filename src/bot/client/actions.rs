//! The client intake's buttons as callback data (prefix "i:"), at most 64 bytes, never
//! trusted: each handler re-checks the press against the stored progress.

use crate::domain::TestKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeAction {
    ConsentYes,
    ConsentNo,
    /// Start, or continue, the questionnaire.
    QuizStart,
    /// Start afresh, replacing a completed questionnaire.
    QuizRestart,
    /// Option `option` of question `question` (single: answer; multi: toggle).
    QuizOption {
        question: usize,
        option: usize,
    },
    QuizScale {
        question: usize,
        value: u8,
    },
    QuizDone {
        question: usize,
    },
    QuizSkip {
        question: usize,
    },
    QuizBack {
        question: usize,
    },
    TestStart(TestKind),
    TestSkip,
    TestAnswer {
        kind: TestKind,
        item: usize,
        value: u8,
    },
    MyDataDelete,
    MyDataDeleteYes,
    MyDataDeleteNo,
}

impl IntakeAction {
    pub fn encode(&self) -> String {
        use IntakeAction::*;
        match self {
            ConsentYes => "i:cy".into(),
            ConsentNo => "i:cn".into(),
            QuizStart => "i:qs".into(),
            QuizRestart => "i:qr".into(),
            QuizOption { question, option } => format!("i:o:{question}:{option}"),
            QuizScale { question, value } => format!("i:s:{question}:{value}"),
            QuizDone { question } => format!("i:d:{question}"),
            QuizSkip { question } => format!("i:k:{question}"),
            QuizBack { question } => format!("i:b:{question}"),
            TestStart(kind) => format!("i:t:{}", kind.as_str()),
            TestSkip => "i:tn".into(),
            TestAnswer { kind, item, value } => format!("i:a:{}:{item}:{value}", kind.as_str()),
            MyDataDelete => "i:md".into(),
            MyDataDeleteYes => "i:my".into(),
            MyDataDeleteNo => "i:mn".into(),
        }
    }

    /// `None` for anything we did not produce.
    pub fn decode(data: &str) -> Option<Self> {
        use IntakeAction::*;
        let parts: Vec<&str> = data.strip_prefix("i:")?.split(':').collect();
        let num = |s: &str| -> Option<usize> {
            (s.len() <= 3 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
        };
        Some(match parts.as_slice() {
            ["cy"] => ConsentYes,
            ["cn"] => ConsentNo,
            ["qs"] => QuizStart,
            ["qr"] => QuizRestart,
            ["o", q, o] => QuizOption {
                question: num(q)?,
                option: num(o)?,
            },
            ["s", q, v] => QuizScale {
                question: num(q)?,
                value: u8::try_from(num(v)?).ok()?,
            },
            ["d", q] => QuizDone { question: num(q)? },
            ["k", q] => QuizSkip { question: num(q)? },
            ["b", q] => QuizBack { question: num(q)? },
            ["t", k] => TestStart(k.parse().ok()?),
            ["tn"] => TestSkip,
            ["a", k, i, v] => TestAnswer {
                kind: k.parse().ok()?,
                item: num(i)?,
                value: u8::try_from(num(v)?).ok()?,
            },
            ["md"] => MyDataDelete,
            ["my"] => MyDataDeleteYes,
            ["mn"] => MyDataDeleteNo,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_64_bytes() {
        use IntakeAction::*;
        let all = [
            ConsentYes,
            ConsentNo,
            QuizStart,
            QuizRestart,
            QuizOption {
                question: 12,
                option: 11,
            },
            QuizScale { question: 2, value: 10 },
            QuizDone { question: 0 },
            QuizSkip { question: 1 },
            QuizBack { question: 9 },
            TestStart(TestKind::Phq9),
            TestSkip,
            TestAnswer {
                kind: TestKind::Gad7,
                item: 6,
                value: 3,
            },
            MyDataDelete,
            MyDataDeleteYes,
            MyDataDeleteNo,
        ];
        for a in all {
            let s = a.encode();
            assert!(s.len() <= 64);
            assert_eq!(IntakeAction::decode(&s), Some(a));
        }
    }

    #[test]
    fn forgeries_decode_to_nothing() {
        for s in [
            "i:",
            "i:o:1",
            "i:o:a:b",
            "i:s:1:999",
            "i:t:mmpi",
            "i:a:phq9:1",
            "x:cy",
            "i:o:1234:1",
        ] {
            assert_eq!(IntakeAction::decode(s), None, "{s}");
        }
    }
}
