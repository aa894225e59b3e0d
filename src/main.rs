use std::process::ExitCode;

use std::io::Write;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match ducha::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors exit 2. A usage error quotes the
            // argument given, so it is printed without clap's colours and with control characters escaped.
            if e.use_stderr() {
                eprint!("{}", ducha::shown::terminal_safe(&e.to_string()));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match ducha::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = match e.downcast_ref::<ducha::cli::Reported>() {
                Some(reported) => reported.to_string(),
                None => format!("error: {e:#}"),
            };
            // Not `eprintln!`, which panics when standard error is gone (a closed terminal).
            let _ = writeln!(std::io::stderr(), "{}", ducha::shown::terminal_safe(&text));
            ExitCode::from(1)
        }
    }
}
