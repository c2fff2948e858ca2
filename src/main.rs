use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use rehearse::exit;

fn main() -> ExitCode {
    rehearse::allocator::hand_back_freed_memory();
    exit::quiet_when_stdout_closes();
    let cli = match rehearse::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout; bare `rehearse` or `rehearse model`
        // shows the help (exit 2): clap prints those as they are.
        Err(error)
            if !error.use_stderr()
                || error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            error.exit()
        }
        Err(error) => {
            eprintln!("error: {}", exit::usage_line(&error));
            return ExitCode::from(exit::USAGE);
        }
    };
    env_logger::Builder::from_env(env_logger::Env::new().filter_or("REHEARSE_LOG", "off")).init();
    match rehearse::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `rehearse sessions | head -1`: the reader has all it wanted.
        Err(error) if exit::is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole cause chain, the fix at the end.
            eprintln!("error: {}", exit::one_line(&error));
            ExitCode::from(exit::code_for(&error))
        }
    }
}
