//! Telegram's HTML parse mode, strictly: the visible text and the entities Telegram would make
//! of a message, or the reason it would refuse it.
//!
//! Supported, as in the Bot API's "Formatting options": `b`/`strong`, `i`/`em`, `u`/`ins`,
//! `s`/`strike`/`del`, `span class="tg-spoiler"`/`tg-spoiler`, `a href`, `tg-emoji emoji-id`,
//! `tg-time unix [format]`, `code` (with `class="language-X"` inside `pre`), `pre`,
//! `blockquote [expandable]`. Entities: `&lt; &gt; &amp; &quot;` and numeric ones. Stricter
//! than Telegram on purpose: an unescaped `&` and unknown attributes are refused (Telegram would
//! let some through), so escaping bugs show up in tests; a bare `>` is accepted, as Telegram does.

use serde_json::{json, Value};

/// The number of UTF-16 code units, which is how Telegram counts characters and offsets.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// What Telegram makes of a text: the visible text and its entities.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub text: String,
    pub entities: Vec<Value>,
}

struct Open {
    tag: String,
    entity: Option<usize>,
    start: usize,
    /// `pre` only: set when a `code` child was opened (its language goes to the pre entity).
    has_child: bool,
}

/// Parses Telegram HTML. The error is the part after "Bad Request: can't parse entities: ".
pub fn parse(src: &str) -> Result<Parsed, String> {
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut text = String::with_capacity(src.len());
    let mut len16 = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities: Vec<Option<Value>> = Vec::new();

    while i < bytes.len() {
        match bytes[i] {
            b'<' if bytes.get(i + 1) == Some(&b'/') => {
                let start = i;
                i += 2;
                let name_start = i;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                let name = src[name_start..i].to_ascii_lowercase();
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'>') || name.is_empty() {
                    return Err(format!("Can't parse end tag at byte offset {start}"));
                }
                i += 1;
                let Some(open) = stack.pop() else {
                    return Err(format!("Unexpected end tag \"{name}\" at byte offset {start}"));
                };
                if open.tag != name {
                    return Err(format!(
                        "Unmatched end tag at byte offset {start}, expected \"</{}>\", found \
                         \"</{name}>\"",
                        open.tag
                    ));
                }
                if let Some(idx) = open.entity {
                    let length = len16 - open.start;
                    if let Some(e) = entities[idx].as_mut() {
                        e["offset"] = json!(open.start);
                    }
                    if length == 0 {
                        entities[idx] = None;
                    } else if let Some(e) = entities[idx].as_mut() {
                        e["length"] = json!(length);
                    }
                }
            }
            b'<' => {
                let start = i;
                i += 1;
                if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    return Err(format!(
                        "Unexpected \"<\" at byte offset {start}: a literal \"<\" must be escaped \
                         as &lt;"
                    ));
                }
                let name_start = i;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                let tag = src[name_start..i].to_ascii_lowercase();
                let mut attrs: Vec<(String, Option<String>)> = Vec::new();
                loop {
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    match bytes.get(i) {
                        None => {
                            return Err(format!("Unclosed start tag at byte offset {start}"));
                        }
                        Some(b'>') => {
                            i += 1;
                            break;
                        }
                        Some(b'/') => {
                            return Err(format!("Self-closing tags are not supported (byte offset {start})"));
                        }
                        Some(_) => {}
                    }
                    let attr_start = i;
                    while i < bytes.len() && (is_name_byte(bytes[i]) || bytes[i] == b'_') {
                        i += 1;
                    }
                    if attr_start == i {
                        return Err(format!("Unexpected character in tag \"{tag}\" at byte offset {i}"));
                    }
                    let attr = src[attr_start..i].to_ascii_lowercase();
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    if bytes.get(i) != Some(&b'=') {
                        attrs.push((attr, None));
                        continue;
                    }
                    i += 1;
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    let raw = match bytes.get(i) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let value_start = i + 1;
                            let Some(end) = src[value_start..].find(q as char) else {
                                return Err(format!("Unclosed attribute value at byte offset {value_start}"));
                            };
                            i = value_start + end + 1;
                            &src[value_start..value_start + end]
                        }
                        _ => {
                            let value_start = i;
                            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                                i += 1;
                            }
                            &src[value_start..i]
                        }
                    };
                    attrs.push((attr, Some(decode_entities(raw, attr_start)?)));
                }
                let idx = match open_tag(&tag, &attrs, &mut stack, start)? {
                    Opened::Entity(e) => {
                        entities.push(Some(e));
                        Some(entities.len() - 1)
                    }
                    Opened::PreLanguage(language) => {
                        let pre = stack.last().and_then(|p| p.entity);
                        if let (Some(lang), Some(Some(e))) = (language, pre.and_then(|p| entities.get_mut(p))) {
                            e["language"] = json!(lang);
                        }
                        None
                    }
                };
                stack.push(Open {
                    tag,
                    entity: idx,
                    start: len16,
                    has_child: false,
                });
            }
            b'&' => {
                let (ch, used) = entity_at(&src[i..], i)?;
                text.push(ch);
                len16 += ch.len_utf16();
                i += used;
            }
            _ => {
                let ch = src[i..].chars().next().expect("in bounds");
                text.push(ch);
                len16 += ch.len_utf16();
                i += ch.len_utf8();
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    Ok(Parsed {
        text,
        entities: entities.into_iter().flatten().collect(),
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Validates a start tag in its context and returns the entity it opens (if any).
fn open_tag(tag: &str, attrs: &[(String, Option<String>)], stack: &mut [Open], at: usize) -> Result<Opened, String> {
    let attr = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let only = |allowed: &[&str]| -> Result<(), String> {
        match attrs.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
            Some((n, _)) => Err(format!(
                "Unsupported attribute \"{n}\" in tag \"{tag}\" at byte offset {at}"
            )),
            None => Ok(()),
        }
    };
    // What encloses this tag.
    if let Some(parent) = stack.last_mut() {
        if parent.tag == "pre" && tag == "code" && !parent.has_child {
            parent.has_child = true;
        } else if stack.iter().any(|o| o.tag == "pre" || o.tag == "code") {
            return Err(format!(
                "Tag \"{tag}\" at byte offset {at} can't be nested in \"pre\" or \"code\""
            ));
        }
    }
    if tag == "a" && stack.iter().any(|o| o.tag == "a") {
        return Err(format!("Nested links are not supported (byte offset {at})"));
    }
    if tag == "blockquote" && stack.iter().any(|o| o.tag == "blockquote") {
        return Err(format!("Nested blockquotes are not supported (byte offset {at})"));
    }
    let kind = |t: &str| json!({ "type": t, "offset": 0, "length": 0 });
    let entity = match tag {
        "b" | "strong" => {
            only(&[])?;
            kind("bold")
        }
        "i" | "em" => {
            only(&[])?;
            kind("italic")
        }
        "u" | "ins" => {
            only(&[])?;
            kind("underline")
        }
        "s" | "strike" | "del" => {
            only(&[])?;
            kind("strikethrough")
        }
        "tg-spoiler" => {
            only(&[])?;
            kind("spoiler")
        }
        "span" => {
            only(&["class"])?;
            if attr("class").flatten().as_deref() != Some("tg-spoiler") {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {at}"
                ));
            }
            kind("spoiler")
        }
        "a" => {
            only(&["href"])?;
            let href = attr("href").flatten().unwrap_or_default();
            if href.trim().is_empty() {
                return Err(format!("Tag \"a\" needs a non-empty href at byte offset {at}"));
            }
            let mut e = kind("text_link");
            e["url"] = json!(href);
            e
        }
        "tg-emoji" => {
            only(&["emoji-id"])?;
            let Some(id) = attr("emoji-id").flatten().filter(|s| !s.is_empty()) else {
                return Err(format!("Tag \"tg-emoji\" needs emoji-id at byte offset {at}"));
            };
            let mut e = kind("custom_emoji");
            e["custom_emoji_id"] = json!(id);
            e
        }
        "tg-time" => {
            only(&["unix", "format"])?;
            let Some(unix) = attr("unix").flatten().and_then(|s| s.parse::<i64>().ok()) else {
                return Err(format!("Tag \"tg-time\" needs a numeric unix at byte offset {at}"));
            };
            let mut e = kind("date_time");
            e["unix_time"] = json!(unix);
            if let Some(format) = attr("format").flatten() {
                e["date_time_format"] = json!(format);
            }
            e
        }
        "code" => {
            only(&["class"])?;
            let class = attr("class").flatten();
            if let Some(c) = &class {
                if !c.starts_with("language-") || c.len() == "language-".len() {
                    return Err(format!(
                        "Tag \"code\" may only have class=\"language-...\" at byte offset {at}"
                    ));
                }
            }
            if stack.last().is_some_and(|p| p.tag == "pre") {
                // Telegram folds <pre><code class="language-x"> into one pre entity.
                return Ok(Opened::PreLanguage(class.map(|c| c["language-".len()..].to_owned())));
            }
            kind("code")
        }
        "pre" => {
            only(&[])?;
            kind("pre")
        }
        "blockquote" => {
            only(&["expandable"])?;
            if attr("expandable").is_some() {
                kind("expandable_blockquote")
            } else {
                kind("blockquote")
            }
        }
        other => {
            return Err(format!("Unsupported start tag \"{other}\" at byte offset {at}"));
        }
    };
    Ok(Opened::Entity(entity))
}

enum Opened {
    Entity(Value),
    /// `code` directly inside `pre`: no entity of its own, maybe a language for the pre.
    PreLanguage(Option<String>),
}

fn entity_at(s: &str, at: usize) -> Result<(char, usize), String> {
    let err = || {
        Err(format!(
            "Unescaped \"&\" at byte offset {at}: a literal \"&\" must be escaped as &amp; (only \
             &lt; &gt; &amp; &quot; and numeric entities are supported)"
        ))
    };
    let Some(semi) = s.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i) else {
        return err();
    };
    let name = &s[1..semi];
    let ch = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok()
            } else {
                None
            };
            code.filter(|c| *c != 0).and_then(char::from_u32)
        }
    };
    match ch {
        Some(c) => Ok((c, semi + 1)),
        None => err(),
    }
}

fn decode_entities(raw: &str, at: usize) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw.as_bytes()[i] == b'&' {
            let (c, used) = entity_at(&raw[i..], at + i)?;
            out.push(c);
            i += used;
        } else {
            let c = raw[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
        }
    }
    Ok(out)
}

/// Escapes a text for HTML parse mode (a helper for tests that build expected HTML).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
