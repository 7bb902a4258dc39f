//! The Bot API specification (tests/data/bot-api-10.1.json) and a validator of request
//! parameters and result objects against it.
//!
//! The type language of the data file: primitive `Integer`, `Float`, `Boolean`, `String`,
//! `InputFile`, `True`; `Array of X` (nested arbitrarily); and type names. A type has `fields`
//! (an object) or `subtypes` (a union of its subtypes; a subtype may itself be a type string
//! such as `String` or `Array of RichText`); a type with neither is a placeholder that accepts any
//! object. A field's `types` list is a union too (`chat_id`: `Integer` or `String`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::html::utf16_len;

/// One thing wrong with a request: the description Telegram would answer (teloxide maps some
/// of these exact strings to `ApiError` variants) and the detail for the violation report.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub telegram: String,
    pub detail: String,
}

impl Problem {
    /// A problem Telegram reports as "Bad Request: <detail>".
    pub fn new(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Problem {
            telegram: format!("Bad Request: {detail}"),
            detail,
        }
    }

    /// A problem with Telegram's exact description and a detail of our own.
    pub fn tg(telegram: &str, detail: impl Into<String>) -> Self {
        Problem {
            telegram: telegram.to_owned(),
            detail: detail.into(),
        }
    }

    /// The text of the violation: Telegram's description plus the detail.
    pub fn violation_text(&self) -> String {
        if self.telegram.ends_with(&self.detail) {
            self.telegram.clone()
        } else {
            format!("{} ({})", self.telegram, self.detail)
        }
    }
}

macro_rules! problem {
    ($($t:tt)*) => { Problem::new(format!($($t)*)) };
}

const SPEC_JSON: &str = include_str!("../../../data/bot-api-10.1.json");

#[derive(Debug, Deserialize)]
pub struct Spec {
    pub version: String,
    pub methods: HashMap<String, MethodSpec>,
    pub types: HashMap<String, TypeSpec>,
    #[serde(skip)]
    lower: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct MethodSpec {
    pub name: String,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    #[serde(default)]
    pub returns: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    pub types: Vec<String>,
    pub required: bool,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
pub struct TypeSpec {
    pub name: String,
    #[serde(default)]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default)]
    pub subtypes: Option<Vec<String>>,
}

/// The parsed specification, loaded once per process.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec: Spec = serde_json::from_str(SPEC_JSON).expect("tests/data/bot-api-10.1.json is not valid");
        spec.lower = spec
            .methods
            .keys()
            .map(|k| (k.to_ascii_lowercase(), k.clone()))
            .collect();
        spec
    })
}

/// Where a value came from: a JSON body keeps JSON types, a form or multipart body has only
/// strings (coerced by [`Spec::coerce_form`] before validation).
pub struct Ctx<'a> {
    /// Names of the multipart parts that carry an uploaded file.
    pub uploads: &'a HashSet<String>,
}

impl Spec {
    /// The method's spec, matched case-insensitively (teloxide sends `SendMessage`).
    pub fn method(&self, name: &str) -> Option<&MethodSpec> {
        self.lower
            .get(&name.to_ascii_lowercase())
            .and_then(|n| self.methods.get(n))
    }

    /// Turns the string values of a form or multipart body into the JSON values the spec
    /// expects: integers, floats, booleans, and JSON-serialized objects and arrays.
    pub fn coerce_form(
        &self,
        method: &MethodSpec,
        raw: Vec<(String, String)>,
        errors: &mut Vec<Problem>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, s) in raw {
            let value = match method.fields.iter().find(|f| f.name == name) {
                None => Value::String(s),
                Some(field) => coerce_string(&field.types, &name, s, errors),
            };
            out.insert(name, value);
        }
        out
    }

    /// Validates a method's parameters: unknown and missing parameters, types (recursively),
    /// and the limits Telegram enforces on nested objects (buttons, commands). Method-level
    /// limits (text length, HTML) are checked in `rules`.
    pub fn check_params(&self, method: &MethodSpec, params: &Map<String, Value>, ctx: &Ctx, errors: &mut Vec<Problem>) {
        self.check_fields(&method.fields, params, "", ctx, errors);
    }

    /// Validates a value against a list of alternative types (as in a field's `types`).
    pub fn check_value(&self, value: &Value, types: &[String], path: &str, ctx: &Ctx, errors: &mut Vec<Problem>) {
        if types.len() == 1 {
            return self.check_one(value, &types[0], path, ctx, errors);
        }
        // A dangling attach:// must not pass as a plain String.
        if types.iter().any(|t| t == "InputFile") {
            if let Some(name) = value.as_str().and_then(|s| s.strip_prefix("attach://")) {
                if !ctx.uploads.contains(name) {
                    errors.push(problem!(
                        "{}: \"attach://{name}\" refers to no uploaded multipart part",
                        show(path)
                    ));
                }
                return;
            }
        }
        let mut best: Option<Vec<Problem>> = None;
        let mut tagged: Option<Vec<Problem>> = None;
        let mut tags: Vec<(String, String)> = Vec::new();
        for t in types {
            let mut e: Vec<Problem> = Vec::new();
            self.check_one(value, t, path, ctx, &mut e);
            if e.is_empty() {
                return;
            }
            match self.discriminator_of(t) {
                Some((field, tag)) if value.get(&field) == Some(&Value::String(tag.clone())) => {
                    tagged = Some(e);
                    continue;
                }
                Some(ft) => tags.push(ft),
                None => {}
            }
            if self.kind_compatible(value, t) && best.as_ref().is_none_or(|b| e.len() < b.len()) {
                best = Some(e);
            }
        }
        // The alternative whose "type" (or "status", "source") matches is the one meant.
        if let Some(e) = tagged {
            errors.extend(e);
            return;
        }
        if value.is_object() && !tags.is_empty() && tags.len() == types.len() {
            let field = &tags[0].0;
            let allowed: Vec<&str> = tags.iter().map(|(_, t)| t.as_str()).collect();
            errors.push(problem!(
                "\"{}\" must be one of {allowed:?}, got {}",
                join(path, field),
                value.get(field).map(describe).unwrap_or_else(|| "nothing".into())
            ));
            return;
        }
        match best {
            Some(e) => errors.extend(e),
            None => errors.push(problem!(
                "{}: expected {}, got {}",
                show(path),
                types.join(" or "),
                describe(value)
            )),
        }
    }

    /// The discriminator of an object type: ("type", "chat") for BotCommandScopeChat.
    fn discriminator_of(&self, t: &str) -> Option<(String, String)> {
        let fields = self.types.get(t)?.fields.as_ref()?;
        fields.iter().find_map(|f| {
            let named = matches!(f.name.as_str(), "type" | "status" | "source");
            if named && f.types == ["String"] {
                discriminator(&f.description).map(|d| (f.name.clone(), d))
            } else {
                None
            }
        })
    }

    fn kind_compatible(&self, value: &Value, t: &str) -> bool {
        if t.starts_with("Array of ") {
            return value.is_array();
        }
        match t {
            "Integer" | "Float" => value.is_number(),
            "Boolean" | "True" => value.is_boolean(),
            "String" | "InputFile" => value.is_string(),
            name => match self.types.get(name) {
                Some(ts) => match &ts.subtypes {
                    Some(subs) => subs.iter().any(|s| self.kind_compatible(value, s)),
                    None => value.is_object(),
                },
                None => false,
            },
        }
    }

    fn check_one(&self, value: &Value, t: &str, path: &str, ctx: &Ctx, errors: &mut Vec<Problem>) {
        if let Some(inner) = t.strip_prefix("Array of ") {
            match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check_one(item, inner, &format!("{path}[{i}]"), ctx, errors);
                    }
                }
                None => errors.push(type_error(path, t, value)),
            }
            return;
        }
        let ok = match t {
            "Integer" => value.is_i64() || value.is_u64(),
            "Float" => value.is_number(),
            "Boolean" => value.is_boolean(),
            "True" => value == &Value::Bool(true),
            "String" => value.is_string(),
            "InputFile" => match value.as_str().and_then(|s| s.strip_prefix("attach://")) {
                Some(name) if ctx.uploads.contains(name) => true,
                Some(name) => {
                    errors.push(problem!(
                        "{}: \"attach://{name}\" refers to no uploaded multipart part",
                        show(path)
                    ));
                    return;
                }
                None => {
                    errors.push(problem!(
                        "{}: an InputFile must be uploaded with multipart/form-data",
                        show(path)
                    ));
                    return;
                }
            },
            name => {
                match self.types.get(name) {
                    None => errors.push(problem!("{}: unknown type {name} in the spec", show(path))),
                    Some(ts) => match (&ts.subtypes, &ts.fields) {
                        (Some(subs), _) => self.check_value(value, subs, path, ctx, errors),
                        (None, Some(fields)) => match value.as_object() {
                            Some(obj) => {
                                self.check_fields(fields, obj, path, ctx, errors);
                                self.check_type_rules(name, obj, path, errors);
                            }
                            None => errors.push(type_error(path, name, value)),
                        },
                        (None, None) => {
                            if !value.is_object() {
                                errors.push(type_error(path, name, value));
                            }
                        }
                    },
                }
                return;
            }
        };
        if !ok {
            errors.push(type_error(path, t, value));
        }
    }

    fn check_fields(
        &self,
        fields: &[FieldSpec],
        obj: &Map<String, Value>,
        path: &str,
        ctx: &Ctx,
        errors: &mut Vec<Problem>,
    ) {
        for key in obj.keys() {
            if !fields.iter().any(|f| &f.name == key) {
                errors.push(problem!("unknown parameter \"{}\"", join(path, key)));
            }
        }
        for field in fields {
            let p = join(path, &field.name);
            match obj.get(&field.name) {
                None | Some(Value::Null) if field.required => {
                    errors.push(problem!("missing required parameter \"{p}\""));
                }
                None | Some(Value::Null) => {}
                Some(v) => {
                    let before = errors.len();
                    self.check_value(v, &field.types, &p, ctx, errors);
                    if errors.len() == before {
                        if let Some(s) = v.as_str() {
                            check_string_constraints(field, s, &p, errors);
                        }
                    }
                }
            }
        }
    }

    /// Telegram's limits on nested objects, which the data file states only in prose.
    fn check_type_rules(&self, name: &str, obj: &Map<String, Value>, path: &str, errors: &mut Vec<Problem>) {
        let at = show(path);
        match name {
            "InlineKeyboardButton" => {
                let text = obj.get("text").and_then(Value::as_str).unwrap_or("");
                if text.trim().is_empty() {
                    errors.push(Problem::tg(
                        "Bad Request: can't parse inline keyboard button: Text must be non-empty",
                        format!("{at}: the button text is empty"),
                    ));
                }
                let actions: Vec<&str> = obj
                    .keys()
                    .map(String::as_str)
                    .filter(|k| !matches!(*k, "text" | "icon_custom_emoji_id" | "style"))
                    .collect();
                if actions.len() != 1 {
                    errors.push(Problem::tg(
                        "Bad Request: can't parse inline keyboard button: exactly one of the \
                         optional fields must be used",
                        format!(
                            "{at}: exactly one of the fields other than text, \
                             icon_custom_emoji_id and style must be used, got {actions:?}"
                        ),
                    ));
                }
                if let Some(data) = obj.get("callback_data").and_then(Value::as_str) {
                    if data.is_empty() || data.len() > 64 {
                        errors.push(Problem::tg(
                            "Bad Request: BUTTON_DATA_INVALID",
                            format!(
                                "{at}: callback_data must be 1-64 bytes, got {} bytes: {data:?}",
                                data.len()
                            ),
                        ));
                    }
                }
            }
            "InlineKeyboardMarkup" => {
                let count: usize = obj
                    .get("inline_keyboard")
                    .and_then(Value::as_array)
                    .map(|rows| rows.iter().filter_map(Value::as_array).map(Vec::len).sum())
                    .unwrap_or(0);
                if count > 100 {
                    errors.push(Problem::tg(
                        "Bad Request: reply markup is too long",
                        format!("{at}: {count} buttons, at most 100"),
                    ));
                }
            }
            "KeyboardButton" => {
                let text = obj.get("text").and_then(Value::as_str).unwrap_or("");
                if text.trim().is_empty() {
                    errors.push(Problem::tg(
                        "Bad Request: can't parse keyboard button: Text must be non-empty",
                        format!("{at}: the button text is empty"),
                    ));
                }
            }
            "BotCommand" => {
                let command = obj.get("command").and_then(Value::as_str).unwrap_or("");
                let valid_chars = command
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if command.is_empty() || command.len() > 32 || !valid_chars {
                    errors.push(Problem::tg(
                        "Bad Request: BOT_COMMAND_INVALID",
                        format!(
                            "{at}: a command must be 1-32 characters of a-z, 0-9 and _, got \
                             {command:?}"
                        ),
                    ));
                }
                let description = obj.get("description").and_then(Value::as_str).unwrap_or("");
                let n = utf16_len(description.trim());
                if n == 0 || n > 256 {
                    errors.push(Problem::tg(
                        "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
                        format!("{at}: a description must be 1-256 characters, got {n}"),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Validates a result the fake is about to return (or an update it is about to deliver)
    /// against the method's `returns` types: a mismatch is a bug in the fake (or in a raw update
    /// pushed by a test).
    pub fn check_result(&self, method: &MethodSpec, result: &Value) -> Vec<String> {
        let mut errors: Vec<Problem> = Vec::new();
        if method.returns.is_empty() {
            return Vec::new();
        }
        let uploads = HashSet::new();
        let ctx = Ctx { uploads: &uploads };
        self.check_value(result, &method.returns, "result", &ctx, &mut errors);
        errors.into_iter().map(|p| p.detail).collect()
    }
}

/// "must be X" / "always "X"" on a discriminator field, and "must be one of "a", "b"" on any
/// String field, as the data file states them in prose.
fn check_string_constraints(field: &FieldSpec, s: &str, path: &str, errors: &mut Vec<Problem>) {
    if !field.types.iter().all(|t| t == "String") {
        return;
    }
    if matches!(field.name.as_str(), "type" | "status" | "source") {
        if let Some(expected) = discriminator(&field.description) {
            if s != expected {
                errors.push(problem!("\"{path}\" must be {expected:?}, got {s:?}"));
            }
            return;
        }
    }
    let lower = field.description.to_ascii_lowercase();
    if let Some(pos) = lower.find("must be one of") {
        let rest = &field.description[pos..];
        let sentence = rest.split(". ").next().unwrap_or(rest);
        let allowed: Vec<&str> = sentence.split('"').skip(1).step_by(2).collect();
        if !allowed.is_empty() && !allowed.contains(&s) {
            errors.push(problem!("\"{path}\" must be one of {allowed:?}, got {s:?}"));
        }
    }
}

fn discriminator(description: &str) -> Option<String> {
    let d = description.trim().trim_end_matches('.');
    let last = d.rsplit(' ').next()?;
    let before = d[..d.len() - last.len()].trim_end();
    if !(before.ends_with("must be") || before.ends_with("always")) {
        return None;
    }
    let word = last.trim_matches(|c| c == '"' || c == '\u{201c}' || c == '\u{201d}');
    let ok = !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    ok.then(|| word.to_owned())
}

fn coerce_string(types: &[String], name: &str, s: String, errors: &mut Vec<Problem>) -> Value {
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("InputFile") && s.starts_with("attach://") {
        return Value::String(s);
    }
    if has("Integer") {
        if let Ok(n) = s.trim().parse::<i64>() {
            return Value::from(n);
        }
    }
    if has("Float") {
        if let Some(n) = s.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    if has("Boolean") || has("True") {
        match s.trim() {
            "true" | "True" | "1" => return Value::Bool(true),
            "false" | "False" | "0" => return Value::Bool(false),
            _ => {}
        }
    }
    let structured = types.iter().any(|t| {
        t.starts_with("Array of ")
            || !matches!(
                t.as_str(),
                "Integer" | "Float" | "Boolean" | "True" | "String" | "InputFile"
            )
    });
    if structured {
        match serde_json::from_str::<Value>(&s) {
            Ok(v @ (Value::Object(_) | Value::Array(_))) => return v,
            _ if has("String") || has("InputFile") => {}
            Ok(_) | Err(_) => {
                errors.push(problem!(
                    "\"{name}\": expected a JSON-serialized {}, got {s:?}",
                    types.join(" or ")
                ));
            }
        }
    }
    Value::String(s)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn show(path: &str) -> String {
    if path.is_empty() {
        "parameters".to_owned()
    } else {
        format!("\"{path}\"")
    }
}

fn type_error(path: &str, expected: &str, value: &Value) -> Problem {
    problem!("{}: expected {expected}, got {}", show(path), describe(value))
}

/// A short description of a JSON value for error messages.
pub fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let mut text = value.to_string();
    if text.len() > 80 {
        let mut cut = 77;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    format!("{kind} {text}")
}
