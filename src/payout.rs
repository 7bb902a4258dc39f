//! Payout details as people type them (R-ONB-7): a bank card (Luhn-checked), or a bank account
//! (BIK, 20-digit account checked against the BIK's control key, recipient), and the INN
//! (10 or 12 digits with their checksums). Only masks are ever shown after entry.

use serde::{Deserialize, Serialize};

/// What the therapist is paid to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PayoutDetails {
    Card {
        number: String,
        inn: String,
    },
    Account {
        bik: String,
        account: String,
        recipient: String,
        inn: String,
    },
}

impl PayoutDetails {
    /// `card •••• 0006, INN ••••1234` style parts: (what, last digits of the number, last INN digits).
    pub fn mask_parts(&self) -> (&'static str, String, String) {
        match self {
            PayoutDetails::Card { number, inn } => ("card", last4(number), last4(inn)),
            PayoutDetails::Account { account, inn, .. } => ("account", last4(account), last4(inn)),
        }
    }
}

fn last4(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(4)).collect()
}

/// Digits of a typed number, allowing spaces and dashes between them; `None` for anything else.
fn digits(input: &str) -> Option<String> {
    let mut out = String::new();
    for c in input.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '\u{a0}' => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A card number of 13..=19 digits that passes the Luhn check.
pub fn parse_card(input: &str) -> Option<String> {
    let d = digits(input)?;
    if !(13..=19).contains(&d.len()) {
        return None;
    }
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = v * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                v
            }
        })
        .sum();
    (sum % 10 == 0).then_some(d)
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum::<u32>() % 11 % 10
}

/// An INN: 10 digits (organisation) or 12 (person, individual entrepreneur), checksums valid.
pub fn parse_inn(input: &str) -> Option<String> {
    let s = digits(input)?;
    let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
    let ok = match d.len() {
        10 => weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9],
        12 => {
            weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
                && weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
        }
        _ => false,
    };
    ok.then_some(s)
}

/// A BIK: 9 digits.
pub fn parse_bik(input: &str) -> Option<String> {
    let s = digits(input)?;
    (s.len() == 9).then_some(s)
}

/// A settlement account: 20 digits whose control key matches the bank's BIK (Bank of Russia
/// rule: the BIK's last three digits + the account, weights 7-1-3, sum divisible by 10).
pub fn parse_account(input: &str, bik: &str) -> Option<String> {
    let s = digits(input)?;
    if s.len() != 20 || bik.len() != 9 {
        return None;
    }
    let joined = format!("{}{}", &bik[6..], s);
    let weights = [7u32, 1, 3];
    let sum: u32 = joined
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * weights[i % 3] % 10)
        .sum();
    (sum % 10 == 0).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_pass_luhn() {
        assert_eq!(parse_card("4276 0000 0000 0009").as_deref(), Some("4276000000000009"));
        assert_eq!(parse_card("4111-1111-1111-1111").as_deref(), Some("4111111111111111"));
        assert!(parse_card("4111 1111 1111 1112").is_none());
        assert!(parse_card("1234").is_none());
        assert!(parse_card("4111 1111 1111 111a").is_none());
    }

    #[test]
    fn inn_checksums() {
        assert!(parse_inn("7707083893").is_some(), "Sberbank");
        assert!(parse_inn("500100732259").is_some());
        assert!(parse_inn("7707083894").is_none());
        assert!(parse_inn("500100732258").is_none());
        assert!(parse_inn("12345").is_none());
    }

    #[test]
    fn accounts_match_their_bik() {
        // Sberbank's correspondent-style example: BIK 044525225, account 40702810438000000001?
        let bik = "044525225";
        let good = (0..10)
            .map(|k| format!("4070281043800000000{k}"))
            .find(|a| parse_account(a, bik).is_some())
            .expect("one control digit fits");
        assert!(parse_account(&good, bik).is_some());
        let mut bad = good.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '9' { '0' } else { char::from(last as u8 + 1) });
        assert!(parse_account(&bad, bik).is_none());
        assert!(parse_account("123", bik).is_none());
        assert!(parse_bik("044525225").is_some());
        assert!(parse_bik("04452522").is_none());
    }

    #[test]
    fn masks_show_only_the_last_digits() {
        let p = PayoutDetails::Card {
            number: "4276000000000009".into(),
            inn: "500100732259".into(),
        };
        assert_eq!(p.mask_parts(), ("card", "0009".to_owned(), "2259".to_owned()));
    }
}
