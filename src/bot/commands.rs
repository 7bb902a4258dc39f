//! Commands as people type them: "/start", "/start payload", "/help@proego_bot".

/// A command parsed from message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command<'a> {
    /// The command name, lower-case, without the slash and the bot's @username.
    pub name: String,
    /// Everything after the first run of white space, trimmed.
    pub args: &'a str,
}

/// Parses `text` as a command addressed to us (`bot_username` without '@'); `None` when it
/// is not a command or is addressed to another bot.
pub fn parse<'a>(text: &'a str, bot_username: &str) -> Option<Command<'a>> {
    let text = text.trim_start();
    let rest = text.strip_prefix('/')?;
    let (head, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (head, None),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    if let Some(a) = addressee {
        if !a.eq_ignore_ascii_case(bot_username) {
            return None;
        }
    }
    Some(Command {
        name: name.to_ascii_lowercase(),
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(parse("/start", "b").unwrap().name, "start");
        let c = parse("/start  inv_abc ", "b").unwrap();
        assert_eq!((c.name.as_str(), c.args), ("start", "inv_abc"));
        assert_eq!(parse("/Help@B", "b").unwrap().name, "help");
        assert!(parse("/help@other_bot", "b").is_none());
        assert!(parse("hello", "b").is_none());
        assert!(parse("/", "b").is_none());
        assert!(parse("/при", "b").is_none());
    }
}
