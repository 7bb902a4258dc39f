//! Text escaping for Telegram's HTML parse mode: every value a user typed is escaped before
//! it goes into a message.

/// Escapes `<`, `>`, `&` and `"` so the text shows as typed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Shortens text to at most `max` characters (on a character boundary), adding "…".
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_html_specials() {
        assert_eq!(escape("a < b && c > \"d\""), "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
        assert_eq!(escape("<b>Анна</b>"), "&lt;b&gt;Анна&lt;/b&gt;");
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate("Привет", 10), "Привет");
        assert_eq!(truncate("Привет", 4), "При…");
    }
}
