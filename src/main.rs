use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rehearse::cli::Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::new().filter_or("REHEARSE_LOG", "off")).init();
    match rehearse::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole cause chain, the fix at the end.
            eprintln!("error: {}", rehearse::exit::one_line(&error));
            ExitCode::from(rehearse::exit::code_for(&error))
        }
    }
}
