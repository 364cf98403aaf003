//! Parsing the command line, and usage errors in the shape a script asked for.
//!
//! clap's own text for a usage error quotes what was typed and runs to several lines. So every
//! usage error is one line of our own, exit 2: with `--json` anywhere among the arguments the
//! caller is a program expecting JSON on stderr, so it is `{"code": "usage", "message": …}`;
//! otherwise `gawahi: …`. That message is built from the error's kind and
//! our own argument names only, never from what was typed: a mistyped value may be a passphrase,
//! a name, or a string of control characters. `--help` and `--version` print as always.

use std::collections::HashMap;
use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, CommandFactory, Parser};
use serde_json::json;

use crate::Cli;

/// The parsed command line, or the exit status after a usage error (or help) was printed.
pub fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => Ok(cli),
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => e.exit(),
        Err(e) if wants_json(args.get(1..).unwrap_or_default()) => {
            eprintln!("{}", json!({"code": "usage", "message": message(&e, &args)}));
            Err(ExitCode::from(2))
        }
        // Without `--json` a person reads it: the same value-free words, on one line. (clap's own
        // text quotes what was typed and runs to several lines.)
        Err(e) => {
            eprintln!("gawahi: {}", message(&e, &args));
            Err(ExitCode::from(2))
        }
    }
}

/// Whether `--json` is among the arguments, in either of its spellings.
fn wants_json(args: &[OsString]) -> bool {
    args.iter().filter_map(|a| a.to_str()).any(|a| a == "--json" || a.starts_with("--json="))
}

/// What is wrong, in words that name our arguments and commands and repeat nothing typed.
fn message(e: &clap::Error, args: &[OsString]) -> String {
    let mut cli = Cli::command();
    cli.build();
    // Every argument of every command, by the name clap gives it in errors (`--limit <N>`,
    // `<KIND>`): a name from the error is only used if it is one of these.
    let mut ours: HashMap<String, &Arg> = HashMap::new();
    let mut commands: Vec<&str> = Vec::new();
    for a in cli.get_arguments() {
        ours.insert(a.to_string(), a);
    }
    for sub in cli.get_subcommands() {
        commands.push(sub.get_name());
        // The arguments of nested commands too (`hearing record --status`, `evidence add --record`).
        for a in sub.get_arguments().chain(sub.get_subcommands().flat_map(clap::Command::get_arguments)) {
            ours.entry(a.to_string()).or_insert(a);
        }
    }
    let strings = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.as_str()],
        Some(ContextValue::Strings(v)) => v.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let named: Vec<(&str, &Arg)> = strings(ContextKind::InvalidArg)
        .into_iter()
        .filter_map(|n| ours.get_key_value(n))
        .map(|(k, a)| (k.as_str(), *a))
        .collect();
    let first = named.first().map_or("an argument", |(n, _)| n);

    let what = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => match named.first() {
            Some((name, arg)) => format!("invalid value for {name}; {}", expected(arg)),
            None => "invalid value for an argument".to_owned(),
        },
        ErrorKind::UnknownArgument => {
            let suggestion = strings(ContextKind::SuggestedArg)
                .into_iter()
                .find(|s| ours.keys().any(|k| k.split(' ').next() == Some(s)));
            match suggestion {
                Some(s) => format!("unexpected argument; did you mean {s}?"),
                None => "unexpected argument".to_owned(),
            }
        }
        ErrorKind::InvalidSubcommand => format!("unknown command; use one of: {}", commands.join(", ")),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("a command is needed; use one of: {}", commands.join(", "))
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<&str> = named.iter().map(|(n, _)| *n).collect();
            if missing.is_empty() {
                "a required argument is missing".to_owned()
            } else {
                format!("missing required argument: {}", missing.join(", "))
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior: Vec<&str> =
                strings(ContextKind::PriorArg).into_iter().filter(|p| ours.contains_key(*p)).collect();
            if prior.is_empty() {
                format!("{first} cannot be used here")
            } else {
                format!("{first} cannot be used with {}", prior.join(", "))
            }
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("wrong number of values for {first}")
        }
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        _ => "the command line is not valid".to_owned(),
    };
    // The command's help, if the command is known: its name is one of ours, not something typed.
    let help = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find_map(|a| commands.iter().find(|c| **c == a))
        .map_or_else(|| "gawahi --help".to_owned(), |c| format!("gawahi {c} --help"));
    format!("{what}; see `{help}`")
}

/// What an argument takes, from its definition.
fn expected(arg: &Arg) -> String {
    let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
    if !values.is_empty() {
        return format!("use one of: {}", values.join(", "));
    }
    let parser = arg.get_value_parser().type_id();
    let number = [std::any::TypeId::of::<usize>(), std::any::TypeId::of::<u64>()].iter().any(|t| parser == *t);
    if number { "expected a whole number".to_owned() } else { "expected a valid value".to_owned() }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::Parser;

    use super::{message, wants_json};
    use crate::Cli;

    const CANARY: &str = "CANARY-7f3a";

    fn usage_message(args: &[&str]) -> String {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let Err(e) = Cli::try_parse_from(&args) else { panic!("{args:?} parsed") };
        let m = message(&e, &args);
        assert!(!m.contains(CANARY), "{args:?} echoed what was typed: {m}");
        m
    }

    #[test]
    fn messages_name_our_arguments_and_never_the_typed_value() {
        let v = "/tmp/vault";
        for (args, says) in [
            (
                vec!["gawahi", "list", v, "task", "--limit", CANARY],
                "invalid value for --limit <N>; expected a whole number",
            ),
            (
                vec!["gawahi", "vocab", v, "courts", "--lang", CANARY],
                "invalid value for --lang <LANG>; use one of: en, ur",
            ),
            (vec!["gawahi", CANARY], "unknown command; use one of: init, check"),
            (vec!["gawahi", "list", v, "task", "--json", CANARY], "unexpected argument; see `gawahi list --help`"),
            (vec!["gawahi", "list", v, "task", "--jsom"], "unexpected argument; did you mean --json?"),
            (vec!["gawahi", "list", "--json"], "missing required argument: <VAULT>, <KIND>"),
            (
                vec!["gawahi", "add", v, "task", "--json", "{}", "--file", CANARY],
                "--json <JSON> cannot be used with --file <FILE>",
            ),
            (vec!["gawahi", "--passphrase-file", CANARY], "a command is needed; use one of: init"),
            (vec!["gawahi", "--json"], "unexpected argument; see `gawahi --help`"),
        ] {
            let m = usage_message(&args);
            assert!(m.contains(says), "{args:?}: {m}");
        }
    }

    #[test]
    fn json_is_wanted_in_either_spelling_anywhere() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(wants_json(&args(&["--json", "list"])));
        assert!(wants_json(&args(&["add", "v", "task", "--json={}"])));
        assert!(!wants_json(&args(&["list", "v", "task", "--jsonx"])));
    }
}
